"""Loads an exported Optuna journal with the real Optuna and compares study.trials_dataframe() with our own
`results trials --format csv`, trial by trial. Usage: optuna_roundtrip.py JOURNAL CSV STUDY. Exit 0 and
"matched N trials" when every compared cell agrees; otherwise an AssertionError names the trial and column."""
import math
import sys
import warnings

warnings.simplefilter("ignore")
import optuna  # noqa: E402
import pandas as pd  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)
journal, csv, name = sys.argv[1:4]
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(journal))
study = optuna.load_study(study_name=name, storage=storage)
theirs = study.trials_dataframe()
ours = pd.read_csv(csv, float_precision="round_trip")  # exact: pandas' default parser rounds the last bit
assert len(theirs) == len(ours), f"{len(theirs)} trials in Optuna, {len(ours)} in ours"
STATE = {"COMPLETE": "COMPLETE", "PRUNED": "PRUNED", "FAILED": "FAIL", "QUEUED": "WAITING", "RUNNING": "RUNNING"}


def same(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if isinstance(a, float) or isinstance(b, float):
        return b is not None and not (isinstance(b, float) and math.isnan(b)) and float(a) == float(b)
    return a == b


def naive_utc(t):
    return None if pd.isna(t) else pd.Timestamp(t).tz_convert(None)


params = [c for c in ours.columns if c.startswith("params_")]
attrs = [c for c in ours.columns if c.startswith(("theta_F", "share_F", "test_ci_"))] + ["test_accuracy", "error"]
for (_, o), (_, t) in zip(ours.iterrows(), theirs.iterrows()):
    n = o["number"]
    assert t["number"] == n, (n, t["number"])
    assert t["state"] == STATE[o["state"]], (n, o["state"], t["state"])
    value = None if o["state"] == "FAILED" else o["value"]
    assert same(value, t["value"]), (n, "value", o["value"], t["value"])
    for p in params:
        assert same(o[p], t[p]), (n, p, o[p], t[p])
    for a in attrs:
        col = "user_attrs_" + a
        if col in theirs.columns:
            assert same(o[a], t[col]), (n, a, o[a], t[col])
        else:
            assert pd.isna(o[a]), (n, a, "missing in Optuna")
    for c in ("datetime_start", "datetime_complete"):
        mine = naive_utc(pd.to_datetime(o[c], utc=True)) if not pd.isna(o[c]) else None
        if o["state"] in ("QUEUED", "RUNNING") and c == "datetime_complete":
            mine = None
        theirs_t = None if pd.isna(t[c]) else pd.Timestamp(t[c])
        assert mine == theirs_t, (n, c, mine, theirs_t)
    if o["state"] in ("COMPLETE", "PRUNED"):
        assert len(study.trials[n].intermediate_values) > 0, (n, "no intermediate values")
best = study.best_trial
print(f"matched {len(ours)} trials; states {sorted(set(theirs['state']))}; best trial {best.number} value {best.value}")
