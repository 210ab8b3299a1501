"""The database as it was at a recorded time (``--as-of T``, the app's as-of mode), rebuilt from the history.

For every recorded row (tracker/core/storage/history.py) the last entry at or before T says what it was: a
deletion, nothing; anything else, its image after the change. Those rows go into a new SQLite database of
the current schema in a temporary folder (running sums summed again, search index built), and every
listing, total, map and export reads that database with the code it uses on the live one. The recorded
time is when we knew something, not when a deal happened (its date).
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from tracker.core.records.history import check_recorded, recorded_time, shown_time
from tracker.core.storage.dialect import insert_rows
from tracker.core.storage.handle import Database
from tracker.core.storage.history import RECORDED
from tracker.core.storage.opening import open_database

LATEST = (
    "SELECT c.tbl, c.op, c.new FROM change_log c JOIN (SELECT tbl, row_key, max(id) AS id FROM change_log "
    "WHERE at <= :at AND tbl <> '' GROUP BY tbl, row_key) m ON m.id = c.id"
)
BATCH = 5000


@dataclass
class Past:
    """A database rebuilt as it was at ``at`` (stored form); :meth:`close` removes it."""

    db: Database
    at: str
    folder: Path

    @property
    def shown(self) -> str:
        return shown_time(self.at)

    def close(self) -> None:
        self.db.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)


def rows_at(conn: Connection, at: str) -> dict[str, list[dict[str, Any]]]:
    """Every recorded table's rows as they were at ``at`` (stored form), by table."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in RECORDED}
    for tbl, op, new in conn.execute(text(LATEST), {"at": at}):
        if op == "delete" or new is None or tbl not in out:
            continue
        out[tbl].append(json.loads(new))
    return out


def materialize(db: Database, given: str, progress: Callable[[str], object] | None = None) -> Past:
    """``db`` as recorded at ``given`` (a date: the end of that day, UTC; or an ISO date and time, UTC) in a
    temporary SQLite database. Raises HistoryError for a time that cannot be read or is before any history."""
    at = recorded_time(given)
    with db.read() as conn:
        check_recorded(conn, at, given)
        rows = rows_at(conn, at)
    folder = Path(tempfile.mkdtemp(prefix="tracker-as-of-"))
    atexit.register(shutil.rmtree, folder, True)  # gone at exit even if nobody closes it
    try:
        past = open_database(folder / "as-of.db")
        with past.write(checked_keys=True) as dst:
            fill(dst, rows)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Past(past, at, folder)


def fill(conn: Connection, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Insert ``rows`` (stored form, by table) into the empty database of ``conn``, sums and index after."""
    from tracker.core.storage.history import sqlite_columns
    from tracker.core.storage.sums import bulk_load, rebuild

    with bulk_load(conn, copying=True):
        for table, images in rows.items():
            if not images:
                continue
            columns = [c for c in sqlite_columns(conn, table) if any(c in image for image in images[:1])]
            for start in range(0, len(images), BATCH):
                chunk = images[start : start + BATCH]
                insert_rows(conn, table, columns, [tuple(_stored(image.get(c)) for c in columns) for image in chunk])
        rebuild(conn)


def _stored(value: Any) -> Any:
    """A JSON value as SQLite stores it (PostgreSQL's images hold the same text and numbers)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value
