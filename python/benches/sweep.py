"""Bench: a parameter sweep over the line-level scenario, serial against a
2-worker LocalCluster, and the Python call overhead per evaluation against
the same evaluation timed inside Rust.

    python python/benches/sweep.py [--variations 10000] [--quick]

Prints medians; every timed pair runs back to back in one process (the
machine is shared and noisy). The serial and cluster results are checked
equal before any time is reported.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time
from decimal import Decimal
from pathlib import Path

import tariffsim
from tariffsim import _native
from tariffsim import dask as tdask

REPO = Path(__file__).resolve().parents[2]


def variations(n: int) -> list[dict]:
    """Dates, rates and probabilities: the escalation probability at the
    Busan expiry (0.01..0.20), the fentanyl rate from 2025-03-04 (10..30%),
    and the date of the 2026 Section 301 review step (up to 59 days late)."""
    out = []
    for i in range(n):
        esc = Decimal(i % 20 + 1) / 100
        late = datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 60)
        out.append(
            {
                "id": f"v{i}",
                "probability": {"busan-expiry": {"extension": "0.6", "snap-back": str(Decimal("0.4") - esc), "escalation": str(esc)}},
                "rate": {"ieepa-fentanyl": {"2025-03-04": f"{10 + i % 21}%"}},
                "step_date": {"review-2026-25": {"2026-01-01": late.isoformat()}},
            }
        )
    return out


def median_time(f, reps: int) -> float:
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variations", type=int, default=10_000)
    ap.add_argument("--quick", action="store_true", help="small sizes only (a smoke run)")
    args = ap.parse_args()
    from distributed import Client, LocalCluster

    lines = tariffsim.load_scenario(REPO / "data" / "scenarios" / "us-china-lines-2025.toml")
    n_eval = 50 if args.quick else 500

    # Python call overhead: the same evaluation timed inside Rust, and
    # through Python (evaluate(), and evaluate() plus the long table).
    rust = statistics.median(_native.time_evaluations(lines._inner, n_eval))
    py = median_time(lines.evaluate, n_eval)
    py_table = median_time(lambda: lines.evaluate().to_arrow(), n_eval // 5)
    vary = median_time(lambda: lines.vary(variations(1)[0]), 50)
    print(f"evaluate, Rust alone:          {rust * 1e3:8.3f} ms (median of {n_eval})")
    print(f"evaluate() from Python:        {py * 1e3:8.3f} ms (+{(py - rust) * 1e6:.0f} µs, x{py / rust:.2f})")
    print(f"evaluate().to_arrow():         {py_table * 1e3:8.3f} ms")
    print(f"vary() (rebuilds the scenario):{vary * 1e3:8.3f} ms")

    t = time.perf_counter()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    startup = time.perf_counter() - t
    print(f"LocalCluster(2) start:         {startup:8.2f} s")
    # The engine releases the GIL, so one process with two threads also
    # runs two partitions at once, without shipping the scenario.
    threads = LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None)
    tclient = Client(threads, set_as_default=False)

    sizes = [1, 2, 4, 8, 16, 32, 64] if args.quick else [1, 2, 4, 8, 16, 32, 64, 128, 256]
    print("sweep size | serial (median of 3) | LocalCluster(2 processes) | ratio | LocalCluster(1 process, 2 threads) | ratio")
    crossover = None
    for n in sizes:
        vs = variations(n)
        serial = median_time(lambda: tdask.sweep_arrow(lines, vs), 3)
        spread = median_time(lambda: tdask.sweep_arrow(lines, vs, client), 3)
        threaded = median_time(lambda: tdask.sweep_arrow(lines, vs, tclient), 3)
        if crossover is None and spread < serial:
            crossover = n
        print(f"{n:10d} | {serial:10.3f} s | {spread:10.3f} s | {serial / spread:5.2f} | {threaded:10.3f} s | {serial / threaded:5.2f}")
    print(f"2 local worker processes first beat one process at {crossover} variations")
    tclient.close()
    threads.close()

    n = 200 if args.quick else args.variations
    vs = variations(n)
    t = time.perf_counter()
    a = tdask.sweep_arrow(lines, vs)
    serial = time.perf_counter() - t
    t = time.perf_counter()
    b = tdask.sweep_arrow(lines, vs, client)
    spread = time.perf_counter() - t
    assert a.equals(b), "the cluster sweep differs from the serial sweep"
    print(f"{n} variations: serial {serial:.1f} s ({serial / n * 1e3:.2f} ms each), "
          f"LocalCluster(2) {spread:.1f} s ({spread / n * 1e3:.2f} ms each), x{serial / spread:.2f}; results equal")
    client.close()
    cluster.close()


if __name__ == "__main__":
    main()
