"""The parallel SQLite export (tracker/core/csvio/parallel.py) writes exactly what the one-process
paths write, block after block in id order, from one snapshot; and it steps aside, writing nothing, when a
writer commits while its workers take their snapshots. Blocks are made tiny here so that a few dozen deals
give many blocks; no timings are asserted."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.odd_deals import RawTables, odd_deals
from tracker.core.csvio import linesql, parallel
from tracker.core.csvio.export import export_deals
from tracker.core.csvio.parallel import WorkerFailed, export_parallel
from tracker.core.storage.errors import DatabaseError
from tracker.core.storage.handle import Database
from tracker.core.storage.opening import open_database


@pytest.fixture
def raw(tmp_path: Path) -> Any:
    db = open_database(tmp_path / "parallel.db")
    try:
        yield RawTables(db)
    finally:
        db.dispose()


# the driver's error, or the same told as a one-line DatabaseError by the transaction that ran it
DECODE_ERRORS = (sqlite3.OperationalError, DatabaseError)


def _one_process(db: Database, *, fast: bool = True) -> str:
    out = io.StringIO()
    export_deals(db, out, fast=fast, parallel=False)
    return out.getvalue()


def _parallel(
    db: Database, *, block_ids: int = 3, workers: int = 2, **kwargs: Any
) -> tuple[str, int | None, list[int]]:
    out = io.StringIO()
    seen: list[int] = []
    n = export_parallel(db, out, seen.append, block_ids=block_ids, workers=workers, min_deals=0, **kwargs)
    return out.getvalue(), n, seen


@pytest.mark.parametrize(("block_ids", "workers"), [(1, 2), (3, 2), (7, 3), (1000, 2)])
def test_the_same_file_as_one_process_whatever_the_blocks(raw: RawTables, block_ids: int, workers: int) -> None:
    raw.reset()
    deals = odd_deals()
    raw.deals(deals, {2: [1], 3: [1, 2], 9: [3, 4, 5], 40: [8, 6]})
    expected = _one_process(raw.db)
    assert expected == _one_process(raw.db, fast=False)  # NULs, odd vocabularies, alliances: remade lines
    text, n, seen = _parallel(raw.db, block_ids=block_ids, workers=workers)
    assert text == expected
    assert n == len(deals)
    assert seen == list(range(10_000, len(deals) + 1, 10_000))


def test_ids_with_gaps_and_empty_blocks(raw: RawTables) -> None:
    raw.reset()
    raw.deals([{"id": i, "amount": i * 10_000} for i in (5, 6, 7, 200, 201, 5000)])
    text, n, _ = _parallel(raw.db, block_ids=4)
    assert n == 6
    assert text == _one_process(raw.db)


def test_progress_counts_every_ten_thousand(raw: RawTables) -> None:
    raw.reset()
    raw.deals([{"id": i, "amount": i * 1234} for i in range(1, 25_001)])
    text, n, seen = _parallel(raw.db, block_ids=4_000)
    assert (n, seen) == (25_000, [10_000, 20_000])
    assert text == _one_process(raw.db)


def test_bytes_straight_to_the_file_are_the_text_written(raw: RawTables, tmp_path: Path) -> None:
    raw.reset()
    raw.deals(odd_deals())
    target = tmp_path / "out.csv"
    with open(target, "w", encoding="utf-8", newline="") as f:
        export_parallel(raw.db, f, binary=f.buffer, block_ids=5, min_deals=0)
    assert target.read_bytes() == _one_process(raw.db).encode()


def test_a_commit_while_the_workers_take_their_snapshots_writes_nothing(raw: RawTables) -> None:
    raw.reset()
    raw.deals([{"id": i} for i in range(1, 20)])
    path = raw.db.url.database
    assert path

    def commit() -> None:
        with sqlite3.connect(path) as con:
            con.execute("UPDATE deal SET description = 'changed meanwhile' WHERE id = 7")

    text, n, seen = _parallel(raw.db, after_start=commit)
    assert n is None and seen == []
    assert text == ""  # not even the header
    # and export_deals then runs the one-process path on the new state
    assert "changed meanwhile" in _one_process(raw.db)


def test_no_commit_means_one_state_for_every_reader(raw: RawTables) -> None:
    raw.reset()
    raw.deals([{"id": i} for i in range(1, 20)])
    text, n, _ = _parallel(raw.db, after_start=lambda: None)
    assert n == 19 and text == _one_process(raw.db)


def test_text_that_is_not_utf8_fails_as_on_the_general_path(raw: RawTables) -> None:
    raw.reset()
    raw.deals([{"id": i} for i in range(1, 10)])
    raw.run("UPDATE deal SET description = CAST(x'ff41' AS TEXT) WHERE id = 5")
    with pytest.raises(DECODE_ERRORS, match="decode"):
        _parallel(raw.db)


def test_a_worker_that_fails_is_reported_by_name(raw: RawTables, monkeypatch: pytest.MonkeyPatch) -> None:
    raw.reset()
    raw.deals([{"id": i} for i in range(1, 10)])

    def broken_sql(rates: Any, unclean: Any, **kwargs: Any) -> tuple[str, list[str]]:
        sql, params = original(rates, unclean, **kwargs)
        return sql.replace("FROM deal AS d", "FROM no_such_table AS d"), params

    original = linesql.line_sql
    monkeypatch.setattr(linesql, "line_sql", broken_sql)  # the workers get a query that cannot run
    with pytest.raises(WorkerFailed, match="export worker 1: OperationalError: no such table"):
        _parallel(raw.db)


def test_small_or_empty_databases_stay_in_one_process(raw: RawTables) -> None:
    raw.reset()
    out = io.StringIO()
    assert export_parallel(raw.db, out, min_deals=0) is None  # no deals at all
    raw.deals([{"id": i} for i in range(1, 10)])
    assert export_parallel(raw.db, out) is None  # fewer than MIN_DEALS
    assert out.getvalue() == ""


def test_blocks_follow_the_ids_that_exist(raw: RawTables) -> None:
    """Huge and sparse ids (an import may set any id up to 2^62) cost nothing: blocks are cut from the ids."""
    raw.reset()
    ids = [-5, 0, 1, 2, 3, 10**12, 10**12 + 1, 2**62, 2**63 - 1]
    raw.deals([{"id": i, "amount": abs(i) % 10**9} for i in ids], {2**62: [1, 2], -5: [3]})
    text, n, _ = _parallel(raw.db, block_ids=2)
    assert n == len(ids)
    assert text == _one_process(raw.db)
    with raw.db.read() as conn:
        blocks = parallel.id_blocks(conn.connection.driver_connection, 2)
    assert blocks == [(-5, 0, 2), (1, 2, 2), (3, 10**12, 2), (10**12 + 1, 2**62, 2), (2**63 - 1, 2**63 - 1, 1)]


def test_the_command_line_exports_in_parallel_what_one_process_exports(raw: RawTables, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from click.testing import CliRunner

    from tracker.cli.main import cli

    raw.reset()
    raw.deals(odd_deals())
    calls: list[int | None] = []
    real = parallel.export_parallel

    def small_blocks(*args: Any, **kwargs: Any) -> int | None:
        calls.append(n := real(*args, **dict(kwargs, block_ids=4, min_deals=0)))
        return n

    monkeypatch.setattr(parallel, "export_parallel", small_blocks)
    target = tmp_path / "cli.csv"
    result = CliRunner().invoke(cli, ["--db", str(raw.db.url.database), "export", str(target)])
    assert result.exit_code == 0, result.output
    assert calls and calls[0] == len(odd_deals())
    assert target.read_bytes() == _one_process(raw.db).encode()


def test_a_worker_imports_no_sqlalchemy() -> None:
    """The workers start as the export starts them (a fresh interpreter, ``-P``) in tens of milliseconds:
    the worker module pulls in neither SQLAlchemy nor SQLModel."""
    code = "import sys, tracker.core.csvio.worker; print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel'}))"
    out = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
