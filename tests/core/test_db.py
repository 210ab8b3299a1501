"""Opening databases: creation with the seed (whole or not at all), pragmas, permissions, schema versions,
targets, errors."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.support.processes import tracker_env
from tracker.core.csvio.seed import load_seed
from tracker.core.records.pages import count_deals
from tracker.core.storage.errors import DatabaseError
from tracker.core.storage.handle import Database
from tracker.core.storage.opening import open_database
from tracker.core.storage.target import default_path, sqlite_path
from tracker.core.storage.urls import mask, resolve_url
from tracker.migrations import HEAD


def test_new_sqlite_file_is_seeded_private_and_tuned(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    db = open_database(path, populate=load_seed)
    assert db.created
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with db.read() as conn:
        assert count_deals(conn) == 8
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    db.dispose()
    again = open_database(path, populate=load_seed)
    assert not again.created and again.upgraded_from is None
    again.dispose()


def test_empty_flag_creates_no_seed(tmp_path: Path) -> None:
    db = open_database(tmp_path / "e.db")
    with db.read() as conn:
        assert count_deals(conn) == 0
    db.dispose()


def test_head_constant_matches_the_migration_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", "tracker:migrations")
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD


def test_a_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE something (x)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="not a tracker database"):
        open_database(path, populate=load_seed)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is a directory"):
        open_database(tmp_path, populate=load_seed)


def test_paths_and_urls_resolve_and_passwords_are_masked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_url(str(tmp_path / "a.db")).get_backend_name() == "sqlite"
    url = resolve_url("postgresql://me:s3cret@db.example:5432/deals")
    assert url.drivername == "postgresql+psycopg"
    assert "s3cret" not in mask(url) and "***" in mask(url)
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).database == str(tmp_path / "env.db")


def test_unreachable_server_gives_a_masked_message() -> None:
    with pytest.raises(DatabaseError) as info:
        open_database("postgresql+psycopg://me:s3cret@127.0.0.1:1/deals", populate=load_seed)
    assert "s3cret" not in str(info.value)
    assert "***" in str(info.value)


def test_file_paths_agree_with_the_urls_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The standard-library reading of a target (the first screen's) names the file resolve_url opens."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DB", raising=False)
    for target in ("rel.db", str(tmp_path / "abs.db"), "~/t.db", f"sqlite:///{tmp_path / 'u.db'}", None):
        assert str(sqlite_path(target)) == resolve_url(target).database
    assert sqlite_path(None) == default_path()
    assert sqlite_path("sqlite:///rel.db") == tmp_path / "rel.db"
    monkeypatch.setenv("TRACKER_DB", "env.db")
    assert sqlite_path(None) == tmp_path / "env.db"
    for target in ("postgresql://me:pw@host/db", "sqlite://", "sqlite:///:memory:", "sqlite:///x.db?mode=ro"):
        assert sqlite_path(target) is None


def _failing_seed(db: Database) -> None:
    load_seed(db)
    raise RuntimeError("the seed broke half-way")


def _tables(target: str) -> list[str]:
    engine = create_engine(resolve_url(target))
    try:
        with engine.connect() as conn:
            return inspect(conn).get_table_names()
    finally:
        engine.dispose()


def test_a_failing_populate_creates_nothing_and_the_next_open_creates_it(db_target: str) -> None:
    with pytest.raises(RuntimeError, match="half-way"):
        open_database(db_target, populate=_failing_seed)
    if "://" in db_target:
        assert _tables(db_target) == []  # schema and seed were one transaction: rolled back together
    else:
        folder = Path(db_target).parent
        assert list(folder.iterdir()) == []  # no file, and nothing left of the one built aside
    db = open_database(db_target, populate=load_seed)
    try:
        assert db.created
        with db.read() as conn:
            assert count_deals(conn) == 8
    finally:
        db.dispose()


def test_an_empty_file_gets_its_schema_and_seed_in_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "touched.db"
    path.touch()
    with pytest.raises(RuntimeError, match="half-way"):
        open_database(path, populate=_failing_seed)
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT name FROM sqlite_master").fetchall() == []
    finally:
        con.close()
    db = open_database(path, populate=load_seed)
    try:
        assert db.created
        with db.read() as conn:
            assert count_deals(conn) == 8
    finally:
        db.dispose()


CREATE_AT_ONCE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tracker.core.csvio.seed import load_seed
    from tracker.core.records.pages import count_deals
    from tracker.core.storage.opening import open_database

    target, gate, me = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

    def populate(db):
        (gate / me).touch()  # this process is building the new file
        deadline = time.monotonic() + 60
        while len(list(gate.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)  # until the other one is building it too
        load_seed(db)

    db = open_database(target, populate=populate)
    with db.read() as conn:
        print(count_deals(conn), db.created)
    db.dispose()
    """
)


def test_two_processes_creating_one_new_file_both_open_one_populated_database(tmp_path: Path) -> None:
    folder, gate = tmp_path / "data", tmp_path / "gate"
    gate.mkdir()
    target = folder / "new.db"
    procs = [
        subprocess.Popen([sys.executable, "-c", CREATE_AT_ONCE, str(target), str(gate), name], cwd=tmp_path,
                         env=tracker_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("a", "b")
    ]  # fmt: skip
    results = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
    assert sorted(p.name for p in gate.iterdir()) == ["a", "b"]  # both built a file of their own
    assert sorted(out.strip() for out, _err in results) == ["8 False", "8 True"]  # one won, one opened it
    assert [p.name for p in folder.iterdir() if not p.name.startswith("new.db")] == []  # no file left aside
    con = sqlite3.connect(target)
    try:
        assert con.execute("SELECT count(*) FROM deal").fetchone() == (8,)
    finally:
        con.close()
