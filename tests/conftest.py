"""Shared fixtures: a fresh database on every backend (SQLite always; PostgreSQL when
TRACKER_TEST_POSTGRES_URL names a server, as `.ci/run` arranges), and the real CLI entry point."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.processes import PG_URL, Proc, reset_pg_schema
from tracker.core.csvio.seed import load_seed
from tracker.core.storage.handle import Database
from tracker.core.storage.opening import open_database

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(autouse=True)
def own_settings_file(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test (and the processes it starts) reads and writes a settings file of its own, never the
    user's: a theme chosen in one test is not another's default, and tests running at once don't share it.
    Its folder is open to every user, as a home folder is: the tests that drop privileges read it too."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-settings-"))
    folder.chmod(0o755)
    monkeypatch.setenv("TRACKER_CONFIG", str(folder / "settings.toml"))
    yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A path or URL naming a database that does not exist yet (an empty schema on PostgreSQL)."""
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("TRACKER_TEST_POSTGRES_URL is not set (.ci/run starts a server)")
        reset_pg_schema(PG_URL)
        return PG_URL
    return str(tmp_path / "tracker.db")


@pytest.fixture
def db(db_target: str) -> Iterator[Database]:
    """A new database with the article's seed."""
    database = open_database(db_target, populate=load_seed)
    yield database
    database.dispose()


@pytest.fixture
def empty_db(db_target: str) -> Iterator[Database]:
    database = open_database(db_target)
    yield database
    database.dispose()


@pytest.fixture
def run_cli(db_target: str) -> Callable[..., Proc]:
    """Run the real `tracker` entry point in a subprocess against this test's database."""

    def run(
        *args: str, input: str | bytes | None = None, db: str | None = None, env: dict[str, str] | None = None
    ) -> Proc:
        cmd = [sys.executable, "-m", "tracker", "--db", db or db_target, *args]
        data = input.encode() if isinstance(input, str) else input
        full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
        proc = subprocess.run(cmd, input=data, capture_output=True, env=full_env, timeout=120)
        return Proc(proc.returncode, proc.stdout.decode(), proc.stderr.decode())

    return run
