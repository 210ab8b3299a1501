"""Every sort of the deals table but ``to`` walks an index (schema 0005): at a million deals a sort that
reads and sorts the whole table costs about 3 s a page. SQLite's plan of the SQL that ``page()`` really
runs says so (caught on its way to the driver); no timings are asserted."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, event

from tracker.core.csvio.seed import load_seed
from tracker.core.records.pages import DealFilter, page
from tracker.core.storage.opening import open_database


@contextmanager
def statements(conn: Connection) -> Iterator[list[tuple[str, Any]]]:
    """Every statement (SQL text and parameters, as the driver gets them) that ``conn`` runs meanwhile."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        seen.append((statement, parameters))

    event.listen(conn, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(conn, "before_cursor_execute", record)


def plan_of_page(conn: Connection, **kwargs: Any) -> tuple[str, list[Any]]:
    """The query plan of the one statement that ``page(conn, **kwargs)`` runs, and the page."""
    with statements(conn) as seen:
        rows = page(conn, DealFilter(), **kwargs)
    assert len(seen) == 1, seen
    sql, parameters = seen[0]
    assert "ORDER BY" in sql, sql
    plan = " | ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters))
    return plan, rows


@pytest.mark.parametrize("sort", ["date", "amount", "kind", "status"])
@pytest.mark.parametrize("descending", [True, False])
def test_the_sorted_pages_walk_an_index(tmp_path: Path, sort: str, descending: bool) -> None:
    db = open_database(tmp_path / "t.db", populate=load_seed)
    try:
        with db.read() as conn:
            plan, rows = plan_of_page(conn, sort=sort, descending=descending, limit=100)
            assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
            assert "INDEX" in plan, plan
            assert len(rows) == 8  # and the pages still hold every seed deal
            # the next page (after a key) and the one before it walk the same index
            for cursor in ({"after": rows[2].key}, {"before": rows[5].key}):
                plan, _ = plan_of_page(conn, sort=sort, descending=descending, limit=2, **cursor)
                assert "TEMP B-TREE FOR ORDER BY" not in plan, (cursor, plan)
                assert "INDEX" in plan, (cursor, plan)
    finally:
        db.dispose()
