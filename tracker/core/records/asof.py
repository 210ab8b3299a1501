"""The database as it was at a recorded time (``--as-of T``, the app's as-of mode), rebuilt from the history.

The rows of now are taken back past every change recorded after T (tracker/core/storage/history.py): a row
changed or deleted since is what the ``old`` image of its first change after T says, a row added since is
left out, any other row is as it is now (so a bulk import's rows, recorded without images, need none). Those rows go into a new SQLite database of
the current schema in a temporary folder (running sums summed again, search index built), and every
listing, total, map and export reads that database with the code it uses on the live one. The recorded
time is when we knew something, not when a deal happened (its date).
"""

from __future__ import annotations

import atexit
import datetime as dt
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

FIRST_AFTER = (
    "SELECT c.tbl, c.row_key, c.op, c.old FROM change_log c JOIN (SELECT tbl, row_key, min(id) AS id "
    "FROM change_log WHERE at > :at AND tbl <> '' GROUP BY tbl, row_key) m ON m.id = c.id"
)
"""Each row's first change after the time: its ``old`` image is what the row was then (none: it was added
since). A row with no change since is as it is now."""
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
    """Every recorded table's rows as they were at ``at`` (stored form), by table: the rows of now, each
    changed since put back as its first change after ``at`` found it (added since: left out)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for table, (keys, _deal) in RECORDED.items():
        rows = out[table] = {}
        for row in conn.execute(text(f"SELECT * FROM {table}")).mappings():
            rows["/".join(str(row[k]) for k in keys)] = dict(row)
    for tbl, key, op, old in conn.execute(text(FIRST_AFTER), {"at": at}):
        if tbl not in out:
            continue
        if op == "insert" or old is None:
            out[tbl].pop(key, None)
        else:
            out[tbl][key] = json.loads(old)
    return {table: list(rows.values()) for table, rows in out.items()}


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
    """A value (from JSON or from the live table) as SQLite stores it."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value
