"""tariffsim beside numpy on the same paths, back to back.

For each number of paths: draws that many paths (a random snap date and
rate for each of the snap-back (Section 301), fentanyl and reciprocal
layers of ``data/scenarios/us-china-lines-2025.toml``, over its 14,422
real lines), writes them to a JSON file in a temporary folder, runs the
Rust example ``numpy_workload`` and the numpy script ``workload.py`` on
them in turn (``--runs`` times each, alternating), and prints per size the
median end-to-end time (from the start of the program to the totals,
loading included), the median evaluation time, numpy's time over
tariffsim's, and the largest relative difference between the two programs'
per-path totals by layer and month.

    pip install numpy
    python3 benches/numpy/compare.py                  # 1, 100, 1,000, 10,000 paths
    python3 benches/numpy/compare.py --paths 10 --runs 1

The Rust example is built first with ``cargo build --release --example
numpy_workload`` (``--no-build`` skips it).
"""

import argparse
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "workload.py"
EXAMPLE = ROOT / "target/release/examples/numpy_workload"
FIRST = dt.date(2025, 3, 1)
SPAN_DAYS = 671  # FIRST to the end of the horizon, 2027-01-01
LAYERS = 3


def draw(n, rng):
    """``n`` paths: per layer a date uniform over the span and a rate of
    0% to 100% in half points."""
    paths = []
    for _ in range(n):
        snaps = []
        for _ in range(LAYERS):
            day = FIRST + dt.timedelta(days=rng.randrange(SPAN_DAYS))
            half_points = rng.randrange(201)
            snaps.append({"from": day.isoformat(), "rate": f"{Decimal(half_points) / 2}%"})
        paths.append({"snaps": snaps})
    return paths


def run(command):
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def read_totals(path):
    with open(path) as f:
        return [[float(x) for x in line.split()] for line in f]


def largest_difference(exact, floats):
    if len(exact) != len(floats):
        sys.exit(f"{len(exact)} paths from tariffsim, {len(floats)} from numpy")
    worst = 0.0
    for a_row, b_row in zip(exact, floats):
        if len(a_row) != len(b_row):
            sys.exit("the two programs give different numbers of totals per path")
        for a, b in zip(a_row, b_row):
            scale = max(abs(a), abs(b))
            if scale > 0:
                worst = max(worst, abs(a - b) / scale)
    return worst


def main():
    try:
        import numpy  # noqa: F401
    except ImportError:
        sys.exit("numpy is needed for the comparison (it is not a dependency of tariffsim): pip install numpy")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, nargs="+", default=[1, 100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs of each program per size (median)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--no-build", action="store_true", help="use the example already built")
    parser.add_argument("--tolerance", type=float, default=1e-12,
                        help="the largest relative difference allowed")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(
            ["cargo", "build", "--release", "--quiet", "--example", "numpy_workload"],
            cwd=ROOT,
            check=True,
        )
    rng = random.Random(args.seed)
    header = (
        f"{'paths':>6}  {'tariffsim e2e':>13}  {'numpy e2e':>10}  {'ratio':>7}  "
        f"{'tariffsim eval':>14}  {'numpy eval':>10}  {'ratio':>7}  {'max rel diff':>12}"
    )
    print(header)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in args.paths:
            paths_file = tmp / f"paths-{n}.json"
            paths_file.write_text(json.dumps(draw(n, rng)))
            rust_out, numpy_out = tmp / "rust.txt", tmp / "numpy.txt"
            rust, py = [], []
            for _ in range(args.runs):
                rust.append(run([EXAMPLE, paths_file, rust_out]))
                py.append(run([sys.executable, SCRIPT, paths_file, numpy_out]))
            diff = largest_difference(read_totals(rust_out), read_totals(numpy_out))
            failed |= diff > args.tolerance

            def median(runs, key):
                return statistics.median(r[key] for r in runs)

            r_e2e, p_e2e = median(rust, "end_to_end"), median(py, "end_to_end")
            r_eval, p_eval = median(rust, "evaluate"), median(py, "evaluate")
            print(
                f"{n:>6}  {r_e2e * 1e3:>10.1f} ms  {p_e2e * 1e3:>7.0f} ms  {p_e2e / r_e2e:>6.1f}x  "
                f"{r_eval * 1e3:>11.2f} ms  {p_eval * 1e3:>7.0f} ms  {p_eval / r_eval:>6.0f}x  {diff:>12.1e}",
                flush=True,
            )
    if failed:
        sys.exit(f"the totals differ by more than {args.tolerance:g} (relative)")


if __name__ == "__main__":
    main()
