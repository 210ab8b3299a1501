"""`tracker copy --to URL`: the whole database into another, empty one (SQLite -> PostgreSQL and back),
ids preserved, in one transaction on the target; a target holding data is refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from tests.support.fixtures import FIXTURE, RECORDED_COUNTS, TABLES
from tests.support.processes import PG_URL, no_traceback, reset_pg_schema, run_tracker, sqlite_rows
from tracker.cli.main import cli
from tracker.core.storage.errors import DatabaseError


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "mine.db"
    shutil.copyfile(FIXTURE, path)
    assert run_tracker(str(path), "list", "--limit", "1").code == 0  # upgraded to the current schema
    return path


def _rows(url_or_path: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, dates as text, through SQL (not the app), for exact comparisons."""
    url = url_or_path if "://" in url_or_path else f"sqlite:///{url_or_path}"
    engine = create_engine(url)
    out = {}
    try:
        with engine.connect() as conn:
            for t in TABLES:
                keys = list(conn.execute(text(f"SELECT * FROM {t} LIMIT 0")).keys())
                # by name: schema 0007 puts deal.amount last on SQLite (a new column), in place on PostgreSQL
                cols = sorted(keys)
                shown = ", ".join(f"CAST({c} AS TEXT)" if c in ("date", "as_of") else c for c in cols)
                order = f"{keys[0]}, {keys[1]}"
                out[t] = [tuple(r) for r in conn.execute(text(f"SELECT {shown} FROM {t} ORDER BY {order}"))]
    finally:
        engine.dispose()
    return out


def _copy_and_compare(source: Path, target: str) -> None:
    before = _rows(str(source))
    result = run_tracker(str(source), "copy", "--to", target)
    assert result.code == 0, result.err
    no_traceback(result.err)
    assert "copied 100 deals, 34 organisations, 21 aliases, 3 alliances" in result.out
    assert "3 deal links, 15 FX rates" in result.out
    assert _rows(target) == before  # every row, every id, every exact amount
    # the running sums were summed again on the target: the same totals, every grouping
    for by in ("org", "kind", "year", "group"):
        src_totals = run_tracker(str(source), "totals", "--by", by, "--format", "json")
        dst_totals = run_tracker(target, "totals", "--by", by, "--format", "json")
        assert src_totals.code == dst_totals.code == 0, dst_totals.err
        assert dst_totals.out == src_totals.out
    assert {t: len(r) for t, r in before.items()} == RECORDED_COUNTS
    # the copy is a working database: totals of the article's deals, and new ids after the copied ones
    added = run_tracker(target, "add", "--kind", "investment", "--from", "Nvidia", "--to", "Brand New Co",
                        "--amount", "$1B", "--date", "2026-01-02")  # fmt: skip
    assert added.code == 0, added.err
    assert "added deal 101" in added.out
    exported_src = run_tracker(str(source), "export").out.splitlines()
    exported_dst = run_tracker(target, "export").out.splitlines()
    assert exported_dst[:-1] == exported_src  # the same deals CSV, plus the one just added


def test_copy_sqlite_to_a_new_sqlite_file(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    _copy_and_compare(source, str(target))


@pytest.mark.postgres
def test_copy_sqlite_to_postgresql_and_back(source: Path, pg_url: str, tmp_path: Path) -> None:
    _copy_and_compare(source, pg_url)
    back = tmp_path / "back.db"
    result = run_tracker(pg_url, "copy", "--to", str(back))
    assert result.code == 0, result.err
    assert "copied 101 deals" in result.out
    assert _rows(str(back)) == _rows(pg_url)


def test_a_target_holding_data_is_refused_and_left_alone(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "other.db"
    assert run_tracker(str(target), "list").code == 0  # a seeded database
    before = _rows(str(target))
    result = run_tracker(str(source), "copy", "--to", str(target))
    assert result.code == 1
    no_traceback(result.err)
    assert f"tracker: {target} is not empty (it holds 8 deals" in result.err
    assert "nothing was copied" in result.err
    assert _rows(str(target)) == before


@pytest.mark.postgres
def test_a_postgresql_target_holding_data_is_refused(source: Path, pg_url: str) -> None:
    assert run_tracker(pg_url, "list").code == 0  # seeded
    result = run_tracker(str(source), "copy", "--to", pg_url)
    assert result.code == 1
    assert "is not empty (it holds 8 deals" in result.err
    no_traceback(result.err)


def test_copy_onto_itself_is_refused(source: Path) -> None:
    before = _rows(str(source))
    result = run_tracker(str(source), "copy", "--to", str(source))
    assert result.code == 1
    assert "cannot copy" in result.err and "onto itself" in result.err
    assert _rows(str(source)) == before


def test_an_empty_target_made_by_an_earlier_failed_copy_is_accepted(source: Path, tmp_path: Path) -> None:
    """A target that has the schema but no rows (what a killed copy leaves) takes the copy."""
    target = tmp_path / "empty.db"
    assert run_tracker(str(target), "list", empty=True).code == 0
    result = run_tracker(str(source), "copy", "--to", str(target))
    assert result.code == 0, result.err
    assert sqlite_rows(target, "SELECT count(*) FROM deal") == [(100,)]


def test_bad_target_url_is_a_clear_error(source: Path) -> None:
    result = run_tracker(str(source), "copy", "--to", "mysql://u:pw@localhost/x")
    assert result.code == 1
    assert "only SQLite and PostgreSQL are supported" in result.err
    no_traceback(result.err)


def test_a_missing_source_is_refused_without_creating_it(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = run_tracker(str(missing), "copy", "--to", str(tmp_path / "to.db"))
    assert result.code == 1
    assert f"tracker: {missing}: no such database; nothing to copy" in result.err
    assert not missing.exists() and not (tmp_path / "to.db").exists()


@pytest.mark.parametrize("to", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_copy_never_gives_an_id_its_source_gave_before(source: Path, tmp_path: Path, to: str) -> None:
    """The source's newest deal was deleted: its id is not given again, on the source nor on the copy
    (an undo there would otherwise land on someone else's deal)."""
    added = run_tracker(str(source), "add", "--kind", "investment", "--from", "Nvidia", "--to", "Gone Co",
                        "--date", "2026-01-02")  # fmt: skip
    assert added.out.startswith("added deal 101"), added.err
    con = sqlite3.connect(source)
    con.execute("DELETE FROM deal WHERE id = 101")
    con.commit()
    con.close()
    target = str(tmp_path / "copy.db") if to == "sqlite" else reset_pg_schema(str(PG_URL))
    copied = run_tracker(str(source), "copy", "--to", target)
    assert copied.code == 0, copied.err
    for db in (str(source), target):
        again = run_tracker(db, "add", "--kind", "investment", "--from", "Nvidia", "--to", "Next Co",
                            "--date", "2026-01-03")  # fmt: skip
        assert again.code == 0, again.err
        assert again.out.startswith("added deal 102"), (db, again.out)


@pytest.mark.parametrize("how", [KeyboardInterrupt, DatabaseError])
def test_a_copy_that_fails_midway_creates_no_target(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: type[BaseException]
) -> None:
    """The copy into a new file fails after some rows: no file is left at the target (nor beside it), and
    the command says nothing was copied; a file that appeared meanwhile would never be removed, as the
    new database is only linked into place once whole."""
    import tracker.core.storage.copying as copying

    real = copying.insert_rows  # the one write of rows: fail after two tables were written
    calls = 0

    def failing(*args: object, **kwargs: object) -> int:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise how("disk full")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(copying, "insert_rows", failing)
    target = tmp_path / "new.db"
    got = CliRunner().invoke(cli, ["--db", str(source), "copy", "--to", str(target)])
    assert got.exit_code == (130 if how is KeyboardInterrupt else 1), got.output
    assert "nothing was" in got.stderr
    assert [p.name for p in tmp_path.iterdir() if "new.db" in p.name] == []
