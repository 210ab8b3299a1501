"""A `tracker import` killed with SIGKILL in the middle of writing leaves the database exactly as it was
before the import, and intact (`PRAGMA integrity_check` ok).

The issue asks for a 1,000,000-row import; to keep CI short the file has ``TRACKER_CRASH_ROWS`` rows
(300,000 by default: set it to 1000000 to run the full size). The kill comes once the write phase is
under way, detected without timing guesses: first the importer holds the write lock (another
connection's ``BEGIN IMMEDIATE`` fails at once, so validation, which takes no lock, is over), then the
write-ahead log has grown past 1 MiB (rows are being written); then the importer is frozen (SIGSTOP)
and, if it still holds the write lock (so it has not committed), killed (SIGKILL). An import that
committed before that point fails the test rather than passing it vacuously. On PostgreSQL: once the
importer's ``COPY deal`` is running on the server.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.processes import (
    no_traceback,
    run_tracker,
    sqlite_rows,
    sqlite_value,
    start_tracker,
    write_deals_csv,
)

CRASH_ROWS = int(os.environ.get("TRACKER_CRASH_ROWS", "300000"))
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_deals_csv(tmp_path_factory.mktemp("crash") / "big.csv", CRASH_ROWS, "big", orgs=5000)


def _write_lock_held(path: Path) -> bool:
    con = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            return True
        raise
    finally:
        if con.in_transaction:
            con.execute("ROLLBACK")
        con.close()
    return False


def _wait_until(proc: subprocess.Popen[bytes], condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition`` while ``proc`` runs; fail (not flake) if it ends first."""
    while not condition():
        if proc.poll() is not None:
            _out, err = proc.communicate()
            pytest.fail(f"the import ended (exit {proc.returncode}) before {what}; use more rows: {err.decode()}")
        time.sleep(0.05)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL  # killed, not finished


def _snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    tables = ("deal", "organization", "org_alias", "alliance", "alliance_deal", "deal_link", "fx_rate")
    out = {t: sqlite_rows(path, f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables}
    out["schema"] = sqlite_rows(path, "SELECT type, name, sql FROM sqlite_master ORDER BY name")
    return out


# empty: an import of 50,000 rows or more into an empty deal table drops the deal indexes first and
# builds them again at the end, all inside the transaction: the kill must leave the indexes in place
@pytest.mark.parametrize("empty", [False, True], ids=["seeded", "empty-db-index-rebuild"])
def test_sigkill_in_the_middle_of_an_import_leaves_the_database_as_it_was(
    tmp_path: Path, big_csv: Path, empty: bool
) -> None:
    db = tmp_path / "work.db"
    assert run_tracker(str(db), "list", "--limit", "1", empty=empty).code == 0
    before = _snapshot(db)
    wal = Path(f"{db}-wal")

    importer = start_tracker(str(db), "import", str(big_csv))
    _wait_until(importer, lambda: _write_lock_held(db), "it took the write lock")
    _wait_until(importer, lambda: wal.exists() and wal.stat().st_size > (1 << 20), "it wrote 1 MiB")
    importer.send_signal(signal.SIGSTOP)
    if not _write_lock_held(db):
        importer.send_signal(signal.SIGCONT)
        importer.communicate()
        pytest.fail("the import committed before it could be killed; use more rows (TRACKER_CRASH_ROWS)")
    _kill(importer)

    assert wal.exists() and wal.stat().st_size > (1 << 20)  # the half-written transaction is on disk
    assert sqlite_value(db, "PRAGMA integrity_check") == "ok"
    assert _snapshot(db) == before  # every deal, organisation, index: exactly as before
    assert sqlite_rows(db, "PRAGMA foreign_key_check") == []
    listed = run_tracker(str(db), "list", "--limit", "1")
    assert listed.code == 0, listed.err
    no_traceback(listed.err)
    added = run_tracker(str(db), "add", "--kind", "investment", "--from", "After Crash", "--to", "Still Works",
                        "--date", "2026-01-01")  # fmt: skip
    assert added.code == 0, added.err


@pytest.mark.postgres
def test_sigkill_in_the_middle_of_a_postgresql_import_leaves_it_as_it_was(pg_url: str, big_csv: Path) -> None:
    from sqlalchemy import create_engine, text

    assert run_tracker(pg_url, "list", "--limit", "1").code == 0
    engine = create_engine(pg_url)

    def deals() -> list[tuple[object, ...]]:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text("SELECT * FROM deal ORDER BY id"))]

    def copying() -> bool:
        with engine.connect() as conn:
            q = "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY deal%' AND state = 'active'"
            return bool(conn.execute(text(q)).scalar())

    before = deals()
    importer = start_tracker(pg_url, "import", str(big_csv))
    _wait_until(importer, copying, "it started copying deals to the server")
    _kill(importer)
    assert deals() == before
    # the server ends the dead client's transaction and its write lock: the next writer gets in
    added = run_tracker(pg_url, "add", "--kind", "investment", "--from", "After Crash", "--to", "Still Works",
                        "--date", "2026-01-01")  # fmt: skip
    assert added.code == 0, added.err
    assert len(deals()) == len(before) + 1
    engine.dispose()
