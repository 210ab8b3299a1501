"""Every sort of the deals table but ``to`` walks an index (schema 0005): at a million deals a sort that
reads and sorts the whole table costs about 3 s a page. SQLite's plan says so; no timings are asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.core.csvio.seed import load_seed
from tracker.core.records.deals import DEAL, SORTS, DealFilter, _conditions, _row_select, page
from tracker.core.storage.database import open_database


@pytest.mark.parametrize("sort", ["date", "amount", "kind", "status"])
@pytest.mark.parametrize("descending", [True, False])
def test_the_sorted_pages_walk_an_index(tmp_path: Path, sort: str, descending: bool) -> None:
    db = open_database(tmp_path / "t.db", populate=load_seed)
    try:
        with db.read() as conn:
            col = SORTS[sort]
            order = (col.desc(), DEAL.c.id.desc()) if descending else (col.asc(), DEAL.c.id.asc())
            stmt = _row_select(sort).where(*_conditions(conn, DealFilter())).order_by(*order).limit(60)
            sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
            plan = " | ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
            assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
            assert "INDEX" in plan, plan
            rows = page(conn, DealFilter(), sort=sort, descending=descending, limit=100)
            assert len(rows) == 8  # and the pages still hold every seed deal
    finally:
        db.dispose()
