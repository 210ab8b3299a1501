"""The ``Database`` handle: its engine, its transactions, the write lock, and errors told in plain words.

- SQLite: WAL, foreign keys on, a busy timeout. Write transactions begin with ``BEGIN IMMEDIATE`` so a
  writer waits for the lock up front (busy timeout) instead of failing half-way with "database is locked".
- PostgreSQL (psycopg 3): a write transaction first takes a transaction-level advisory lock, so writers
  take turns there too (two imports naming the same new organisation would otherwise collide on its unique
  key); the wait is bounded by ``lock_timeout``, which plays the busy timeout's part.
- Reads (``read()``) see one consistent state of the whole database however many statements they run:
  SQLite's read transaction does so by itself (WAL); on PostgreSQL a read is a REPEATABLE READ, READ ONLY
  transaction (READ COMMITTED would take a new snapshot at each statement: totals whose TOTAL is not the
  sum of their rows, a dump whose links name deals it does not hold).
- A lock held by another process for longer than the busy timeout becomes :class:`DatabaseBusy`; any other
  driver failure of a transaction (a missing privilege, a full disk, a statement timeout, a constraint)
  becomes a one-line :class:`DatabaseError` naming the cause, without SQL, parameters or password.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from tracker.core.storage import history
from tracker.core.storage.errors import DatabaseBusy, DatabaseError, DatabaseReadOnly
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
    read_only: bool = False
    """This user may read the database but not write it: :meth:`write` refuses at once, saying so."""
    label: str | None = None
    """What names the database to people instead of its path (the app's as-of mode)."""

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def display(self) -> str:
        if self.label is not None:
            return self.label
        if self.is_sqlite:
            return self.url.database or ":memory:"
        return mask(self.url)

    def holding(self, conn: Connection) -> Database:
        """This database with every transaction run on ``conn`` (already in a write transaction)."""
        return dataclasses.replace(self, held=conn)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction that sees one consistent state of the whole database, for every statement it
        runs (REPEATABLE READ, READ ONLY on PostgreSQL)."""
        if self.held is not None:
            with translate_errors(self), self.held.begin_nested():
                yield self.held
            return
        with translate_errors(self), self.engine.connect() as conn:
            if not self.is_sqlite:
                # set on the driver's connection: its BEGIN says it, no extra round trip; reset on release
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn

    def snapshot(self) -> AbstractContextManager[Connection]:
        """A read transaction that sees one consistent state of the whole database (every read does)."""
        return self.read()

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
                _begin_context(self, conn)
                yield conn
            return
        if self.read_only:
            raise DatabaseReadOnly(f"{self.display}: the database is read-only (you may read it, not change it)")
        with translate_errors(self), self.engine.connect() as conn:
            conn.execution_options(tracker_write=True)
            relax = checked_keys and self.is_sqlite
            if relax:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            try:
                with conn.begin():
                    _take_write_lock(self, conn)
                    yield conn
                    if self.is_sqlite:
                        history.clear_context(conn)
            finally:
                if relax:
                    conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]

    def dispose(self) -> None:
        if self.held is None:  # a held handle borrows the engine of the call creating the database
            self.engine.dispose()


def _take_write_lock(db: Database, conn: Connection) -> None:
    """SQLite took it with BEGIN IMMEDIATE; PostgreSQL takes an advisory lock held until commit. Either way
    the transaction's actor and command for the history (tracker/core/storage/history.py) go with it."""
    if db.is_sqlite:
        history.apply_context(conn)
    else:
        conn.execute(
            text(f"SELECT pg_advisory_xact_lock(:key), {history.PG_CONTEXT_SQL}"),
            {"key": PG_WRITE_LOCK, **history.pg_context_params()},
        )


def _begin_context(db: Database, conn: Connection) -> None:
    """The history's context of a transaction run inside the creating one (no lock to take)."""
    if db.is_sqlite:
        history.apply_context(conn)
    else:
        conn.execute(text(f"SELECT {history.PG_CONTEXT_SQL}"), history.pg_context_params())


@contextmanager
def translate_errors(db: Database) -> Iterator[None]:
    """Driver errors of ``db``'s transactions as :class:`DatabaseError` (lock waits: :class:`DatabaseBusy`):
    those SQLAlchemy wraps, and those of the driver itself (bulk inserts talk to it directly)."""
    try:
        yield
    except DBAPIError as exc:
        raise user_error(db, exc) from exc
    except Exception as exc:
        if is_driver_error(exc):
            raise user_error(db, exc) from exc
        raise


def is_driver_error(exc: BaseException) -> bool:
    """Whether ``exc`` comes from a database driver (sqlite3, psycopg), wrapped by SQLAlchemy or not."""
    if isinstance(exc, DBAPIError | sqlite3.Error):
        return True
    psycopg = sys.modules.get("psycopg")  # never imported here: a SQLite user need not have it
    return psycopg is not None and isinstance(exc, psycopg.Error)


def _is_lock_error(exc: BaseException) -> bool:
    msg = str(getattr(exc, "orig", exc)).lower()
    return any(
        s in msg
        for s in ("database is locked", "database table is locked", "lock timeout", "canceling statement due to lock")
    )


def user_error(db: Database, exc: BaseException) -> DatabaseError:
    """The driver's error ``exc`` as a one-line message about ``db`` naming its cause, without any password."""
    if _is_lock_error(exc):
        return DatabaseBusy(
            f"database {db.display} is busy: another process held it for more than "
            f"{db.busy_timeout:g} s (set TRACKER_BUSY_TIMEOUT to wait longer)"
        )
    detail = driver_detail(db.url, exc)
    state = getattr(getattr(exc, "orig", exc), "sqlstate", None)
    hint = _HINTS.get(state or "", "")
    if not hint and "disk is full" in detail.lower():
        hint = _HINTS["53100"]
    return DatabaseError(f"database {db.display}: {detail}{hint}")


_HINTS = {
    "42501": " (the database role lacks a privilege this command needs; ask the database's owner)",
    "57014": " (the server's statement_timeout cut it short; set a longer one for this role or session)",
    "53100": " (no space left for the database; free some and try again)",
    "53200": " (the server ran out of memory)",
}
"""What to do about a driver error, by SQLSTATE (a message naming the cause is the driver's own)."""


def driver_detail(url: URL, exc: BaseException) -> str:
    """The first line of a driver's message, without any password."""
    text_ = str(getattr(exc, "orig", None) or exc).strip()
    detail = text_.splitlines()[0] if text_ else type(exc).__name__
    return scrub(detail, url)


MAX_BUSY_TIMEOUT = 7 * 24 * 3600.0
"""A week: far beyond any wait worth having, and within what SQLite and PostgreSQL take (2^31 ms)."""


def busy_timeout_from_env() -> float:
    """``TRACKER_BUSY_TIMEOUT`` in seconds (default 30)."""
    raw = os.environ.get("TRACKER_BUSY_TIMEOUT")
    if not raw:
        return DEFAULT_BUSY_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise DatabaseError(f"TRACKER_BUSY_TIMEOUT {raw!r}: not a number of seconds") from None
    return checked_busy_timeout(value, f"TRACKER_BUSY_TIMEOUT {raw!r}")


def checked_busy_timeout(value: float, what: str = "busy timeout") -> float:
    """``value`` if it is a number of seconds from 0 to :data:`MAX_BUSY_TIMEOUT` (not inf, not nan)."""
    if not math.isfinite(value):
        raise DatabaseError(f"{what}: not a finite number of seconds")
    if value < 0:
        raise DatabaseError(f"{what}: must not be negative")
    if value > MAX_BUSY_TIMEOUT:
        raise DatabaseError(f"{what}: more than {MAX_BUSY_TIMEOUT:g} s (a week); give a shorter wait")
    return value


def make_engine(url: URL, busy_timeout: float, read_only: str | None = None) -> Engine:
    """An engine for a SQLite or PostgreSQL URL, its connections set up as described above (no connection
    is made yet). ``read_only``: a SQLite file opened read-only, with these URI parameters (``mode=ro``,
    and ``immutable=1`` in a folder where SQLite cannot make its ``-wal`` and ``-shm`` files)."""
    backend = url.get_backend_name()
    if backend == "sqlite" and read_only is not None:
        uri = url.set(database=f"file:{quote(url.database or '')}?{read_only}", query={"uri": "true"})
        engine = create_engine(uri, connect_args={"timeout": busy_timeout, "check_same_thread": False})
        _install_sqlite_events(engine, busy_timeout, wal=False)
    elif backend == "sqlite":
        engine = create_engine(url, connect_args={"timeout": busy_timeout, "check_same_thread": False})
        _install_sqlite_events(engine, busy_timeout)
    elif backend == "postgresql":
        try:
            engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        except Exception as exc:  # missing driver and the like
            raise DatabaseError(f"cannot open {mask(url)}: {scrub(str(exc), url)}") from exc
        _install_pg_events(engine, busy_timeout)
        if not os.environ.get("TRACKER_DEBUG"):
            # psycopg logs the end of a failed pipeline as a warning of its own ("error ignored terminating
            # <psycopg.Pipeline ...>"), a second line beside the one error message: the error says it all
            logging.getLogger("psycopg").addHandler(logging.NullHandler())
    else:
        raise DatabaseError(f"database {mask(url)}: only SQLite and PostgreSQL are supported")
    return engine


def _install_sqlite_events(engine: Engine, busy_timeout: float, wal: bool = True) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cur.execute("PRAGMA foreign_keys = ON")
        if wal:  # a write: a read-only file keeps the journal it has
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
