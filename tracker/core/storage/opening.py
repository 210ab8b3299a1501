"""Opening a database: creating a new one whole, upgrading an old one, and the fast path for the rest.

- The schema is versioned with Alembic. Opening an up-to-date database costs one query and never imports
  Alembic; an older one is upgraded in place, after a backup copy of a SQLite file (:func:`backup_sqlite`).
- A new database is either created and populated (``populate``: the CLI and the app pass the seed loader),
  or not created at all. A new SQLite file is built under a temporary name in the same folder, then linked
  into place (``os.link`` fails if the name appeared meanwhile: another process won, and its file is opened
  instead). A database created in place (an empty PostgreSQL schema, an empty SQLite file) gets its schema
  and its contents in one write transaction: a failure leaves no tables.
- Creating or upgrading the schema happens under the write lock, and the schema version is read again once
  the lock is held: two processes opening a new or old database at once create, populate or upgrade it once.
- Look before touching (:mod:`tracker.core.storage.peek`): a SQLite file is read without writing first; one
  that is not a tracker database (other tables, another application's ``alembic_version``, a newer
  tracker's schema, not SQLite at all) is refused and left byte-identical: no WAL switch, no ``.bak``.
- SQLite upgrades run with foreign keys off (set outside the transaction, as SQLite requires): a migration
  that rebuilds a table (0006) would otherwise cascade the drop of its old copy into the tables referring to
  it. Migrations that rebuild check every key before they end.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
import socket
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from tracker.core.storage.errors import DatabaseError, DatabaseReadOnly
from tracker.core.storage.handle import (
    Database,
    busy_timeout_from_env,
    checked_busy_timeout,
    driver_detail,
    make_engine,
    user_error,
)
from tracker.core.storage.peek import Found, peek_sqlite, verdict
from tracker.core.storage.urls import resolve_url
from tracker.migrations import HEAD, REVISIONS

Populate = Callable[[Database], object]


def open_database(
    target: str | os.PathLike[str] | None = None,
    *,
    populate: Populate | None = None,
    busy_timeout: float | None = None,
    migrate: bool = True,
) -> Database:
    """Open (creating if new, upgrading if old) the database at ``target``.

    ``populate`` fills a database this call creates, before any other process can see it; if it fails,
    the database is not created. ``migrate=False`` refuses to upgrade an older schema."""
    url = resolve_url(target)
    timeout = busy_timeout_from_env() if busy_timeout is None else checked_busy_timeout(busy_timeout)
    path = _sqlite_file(url)
    if path is not None and not path.exists():
        return _create_sqlite_file(url, path, timeout, populate, migrate)
    return _open_existing(url, timeout, populate, migrate)


def _sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _open_existing(url: URL, timeout: float, populate: Populate | None, migrate: bool) -> Database:
    """Open the database at ``url`` where it is, creating its schema and contents (one transaction) if it
    has none. Nothing is written to a database that is not ours."""
    path = _sqlite_file(url)
    found = peek_sqlite(path, timeout) if path is not None else None  # before the engine touches the file
    read_only = _read_only_options(path) if path is not None else None
    if found is not None and read_only is not None and found.revision != HEAD:
        what = "it holds no tracker schema" if found.revision is None else f"its schema {found.revision} is older"
        raise DatabaseReadOnly(
            f"{path}: the database is read-only and {what} (tracker {HEAD}): open it once with write permission"
        )
    if found is not None and found.revision == HEAD:
        # the fast path: one read-only look, no Alembic, no connection of the engine yet
        engine = make_engine(url, timeout, read_only)
        return Database(engine=engine, url=url, busy_timeout=timeout, read_only=read_only is not None)
    db = Database(engine=make_engine(url, timeout), url=url, busy_timeout=timeout)
    try:
        if found is None:
            found = _found_on_server(db)
            if found.revision == HEAD:
                db.read_only = not _may_write_on_server(db)
                return db
        current = found.revision
        if current is not None and not migrate:
            raise DatabaseError(
                f"database {db.display}: schema {current} is older than {HEAD}; run any command to upgrade"
            )
        if current is not None and path is not None:
            db.backup = backup_sqlite(path, current)
        with db.write(checked_keys=True) as conn:  # keys off on SQLite: see the module's docstring
            again = _read_revision(conn)
            if again not in (None, *REVISIONS):  # stamped by someone else since the look: not ours after all
                raise DatabaseError(f"database {db.display}: not a tracker database (alembic_version {again!r})")
            if again != HEAD:
                _upgrade_schema(conn)
            if again is None and populate is not None:
                populate(db.holding(conn))  # inside the transaction that made the schema
    except BaseException:
        db.engine.dispose()
        raise
    if again is None:
        db.created = True
    elif again != HEAD:
        db.upgraded_from = again
    return db


def _create_sqlite_file(url: URL, path: Path, timeout: float, populate: Populate | None, migrate: bool) -> Database:
    """Build the new file under a temporary name beside ``path`` (0600), migrate and populate it, then link
    it into place; if ``path`` appeared meanwhile, discard ours and open that one. A failure (a full disk,
    Ctrl-C, a failing seed) removes the temporary file only: never ``path``, which another process may
    hold. Temporary files left by a creator that was killed (its process is gone) are removed first."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(path)
        fd, name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".new", dir=path.parent)  # mode 0600
        os.close(fd)
    except OSError as exc:
        raise DatabaseError(f"cannot create database {url.database}: {exc.strerror}") from exc
    temp = Path(name)
    try:
        aside = url.set(database=name)
        built = Database(engine=make_engine(aside, timeout), url=aside, busy_timeout=timeout)
        try:
            try:
                with built.write(checked_keys=True) as conn:  # keys off on SQLite: see the module's docstring
                    _upgrade_schema(conn)
                if populate is not None:
                    populate(built)
            finally:
                built.dispose()
            _checkpoint(temp)
        except DatabaseError as exc:  # told about the database asked for, not about our temporary name
            raise type(exc)(str(exc).replace(name, str(path))) from exc
        try:
            os.link(temp, path)
            won = True
        except FileExistsError:
            won = False  # another process created it first, whole: ours is discarded, theirs opened
        except OSError as exc:
            raise DatabaseError(f"cannot create database {url.database}: {exc.strerror}") from exc
    finally:
        _remove_sqlite_files(temp)  # our temporary name only: nobody else knows it
    if not won:
        return _open_existing(url, timeout, populate, migrate)
    return Database(engine=make_engine(url, timeout), url=url, busy_timeout=timeout, created=True)


def _temp_prefix(path: Path) -> str:
    """``.NAME.HOST-PID.``: whose temporary file it is, so that one whose creator died can be removed."""
    return f".{path.name}.{socket.gethostname()}-{os.getpid()}."


def _remove_abandoned(path: Path) -> None:
    """Remove the temporary files of creators of ``path`` on this host whose process is gone (killed while
    building the file: what they built was never linked into place, nobody else knows its name)."""
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.{re.escape(socket.gethostname())}-(\d+)\.[^.]+\.new$")
    for entry in path.parent.glob(f".{glob.escape(path.name)}.*.new"):
        m = pattern.match(entry.name)
        if m is None or _alive(int(m.group(1))):
            continue
        _remove_sqlite_files(entry)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def _checkpoint(path: Path) -> None:
    """Every page of a closed SQLite file moved from its write-ahead log into the file itself (the log is
    named after the file, so it would not follow a new name)."""
    try:
        con = sqlite3.connect(path, isolation_level=None)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            con.close()  # the last connection: SQLite deletes the log
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot create database {path}: {exc}") from exc
    if Path(f"{path}-wal").exists():  # still open somewhere: the file alone would lack what the log holds
        raise DatabaseError(f"cannot create database {path}: its write-ahead log could not be emptied")


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _read_only_options(path: Path) -> str | None:
    """None if this user may write the SQLite file at ``path`` (and make its ``-wal`` beside it); otherwise
    the URI options that open it read-only: ``immutable=1`` when SQLite could not make its ``-shm`` in the
    folder and there is no log to read (an archived file), else ``mode=ro``."""
    folder_writable = os.access(path.parent, os.W_OK)
    if os.access(path, os.W_OK) and folder_writable:
        return None
    if not folder_writable and not Path(f"{path}-wal").exists():
        return "immutable=1"
    return "mode=ro"


def _may_write_on_server(db: Database) -> bool:
    """Whether this PostgreSQL role may add deals (a role granted SELECT only opens read-only)."""
    with db.read() as conn:
        return bool(conn.execute(text("SELECT has_table_privilege('deal', 'INSERT')")).scalar())


def _found_on_server(db: Database) -> Found:
    """What a server's database holds; the first connection, so every failure (refused connection, bad
    password, missing database) becomes a one-line message without a password."""
    from sqlalchemy import inspect

    try:
        with db.engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            versions: list[str] = []
            if "alembic_version" in tables:
                versions = [str(v) for v in conn.execute(text("SELECT version_num FROM alembic_version")).scalars()]
    except DBAPIError as exc:
        raise user_error(db, exc) from exc
    except (ValueError, TypeError, OSError) as exc:  # a driver refusing its connection arguments
        raise DatabaseError(f"database {db.display}: {driver_detail(db.url, exc)}") from exc
    return verdict(db.display, tables, versions)


def _read_revision(conn: Connection) -> str | None:
    from sqlalchemy import inspect

    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _upgrade_schema(conn: Connection) -> None:
    """Run every migration still to run, on ``conn`` (inside the caller's write transaction)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "tracker:migrations")
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


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
