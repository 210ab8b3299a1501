"""The SQLite export path (each line made by SQLite) writes exactly what the general path writes.

The general path (``export_deals(..., fast=False)``: the columns fetched into Python, csv.writer) is the
reference. Deals are written straight into the tables with the driver, so values the app itself would
never store (NUL, negative or fractional scaled amounts, odd dates, precisions and vocabulary) are covered
too. No timings are asserted.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.core.csvio import export as csvexport
from tracker.core.csvio.export import _csv_cell, export_deals
from tracker.core.storage.database import Database, open_database

HOSTILE = [
    "", " ", "x", "'", "''", "'=1", "=1", "''=1", "+1", "-5", "@a", "\t=tab", "\r=cr", "'\t", "a,b", 'say "hi"',
    '"', ",", "line\nbreak", "crlf\r\nend", "cr\ronly", "英伟达", "阿里巴巴集团, Inc.", "🚀", "nul\x00byte",
    "\x00", "a\x00,b", "\x1f", "a\x1fb", "\\", "A", "@", "=", "-", "ｎｖｉｄｉａ", "x" * 300, '=HYPERLINK("x")',
]  # fmt: skip
DEAL_COLUMNS = (
    "id", "ref", "date", "date_precision", "kind", "from_org_id", "to_org_id", "amount", "currency", "qualifier",
    "amount_text", "capacity_gw", "status", "description", "source_outlet", "source_author", "source_title",
    "source_date", "source_url",
)  # fmt: skip
RATES = {
    "EUR": "1.0832", "CNY": "0.138504", "JPY": "0.0066", "GBP": "1.00", "KRW": "0.00000000000000000000123",
    "CHF": "123456789012.5", "XAU": "0", "INR": "12000", "ODD": "1E+3",
}  # fmt: skip
ORDINARY: dict[str, Any] = {
    "ref": None, "date": "2025-09-29", "date_precision": "day", "kind": "investment", "from_org_id": 1,
    "to_org_id": 2, "amount": 100_000_000_000_0000, "currency": "USD", "qualifier": "up to", "amount_text": None,
    "capacity_gw": None, "status": "agreed", "description": 'Nvidia invests, "progressively"',
    "source_outlet": "Reuters", "source_author": None, "source_title": "Title", "source_date": "2025-09-22",
    "source_url": "https://example.com",
}  # fmt: skip
ORGS = ["Nvidia", "OpenAI", "Oracle, Inc.", "=Evil", "'=x", 'The "Q"', "英伟达", "line\nbreak", "nul\x00org", "-"]
ALLIANCES = ["Stargate", "stargate two", "A, B", "=cmd", "Zeta", "alpha", '"q"', "ａｌｐｈａ"]

VALUES: dict[str, list[Any]] = {
    "date": ["2025-09-29", "2025-09-01", "1899-12-31", "2025-09-29 00:00:00", "2025", "20250929", "x,y", "2025-0\x00"],
    "date_precision": ["day", "month", "year"],
    "kind": ["investment", "purchase", "infrastructure", "partnership", "loan", "a,b", 'q"', "k\x00", "", "=x"],
    "to_org_id": [None, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    "amount": [None, 0, 1, 5000, 10_000, 12_3400, 1_0001, 10**18, 10**18 + 1, 99_999_999_999_999_9999, -1,
               -15000, -(10**18), 2**63 - 1, 1.5, 2.0],
    "currency": [None, "", "USD", "EUR", "CNY", "JPY", "GBP", "KRW", "CHF", "XAU", "INR", "ODD", "XYZ", "usd",
                 "U,S", "US\x00D", "USDX"],
    "qualifier": ["exact", "up to", "at least", "estimated", "undisclosed", "bogus", "a,b", "q\nq"],
    "capacity_gw": [None, 0, 1_5000, 10_000, 1, -1, 10**13, 1.25],
    "status": ["announced", "agreed", "completed", "cancelled", "done", "a,b", "s\x00"],
    "source_date": [None, "", "2025-09-22", "2025-09", "2025", "bad", "2025,09", "2025-09-22\x00", "２０２５"],
}  # fmt: skip
for _column in ("ref", "amount_text", "description", "source_outlet", "source_author", "source_title", "source_url"):
    VALUES[_column] = [None, *HOSTILE]


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


class _Raw:
    """Rows written straight into the tables with the driver (no type processing)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def run(self, sql: str, rows: Sequence[Sequence[Any]] = ((),)) -> None:
        with self.db.write() as conn:
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            cursor.executemany(sql, rows)
            cursor.close()

    def reset(self, *, rates: dict[str, str] = RATES) -> None:
        for table in ("alliance_deal", "deal", "alliance", "fx_rate", "org_alias", "organization"):
            self.run(f"DELETE FROM {table}")
        self.run(
            "INSERT INTO organization (id, name, name_key) VALUES (?, ?, ?)",
            [(i, name, f"key{i}") for i, name in enumerate(ORGS, 1)],
        )
        self.run(
            "INSERT INTO alliance (id, name, name_key) VALUES (?, ?, ?)",
            [(i, name, f"key{i}") for i, name in enumerate(ALLIANCES, 1)],
        )
        self.run(
            "INSERT INTO fx_rate (currency, rate, as_of) VALUES (?, ?, '2025-01-01')",
            list(rates.items()),
        )

    def deals(self, deals: Sequence[dict[str, Any]], alliances: dict[int, Sequence[int]] | None = None) -> None:
        marks = ", ".join("?" * len(DEAL_COLUMNS))
        self.run(
            f"INSERT INTO deal ({', '.join(DEAL_COLUMNS)}) VALUES ({marks})",
            [tuple(deal.get(c, ORDINARY.get(c)) for c in DEAL_COLUMNS) for deal in deals],
        )
        pairs = [(a, d) for d, ids in (alliances or {}).items() for a in ids]
        self.run("INSERT INTO alliance_deal (alliance_id, deal_id) VALUES (?, ?)", pairs)


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Raw]:
    path: Path = tmp_path_factory.mktemp("fast") / "fast.db"
    db = open_database(path)
    try:
        yield _Raw(db)
    finally:
        db.dispose()


def odd_deals() -> list[dict[str, Any]]:
    """One deal per odd value of :data:`VALUES`, then one from each organisation with no ``to`` party."""
    deals: list[dict[str, Any]] = []
    for column, values in VALUES.items():
        for value in values:
            deals.append({"id": len(deals) + 1, column: value})
    for from_org in range(1, len(ORGS) + 1):
        deals.append({"id": len(deals) + 1, "from_org_id": from_org, "to_org_id": None})
    return deals


def test_every_odd_value_alone_gives_the_same_file(raw: _Raw) -> None:
    raw.reset()
    deals = odd_deals()
    for currency in [None, "USD", *RATES]:  # every rate with a large amount and a fraction
        for amount in (10**18, 99_999_999_999_999_9999, 1_2345, 7):
            deals.append({"id": len(deals) + 1, "currency": currency, "amount": amount})
    alliances = {i: ids for i, ids in enumerate([[1], [1, 2], [3, 4, 5], [6, 7, 8], [8, 6], [2, 5]], start=2)}
    raw.deals(deals, alliances)
    text = _assert_same(raw.db)
    assert len(text.splitlines()) > len(deals)


def test_many_names_to_quote(raw: _Raw, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvexport, "_MAX_LISTED_ORGS", 2)
    raw.reset()
    raw.deals([{"id": i, "from_org_id": i % len(ORGS) + 1, "to_org_id": (i * 7) % len(ORGS) + 1} for i in range(1, 60)])
    _assert_same(raw.db)


def test_ordinary_deals_take_the_fast_path_and_match(raw: _Raw) -> None:
    raw.reset()
    raw.deals([{"id": i, "amount": i * 1234, "currency": ["USD", "EUR", "CNY"][i % 3]} for i in range(1, 25_001)])
    text, n, seen = _export(raw.db, fast=True)
    assert n == 25_000 and seen == [10_000, 20_000]
    assert text == _export(raw.db, fast=False)[0]


def test_without_rates_and_without_deals(raw: _Raw) -> None:
    raw.reset(rates={})
    assert _assert_same(raw.db) == ",".join(next(csv.reader(io.StringIO(_export(raw.db, fast=False)[0])))) + "\r\n"
    raw.deals([{"id": 1, "currency": "USD"}, {"id": 2, "currency": "EUR"}])
    _assert_same(raw.db)


@pytest.mark.parametrize(
    ("column", "value", "error"),
    [("date_precision", "week", KeyError), ("date_precision", "Day", KeyError), ("amount", "abc", TypeError)],
)
def test_errors_are_the_general_paths_errors(raw: _Raw, column: str, value: Any, error: type[Exception]) -> None:
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
       "amount": st.one_of(st.sampled_from(VALUES["amount"]), st.integers(min_value=0, max_value=2**63 - 1))}
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_DEAL, min_size=1, max_size=12), st.lists(st.lists(st.integers(1, len(ALLIANCES)), max_size=4)))
def test_random_deals_give_the_same_file(raw: _Raw, deals: list[dict[str, Any]], groups: list[list[int]]) -> None:
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
    assert out.getvalue() == _csv_cell(text) + ",\r\n"


def test_the_driver_keeps_a_nul(raw: _Raw) -> None:
    """The NUL cases above mean something only if SQLite stores the text after a NUL."""
    raw.reset()
    raw.deals([{"id": 1, "description": "a\x00b"}])
    with raw.db.read() as conn:
        cursor: sqlite3.Cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        assert cursor.execute("SELECT description FROM deal").fetchall() == [("a\x00b",)]


def test_text_that_is_not_utf8_fails_as_on_the_general_path(raw: _Raw) -> None:
    raw.reset()
    raw.deals([{"id": 1}, {"id": 2}, {"id": 3}])
    raw.run("UPDATE deal SET description = CAST(x'ff41' AS TEXT) WHERE id = 2")
    with pytest.raises(sqlite3.OperationalError, match="decode"):
        _export(raw.db, fast=False)
    with pytest.raises(sqlite3.OperationalError, match="decode"):
        _export(raw.db, fast=True)
