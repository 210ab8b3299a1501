"""Reading many rows fast: plain driver tuples, no collector passes, id lists cut to IN-list size.

The analysis reads tens of thousands of rows per answer (a million deals behind them); these are the three
habits that keep it quick, shared by the totals, the running-sum reader, the graph and the cycle search.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection


def fetch_all(conn: Connection, sql: str) -> list[Sequence[Any]]:
    """Every row of ``sql``, run as it is: on SQLite through the driver's cursor (plain tuples, no per-row
    wrapping: tens of thousands of rows), elsewhere with ``%`` doubled (psycopg's placeholders)."""
    if conn.dialect.name == "sqlite":
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            return cursor.execute(sql).fetchall()
        finally:
            cursor.close()
    return list(conn.exec_driver_sql(sql.replace("%", "%%")).fetchall())


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of result tuples are built (none of
    them can form a cycle); each collection would otherwise walk every live object again (~1 s at 1M)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    """``items`` in slices of at most ``size`` (IN lists stay under the drivers' parameter limits)."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
