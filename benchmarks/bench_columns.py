"""The deals table's pages with the column chooser's extra columns (id, capacity, alliances, description) beside
the same pages with the default columns (the reference), measured in the same run, alternated.

Usage:
    .venv/bin/python benchmarks/bench_columns.py [--deals 100000] [--rounds 5] [--pages 30]

Each round reads, through the app's own page source (tracker/ui/sources/deals.py, as the table's worker
does), the first page of 100 rows (newest first), ``--pages`` page-downs after it, and a jump to the end
(offset, as ``G`` does), once with the default columns and once with every extra column (alliances cost one
query per page). The app's page budget is 100 ms. The database, ``/tmp/tracker-columns-bench-N.db``, is built
once with ``tracker --empty import`` of the deterministic file of ``tests/support/gen_deals.py``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import gen_deals  # noqa: E402

EXTRA = ("id", "capacity", "alliances", "description")


def build(path: Path, deals: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "deals.csv"
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            gen_deals.generate(deals, f)
        tracker = Path(sys.executable).with_name("tracker")
        subprocess.run([str(tracker), "--db", str(path), "--empty", "import", str(csv_path)], check=True)


def round_of(source: Any, pages: int) -> tuple[float, float, float]:
    """(first page, mean page-down, jump to the end) in ms."""
    t = time.perf_counter()
    rows = source.page_after(None, 100)
    first = (time.perf_counter() - t) * 1000
    downs = []
    for _ in range(pages):
        t = time.perf_counter()
        rows = source.page_after(rows[-1].key, 100)
        downs.append((time.perf_counter() - t) * 1000)
    count = source.count()
    t = time.perf_counter()
    source.page_at(max(count - 100, 0), 100)
    end = (time.perf_counter() - t) * 1000
    return first, statistics.mean(downs), end


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--deals", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--pages", type=int, default=30)
    args = ap.parse_args()
    path = Path(f"/tmp/tracker-columns-bench-{args.deals}.db")
    if not path.exists():
        build(path, args.deals)

    from tracker.core.storage.opening import open_database
    from tracker.ui.sources.deals import DealSource
    from tracker.ui.sources.query import DealQuery

    db = open_database(path)
    results: dict[str, list[tuple[float, float, float]]] = {"default columns": [], "every extra column": []}
    for _ in range(args.rounds):
        for label, extra in (("default columns", ()), ("every extra column", EXTRA)):
            results[label].append(round_of(DealSource(db, DealQuery(columns=extra)), args.pages))
    print(f"{args.deals:,} deals; {args.rounds} rounds; pages of 100 rows; medians in ms (budget: 100 ms a page)")
    print(f"{'':22} {'first page':>11} {'page-down':>10} {'jump to end':>12}")
    for label, runs in results.items():
        medians = [statistics.median(r[i] for r in runs) for i in range(3)]
        print(f"{label:22} {medians[0]:11.1f} {medians[1]:10.1f} {medians[2]:12.1f}")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
