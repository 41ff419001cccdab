"""Benchmark crmlab.datasets.load_transactions on a half-million-row raw line-item export.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_load.py            # writes benchmarks/RESULTS_load.md
    .venv/bin/python benchmarks/bench_load.py --quick    # 50,000 rows, no file written

Data: :func:`crmlab.simulate.messy_export` scaled to about 540,000 invoice lines (the size of
the well-known public online-retail export): quantity and unit price, cancellation invoices,
a quarter of the rows without a customer id, timestamps with a time of day, written to
``build/bench/messy_export.csv``. The load is timed in a fresh process, best of 3, with the
options such an export needs (line items, ``missing_customer="drop"``, ``nonpositive="net"``),
followed by the customer summary.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def worker(path: str, repeat: int) -> dict:
    import warnings

    from crmlab.datasets import load_transactions
    from crmlab.simulate import MESSY_COLUMNS
    from crmlab.summary import customer_summary, reconcile

    warnings.simplefilter("ignore")
    times, stimes = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        log = load_transactions(path, **MESSY_COLUMNS, missing_customer="drop", nonpositive="net",
                                as_of="2011-12-09")
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        s = customer_summary(log)
        stimes.append(time.perf_counter() - t0)
    assert reconcile(s) == 0.0
    return {"load_seconds": min(times), "all_load_seconds": times, "summary_seconds": min(stimes),
            "rows_returned": len(log), "customers": len(s)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--worker")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.repeat)))
        return
    from crmlab.simulate import messy_export

    n = 3_000 if args.quick else 38_000
    export, truth = messy_export(n, seed=1)
    out = ROOT / "build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "messy_export.csv"
    export.to_csv(path, index=False)
    size = path.stat().st_size / 2**20
    res = json.loads(subprocess.run([sys.executable, __file__, "--worker", str(path), "--repeat",
                                     str(args.repeat)], check=True, capture_output=True, text=True).stdout)
    lines = [
        "# Benchmark: `crmlab.datasets.load_transactions` on a raw line-item export",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- machine: {platform.processor() or platform.machine()}, 2 cores (shared: timings are noisy), "
        f"Python {platform.python_version()}",
        "- command: `.venv/bin/python benchmarks/bench_load.py` (fresh process, best of "
        f"{args.repeat})",
        f"- data: `crmlab.simulate.messy_export({n}, seed=1)`: {len(export):,} rows, {size:.1f} MiB CSV, "
        f"{truth['guest_rows']:,} rows without a customer id, {truth['cancel_rows']:,} cancellation lines",
        "",
        "| step | best time (s) |",
        "|---|---:|",
        f"| load_transactions (read, parse dates and numbers, policies) | {res['load_seconds']:.2f} |",
        f"| customer_summary ({res['rows_returned']:,} rows -> {res['customers']:,} customers) | "
        f"{res['summary_seconds']:.2f} |",
        "",
        f"All load times: {', '.join(f'{t:.2f}' for t in res['all_load_seconds'])} s. "
        "Target (own-data issue): under 5 s for half a million line items.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.quick:
        (HERE / "RESULTS_load.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
