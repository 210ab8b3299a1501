"""Read-only databases (issue 13): a SQLite file this user may read but not write, and a PostgreSQL role
without write rights, open read-only: listing, search, map, totals and export work; a write says "the
database is read-only" at once; the app's status line says `read-only` and refuses a form before it opens.

Tests run as root, who may write anything: the SQLite cases run tracker as the user ``nobody``
(``setpriv --reuid=65534 --regid=65534 --clear-groups``), in a folder of /tmp that nobody may read only.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.support.processes import PG_URL, pg_admin, reset_pg_schema, run_tracker, tracker_env
from tracker.core.csvio.seed import load_seed
from tracker.core.storage.opening import open_database

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
READS = [
    ("list", "--limit", "3"),
    ("list", "--search", "oracle nvidia", "--format", "json"),
    ("map", "--cycles"),
    ("totals", "--by", "kind"),
    ("export", "-"),
]
WRITES = [
    ("add", "--kind", "investment", "--from", "Nvidia", "--to", "OpenAI", "--date", "2025"),
    ("fx", "set", "CNY", "0.14"),
    ("seed",),
]

needs_setpriv = pytest.mark.skipif(
    shutil.which("setpriv") is None or os.geteuid() != 0, reason="needs root and setpriv to become nobody"
)


def as_nobody(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [*NOBODY, sys.executable, "-m", "tracker", "--db", str(db), *args]
    env = {**tracker_env(), "HOME": "/tmp", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, cwd="/tmp")


@pytest.fixture(params=["folder read-only", "folder writable"])
def shared_file(request: pytest.FixtureRequest) -> Iterator[Path]:
    """A seeded database owned by root, 0644, in a folder nobody may enter (and, in one case, write)."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-ro-", dir="/tmp"))
    db = folder / "shared.db"
    open_database(db, populate=load_seed).dispose()
    db.chmod(0o644)
    folder.chmod(0o777 if request.param == "folder writable" else 0o755)
    yield db
    shutil.rmtree(folder)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_setpriv
def test_a_sqlite_file_the_user_cannot_write_opens_read_only(shared_file: Path) -> None:
    before = digest(shared_file)
    for args in READS:
        proc = as_nobody(shared_file, *args)
        assert proc.returncode == 0, (args, proc.stderr)
        assert "Traceback" not in proc.stderr and "readonly" not in proc.stderr
    assert '"id": 5' in as_nobody(shared_file, *READS[1]).stdout
    assert "OpenAI → Oracle → Nvidia → OpenAI" in as_nobody(shared_file, "map", "--cycles").stdout
    for args in WRITES:
        proc = as_nobody(shared_file, *args)
        assert proc.returncode == 1, (args, proc.stdout)
        assert proc.stderr.strip().splitlines() == [
            f"tracker: {shared_file}: the database is read-only (you may read it, not change it)"
        ]
    assert digest(shared_file) == before  # not a byte changed
    if shared_file.parent.stat().st_mode & 0o002 == 0:  # a folder nobody may not write: nothing made there
        assert sorted(p.name for p in shared_file.parent.iterdir()) == ["shared.db"]


APP_SCRIPT = """
import asyncio, sys
from tracker.ui.app import TrackerApp

class Recording(TrackerApp):
    notes = []

    def notify(self, message, **kwargs):
        self.notes.append(message)
        super().notify(message, **kwargs)

async def main():
    app = Recording(db_target=sys.argv[1])
    async with app.run_test(size=(140, 30)) as pilot:
        for _ in range(300):
            await pilot.pause(0.05)
            if app.db is not None and app.main.table.row_count:
                break
        await pilot.pause(0.3)
        print("STATUS", app.main.status.render_text().plain)
        await pilot.press("a")
        await pilot.pause(0.5)
        print("SCREEN", type(app.screen).__name__)
        print("NOTES", " | ".join(app.notes))
        await pilot.press("slash", *"oracle nvidia", "enter")
        await pilot.pause(1.0)
        print("ROWS", app.main.table.row_count)

asyncio.run(main())
"""


@needs_setpriv
def test_the_app_says_read_only_and_refuses_a_form_before_it_opens(shared_file: Path) -> None:
    cmd = [*NOBODY, sys.executable, "-c", APP_SCRIPT, str(shared_file)]
    env = {**tracker_env(), "HOME": "/tmp", "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, cwd="/tmp")
    out = dict(
        line.split(" ", 1) for line in proc.stdout.splitlines() if line[:5] in ("STATU", "SCREE", "NOTES", "ROWS ")
    )
    assert "read-only" in out["STATUS"], proc.stdout + proc.stderr
    assert out["SCREEN"] == "MainScreen"  # no form was opened
    assert "The database is read-only: you may read it, not change it." in out["NOTES"]
    assert out["ROWS"].strip() == "3"  # and searching works


@pytest.mark.postgres
def test_a_postgresql_role_without_write_rights_opens_read_only(tmp_path: Path) -> None:
    if not PG_URL:
        pytest.skip("TRACKER_TEST_POSTGRES_URL is not set")
    reset_pg_schema(PG_URL)
    open_database(PG_URL, populate=load_seed).dispose()
    url = make_url(PG_URL)
    reader = f"{url.database}_reader"
    pg_admin(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{reader}') THEN "
        f"CREATE ROLE {reader} LOGIN; END IF; END $$"
    )
    pg_admin(f"GRANT USAGE ON SCHEMA public TO {reader}")
    pg_admin(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader}")
    reader_url = url.set(username=reader, password=None).render_as_string(hide_password=False)
    for args in READS:
        proc = run_tracker(reader_url, *args)
        assert proc.code == 0, (args, proc.err)
    for args in WRITES[:2]:
        proc = run_tracker(reader_url, *args)
        assert proc.code == 1
        assert "the database is read-only" in proc.err and len(proc.err.strip().splitlines()) == 1
    db = open_database(reader_url)
    try:
        assert db.read_only
    finally:
        db.dispose()
    db = open_database(PG_URL)
    try:
        assert not db.read_only
    finally:
        db.dispose()
