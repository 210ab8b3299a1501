"""Opening a database never loses or touches what it should not (issue 17: 6, 7, 12, 16, 19).

- A new database is created whole by one process, and a creator that fails (busy, Ctrl-C, a broken seed)
  never removes a file another process has committed into (6); a first run killed between schema and
  seed leaves nothing that a later run would take for a finished database (7).
- An in-memory or empty target is refused: nothing would be kept (12).
- A SQLite file that is not a tracker database is left byte-identical: no WAL switch, no ``.bak``, no
  ``-wal``/``-shm`` beside it (16).
- Storage failures a user meets are one line naming the cause, exit 1, nothing written (19): a PostgreSQL
  role without CREATE or without INSERT, a full disk, ``statement_timeout``, a busy timeout of
  ``inf``/``nan``/``1e308``/``1e10``, another application's ``alembic_version``, files the user may not
  write.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.support.processes import (
    PG_URL,
    WORKER,
    finish,
    no_traceback,
    pg_admin,
    reset_pg_schema,
    run_tracker,
    sqlite_value,
    start_tracker,
    tracker_env,
    write_deals_csv,
)

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
ADD = ("add", "--kind", "investment", "--from", "Nvidia", "--to", "New Co", "--date", "2025-01-02")


@pytest.fixture(params=BACKENDS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "tracker.db")


def _one_line_error(result: object, *needles: str) -> None:
    code, err = result.code, result.err
    assert code == 1, err
    no_traceback(err)
    assert err.count("\n") == 1, err  # one line
    assert err.startswith("tracker: "), err
    for needle in needles:
        assert needle in err, err


def _folder_state(folder: Path) -> dict[str, str]:
    """Every file of ``folder`` (hidden ones too) with a digest of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


# --------------------------------------------------------------------------------------------------------
# 6 and 7: creating a new database

CREATOR = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from tracker.core.csvio.seed import load_seed
    from tracker.core.storage.errors import DatabaseBusy
    from tracker.core.storage.opening import open_database

    target, gate, how = sys.argv[1], Path(sys.argv[2]), sys.argv[3]

    def populate(db):
        load_seed(db)  # the schema is made, and the seed written: only the end is missing
        (gate / "building").touch()
        deadline = time.monotonic() + 60
        while not (gate / "go").exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        if how == "interrupt":
            raise KeyboardInterrupt
        if how == "busy":
            raise DatabaseBusy("database is busy")
        time.sleep(600)  # "kill": killed here

    open_database(target, populate=populate)
    """
)


def _start_creator(target: str, gate: Path, how: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CREATOR, target, str(gate), how], cwd=cwd, env=tracker_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def _wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not path.exists():
        if proc.poll() is not None:
            pytest.fail(f"the creator ended first: {proc.communicate()[1]}")
        assert time.monotonic() < deadline, "the creator never got to its seed"
        time.sleep(0.02)


def _deals(target: str) -> list[tuple[object, ...]]:
    engine = create_engine(target if "://" in target else f"sqlite:///{target}")
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text("SELECT id, ref FROM deal ORDER BY id"))]
    finally:
        engine.dispose()


@pytest.mark.parametrize("how", ["interrupt", "busy"])
def test_a_creator_that_fails_never_removes_what_another_process_committed(
    target: str, tmp_path: Path, how: str
) -> None:
    """The creator is building the new database when another process creates it and commits an ``add``
    into it; then the creator fails (Ctrl-C, busy). The other process's deal stays, and so does its file.
    (On PostgreSQL the creator builds in place under the write lock: the other waits, then creates.)"""
    gate = tmp_path / "gate"
    gate.mkdir()
    creator = _start_creator(target, gate, how, tmp_path)
    _wait_for(gate / "building", creator)
    other = start_tracker(target, *ADD)  # meanwhile, another process creates the database and adds a deal
    if "://" not in target:
        added = finish(other)
        (gate / "go").touch()
    else:
        time.sleep(2)  # let it reach the write lock (it would go after the creator anyway)
        (gate / "go").touch()
        added = finish(other)
    assert added.code == 0, added.err
    assert added.out.startswith("added deal ")
    new_id = int(added.out.split()[2])  # 9 on SQLite; on PostgreSQL past the ids the failed creator drew
    _out, err = creator.communicate(timeout=120)
    assert creator.returncode != 0, err  # the creator failed ...
    after = _deals(target)
    assert len(after) == 9 and after[-1][0] == new_id  # ... and the committed deal is still there
    listed = run_tracker(target, "list", "--format", "json")
    assert listed.code == 0 and "New Co" in listed.out, listed.err
    if "://" not in target:  # the creator's temporary file went with it; nothing else was removed
        assert sorted(p.name for p in Path(target).parent.iterdir() if p.name.endswith(".new")) == []
        assert Path(target).exists()


def test_many_first_runs_at_once_lose_no_committed_add(tmp_path: Path) -> None:
    """The issue's race, as it was found: first runs on a new file, some of them failing (busy, at once),
    none ever removing a file another committed into (3 of 40 runs lost an ``add``)."""
    for round_ in range(8):
        target = str(tmp_path / f"race-{round_}.db")
        procs = [
            start_tracker(target, "add", "--kind", "investment", "--from", f"Co {round_}-{i}", "--to", "Nvidia",
                          "--date", "2025-01-02", env=tracker_env(TRACKER_BUSY_TIMEOUT="0" if i % 2 else "30"))
            for i in range(4)
        ]  # fmt: skip
        results = [finish(p) for p in procs]
        committed = [r for r in results if r.code == 0]
        assert committed, [r.err for r in results]
        for r in results:
            no_traceback(r.err)
        ids = {int(r.out.split()[2]) for r in committed}
        stored = {deal_id for deal_id, _ref in _deals(target)}
        assert len(stored) == 8 + len(committed)  # every committed add is there, once
        assert ids <= stored
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".new")) == []


@pytest.mark.parametrize("where", ["new file", "empty file", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_first_run_killed_between_schema_and_seed_is_finished_by_the_next(tmp_path: Path, where: str) -> None:
    """Killed (SIGKILL) after the schema was made and the seed written, before the end: the next run finds
    no database, or an empty one, and creates and seeds it; nothing says "no deals"."""
    if where == "postgresql":
        if not PG_URL:
            pytest.skip("TRACKER_TEST_POSTGRES_URL is not set")
        target = reset_pg_schema(PG_URL)
    else:
        target = str(tmp_path / "data" / "first.db")
        Path(target).parent.mkdir()
        if where == "empty file":
            Path(target).touch()
    gate = tmp_path / "gate"
    gate.mkdir()
    creator = _start_creator(target, gate, "kill", tmp_path)
    _wait_for(gate / "building", creator)
    creator.send_signal(signal.SIGKILL)
    creator.communicate(timeout=60)
    assert creator.returncode == -signal.SIGKILL
    if where == "new file":
        assert not Path(target).exists()  # never linked into place
    elif where == "empty file":
        assert sqlite_value(target, "SELECT count(*) FROM sqlite_master") == 0  # rolled back: still empty
    else:
        engine = create_engine(target)
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []
        engine.dispose()
    first = run_tracker(target, "list", "--format", "json")
    assert first.code == 0, first.err
    assert "created" in first.err and "with the article's seed" in first.err
    assert first.out.count('"id"') == 8
    rates = run_tracker(target, "fx", "list")
    assert rates.code == 0 and "CNY" in rates.out, rates.err
    if where == "new file":  # the killed creator's temporary file was removed by the next creator
        assert sorted(p.name for p in Path(target).parent.iterdir()) == ["first.db"]


# --------------------------------------------------------------------------------------------------------
# 12: in-memory and empty targets


@pytest.mark.parametrize(
    "spelled",
    ["sqlite://", "sqlite:///", ":memory:", "", "  ", "sqlite:///:memory:", "sqlite:///file:x?mode=memory&uri=true"],
)
def test_an_in_memory_or_empty_target_is_refused(tmp_path: Path, spelled: str) -> None:
    for args in (ADD, ("list",)):
        result = subprocess.run([sys.executable, "-m", "tracker", "--db", spelled, *args], cwd=tmp_path,
                                env=tracker_env(), capture_output=True, text=True, timeout=120)  # fmt: skip
        assert result.returncode == 1, (result.stdout, result.stderr)
        assert result.stdout == ""  # no "added deal 9"
        no_traceback(result.stderr)
        assert result.stderr.count("\n") == 1
        assert "in-memory" in result.stderr or "empty database path" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no file named ":memory:" either


def test_a_server_url_without_a_database_name_is_refused() -> None:
    result = run_tracker("postgresql+psycopg://me@127.0.0.1:1/", "list")
    _one_line_error(result, "no database name")


# --------------------------------------------------------------------------------------------------------
# 16: a file that is not ours is left byte-identical


def _foreign(path: Path, kind: str) -> None:
    if kind == "not sqlite":
        path.write_bytes(b"id,name\n1,not a database at all\n" * 100)
        return
    con = sqlite3.connect(path)
    if kind.endswith("wal"):
        con.execute("PRAGMA journal_mode = WAL")
    if kind.startswith("alembic"):  # another application that versions its schema with Alembic too
        version = "0099" if kind.startswith("alembic newer") else "ae1027a6acf"
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        con.execute("INSERT INTO alembic_version VALUES (?)", (version,))
    con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO users (name) VALUES ('someone else''s data')")
    con.commit()
    con.close()


@pytest.mark.parametrize(
    "kind", ["other tables", "other tables, wal", "alembic other app", "alembic newer tracker", "not sqlite"]
)
def test_a_sqlite_file_that_is_not_ours_is_left_byte_identical(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir()
    path = folder / "app.db"
    _foreign(path, kind)
    before = _folder_state(folder)
    header = path.read_bytes()[:100]
    for args in (("list",), ADD, ("import", str(write_deals_csv(tmp_path / "a.csv", 3, "a")))):
        result = run_tracker(str(path), *args)
        expected = {"not sqlite": "not a SQLite database", "alembic newer tracker": "is newer than this tracker"}
        _one_line_error(result, expected.get(kind, "not a tracker database"), "left untouched")
        assert _folder_state(folder) == before  # the same bytes; no .bak, no -wal, no -shm beside it
    if kind != "not sqlite":
        assert path.read_bytes()[18:20] == header[18:20]  # its journal mode (1: rollback, 2: WAL) unchanged


@pytest.mark.postgres
def test_another_applications_alembic_version_on_postgresql_is_refused_and_left_alone(pg_url: str) -> None:
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('ae1027a6acf')"))
    try:
        for args in (("list",), ADD):
            _one_line_error(run_tracker(pg_url, *args), "not a tracker database", "'ae1027a6acf'")
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == ["alembic_version"]
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "ae1027a6acf"
    finally:
        engine.dispose()


# --------------------------------------------------------------------------------------------------------
# 19: storage failures, each one line, nothing written


@pytest.mark.parametrize("value", ["inf", "nan", "1e308", "1e10", "-inf"])
def test_an_out_of_range_busy_timeout_is_one_line(target: str, value: str) -> None:
    result = run_tracker(target, *ADD, env=tracker_env(TRACKER_BUSY_TIMEOUT=value))
    _one_line_error(result, f"TRACKER_BUSY_TIMEOUT {value!r}")
    if "://" not in target:
        assert not Path(target).exists()


@pytest.fixture
def limited_role(pg_url: str) -> Iterator[str]:
    """A login role on the test database with USAGE on its schema and nothing else (yet)."""
    from sqlalchemy.engine import make_url

    name = f"tracker_t3_limited{WORKER}"
    url = make_url(pg_url)
    if _role_exists(name):  # left by an earlier run that did not finish
        pg_admin(f"DROP OWNED BY {name}")
    pg_admin(f"DROP ROLE IF EXISTS {name}")
    pg_admin(f"CREATE ROLE {name} LOGIN")
    pg_admin(f"GRANT CONNECT ON DATABASE {url.database} TO {name}")
    _on(pg_url, f"GRANT USAGE ON SCHEMA public TO {name}")
    yield url.set(username=name, password=None).render_as_string(hide_password=False)
    pg_admin(f"DROP OWNED BY {name}")
    pg_admin(f"DROP ROLE IF EXISTS {name}")


def _role_exists(name: str) -> bool:
    assert PG_URL is not None
    engine = create_engine(PG_URL)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar())
    finally:
        engine.dispose()


def _on(url: str, sql: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def _pg_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            return {t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in sorted(names)}
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_postgresql_role_without_create_gets_one_line_and_no_tables(pg_url: str, limited_role: str) -> None:
    result = run_tracker(limited_role, "list")
    _one_line_error(result, "permission denied for schema public", "lacks a privilege")
    assert _pg_counts(pg_url) == {}


@pytest.mark.postgres
def test_a_postgresql_role_without_insert_gets_one_line_and_nothing_written(
    pg_url: str, limited_role: str, tmp_path: Path
) -> None:
    assert run_tracker(pg_url, "list", "--limit", "1").code == 0  # made and seeded by the owner
    _on(pg_url, f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO tracker_t3_limited{WORKER}")
    before = _pg_counts(pg_url)
    listed = run_tracker(limited_role, "list", "--format", "json")
    assert listed.code == 0, listed.err  # reading is allowed
    csv_file = write_deals_csv(tmp_path / "a.csv", 200, "a")
    for args in (ADD, ("add", "--kind", "investment", "--from", "Brand New", "--to", "Nvidia", "--date", "2025"),
                 ("import", str(csv_file)), ("fx", "set", "EUR", "1.1")):  # fmt: skip
        # a role that may read but not insert is a read-only database (issue 13): said before anything is tried
        _one_line_error(run_tracker(limited_role, *args), "the database is read-only")
        assert _pg_counts(pg_url) == before


@pytest.mark.postgres
def test_a_statement_timeout_is_one_line_and_nothing_written(pg_url: str, tmp_path: Path) -> None:
    """The import's writes wait on a lock another session holds on the deals (an ``ALTER`` or a ``LOCK``
    by an administrator) until the server's ``statement_timeout`` cancels them: however fast the import."""
    assert run_tracker(pg_url, "list", "--limit", "1").code == 0
    before = _pg_counts(pg_url)
    csv_file = write_deals_csv(tmp_path / "a.csv", 2_000, "a", orgs=500)
    engine = create_engine(pg_url)
    try:
        with engine.connect() as holder, holder.begin():
            holder.execute(text("LOCK TABLE deal IN EXCLUSIVE MODE"))  # reads go on, writes wait
            for ms in (50, 300):
                env = tracker_env(PGOPTIONS=f"-c statement_timeout={ms}")
                result = run_tracker(pg_url, "import", str(csv_file), env=env)
                _one_line_error(result, "statement timeout", "statement_timeout")
    finally:
        engine.dispose()
    assert _pg_counts(pg_url) == before


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 3 MiB tmpfs (root only, as in CI)."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-full-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a small tmpfs: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        folder.rmdir()


def test_a_full_disk_while_writing_the_database_is_one_line_and_nothing_written(
    small_disk: Path, tmp_path: Path
) -> None:
    """Row by row into a seeded database, and the bulk load into an empty one (the driver's own
    executemany, below SQLAlchemy)."""
    for name, empty, rows in (("seeded.db", False, 20_000), ("empty.db", True, 60_000)):
        db = small_disk / name
        assert run_tracker(str(db), "list", "--limit", "1", empty=empty).code == 0
        before = sqlite_value(db, "SELECT count(*) FROM deal")
        result = run_tracker(str(db), "import", str(write_deals_csv(tmp_path / f"{rows}.csv", rows, "f")))
        _one_line_error(result, "database or disk is full", "no space left")
        assert sqlite_value(db, "SELECT count(*) FROM deal") == before
        assert sqlite_value(db, "PRAGMA integrity_check") == "ok"


def test_a_full_disk_while_creating_names_the_database_and_leaves_nothing(small_disk: Path) -> None:
    filler = small_disk / "filler"
    # leave about 60 KB: too little for a new seeded database
    with open(filler, "wb") as f, contextlib.suppress(OSError):
        f.write(b"\0" * (3 * 1024 * 1024 - 60 * 1024))
    db = small_disk / "new.db"
    result = run_tracker(str(db), "list")
    _one_line_error(result, f"database {db}: database or disk is full")
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]  # no half file, no temporary file


def _as_nobody() -> list[str]:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run as another user")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_a_database_the_user_may_not_write_is_one_line_and_unchanged(tmp_path: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tracker-perm-"))
    try:
        os.chmod(folder, 0o755)
        db = folder / "deals.db"
        assert run_tracker(str(db), "list", "--limit", "1").code == 0
        os.chmod(db, 0o644)  # readable by everyone, written by its owner only
        before = _folder_state(folder)
        env = {**tracker_env(), "HOME": str(folder)}
        for args in (("list", "--limit", "1"), ADD):
            proc = subprocess.run([*_as_nobody(), sys.executable, "-m", "tracker", "--db", str(db), *args],
                                  capture_output=True, text=True, env=env, cwd=folder, timeout=120)  # fmt: skip
            if args == ADD or proc.returncode != 0:
                assert proc.returncode == 1, proc.stderr
                no_traceback(proc.stderr)
                assert proc.stderr.count("\n") == 1, proc.stderr
                assert "readonly" in proc.stderr or "read-only" in proc.stderr or "ermission" in proc.stderr
            assert _folder_state(folder) == before
        new = folder / "sub" / "new.db"
        os.mkdir(new.parent, 0o755)
        proc = subprocess.run([*_as_nobody(), sys.executable, "-m", "tracker", "--db", str(new), "list"],
                              capture_output=True, text=True, env=env, cwd=folder, timeout=120)  # fmt: skip
        assert proc.returncode == 1, proc.stderr
        no_traceback(proc.stderr)
        assert f"cannot create database {new}: Permission denied" in proc.stderr
        assert list(new.parent.iterdir()) == []
    finally:
        shutil.rmtree(folder, ignore_errors=True)
