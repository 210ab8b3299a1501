"""Time `totals --rates deal-date` beside `--rates latest` and a sqlite3 CLI reference, per grouping.

Usage: .venv/bin/python benchmarks/bench_deal_date.py [--deals N] [--orgs N] [--runs N] [--db PATH]

Builds the database of bench_analysis.py (default 200,000 deals, in /tmp), adds a second rate for each
currency a year earlier (so the deals' dates pick different rates), then prints for each grouping the median
time of compute_totals with the latest rates (the running sums) and with each deal's date's rates (the deals
read), and the `sqlite3` command-line tool running the same GROUP BY of the deals by party, currency and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import time
from decimal import Decimal
from pathlib import Path

from bench_analysis import build  # type: ignore[import-not-found]

from tracker.core.analysis.totals import compute_totals
from tracker.core.domain.vocab import GROUPINGS
from tracker.core.records.fx import set_rate
from tracker.core.storage.opening import open_database

REFERENCE = (
    "SELECT from_org_id, kind, coalesce(currency, ''), date, count(*), count(amount), sum(amount / 100000000), "
    "sum(amount % 100000000) FROM deal GROUP BY 1, 2, 3, 4;"
)


def median_ms(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/tracker-deal-date-bench.db"))
    ap.add_argument("--deals", type=int, default=200_000)
    ap.add_argument("--orgs", type=int, default=5_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    build(args.db, args.deals, args.orgs)
    db = open_database(args.db)
    with db.write() as conn:
        for currency, rate in (("CNY", "0.15"), ("EUR", "1.05"), ("JPY", "0.0075")):
            set_rate(conn, currency, Decimal(rate), dt.date(2024, 9, 29))
    sqlite3 = shutil.which("sqlite3")
    print(f"{args.deals:,} deals, median of {args.runs} runs")
    print(f"{'grouping':<10} {'latest':>10} {'deal-date':>10} {'sqlite3 CLI GROUP BY':>22}")
    for by in GROUPINGS:

        def latest(by: str = by) -> None:
            with db.read() as conn:
                compute_totals(conn, by)

        def dated(by: str = by) -> None:
            with db.read() as conn:
                compute_totals(conn, by, rates="deal-date")

        reference = "-"
        if sqlite3:
            ms = median_ms(lambda: subprocess.run([sqlite3, str(args.db), REFERENCE], capture_output=True, check=True),
                           args.runs)  # fmt: skip
            reference = f"{ms:,.0f} ms"
        print(
            f"{by:<10} {median_ms(latest, args.runs):>7,.0f} ms {median_ms(dated, args.runs):>7,.0f} ms {reference:>22}"
        )
    db.dispose()


if __name__ == "__main__":
    main()
