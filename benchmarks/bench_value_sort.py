"""The sort by value in USD (tracker/core/records/valuesort.py) at 1,000,000 deals, beside the amount sort (one
index walk, tracker/core/records/pages.py) measured in the same run, alternated.

Usage:
    .venv/bin/python benchmarks/bench_value_sort.py [--db PATH] [--rounds 5] [--pages 30]

Each round times, for the value sort and for the amount sort (the reference): the first page (100 rows,
largest first, as the app's table asks for it), ``--pages`` page-downs after it (keyset: after the last
row's key), a page back (before a key), a jump to the end (offset = count - 100, as ``G`` does) and, for the
value sort only, the first page right after a rate change (a new CNY rate that re-ranks CNY against USD).
The app's page budget is 100 ms. The database: ``--db``, else ``benchmarks/out/bench.db`` (bench_csv.py's),
else ``/tmp/tracker-valuesort-bench.db`` built with ``tracker --empty import`` of the deterministic
1,000,000-deal file of ``tests/support/gen_deals.py`` (four currencies, a fifth undisclosed; a minute or two).
The database is copied first (the rate change writes to it) and upgraded to the current schema if older.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.support import gen_deals  # noqa: E402

SHARED = HERE / "out" / "bench.db"
OWN = Path("/tmp/tracker-valuesort-bench.db")
WORK = Path("/tmp/tracker-valuesort-bench-work.db")


def build(path: Path) -> None:
    csv_path = gen_deals.DEFAULT_OUT
    if not csv_path.exists():
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            gen_deals.generate(1_000_000, f)
    tracker = Path(sys.executable).with_name("tracker")
    subprocess.run([str(tracker), "--db", str(path), "--empty", "import", str(csv_path)], check=True)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    got = fn()
    return (time.perf_counter() - t) * 1000, got


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--pages", type=int, default=30)
    args = ap.parse_args()
    source = args.db or (SHARED if SHARED.exists() else OWN)
    if not source.exists():
        build(source)
    shutil.copyfile(source, WORK)

    from tracker.core.records.fx import set_rate
    from tracker.core.records.pages import count_deals, page
    from tracker.core.records.valuesort import page_by_value
    from tracker.core.storage.opening import open_database

    db = open_database(WORK)  # upgrades an older schema (0007 converts the amounts) once, before timing
    with db.read() as conn:
        count = count_deals(conn)
        currencies = conn.exec_driver_sql("SELECT count(DISTINCT currency) FROM deal").scalar()
    print(f"{count:,} deals, {currencies} currencies; rounds: {args.rounds}; page-downs per round: {args.pages}")

    def first(sort: str) -> Any:
        with db.read() as conn:
            if sort == "value":
                return page_by_value(conn, limit=100)
            return page(conn, sort="amount", descending=True, limit=100)

    def after(sort: str, key: Any) -> Any:
        with db.read() as conn:
            if sort == "value":
                return page_by_value(conn, after=key, limit=100)
            return page(conn, sort="amount", descending=True, after=key, limit=100)

    def before(sort: str, key: Any) -> Any:
        with db.read() as conn:
            if sort == "value":
                return page_by_value(conn, before=key, limit=100)
            return page(conn, sort="amount", descending=True, before=key, limit=100)

    def end(sort: str) -> Any:
        with db.read() as conn:
            if sort == "value":
                return page_by_value(conn, offset=count - 100, limit=100)
            return page(conn, sort="amount", descending=True, offset=count - 100, limit=100)

    times: dict[tuple[str, str], list[float]] = {}

    def note(sort: str, what: str, ms: float) -> None:
        times.setdefault((sort, what), []).append(ms)

    rates = [Decimal("0.1404"), Decimal("1.5"), Decimal("0.001")]
    for r in range(args.rounds):
        for sort in ("amount", "value") if r % 2 == 0 else ("value", "amount"):
            ms, rows = timed(lambda s=sort: first(s))  # type: ignore[misc]
            note(sort, "first page", ms)
            key = rows[-1].key
            for _ in range(args.pages):
                ms, rows = timed(lambda s=sort, k=key: after(s, k))  # type: ignore[misc]
                note(sort, "page-down", ms)
                key = rows[-1].key
            ms, _rows = timed(lambda s=sort, k=key: before(s, k))  # type: ignore[misc]
            note(sort, "page-up", ms)
            ms, _rows = timed(lambda s=sort: end(s))  # type: ignore[misc]
            note(sort, "jump to the end", ms)
        with db.write() as conn:  # a rate change: the next value page must re-rank CNY
            set_rate(conn, "CNY", rates[r % len(rates)], dt.date(2030, 1, 1 + r))
        ms, rows = timed(lambda: first("value"))
        note("value", "first page after a rate change", ms)
    db.dispose()

    print(f"\n{'measurement':<34} {'value sort (ms)':>26} {'amount sort, reference (ms)':>30}")
    for what in ("first page", "page-down", "page-up", "jump to the end", "first page after a rate change"):
        cells = []
        for sort in ("value", "amount"):
            got = times.get((sort, what))
            cells.append(f"{statistics.median(got):.1f} med, {max(got):.1f} max" if got else "-")
        print(f"{what:<34} {cells[0]:>26} {cells[1]:>30}")
    print("\nbudget: a page under 100 ms")
    WORK.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
