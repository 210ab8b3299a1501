"""The SQLite export path (each line made by SQLite) writes exactly what the general path writes.

The general path (``export_deals(..., fast=False)``: the columns fetched into Python, csv.writer) is the
reference. Deals are written straight into the tables with the driver (tests/support/odd_deals.py), so
values the app itself would never store (NUL, amounts past 64 bits, odd dates, precisions
and vocabulary) are covered too. No timings are asserted.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.odd_deals import ALLIANCES, HOSTILE, ORGS, RATES, VALUES, RawTables, odd_deals
from tracker.core.csvio import linesql
from tracker.core.csvio.cells import csv_cell
from tracker.core.csvio.export import export_deals
from tracker.core.storage.errors import DatabaseError
from tracker.core.storage.handle import Database
from tracker.core.storage.opening import open_database

# the driver's error, or the same told as a one-line DatabaseError by the transaction that ran it
DECODE_ERRORS = (sqlite3.OperationalError, DatabaseError)


def _export(db: Database, *, fast: bool) -> tuple[str, int, list[int]]:
    out = io.StringIO()
    seen: list[int] = []
    n = export_deals(db, out, progress=seen.append, fast=fast)
    return out.getvalue(), n, seen


def _assert_same(db: Database) -> str:
    fast = _export(db, fast=True)
    slow = _export(db, fast=False)
    assert fast[0] == slow[0]
    assert fast[1:] == slow[1:]
    return fast[0]


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RawTables]:
    path: Path = tmp_path_factory.mktemp("fast") / "fast.db"
    db = open_database(path)
    try:
        yield RawTables(db)
    finally:
        db.dispose()


def test_every_odd_value_alone_gives_the_same_file(raw: RawTables) -> None:
    raw.reset()
    deals = odd_deals()
    for currency in [None, "USD", *RATES]:  # every rate with a large amount and a fraction
        for amount in (10**18, 99_999_999_999_999_9999, 10**22, 10**22 - 1, 1_2345, 7):
            deals.append({"id": len(deals) + 1, "currency": currency, "amount": amount})
    alliances = {i: ids for i, ids in enumerate([[1], [1, 2], [3, 4, 5], [6, 7, 8], [8, 6], [2, 5]], start=2)}
    raw.deals(deals, alliances)
    text = _assert_same(raw.db)
    assert len(text.splitlines()) > len(deals)


def test_many_names_to_quote(raw: RawTables, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linesql, "MAX_LISTED_ORGS", 2)
    raw.reset()
    raw.deals([{"id": i, "from_org_id": i % len(ORGS) + 1, "to_org_id": (i * 7) % len(ORGS) + 1} for i in range(1, 60)])
    _assert_same(raw.db)


def test_ordinary_deals_take_the_fast_path_and_match(raw: RawTables) -> None:
    raw.reset()
    raw.deals([{"id": i, "amount": i * 1234, "currency": ["USD", "EUR", "CNY"][i % 3]} for i in range(1, 25_001)])
    text, n, seen = _export(raw.db, fast=True)
    assert n == 25_000 and seen == [10_000, 20_000]
    assert text == _export(raw.db, fast=False)[0]


def test_without_rates_and_without_deals(raw: RawTables) -> None:
    raw.reset(rates={})
    assert _assert_same(raw.db) == ",".join(next(csv.reader(io.StringIO(_export(raw.db, fast=False)[0])))) + "\r\n"
    raw.deals([{"id": 1, "currency": "USD"}, {"id": 2, "currency": "EUR"}])
    _assert_same(raw.db)


@pytest.mark.parametrize(
    ("column", "value", "error"),
    [("date_precision", "week", KeyError), ("date_precision", "Day", KeyError)],  # (an amount is CHECKed: 24 digits)
)
def test_errors_are_the_general_paths_errors(raw: RawTables, column: str, value: Any, error: type[Exception]) -> None:
    raw.reset()
    raw.deals([{"id": 1}, {"id": 2, column: value}])
    with pytest.raises(error):
        _export(raw.db, fast=False)
    with pytest.raises(error):
        _export(raw.db, fast=True)


_TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.text(alphabet="'=+-@\t\r\n\",; a\x00英", max_size=8),
)
_DEAL = st.fixed_dictionaries(
    {column: st.one_of(st.sampled_from(values), _TEXT) if column in ("kind", "status", "qualifier") else
     st.sampled_from(values) for column, values in VALUES.items()}
    | {"description": st.one_of(st.none(), _TEXT), "source_title": st.one_of(st.none(), _TEXT),
       "source_outlet": st.one_of(st.none(), _TEXT), "source_url": st.one_of(st.none(), _TEXT),
       "amount": st.one_of(st.sampled_from(VALUES["amount"]), st.integers(min_value=0, max_value=10**22))}
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_DEAL, min_size=1, max_size=12), st.lists(st.lists(st.integers(1, len(ALLIANCES)), max_size=4)))
def test_random_deals_give_the_same_file(raw: RawTables, deals: list[dict[str, Any]], groups: list[list[int]]) -> None:
    raw.reset()
    raw.deals(
        [dict(d, id=i, ref=None if d["ref"] is None else f"{d['ref']}{i}") for i, d in enumerate(deals, 1)],
        {i: sorted(set(g)) for i, g in enumerate(groups[: len(deals)], 1)},
    )
    _assert_same(raw.db)


@pytest.mark.parametrize("text", [*HOSTILE, "\n", "\r", "a\rb", "\x01", " x ", "'", "x,"])
def test_csv_cell_is_csv_writer(text: str) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([text, ""])
    assert out.getvalue() == csv_cell(text) + ",\r\n"


def test_the_driver_keeps_a_nul(raw: RawTables) -> None:
    """The NUL cases above mean something only if SQLite stores the text after a NUL."""
    raw.reset()
    raw.deals([{"id": 1, "description": "a\x00b"}])
    with raw.db.read() as conn:
        cursor: sqlite3.Cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        assert cursor.execute("SELECT description FROM deal").fetchall() == [("a\x00b",)]


def test_text_that_is_not_utf8_fails_as_on_the_general_path(raw: RawTables) -> None:
    raw.reset()
    raw.deals([{"id": 1}, {"id": 2}, {"id": 3}])
    raw.run("UPDATE deal SET description = CAST(x'ff41' AS TEXT) WHERE id = 2")
    with pytest.raises(DECODE_ERRORS, match="decode"):
        _export(raw.db, fast=False)
    with pytest.raises(DECODE_ERRORS, match="decode"):
        _export(raw.db, fast=True)
