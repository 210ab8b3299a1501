"""Opening the deal database: a SQLite file path or any SQLAlchemy URL, pragmas, migrations.

- A plain path (or ``sqlite:///`` URL) is SQLite: WAL, foreign keys on, a busy timeout, and a new file
  created readable by its owner only (0600).
- ``postgresql://`` and ``postgresql+psycopg://`` URLs use psycopg 3; the lock timeout plays the busy
  timeout's part.
- The schema is versioned with Alembic. Opening an up-to-date database costs one query and never
  imports Alembic; an older one is upgraded in place, after a backup copy of a SQLite file.
- Write transactions on SQLite begin with ``BEGIN IMMEDIATE`` so a writer waits for the lock up front
  (busy timeout) instead of failing half-way with "database is locked". On PostgreSQL a write
  transaction first takes a transaction-level advisory lock, so writers take turns there too (two
  imports naming the same new organisation would otherwise collide on its unique key); the wait is
  bounded by ``lock_timeout`` (the busy timeout).
- Creating or upgrading the schema happens under that same write lock, and the schema version is read
  again once the lock is held: two processes opening a new or old database at once create, seed or
  upgrade it once.
- Passwords never reach a message: URLs are shown with ``***`` (:func:`mask`) and driver messages are
  scrubbed of the password (:func:`scrub`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.engine.url import quote
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from tracker.core.domain.errors import TrackerError
from tracker.migrations import HEAD

DEFAULT_BUSY_TIMEOUT = 30.0
APP_NAME = "tracker"
PG_WRITE_LOCK = 0x7472_6B72  # "trkr": the advisory lock every PostgreSQL write transaction takes


class DatabaseError(TrackerError):
    """A database that cannot be opened or written; the message is meant for the user."""


class DatabaseBusy(DatabaseError):
    """Another process held the write lock for longer than the busy timeout."""


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "tracker.db"


def resolve_url(target: str | os.PathLike[str] | None) -> URL:
    """A path or URL (or ``TRACKER_DB``, or the default file) as a SQLAlchemy URL."""
    raw = os.fspath(target) if target is not None else os.environ.get("TRACKER_DB") or None
    if raw is None:
        return URL.create("sqlite", database=str(default_path()))
    if "://" not in raw:
        return URL.create("sqlite", database=str(Path(raw).expanduser().absolute()))
    try:
        url = make_url(raw)
        url.port  # noqa: B018 - a port that is not a number raises ValueError here
    except (ArgumentError, ValueError) as exc:
        raise DatabaseError(f"--db {mask(raw)!r}: not a file path or a database URL") from exc
    if url.host and "@" in url.host:
        raise DatabaseError(f"--db {mask(raw)!r}: the user name or password contains '@'; write it as %40 in a URL")
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


# scheme://user:password@ ... up to the last '@' (a password may hold '@', '/', ':'), so a URL that
# SQLAlchemy cannot parse, or parses wrongly, is still shown without its password.
_USERINFO = re.compile(r"(?P<head>\b[A-Za-z][\w+.-]*://[^:/?#@\s]*:)(?P<password>\S*)@")


def mask(url: str | URL) -> str:
    """A URL (or any text holding URLs) with every password replaced by ***, for every message and log."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    return _USERINFO.sub(lambda m: f"{m['head']}***@", url)


def scrub(message: str, url: URL | None) -> str:
    """A message (from a driver, say) with URLs masked and the password of ``url`` removed wherever it appears."""
    message = mask(message)
    password = url.password if url is not None else None
    if password:
        for form in {str(password), quote(str(password))}:
            message = message.replace(form, "***")
    return message


@dataclass
class Database:
    engine: Engine
    url: URL
    created: bool = False
    upgraded_from: str | None = None
    backup: Path | None = None
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    _org_cache: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def display(self) -> str:
        if self.is_sqlite:
            return self.url.database or ":memory:"
        return mask(self.url)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with translate_errors(self), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A read transaction that sees one consistent state of the whole database (for copies)."""
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
        self.engine.dispose()


def _take_write_lock(db: Database, conn: Connection) -> None:
    """SQLite took it with BEGIN IMMEDIATE; PostgreSQL takes an advisory lock held until commit."""
    if not db.is_sqlite:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})


@contextmanager
def translate_errors(db: Database) -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        raise _user_error(db, exc) from exc
    except DBAPIError as exc:
        if _is_lock_error(exc):
            raise _user_error(db, exc) from exc
        raise


def _is_lock_error(exc: BaseException) -> bool:
    msg = str(getattr(exc, "orig", exc)).lower()
    return any(
        s in msg
        for s in ("database is locked", "database table is locked", "lock timeout", "canceling statement due to lock")
    )


def _user_error(db: Database, exc: DBAPIError) -> DatabaseError:
    if _is_lock_error(exc):
        return DatabaseBusy(
            f"database {db.display} is busy: another process held it for more than "
            f"{db.busy_timeout:g} s (set TRACKER_BUSY_TIMEOUT to wait longer)"
        )
    return DatabaseError(f"database {db.display}: {_detail(db.url, exc)}")


def _detail(url: URL, exc: BaseException) -> str:
    """The first line of a driver's message, without any password."""
    text_ = str(getattr(exc, "orig", None) or exc).strip()
    detail = text_.splitlines()[0] if text_ else type(exc).__name__
    return scrub(detail, url)


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


def busy_timeout_from_env() -> float:
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


def open_database(
    target: str | os.PathLike[str] | None = None,
    *,
    populate: Callable[[Database], object] | None = None,
    busy_timeout: float | None = None,
    migrate: bool = True,
) -> Database:
    """Open (creating if new, upgrading if old) the database at ``target``.

    ``populate`` fills a database this call created (the CLI and the app pass the seed loader)."""
    url = resolve_url(target)
    timeout = busy_timeout_from_env() if busy_timeout is None else busy_timeout
    backend = url.get_backend_name()
    created_file = False
    if backend == "sqlite":
        path = url.database
        if path and path != ":memory:":
            p = Path(path)
            if not p.exists():
                try:
                    p.parent.mkdir(parents=True, exist_ok=True)
                    os.close(os.open(p, os.O_CREAT | os.O_WRONLY, 0o600))
                except OSError as exc:
                    raise DatabaseError(f"cannot create database {path}: {exc.strerror}") from exc
                created_file = True
            elif p.is_dir():
                raise DatabaseError(f"database {path}: is a directory")
        engine = create_engine(url, connect_args={"timeout": timeout, "check_same_thread": False})
        _install_sqlite_events(engine, timeout)
    elif backend == "postgresql":
        try:
            engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        except Exception as exc:  # missing driver and the like
            raise DatabaseError(f"cannot open {mask(url)}: {scrub(str(exc), url)}") from exc
        _install_pg_events(engine, timeout)
    else:
        raise DatabaseError(f"database {mask(url)}: only SQLite and PostgreSQL are supported")
    db = Database(engine=engine, url=url, busy_timeout=timeout)
    try:
        current = _current_revision(db)
        if current == HEAD:
            return db  # the fast path: one query, no Alembic
        if current is None and not _is_empty(db):
            raise DatabaseError(f"database {db.display}: not a tracker database (it has other tables)")
        if current is not None and not migrate:
            raise DatabaseError(
                f"database {db.display}: schema {current} is older than {HEAD}; run any command to upgrade"
            )
        if current is not None and db.is_sqlite and url.database and url.database != ":memory:":
            db.backup = backup_sqlite(Path(url.database), current)
        found = _upgrade(db)
    except BaseException:
        engine.dispose()
        if created_file:
            _remove_sqlite_files(Path(url.database or ""))
        raise
    if found is None:
        db.created = True
        if populate is not None:
            populate(db)
    elif found != HEAD:
        db.upgraded_from = found
    return db


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _current_revision(db: Database, conn: Connection | None = None) -> str | None:
    """The schema version, or None for a database without one; the first connection, so every failure
    (refused connection, bad password, missing database) becomes a one-line message without a password."""
    if conn is not None:
        return _read_revision(conn)
    try:
        with db.engine.connect() as c:
            return _read_revision(c)
    except DBAPIError as exc:
        raise _user_error(db, exc) from exc
    except (ValueError, TypeError, OSError) as exc:  # a driver refusing its connection arguments
        raise DatabaseError(f"database {db.display}: {_detail(db.url, exc)}") from exc


def _read_revision(conn: Connection) -> str | None:
    from sqlalchemy import inspect

    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _is_empty(db: Database) -> bool:
    from sqlalchemy import inspect

    with db.engine.connect() as conn:
        return not inspect(conn).get_table_names()


def _upgrade(db: Database) -> str | None:
    """Create or upgrade the schema in one write transaction; returns the version found once the write
    lock was held (None: this process created the schema), since another process may have done it."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "tracker:migrations")
    with db.write() as conn:
        found = _current_revision(db, conn)
        if found != HEAD:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    return found


def backup_sqlite(path: Path, revision: str) -> Path:
    """A consistent copy of a SQLite file beside it, made with SQLite's backup API."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = path.with_name(f"{path.name}.{revision}-{stamp}.bak")
    src = sqlite3.connect(path)
    try:
        fd = os.open(dest, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    return dest


# ---------------------------------------------------------------------------------------------
# Copying a whole database (tracker copy --to URL): SQLite -> PostgreSQL and every other way round

COPY_BATCH = 5000
TABLE_LABELS = {
    "deal": "deals",
    "organization": "organisations",
    "org_alias": "aliases",
    "alliance": "alliances",
    "alliance_member": "alliance members",
    "alliance_deal": "alliance deals",
    "deal_link": "deal links",
    "fx_rate": "FX rates",
}


def _raw_type(column: Any) -> Any:
    """The stored type of a column: a TypeDecorator's implementation, so values are copied untouched."""
    from sqlalchemy.types import TypeDecorator

    t = column.type
    return t.impl_instance if isinstance(t, TypeDecorator) else t


def same_database(a: Database, b: Database) -> bool:
    if a.is_sqlite and b.is_sqlite:
        pa, pb = a.url.database or "", b.url.database or ""
        if ":memory:" in (pa, pb) or not pa or not pb:
            return False
        try:
            return Path(pa).resolve() == Path(pb).resolve() or (Path(pb).exists() and os.path.samefile(pa, pb))
        except OSError:
            return False
    if a.is_sqlite or b.is_sqlite:
        return False
    return (a.url.host, a.url.port or 5432, a.url.database) == (b.url.host, b.url.port or 5432, b.url.database)


def row_counts(conn: Connection) -> dict[str, int]:
    """Rows in every table of the schema, by table name."""
    from sqlalchemy import func, select

    from tracker.core.storage.tables import SQLModel

    return {
        t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
        for t in SQLModel.metadata.sorted_tables
        if not t.info.get("derived")  # the running sums: kept by triggers, not data of their own
    }


def _by_label(item: tuple[str, int]) -> int:
    names = list(TABLE_LABELS)
    return names.index(item[0]) if item[0] in names else len(names)


def copy_database(source: Database, target: Database, progress: Any = None) -> dict[str, int]:
    """Copy every row of every table from ``source`` into the empty ``target``, ids preserved.

    The source is read in one consistent snapshot; the target is written in one transaction (all or
    nothing). PostgreSQL sequences are moved past the copied ids. Returns rows copied per table.
    """
    from sqlalchemy import bindparam, column, select, table, update

    from tracker.core.storage.sums import TriggersOff, rebuild
    from tracker.core.storage.tables import SQLModel

    if same_database(source, target):
        raise DatabaseError(f"cannot copy {source.display} onto itself")
    counts: dict[str, int] = {}
    with source.snapshot() as src, target.write() as dst:
        held = {name: n for name, n in row_counts(dst).items() if n}
        if held:
            what = ", ".join(f"{n} {TABLE_LABELS.get(name, name)}" for name, n in sorted(held.items(), key=_by_label))
            raise DatabaseError(
                f"{target.display} is not empty (it holds {what}); copy only into an empty database "
                f"(a new file, or a new PostgreSQL database)"
            )
        # the running sums are summed again once at the end, not copied (nor kept row by row by triggers)
        triggers = TriggersOff(dst)
        triggers.__enter__()
        for tbl in SQLModel.metadata.sorted_tables:
            if tbl.info.get("derived"):
                continue
            names = [c.name for c in tbl.columns]
            raw_cols = [column(c.name, _raw_type(c)) for c in tbl.columns]
            raw_table = table(tbl.name, *raw_cols)
            # columns pointing at the same table (an organisation's parent) are set once every row exists
            self_refs = [c.name for c in tbl.columns if any(fk.column.table is tbl for fk in c.foreign_keys)]
            later: list[dict[str, Any]] = []
            pk = [c.name for c in tbl.primary_key.columns]
            stmt = select(*raw_cols).select_from(raw_table).order_by(*[raw_table.c[k] for k in pk])
            n = 0
            batch: list[tuple[Any, ...]] = []
            for row in src.execution_options(yield_per=COPY_BATCH).execute(stmt):
                values = tuple(row)
                if self_refs:
                    refs = {c: values[names.index(c)] for c in self_refs}
                    if any(v is not None for v in refs.values()):
                        later.append({**{f"k_{k}": values[names.index(k)] for k in pk}, **refs})
                        values = tuple(None if names[i] in self_refs else v for i, v in enumerate(values))
                batch.append(values)
                if len(batch) >= COPY_BATCH:
                    n += _insert_rows(target, dst, raw_table, names, batch)
                    if progress is not None:
                        progress(tbl.name, n)
            n += _insert_rows(target, dst, raw_table, names, batch)
            if later:
                up = update(raw_table).where(*[raw_table.c[k] == bindparam(f"k_{k}") for k in pk])
                up = up.values({c: bindparam(f"v_{c}") for c in self_refs})
                dst.execute(up, [{**{k: v for k, v in r.items() if k.startswith("k_")},
                                  **{f"v_{c}": r[c] for c in self_refs}} for r in later])  # fmt: skip
            counts[tbl.name] = n
        rebuild(dst)
        triggers.__exit__(None, None, None)
        if not target.is_sqlite:
            for tbl in SQLModel.metadata.sorted_tables:
                if "id" in tbl.c and tbl.c.id.primary_key and tbl.c.id.autoincrement in (True, "auto"):
                    dst.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{tbl.name}', 'id'), "
                        f"COALESCE((SELECT max(id) FROM {tbl.name}), 0) + 1, false)"
                    )
        dst.exec_driver_sql("ANALYZE")
    target._org_cache.clear()
    return counts


def _insert_rows(db: Database, conn: Connection, raw_table: Any, names: list[str], rows: list[tuple[Any, ...]]) -> int:
    if not rows:
        return 0
    n = len(rows)
    if db.is_sqlite:
        marks = ", ".join("?" for _ in names)
        stored = [tuple(v.isoformat() if isinstance(v, dt.date) else v for v in r) for r in rows]
        conn.exec_driver_sql(f"INSERT INTO {raw_table.name} ({', '.join(names)}) VALUES ({marks})", stored)
    else:
        dbapi = conn.connection.driver_connection
        with dbapi.cursor() as cur, cur.copy(f"COPY {raw_table.name} ({', '.join(names)}) FROM STDIN") as cp:  # type: ignore[union-attr]
            for r in rows:
                cp.write_row(r)
    rows.clear()
    return n
