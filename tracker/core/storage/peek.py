"""What a database holds, found out before anything is changed: ours (at which schema), new, or not ours.

Opening a SQLite file through the engine changes it at once (its journal mode becomes WAL for good, and an
older schema gets a ``.bak`` beside it and an upgrade); a file that is not a tracker database must be left
byte-identical. So a SQLite file is first read through a read-only connection of the standard library
(:func:`peek_sqlite`), which writes nothing to it; the same verdict for a server's database comes from
:func:`verdict` on what its schema holds.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from tracker.core.storage.errors import DatabaseError
from tracker.migrations import HEAD, REVISIONS

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Found:
    """What a database holds: ``revision`` (one of ours) or ``empty`` (nothing at all: it is made ours)."""

    revision: str | None
    empty: bool


def verdict(display: str, tables: list[str], versions: list[str]) -> Found:
    """``tables``: the names of the database's tables; ``versions``: the rows of its ``alembic_version``.
    Raises :class:`DatabaseError` for a database that is not ours, or is of a newer tracker."""
    others = [t for t in tables if t != "alembic_version" and not t.startswith("sqlite_")]
    if "alembic_version" not in tables or not versions:
        if others:
            raise DatabaseError(f"database {display}: not a tracker database (it has other tables); left untouched")
        return Found(None, True)
    if len(versions) == 1 and versions[0] in REVISIONS:
        return Found(versions[0], False)
    shown = ", ".join(repr(v) for v in versions)
    if len(versions) == 1 and versions[0].isdigit() and len(versions[0]) == len(HEAD) and versions[0] > HEAD:
        raise DatabaseError(
            f"database {display}: schema {versions[0]} is newer than this tracker knows ({HEAD}); "
            f"use a newer tracker; left untouched"
        )
    raise DatabaseError(
        f"database {display}: not a tracker database (its alembic_version table names revision {shown}, "
        f"another application's); left untouched"
    )


def peek_sqlite(path: Path, timeout: float = 30.0) -> Found:
    """What the SQLite file at ``path`` holds, read without writing anything to it."""
    display = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DatabaseError(f"database {display}: {exc.strerror}") from exc
    if path.is_dir():
        raise DatabaseError(f"database {display}: is a directory")
    if size == 0:
        return Found(None, True)
    try:
        with open(path, "rb") as f:
            header = f.read(100)
    except OSError as exc:
        raise DatabaseError(f"database {display}: cannot be read ({exc.strerror})") from exc
    if not header.startswith(SQLITE_MAGIC):
        raise DatabaseError(f"database {display}: not a SQLite database (no SQLite header); left untouched")
    # a file in WAL mode closed cleanly has no -wal: read it as immutable, so that SQLite creates no -wal or
    # -shm beside it; otherwise a read-only connection (its log and index are there already, or not needed)
    immutable = header[18] == 2 and not Path(f"{path}-wal").exists()
    options = "immutable=1" if immutable else "mode=ro"
    try:
        con = sqlite3.connect(f"file:{quote(str(path))}?{options}", uri=True, timeout=timeout)
    except sqlite3.Error as exc:
        raise DatabaseError(f"database {display}: cannot be read ({exc})") from exc
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        versions: list[str] = []
        if "alembic_version" in tables:
            versions = [str(r[0]) for r in con.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise DatabaseError(f"database {display}: not a SQLite database ({exc}); left untouched") from exc
        raise DatabaseError(f"database {display}: cannot be read ({exc})") from exc
    finally:
        con.close()
    return verdict(display, tables, versions)
