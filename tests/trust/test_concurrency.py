"""Two `tracker` processes on one database: readers never see half an import, writers take turns
(no "database is locked" crash, no lost or doubled deal), and a writer kept waiting beyond the busy
timeout says so clearly and writes nothing. SQLite and PostgreSQL alike, with real processes."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.support.processes import (
    finish,
    no_traceback,
    run_tracker,
    start_tracker,
    tracker_env,
    write_deals_csv,
)
from tracker.core.csvio.seed import load_seed
from tracker.core.storage.handle import PG_WRITE_LOCK, Database
from tracker.core.storage.opening import open_database

ROWS = 20_000
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "shared.db")


@pytest.fixture
def seeded(target: str) -> Iterator[Database]:
    """The database, seeded, held open by this test like the app holds it."""
    db = open_database(target, populate=load_seed)
    yield db
    db.dispose()


def _count(db: Database, sql: str = "SELECT count(*) FROM deal") -> int:
    with db.read() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def _refs(db: Database, prefix: str) -> list[str]:
    with db.read() as conn:
        return list(conn.execute(text("SELECT ref FROM deal WHERE ref LIKE :p"), {"p": f"{prefix}-%"}).scalars())


def test_reader_keeps_reading_while_a_script_imports(seeded: Database, tmp_path: Path, target: str) -> None:
    csv = write_deals_csv(tmp_path / "a.csv", ROWS, "a")
    before = _count(seeded)
    importer = start_tracker(target, "import", str(csv))
    seen: set[int] = set()
    listed = 0
    while importer.poll() is None:  # the app keeps reading: every count is "before" or "after", never half
        seen.add(_count(seeded))
        lister = run_tracker(target, "list", "--limit", "3", "--format", "json")
        assert lister.code == 0, lister.err
        listed += 1
    result = finish(importer)
    assert result.code == 0, result.err
    no_traceback(result.err)
    assert f"{ROWS} rows: added {ROWS}" in result.out
    seen.add(_count(seeded))
    assert seen <= {before, before + ROWS}
    assert _count(seeded) == before + ROWS
    assert listed >= 1


def test_an_open_read_transaction_does_not_block_an_import(seeded: Database, tmp_path: Path, target: str) -> None:
    """The app in the middle of a page query (an open read transaction) while a script imports."""
    csv = write_deals_csv(tmp_path / "a.csv", 2_000, "a")
    before = _count(seeded)
    with seeded.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM deal")).scalar_one() == before
        result = run_tracker(target, "import", str(csv))  # runs to the end while the reader is open
        assert result.code == 0, result.err
        if seeded.is_sqlite:  # SQLite's reader keeps its snapshot; PostgreSQL's reads committed rows
            assert conn.execute(text("SELECT count(*) FROM deal")).scalar_one() == before
    assert _count(seeded) == before + 2_000


def test_two_imports_at_once_both_succeed_and_every_row_is_there_once(
    seeded: Database, tmp_path: Path, target: str
) -> None:
    """Two files naming the same 500 new organisations, imported at the same moment."""
    a = write_deals_csv(tmp_path / "a.csv", ROWS, "a")
    b = write_deals_csv(tmp_path / "b.csv", ROWS, "b")
    before = _count(seeded)
    orgs_before = _count(seeded, "SELECT count(*) FROM organization")
    procs = [start_tracker(target, "import", str(f)) for f in (a, b)]
    results = [finish(p) for p in procs]
    for r in results:
        assert r.code == 0, r.err
        no_traceback(r.err)
        assert "locked" not in r.err
        assert f"{ROWS} rows: added {ROWS}" in r.out
    assert _count(seeded) == before + 2 * ROWS
    for prefix in ("a", "b"):
        refs = _refs(seeded, prefix)
        assert len(refs) == len(set(refs)) == ROWS
    assert _count(seeded, "SELECT count(*) FROM organization") == orgs_before + 500  # each created once
    # the first to write creates the organisations and says so; the second finds them made
    assert sorted("new organisations (500)" in r.out for r in results) == [False, True]
    assert sum("new organisations" in r.out for r in results) == 1


def test_the_same_file_imported_twice_at_once_is_stored_once(seeded: Database, tmp_path: Path, target: str) -> None:
    a = write_deals_csv(tmp_path / "a.csv", ROWS, "a")
    before = _count(seeded)
    procs = [start_tracker(target, "import", str(a)) for _ in range(2)]
    results = [finish(p) for p in procs]
    for r in results:
        assert r.code == 0, r.err
        no_traceback(r.err)
    summaries = sorted(r.out.splitlines()[0] for r in results)
    assert summaries == [
        f"{ROWS} rows: added 0, updated 0, unchanged {ROWS}",
        f"{ROWS} rows: added {ROWS}, updated 0, unchanged 0",
    ]
    assert _count(seeded) == before + ROWS
    refs = _refs(seeded, "a")
    assert len(refs) == len(set(refs)) == ROWS


class _WriteLock:
    """Another process's write transaction, held until released."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.sqlite: sqlite3.Connection | None = None
        self.engine = None
        self.conn = None

    def __enter__(self) -> _WriteLock:
        if "://" not in self.target:
            self.sqlite = sqlite3.connect(self.target, isolation_level=None)
            self.sqlite.execute("BEGIN IMMEDIATE")
            self.sqlite.execute("INSERT INTO fx_rate (currency, rate, as_of) VALUES ('XAU', '2000', '2000-01-01')")
        else:
            from sqlalchemy import create_engine

            self.engine = create_engine(self.target)
            self.conn = self.engine.connect()
            self.conn.begin()
            self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_WRITE_LOCK})
        return self

    def __exit__(self, *exc: object) -> None:
        if self.sqlite is not None:
            self.sqlite.execute("ROLLBACK")
            self.sqlite.close()
        if self.conn is not None and self.engine is not None:
            self.conn.rollback()
            self.conn.close()
            self.engine.dispose()


@pytest.mark.parametrize("command", ["import", "add"])
def test_a_writer_kept_waiting_beyond_the_busy_timeout_says_busy_and_writes_nothing(
    seeded: Database, tmp_path: Path, target: str, command: str
) -> None:
    csv = write_deals_csv(tmp_path / "a.csv", 1_000, "a")
    args = (
        ["import", str(csv)]
        if command == "import"
        else ["add", "--kind", "investment", "--from", "Nvidia", "--to", "Waiting Co", "--date", "2025-01-01"]
    )
    before = _count(seeded)
    orgs_before = _count(seeded, "SELECT count(*) FROM organization")
    with _WriteLock(target):
        result = run_tracker(target, *args, env=tracker_env(TRACKER_BUSY_TIMEOUT="1"))
    assert result.code == 1
    no_traceback(result.err)
    assert "is busy: another process held it for more than 1 s (set TRACKER_BUSY_TIMEOUT to wait longer)" in result.err
    assert result.err.count("\n") == 1  # one line
    assert _count(seeded) == before
    assert _count(seeded, "SELECT count(*) FROM organization") == orgs_before


def _cpu_and_state(pid: int) -> tuple[int, str] | None:
    """The process's CPU time (clock ticks) and scheduler state, from /proc (None where there is none)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) "
    return int(fields[11]) + int(fields[12]), fields[0]


def _wait_until_it_waits_for_the_lock(importer: subprocess.Popen[bytes], seeded: Database) -> None:
    """Return once the importer is seen waiting for the write lock; fail if it ends first (a writer that
    does not wait fails at once with "database is locked", or writes past the lock).

    PostgreSQL: its request for the advisory lock is in pg_locks, not granted. SQLite has no such view: the
    importer is waiting in SQLite's busy handler once it sleeps with its CPU time standing still for half a
    second (loading Python and checking the file keep it busy, or runnable, never asleep that long)."""
    deadline = time.monotonic() + 120
    still, last = 0, None
    while time.monotonic() < deadline:
        if importer.poll() is not None:
            result = finish(importer)
            pytest.fail(f"the import ended (exit {result.code}) while another process held the lock: {result.err}")
        if not seeded.is_sqlite:
            with seeded.read() as conn:
                waiting = conn.execute(
                    text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                         " AND objid::bigint = :k"), {"k": PG_WRITE_LOCK},
                ).scalar_one()  # fmt: skip
            if waiting:
                return
        else:
            now = _cpu_and_state(importer.pid)
            if now is None:  # no /proc: give it time to reach the lock
                time.sleep(3)
                return
            still = still + 1 if now[1] == "S" and last is not None and now[0] == last else 0
            last = now[0]
            if still >= 5:
                return
        time.sleep(0.1)
    pytest.fail("the import was never seen waiting for the write lock")


def test_a_writer_waits_for_a_short_lock_and_then_succeeds(seeded: Database, tmp_path: Path, target: str) -> None:
    """With the default busy timeout (30 s) a writer waits out another's transaction instead of failing."""
    csv = write_deals_csv(tmp_path / "a.csv", 1_000, "a")
    before = _count(seeded)
    with _WriteLock(target):
        importer = start_tracker(target, "import", str(csv))
        # the import validates (no lock needed), then waits for the write lock held here
        _wait_until_it_waits_for_the_lock(importer, seeded)
        time.sleep(1)  # hold the lock a little longer, as a slow writer would (not an assertion on time)
        assert importer.poll() is None  # still waiting: it neither gave up nor wrote past the lock
        assert _count(seeded) == before
    result = finish(importer)
    assert result.code == 0, result.err
    assert _count(seeded) == before + 1_000


def test_zero_busy_timeout_fails_at_once_on_both_backends(seeded: Database, target: str) -> None:
    """TRACKER_BUSY_TIMEOUT=0 means "do not wait" on PostgreSQL too (where lock_timeout 0 means for ever)."""
    with _WriteLock(target):
        result = run_tracker(target, "add", "--kind", "investment", "--from", "A Co", "--to", "B Co",
                             "--date", "2025", env=tracker_env(TRACKER_BUSY_TIMEOUT="0"), timeout=60)  # fmt: skip
    assert result.code == 1
    assert "is busy" in result.err


def test_a_bad_busy_timeout_is_a_clear_error(target: str) -> None:
    result = run_tracker(target, "list", env=tracker_env(TRACKER_BUSY_TIMEOUT="soon"))
    assert result.code == 1
    assert "TRACKER_BUSY_TIMEOUT 'soon': not a number of seconds" in result.err
    no_traceback(result.err)
