#!/usr/bin/env python3
"""Optuna 3.1's TPESampler (defaults) on the objectives of docs/TPE_BENCH.md, for the head-to-head in
ops/search-bench. One JSON line per (objective, seed): {"objective": ..., "seed": ..., "values": [...]}.

usage: /usr/bin/python3 ops/bench/optuna_tpe_bench.py [--seeds 30] [--trials 100]
"""
import argparse
import json
import math

import optuna


def rule_landscape(t):
    f = {r: t.suggest_categorical(f"f{r}", [0, 1]) for r in range(1, 10)}
    lr = t.suggest_float("lr", 1e-4, 1e-1, log=True)
    lam = t.suggest_float("lam", 1e-3, 10, log=True)
    u, v, n = math.log10(lr), math.log10(lam), sum(f.values())
    return (0.38 + 0.18 * f[2] + 0.14 * f[9] + 0.05 * f[2] * f[9] + 0.02 * f[3]
            - 0.04 * f[1] - 0.03 * f[4] - 0.02 * f[5] - 0.06 * f[6] - 0.05 * f[7] - 0.05 * f[8]
            + 0.12 * math.exp(-(u + 2.5) ** 2 / (2 * 0.35 ** 2))
            - 0.015 * n * (1 if v < -1 else 0.3)
            - 0.05 * max(0.0, v - 0.3) ** 2)


def sphere5(t):
    return sum(t.suggest_float(f"x{i}", -5, 5) ** 2 for i in range(1, 6))


def styblinski_tang4(t):
    xs = [t.suggest_float(f"x{i}", -5, 5) for i in range(1, 5)]
    return 0.5 * sum(x ** 4 - 16 * x ** 2 + 5 * x for x in xs)


def mixed_log(t):
    a = t.suggest_float("a", 1e-5, 1, log=True)
    b = t.suggest_int("b", 1, 64)
    c = t.suggest_categorical("c", ["sgd", "adam", "rms"])
    return (math.log10(a) + 3) ** 2 + ((b - 23) / 8) ** 2 + {"sgd": 0.5, "adam": 0.0, "rms": 0.25}[c]


OBJECTIVES = [("rule_landscape", rule_landscape, "maximize"), ("sphere5", sphere5, "minimize"),
              ("styblinski_tang4", styblinski_tang4, "minimize"), ("mixed_log", mixed_log, "minimize")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--trials", type=int, default=100)
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    for name, fn, direction in OBJECTIVES:
        for seed in range(args.seeds):
            study = optuna.create_study(direction=direction, sampler=optuna.samplers.TPESampler(seed=seed))
            study.optimize(fn, n_trials=args.trials)
            values = [t.value for t in study.trials]
            print(json.dumps({"objective": name, "seed": seed, "values": values}), flush=True)


if __name__ == "__main__":
    main()
