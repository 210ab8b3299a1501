"""The ``Database`` handle: its engine, its transactions, the write lock, and errors told in plain words.

- SQLite: WAL, foreign keys on, a busy timeout. Write transactions begin with ``BEGIN IMMEDIATE`` so a
  writer waits for the lock up front (busy timeout) instead of failing half-way with "database is locked".
- PostgreSQL (psycopg 3): a write transaction first takes a transaction-level advisory lock, so writers
  take turns there too (two imports naming the same new organisation would otherwise collide on its unique
  key); the wait is bounded by ``lock_timeout``, which plays the busy timeout's part.
- A lock held by another process for longer than the busy timeout becomes :class:`DatabaseBusy`; any other
  driver failure of a transaction becomes a one-line :class:`DatabaseError` without the password.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from tracker.core.storage.errors import DatabaseBusy, DatabaseError
from tracker.core.storage.urls import mask, scrub

DEFAULT_BUSY_TIMEOUT = 30.0
PG_WRITE_LOCK = 0x7472_6B72  # "trkr": the advisory lock every PostgreSQL write transaction takes


@dataclass
class Database:
    """An open database: ``read()``, ``snapshot()`` and ``write()`` transactions on its engine.

    ``held``: while the database is being created in place, the one connection (inside the creating
    transaction) on which every transaction of this handle runs, as a savepoint (see
    :func:`tracker.core.storage.opening.open_database`).
    """

    engine: Engine
    url: URL
    created: bool = False
    upgraded_from: str | None = None
    backup: Path | None = None
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    held: Connection | None = dataclasses.field(default=None, repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def display(self) -> str:
        if self.is_sqlite:
            return self.url.database or ":memory:"
        return mask(self.url)

    def holding(self, conn: Connection) -> Database:
        """This database with every transaction run on ``conn`` (already in a write transaction)."""
        return dataclasses.replace(self, held=conn)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        if self.held is not None:
            with translate_errors(self), self.held.begin_nested():
                yield self.held
            return
        with translate_errors(self), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A read transaction that sees one consistent state of the whole database (for copies)."""
        if self.held is not None:
            with self.read() as conn:
                yield conn
            return
        with translate_errors(self), self.engine.connect() as conn:
            if not self.is_sqlite:
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                if not self.is_sqlite:
                    conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                yield conn

    @contextmanager
    def write(self, *, checked_keys: bool = False) -> Iterator[Connection]:
        """One write transaction: all or nothing; waits up to the busy timeout for the lock.

        ``checked_keys``: the caller guarantees every foreign key it writes (the importer resolves each
        party to an organisation inside this same transaction), so SQLite need not check them row by row
        (about 40% of a bulk insert's time). The pragma is set outside the transaction, as SQLite requires,
        and always set back.
        """
        if self.held is not None:  # the creating transaction holds the lock already; keys stay checked
            with self.read() as conn:
                yield conn
            return
        with translate_errors(self), self.engine.connect() as conn:
            conn.execution_options(tracker_write=True)
            relax = checked_keys and self.is_sqlite
            if relax:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            try:
                with conn.begin():
                    _take_write_lock(self, conn)
                    yield conn
            finally:
                if relax:
                    conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]

    def dispose(self) -> None:
        if self.held is None:  # a held handle borrows the engine of the call creating the database
            self.engine.dispose()


def _take_write_lock(db: Database, conn: Connection) -> None:
    """SQLite took it with BEGIN IMMEDIATE; PostgreSQL takes an advisory lock held until commit."""
    if not db.is_sqlite:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})


@contextmanager
def translate_errors(db: Database) -> Iterator[None]:
    """Driver errors of ``db``'s transactions as :class:`DatabaseError` (lock waits: :class:`DatabaseBusy`)."""
    try:
        yield
    except OperationalError as exc:
        raise user_error(db, exc) from exc
    except DBAPIError as exc:
        if _is_lock_error(exc):
            raise user_error(db, exc) from exc
        raise


def _is_lock_error(exc: BaseException) -> bool:
    msg = str(getattr(exc, "orig", exc)).lower()
    return any(
        s in msg
        for s in ("database is locked", "database table is locked", "lock timeout", "canceling statement due to lock")
    )


def user_error(db: Database, exc: DBAPIError) -> DatabaseError:
    """The driver's error ``exc`` as a one-line message about ``db``, without any password."""
    if _is_lock_error(exc):
        return DatabaseBusy(
            f"database {db.display} is busy: another process held it for more than "
            f"{db.busy_timeout:g} s (set TRACKER_BUSY_TIMEOUT to wait longer)"
        )
    return DatabaseError(f"database {db.display}: {driver_detail(db.url, exc)}")


def driver_detail(url: URL, exc: BaseException) -> str:
    """The first line of a driver's message, without any password."""
    text_ = str(getattr(exc, "orig", None) or exc).strip()
    detail = text_.splitlines()[0] if text_ else type(exc).__name__
    return scrub(detail, url)


def busy_timeout_from_env() -> float:
    """``TRACKER_BUSY_TIMEOUT`` in seconds (default 30)."""
    raw = os.environ.get("TRACKER_BUSY_TIMEOUT")
    if not raw:
        return DEFAULT_BUSY_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise DatabaseError(f"TRACKER_BUSY_TIMEOUT {raw!r}: not a number of seconds") from None
    if value < 0:
        raise DatabaseError(f"TRACKER_BUSY_TIMEOUT {raw!r}: must not be negative")
    return value


def make_engine(url: URL, busy_timeout: float) -> Engine:
    """An engine for a SQLite or PostgreSQL URL, its connections set up as described above (no connection
    is made yet)."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(url, connect_args={"timeout": busy_timeout, "check_same_thread": False})
        _install_sqlite_events(engine, busy_timeout)
    elif backend == "postgresql":
        try:
            engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        except Exception as exc:  # missing driver and the like
            raise DatabaseError(f"cannot open {mask(url)}: {scrub(str(exc), url)}") from exc
        _install_pg_events(engine, busy_timeout)
    else:
        raise DatabaseError(f"database {mask(url)}: only SQLite and PostgreSQL are supported")
    return engine


def _install_sqlite_events(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("tracker_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _install_pg_events(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        # 0 means "wait for ever" to PostgreSQL but "do not wait" to SQLite: keep SQLite's meaning
        cur.execute(f"SET lock_timeout = {max(1, int(busy_timeout * 1000))}")
        cur.close()
        dbapi_conn.commit()
