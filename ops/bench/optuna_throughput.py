#!/usr/bin/env python3
"""Optuna 3.1's trials per second on a PostgreSQL server: TPE, a trivial objective, W worker processes sharing one
RDB study (each study.optimize with n_trials = N / W), the same server as plasticity-search's side of
ops/bench/orchestrator-vs-optuna. Prints one line: workers=W trials=N seconds=S trials_per_s=R."""
import argparse
import multiprocessing
import time

import optuna


def objective(trial):
    x = trial.suggest_float("x", -5, 5)
    f = trial.suggest_categorical("f2", [False, True])
    return x * x + (0.5 if f else 0.0)


def work(url, name, n, seed):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.load_study(study_name=name, storage=url, sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(objective, n_trials=n)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True, help="SQLAlchemy URL, e.g. postgresql+psycopg2://u:p@127.0.0.1:5432/db")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--trials", type=int, default=200)
    a = p.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    name = "throughput-%d-%d" % (a.workers, int(time.time() * 1000))
    optuna.create_study(study_name=name, storage=a.url, direction="minimize")
    per = a.trials // a.workers
    t0 = time.perf_counter()
    procs = [multiprocessing.Process(target=work, args=(a.url, name, per, s)) for s in range(a.workers)]
    for pr in procs:
        pr.start()
    for pr in procs:
        pr.join()
    seconds = time.perf_counter() - t0
    n = per * a.workers
    print("optuna workers=%d trials=%d seconds=%.2f trials_per_s=%.2f" % (a.workers, n, seconds, n / seconds))


if __name__ == "__main__":
    main()
