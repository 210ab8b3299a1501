"""The overlapped bulk import (a checking process while this one writes) gives exactly what the two passes
one after the other give: the same deals, ids, organisations, running sums and report; the same errors
with nothing written; and it falls back to the classic second pass when a row carries an id."""

from __future__ import annotations

import io
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.support import gen_deals
from tests.support.data import BAD as DATA_BAD
from tests.support.data import CIRCULAR_CSV
from tracker.core.csvio import pipeline as csvpipeline
from tracker.core.csvio import write as csvwrite
from tracker.core.csvio.export import export_deals
from tracker.core.csvio.importer import import_deals
from tracker.core.csvio.report import CsvError, ImportFailed
from tracker.core.storage.opening import open_database

BAD = DATA_BAD
CIRCULAR = CIRCULAR_CSV


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    path = tmp_path / "deals-3000.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        gen_deals.generate(3000, f, n_orgs=300)
    return path


def _import(
    tmp_path: Path, name: str, csv_path: Path, pipeline: bool, monkeypatch: Any, *, sure: bool = True
) -> tuple[Any, Path]:
    """Import into a new empty SQLite file; returns (report or exception, database path)."""
    monkeypatch.setattr(csvpipeline, "PIPELINE_MIN_BYTES", 0 if pipeline else 1 << 62)
    monkeypatch.setattr(csvwrite, "BULK_REBUILD_INDEXES", 1)  # both take the bulk path: same ids, same sums
    db_path = tmp_path / f"{name}.db"
    db = open_database(db_path)
    used: list[bool] = []
    real = csvpipeline.import_pipelined

    def spy(*a: Any, **k: Any) -> Any:
        used.append(True)
        return real(*a, **k)

    monkeypatch.setattr(csvpipeline, "import_pipelined", spy)
    try:
        result: Any = import_deals(db, csv_path)
    except (ImportFailed, CsvError) as exc:
        result = exc
    finally:
        out = io.StringIO()
        export_deals(db, out)
        db.dispose()
    if sure:
        assert bool(used) == pipeline
    return result, db_path


def _contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(path)
    try:
        tables = ("organization", "deal", "alliance", "alliance_deal", "party_total", "period_total")
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    finally:
        con.close()


@pytest.mark.parametrize("which", ["circular", "generated"])
def test_the_overlapped_import_writes_what_the_two_passes_write(
    which: str, generated: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    source = CIRCULAR if which == "circular" else generated
    classic, classic_db = _import(tmp_path, "classic", source, False, monkeypatch)
    piped, piped_db = _import(tmp_path, "piped", source, True, monkeypatch)
    assert piped.summary() == classic.summary()
    assert piped.added == classic.added > 0
    assert _contents(piped_db) == _contents(classic_db)  # ids, names, exact amounts, running sums


@pytest.mark.parametrize("bad", sorted(p.name for p in BAD.glob("*.csv")))
def test_bad_files_write_nothing_and_report_the_same(bad: str, tmp_path: Path, monkeypatch: Any) -> None:
    classic, _ = _import(tmp_path, "classic", BAD / bad, False, monkeypatch)
    piped, piped_db = _import(tmp_path, "piped", BAD / bad, True, monkeypatch, sure=False)  # some fail earlier
    assert type(piped) is type(classic)
    assert str(piped) == str(classic)
    if isinstance(classic, Exception):  # (same_parties.csv is fine in a database without the alias 英伟达)
        assert all(not rows for rows in _contents(piped_db).values())  # nothing written, not even organisations


def test_a_bad_row_after_thousands_of_written_ones_rolls_everything_back(
    generated: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    text = generated.read_text(encoding="utf-8").rstrip("\n").split("\n")
    text.append(",2025-13-45,investment,Late Co,Other Co,1,USD,exact,,,,,,,,")  # a bad date on the last line
    bad = tmp_path / "late-bad.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    piped, piped_db = _import(tmp_path, "piped", bad, True, monkeypatch)
    assert isinstance(piped, ImportFailed)
    assert str(piped) == f"line {len(text)}: date '2025-13-45': month must be in 1..12"  # the one bad row, last
    assert all(not rows for rows in _contents(piped_db).values())


def test_a_file_that_does_not_decode_halfway_writes_nothing(generated: Path, tmp_path: Path, monkeypatch: Any) -> None:
    data = generated.read_bytes()
    cut = data.index(b"\n", len(data) // 2) + 1
    broken = tmp_path / "broken.csv"
    broken.write_bytes(data[:cut] + b",2025-01-01,investment,\xff\xfe Co,Other,1,USD,exact,,,,,,,,\n" + data[cut:])
    piped, piped_db = _import(tmp_path, "piped", broken, True, monkeypatch)
    assert isinstance(piped, CsvError)
    assert "--encoding" in str(piped)
    assert all(not rows for rows in _contents(piped_db).values())


def test_a_later_row_with_an_id_falls_back_to_the_two_passes(generated: Path, tmp_path: Path, monkeypatch: Any) -> None:
    lines = generated.read_text(encoding="utf-8").split("\n")
    lines[2500] = "99999" + lines[2500]  # the id column is first and empty in the generated file
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("\n".join(lines), encoding="utf-8")
    classic, classic_db = _import(tmp_path, "classic", mixed, False, monkeypatch)
    piped, piped_db = _import(tmp_path, "piped", mixed, True, monkeypatch)
    assert piped.summary() == classic.summary()
    assert _contents(piped_db) == _contents(classic_db)
    ids = {r[0] for r in _contents(piped_db)["deal"]}
    assert 99999 in ids and max(ids) == 99999 + 2999  # the rows without an id come after the file's ids


def test_a_checking_process_that_dies_means_nothing_is_written(
    generated: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(csvpipeline, "check_in_child", lambda *a: os._exit(3))
    piped, piped_db = _import(tmp_path, "piped", generated, True, monkeypatch)
    assert isinstance(piped, CsvError)
    assert "stopped unexpectedly" in str(piped)
    assert all(not rows for rows in _contents(piped_db).values())
