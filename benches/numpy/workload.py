"""The comparison, not the product: how an analyst would evaluate the
workload of ``benches/numpy/workload.rs`` with numpy, in float64.

Each path snaps three layers of ``data/scenarios/us-china-lines-2025.toml``
to a rate of its own from a date of its own; the script gives, per path,
the duty of each snapped layer in each month of 2025-2026 over the 14,422
HTS-10 lines. The layers are transcribed from the scenario's files
(``data/record/lines-us-china-2025.toml``):

- ``busan-snap-back``: 0 before the snap, the snap's rate from it on, on
  every line but the reciprocal exemptions (the four lists of
  ``reciprocal-exempt-hts10.csv``) and chapter 97;
- ``ieepa-fentanyl``: 10% from 2025-02-04, 20% from 2025-03-04, 10% from
  2025-11-10; the snap's rate from its date on; every line;
- ``ieepa-reciprocal``: 10% from 2025-04-05, 84% from 04-09, 125% from 04-10,
  34% from 05-14; the snap's rate from its date on; capped at 10% from
  2025-05-14 until 2026-11-10 (the suspension); annex II, chapter 98, the
  informational lists and chapter 97 exempt from 2025-04-05, the
  electronics list from 2025-04-11.

A line's daily value is its 2024 annual value / 365 (2025 and 2026 have 365
days). The horizon is split at every month start and every date where a
rate or an exemption changes; on each segment the script takes the rate of
every line as a vector (a mask of the lines covered times the layer's rate)
and adds ``days * (daily_values * rates).sum()`` to the segment's month.

Usage: ``python3 benches/numpy/workload.py PATHS.json TOTALS.txt``. Prints
its timings (JSON: load, evaluation, end to end, in seconds, from the start
of the script, ``import numpy`` included) and writes the totals, one line
per path: the months of each layer in turn.
"""

import time

START = time.perf_counter()

import csv  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

try:
    import numpy as np  # noqa: E402
except ImportError:
    sys.exit("numpy is needed for the comparison: pip install numpy")

ROOT = Path(__file__).resolve().parents[2]
LINES = ROOT / "data/lines/us-imports-from-china-2024-hts10.csv"
EXEMPT = ROOT / "data/lines/reciprocal-exempt-hts10.csv"

HORIZON = (dt.date(2025, 1, 1), dt.date(2027, 1, 1))
MONTHS = [dt.date(2025 + m // 12, m % 12 + 1, 1) for m in range(24)]
LAYERS = ["busan-snap-back", "ieepa-fentanyl", "ieepa-reciprocal"]

D = dt.date.fromisoformat
FENTANYL = [(D("2025-02-04"), 0.10), (D("2025-03-04"), 0.20), (D("2025-11-10"), 0.10)]
RECIPROCAL = [
    (D("2025-04-05"), 0.10),
    (D("2025-04-09"), 0.84),
    (D("2025-04-10"), 1.25),
    (D("2025-05-14"), 0.34),
]
SUSPENSION = (D("2025-05-14"), D("2026-11-10"), 0.10)
EXEMPT_FROM = D("2025-04-05")
ELECTRONICS_FROM = D("2025-04-11")


def step_rate(steps, day, snap):
    """The scheduled rate on ``day``: the last step on or before it, or the
    snap's rate from the snap's date on."""
    when, rate = snap
    if day >= when:
        return rate
    current = 0.0
    for start, r in steps:
        if start <= day:
            current = r
    return current


def load():
    codes, values = [], []
    with open(LINES, newline="") as f:
        for row in csv.DictReader(f):
            codes.append(row["hts10"])
            values.append(float(row["value_usd"]))
    lists = {}
    with open(EXEMPT, newline="") as f:
        for row in csv.DictReader(f):
            lists.setdefault(row["list"], set()).add(row["hts10"])

    def member(name):
        listed = lists.get(name, set())
        return np.fromiter((c in listed for c in codes), dtype=bool, count=len(codes))

    chapter_97 = np.fromiter((c.startswith("97") for c in codes), dtype=bool, count=len(codes))
    always = (
        member("reciprocal-annex-ii")
        | member("reciprocal-ch98")
        | member("reciprocal-informational")
        | chapter_97
    )
    electronics = member("reciprocal-electronics")
    daily = np.array(values) / 365.0
    return daily, always, electronics


def read_paths(path):
    with open(path) as f:
        paths = json.load(f)
    return [
        [(D(s["from"]), float(s["rate"].rstrip("%")) / 100.0) for s in p["snaps"]]
        for p in paths
    ]


def evaluate(daily, always, electronics, paths):
    everything = np.ones_like(always)
    snap_back_covers = ~(always | electronics)
    fixed = sorted(
        {d for d, _ in FENTANYL}
        | {d for d, _ in RECIPROCAL}
        | {SUSPENSION[0], SUSPENSION[1], EXEMPT_FROM, ELECTRONICS_FROM}
        | set(MONTHS)
        | {HORIZON[1]}
    )
    out = np.zeros((len(paths), len(LAYERS), len(MONTHS)))
    for p, (snap_back, fentanyl, reciprocal) in enumerate(paths):
        snaps = {snap_back[0], fentanyl[0], reciprocal[0]}
        cuts = sorted(d for d in set(fixed) | snaps if HORIZON[0] <= d <= HORIZON[1])
        for start, end in zip(cuts, cuts[1:]):
            days = (end - start).days
            month = (start.year - 2025) * 12 + start.month - 1
            # busan-snap-back
            rate = snap_back[1] if start >= snap_back[0] else 0.0
            out[p, 0, month] += days * (daily * np.where(snap_back_covers, rate, 0.0)).sum()
            # ieepa-fentanyl
            rate = step_rate(FENTANYL, start, fentanyl)
            out[p, 1, month] += days * (daily * np.where(everything, rate, 0.0)).sum()
            # ieepa-reciprocal
            rate = step_rate(RECIPROCAL, start, reciprocal)
            if SUSPENSION[0] <= start < SUSPENSION[1]:
                rate = min(rate, SUSPENSION[2])
            exempt = np.zeros_like(always)
            if start >= EXEMPT_FROM:
                exempt |= always
            if start >= ELECTRONICS_FROM:
                exempt |= electronics
            out[p, 2, month] += days * (daily * np.where(exempt, 0.0, rate)).sum()
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: workload.py PATHS.json TOTALS.txt")
    daily, always, electronics = load()
    paths = read_paths(sys.argv[1])
    loaded = time.perf_counter()
    totals = evaluate(daily, always, electronics, paths)
    evaluated = time.perf_counter()
    with open(sys.argv[2], "w") as f:
        for row in totals.reshape(len(paths), -1):
            f.write(" ".join(repr(float(x)) for x in row))
            f.write("\n")
    print(
        json.dumps(
            {
                "load": loaded - START,
                "evaluate": evaluated - loaded,
                "end_to_end": evaluated - START,
            }
        )
    )


if __name__ == "__main__":
    main()
