"""Search at 1,000,000 deals (issue 13): a common word, a rare one, one that matches nothing, a Chinese alias,
a Chinese word and two words ANDed, each beside the search it replaces (the LIKE scan of schema 0006).

Usage:
    .venv/bin/python benchmarks/bench_search.py --db PATH [--runs 5]

``--db``: a 1M-deal SQLite database (``tracker --empty import benchmarks/out/deals-1m.csv``, which
``tests/support/gen_deals.py`` writes); it is upgraded to schema 0008 and its search index built first if
needed (the build's time is printed). The script gives one organisation with about 150 deals the alias 英伟达
(the generated data has no aliases), as ``set_aliases`` would.

What is measured, for each query:
- **steady** (in one process, the database open): what the app's table does on a keystroke, the count
  (``DealSource.count``) and then the first page of 100 rows (``page_after``). Median and maximum of
  ``--runs``, wall time and this thread's CPU time (the machine is shared: CPU time is what the query costs).
  The reference is the search of schema 0006 run the same way, interleaved: one phrase matched with LIKE
  against names, aliases and the description, counted up to 1,001 ids, then paged by id or by a walk.
- **right after start** (a new process per run): from the process start to the first page of the search
  in hand (wall, and the process's CPU time), as the app does in its first second, before SQLAlchemy is loaded and the database opened
  (``tracker.core.records.firstpage.quick_search``, standard library only). The reference is the old app's
  first second: import the core, open the database, then the old scan.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ALIAS = "英伟达"


def old_condition(term: str) -> Any:
    """The search of schema 0006: the whole text as one phrase; names, aliases, kind, description."""
    from sqlalchemy import or_

    from tracker.core.records.orgs import escape_like, matching_org_ids
    from tracker.core.storage.handles import DEAL

    return or_(
        DEAL.c.from_org_id.in_(matching_org_ids(term)),
        DEAL.c.to_org_id.in_(matching_org_ids(term)),
        DEAL.c.kind == term.casefold(),
        DEAL.c.description.ilike(f"%{escape_like(term)}%", escape="\\"),
    )


def old_search(db: Any, term: str) -> tuple[int, int]:
    """The old DealSource: count up to 1,001 ids by the scan, then the first page (by id under the cap)."""
    from sqlalchemy import select

    from tracker.core.storage.handles import DEAL, FROM, TO

    cond = old_condition(term)
    with db.read() as conn:
        ids = list(conn.execute(select(DEAL.c.id).where(cond).limit(1001)).scalars())
        joined = DEAL.join(FROM, FROM.c.id == DEAL.c.from_org_id).outerjoin(TO, TO.c.id == DEAL.c.to_org_id)
        stmt = select(DEAL, FROM.c.name, TO.c.name).select_from(joined).where(cond)
        if len(ids) <= 1000:
            stmt = stmt.where(DEAL.c.id.in_(ids))
        rows = conn.execute(stmt.order_by(DEAL.c.date.desc(), DEAL.c.id.desc()).limit(100)).all()
    return len(ids), len(rows)


def new_search(db: Any, text: str) -> tuple[int, int]:
    from tracker.ui.sources.deals import DealSource
    from tracker.ui.sources.query import DealQuery, FilterSpec

    source = DealSource(db, DealQuery(spec=FilterSpec(text=text)))
    n = source.count()
    return n, len(source.page_after(None, 100))


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    t0, c0 = time.perf_counter(), time.thread_time()
    out = fn()
    return (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000, out


START_NEW = """
import sys, time, json
t0, c0 = time.perf_counter(), time.process_time()
from tracker.core.records.firstpage import quick_search
page = quick_search(sys.argv[1], sys.argv[2])
t1, c1 = time.perf_counter(), time.process_time()
print(json.dumps([None if page is None else len(page.rows), (t1 - t0) * 1000, (c1 - c0) * 1000]))
"""
START_OLD = """
import sys, time, json
t0, c0 = time.perf_counter(), time.process_time()
sys.path.insert(0, sys.argv[3])
from bench_search import old_search
from tracker.core.storage.opening import open_database
db = open_database(sys.argv[1])
n, rows = old_search(db, sys.argv[2])
t1, c1 = time.perf_counter(), time.process_time()
print(json.dumps([rows, (t1 - t0) * 1000, (c1 - c0) * 1000]))
"""


def after_start(code: str, db: str, text: str) -> tuple[float, Any]:
    """Wall time from a new interpreter's start (its own clock, after Python itself is up) to the page."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, db, text, str(Path(__file__).parent)], capture_output=True, text=True, check=True
    ).stdout
    total = (time.perf_counter() - t0) * 1000
    rows, inner, cpu = json.loads(out)
    return total, (rows, inner, cpu)


def prepare(path: str) -> Any:
    from sqlalchemy import text

    from tracker.core.records.orgs import aliases_of, set_aliases
    from tracker.core.storage.opening import open_database
    from tracker.core.storage.searchbuild import build_pending, pending

    db = open_database(path)
    if pending(db):
        t0 = time.perf_counter()
        build_pending(db)
        print(f"search index built in {time.perf_counter() - t0:.1f} s")
    with db.write() as conn:
        org = conn.execute(
            text("SELECT org_id FROM party_total GROUP BY org_id HAVING sum(deals) BETWEEN 120 AND 200 ORDER BY org_id")
        ).scalar()
        if ALIAS not in aliases_of(conn, org):
            set_aliases(conn, org, [*aliases_of(conn, org), ALIAS])
        rare = conn.execute(text("SELECT name FROM organization WHERE id = :o"), {"o": org}).scalar_one()
    return db, rare


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    db, rare = prepare(args.db)
    queries = {
        "common word": "compute",
        "rare (an organisation's name, quoted)": f'"{rare}"',
        "absent": "qqzzxx",
        "Chinese alias": ALIAS,
        "Chinese word": "数据中心",
        "two words ANDed": "harbor cooling",
    }
    print(f"database: {args.db}; runs: {args.runs}; rare = {rare!r}")
    print("\n## steady (database open): count + first page of 100, ms: median (max); CPU ms median")
    print("| query | matches (new / old) | new wall | new CPU | old LIKE scan wall | old CPU |")
    print("|---|---|---|---|---|---|")
    for label, q in queries.items():
        new: list[tuple[float, float]] = []
        old: list[tuple[float, float]] = []
        n_new = n_old = 0
        for _ in range(args.runs):
            w, c, (n_new, _r) = timed(lambda q=q: new_search(db, q))
            new.append((w, c))
            w, c, (n_old, _r) = timed(lambda q=q: old_search(db, q.strip('"')))  # the old search: one phrase
            old.append((w, c))

        def fmt(xs: list[tuple[float, float]], i: int) -> str:
            vals = [x[i] for x in xs]
            return f"{statistics.median(vals):.0f}" + (f" ({max(vals):.0f})" if i == 0 else "")

        shown = lambda n, cap: f"{cap:,}+" if n > cap else f"{n:,}"  # noqa: E731
        print(f"| {label} `{q}` | {shown(n_new, 20_000)} / {shown(n_old, 1_000)} | {fmt(new, 0)} | {fmt(new, 1)} "
              f"| {fmt(old, 0)} | {fmt(old, 1)} |")  # fmt: skip
    print("\n## right after start: a new process, start → first page in hand, ms: wall median (max); CPU median")
    print(
        "| query | new (standard library, before the core loads) | new CPU | old (core import + open + scan) | old CPU |"
    )
    print("|---|---|---|---|---|")
    for label, q in queries.items():
        new_t: list[tuple[float, float]] = []
        old_t: list[tuple[float, float]] = []
        for _ in range(args.runs):
            new_t.append(after_start(START_NEW, args.db, q)[1][1:])
            old_t.append(after_start(START_OLD, args.db, q.strip('"'))[1][1:])

        def med(xs: list[tuple[float, float]], i: int) -> str:
            vals = [x[i] for x in xs]
            return f"{statistics.median(vals):.0f}" + (f" ({max(vals):.0f})" if i == 0 else "")

        print(f"| {label} | {med(new_t, 0)} | {med(new_t, 1)} | {med(old_t, 0)} | {med(old_t, 1)} |")
    db.dispose()


if __name__ == "__main__":
    main()
