"""Opening databases: creation with the seed, pragmas, permissions, schema versions, errors."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from tracker.core.csvio.seed import load_seed
from tracker.core.records.deals import count_deals
from tracker.core.storage.database import DatabaseError, mask, open_database, resolve_url
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
