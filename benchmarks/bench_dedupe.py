"""Time the likely-duplicate searches on a generated database, beside a reference in the same run.

    .venv/bin/python benchmarks/bench_dedupe.py                # 1,000,000 deals
    .venv/bin/python benchmarks/bench_dedupe.py --rows 200000

Builds (once) ``benchmarks/out/dedupe-N.db`` by importing the seeded generator's file
(``tests/support/gen_deals.py``) into an empty SQLite database, then times, as medians of 3 rounds:

- ``find_duplicates`` for one deal (what ``tracker add`` and the form run before an add), against the
  reference of one indexed look-up of a deal by its id: both should be milliseconds whatever N;
- ``duplicate_pairs`` over the whole database (``tracker dedupe``, and an import into an empty table), against
  the reference of ``sums.rebuild`` (one GROUP BY over every deal, which the running sums already do).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(ROOT))

from tests.support import gen_deals  # noqa: E402


def _median(fn: object, rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    from sqlalchemy import select

    from tracker.core.csvio.importer import import_deals
    from tracker.core.records.changes import values_of
    from tracker.core.records.duplicates import duplicate_pairs, find_duplicates, key_of
    from tracker.core.storage.handles import DEAL
    from tracker.core.storage.opening import open_database
    from tracker.core.storage.sums import rebuild

    OUT.mkdir(exist_ok=True)
    path = OUT / f"dedupe-{args.rows}.db"
    if not path.exists():
        csv_path = OUT / f"dedupe-{args.rows}.csv"
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            gen_deals.generate(args.rows, f)
        db = open_database(path)
        t = time.perf_counter()
        report = import_deals(db, csv_path)
        print(f"import of {args.rows:,} rows: {time.perf_counter() - t:.1f} s, {report.duplicate_count} likely pairs")
        db.dispose()
    db = open_database(path)
    with db.read() as conn:
        deal_id = conn.execute(select(DEAL.c.id).order_by(DEAL.c.id.desc()).limit(1)).scalar_one()
        key = key_of(conn, values_of(conn, deal_id))
        assert key is not None
        one = _median(lambda: find_duplicates(conn, key, exclude=deal_id))
        ref_one = _median(lambda: values_of(conn, deal_id))
        pairs = _median(lambda: duplicate_pairs(conn), rounds=1)
        n = len(duplicate_pairs(conn))
    with db.write() as conn:
        ref_pairs = _median(lambda: rebuild(conn), rounds=1)
        conn.rollback()
    db.dispose()
    print(f"{'what':<48}{'tracker':>12}{'reference':>12}")
    print(f"{'one add: find_duplicates vs values_of':<48}{one * 1000:>10.2f}ms{ref_one * 1000:>10.2f}ms")
    print(f"{f'all pairs ({n:,}) vs sums.rebuild':<48}{pairs:>11.2f}s{ref_pairs:>11.2f}s")


if __name__ == "__main__":
    main()
