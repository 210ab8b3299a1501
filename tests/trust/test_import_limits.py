"""The import's limits are checked at the door, the same on both backends (issue 17: findings 18 and 21).

- 18: deal ids are 1 .. 2^63-1 (a BIGINT's range) everywhere; a row with a large id does not stop later
  rows without one from getting ids, and a row left without an id is a clear error. A name whose NFKC
  key outgrows its column (150 × U+FDFA), and a NUL character after the first 8 KiB, are refused with the
  line, on SQLite (which would store them) as on PostgreSQL (which would fail in the middle).
- 21: a re-import of rows without ids matches them in sets: a handful of queries per thousand rows, not
  one (or more) a row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from tests.support.processes import Proc, no_traceback
from tracker.core.csvio.importer import import_deals
from tracker.core.storage.handle import Database

MAX_ID = 2**63 - 1
HEADER = "id,date,kind,from_org,to_org,amount,currency,description\n"


def _ids(run_cli: Callable[..., Proc], search: str) -> list[int]:
    result = run_cli("list", "--search", search, "--format", "json")
    assert result.code == 0, result.err
    return sorted(int(d["id"]) for d in json.loads(result.out))


def _refused(result: Proc, *expected: str) -> None:
    assert result.code == 1, result
    no_traceback(result.err)
    for text in expected:
        assert text in result.err, (text, result.err)


@pytest.mark.parametrize("big", [2**31, 2**62, MAX_ID - 1])
def test_a_large_id_does_not_stop_later_rows_without_one(run_cli, tmp_path: Path, big: int) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "big.csv"
    f.write_text(HEADER + f"{big},2025-01-01,investment,Big Id Co,Other Co,1,USD,x\n", encoding="utf-8")
    first = run_cli("import", str(f))
    assert first.code == 0, first.err
    g = tmp_path / "later.csv"
    g.write_text(HEADER + ",2025-01-02,investment,Big Id Co,Other Co,2,USD,y\n", encoding="utf-8")
    later = run_cli("import", str(g))
    assert later.code == 0, later.err
    assert "added 1" in later.out
    assert _ids(run_cli, "Big Id Co") == [big, big + 1]


def test_no_id_left_is_a_clear_error_and_writes_nothing(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "max.csv"
    f.write_text(HEADER + f"{MAX_ID},2025-01-01,investment,Max Id Co,Other Co,1,USD,x\n"
                 ",2025-01-02,investment,Max Id Co,Other Co,2,USD,y\n", encoding="utf-8")  # fmt: skip
    _refused(run_cli("import", str(f)), "line 3", "no deal id is left", str(MAX_ID))
    assert _ids(run_cli, "Max Id Co") == []
    f.write_text(HEADER + f"{MAX_ID},2025-01-01,investment,Max Id Co,Other Co,1,USD,x\n", encoding="utf-8")
    assert run_cli("import", str(f)).code == 0  # the largest id itself is a good id
    assert _ids(run_cli, "Max Id Co") == [MAX_ID]


@pytest.mark.parametrize("value", [str(MAX_ID + 1), "0", str(10**30)])
def test_an_id_outside_the_range_is_refused_at_the_door(run_cli, tmp_path: Path, value: str) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "out.csv"
    f.write_text(HEADER + f"{value},2025-01-01,investment,Range Co,Other Co,1,USD,x\n", encoding="utf-8")
    _refused(run_cli("import", str(f)), "line 2", f"id '{value}'", f"from 1 to {MAX_ID}")


@pytest.mark.parametrize("column", ["from_org", "to_org", "alliances"])
def test_a_name_whose_key_outgrows_its_column_is_refused_with_the_line(run_cli, tmp_path: Path, column: str) -> None:  # type: ignore[no-untyped-def]
    wide = "\ufdfa" * 150  # 150 characters; NFKC makes each one 18
    cells = {"from_org": "Key Co", "to_org": "Other Co", "alliances": "Fine Alliance"}
    cells[column] = wide
    f = tmp_path / "key.csv"
    f.write_text("date,kind,from_org,to_org,alliances\n2025-01-01,investment,Good Co,Other Co,\n"
                 f"2025-01-02,investment,{cells['from_org']},{cells['to_org']},{cells['alliances']}\n",
                 encoding="utf-8")  # fmt: skip
    _refused(run_cli("import", str(f)), "line 3", column, "2,700 characters long in its look-up form")
    assert _ids(run_cli, "Good Co") == []


def test_a_nul_after_the_first_8_kib_is_refused_with_the_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = "".join(f",2024-01-{1 + i % 28:02d},investment,Nul Co,Other Co,{i + 1},USD,row {i:04d} {'x' * 60}\n"
                   for i in range(300))  # fmt: skip
    assert len(rows) > 8192 * 2
    f = tmp_path / "nul.csv"
    f.write_text(HEADER + rows + ",2025-01-01,investment,Nul Co,Other Co,1,USD,a \x00 in here\n", encoding="utf-8")
    result = run_cli("import", str(f))
    _refused(result, "line 302", "description", "NUL character")
    assert "\x00" not in result.err
    assert _ids(run_cli, "Nul Co") == []


@contextmanager
def _counting_deal_selects(db: Database) -> Iterator[list[str]]:
    """Every SELECT on the deal and alliance_deal tables that ``db`` runs meanwhile, through SQLAlchemy or
    the driver."""
    seen: list[str] = []

    def on_sql(statement: str) -> None:
        s = " ".join(statement.split()).lower()
        if s.startswith("select") and (" from deal" in s or " from alliance_deal" in s):
            seen.append(s)

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not db.is_sqlite:
            on_sql(statement)

    def checkout(dbapi: Any, record: Any, proxy: Any) -> None:
        if db.is_sqlite:
            dbapi.set_trace_callback(on_sql)  # the driver's own statements too

    def checkin(dbapi: Any, record: Any) -> None:
        if db.is_sqlite:
            dbapi.set_trace_callback(None)

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine.pool, "checkout", checkout)
    event.listen(db.engine.pool, "checkin", checkin)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine.pool, "checkout", checkout)
        event.remove(db.engine.pool, "checkin", checkin)


def test_a_reimport_without_ids_matches_in_sets(db: Database, tmp_path: Path) -> None:
    n = 5000
    f = tmp_path / "many.csv"
    f.write_text(
        "date,kind,from_org,to_org,amount,currency,alliances,description\n"
        + "".join(f"20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d},investment,Set Co {i % 50},Other Co {i % 70},"
                  f"{i + 1},USD,{'Set Alliance' if i % 3 == 0 else ''},deal {i}\n" for i in range(n)),
        encoding="utf-8",
    )  # fmt: skip
    first = import_deals(db, f)
    assert first.added == n
    with _counting_deal_selects(db) as selects:
        again = import_deals(db, f)
    assert (again.added, again.updated, again.unchanged) == (0, 0, n)
    assert len(selects) < n // 50, len(selects)  # about 2 per thousand rows; it was one (or two) a row
