"""Deals the app itself would never store, written straight into the tables with the driver: what the
export's tests (tests/core/test_csvexport_fast.py, test_csvexport_parallel.py) compare the paths on.

:class:`RawTables` writes rows with no type processing (NUL, negative or fractional scaled amounts, odd
dates, precisions and vocabulary); :func:`odd_deals` gives one deal per odd value of :data:`VALUES`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracker.core.storage.handle import Database

HOSTILE = [
    "", " ", "x", "'", "''", "'=1", "=1", "''=1", "+1", "-5", "@a", "\t=tab", "\r=cr", "'\t", "a,b", 'say "hi"',
    '"', ",", "line\nbreak", "crlf\r\nend", "cr\ronly", "英伟达", "阿里巴巴集团, Inc.", "🚀", "nul\x00byte",
    "\x00", "a\x00,b", "\x1f", "a\x1fb", "\\", "A", "@", "=", "-", "ｎｖｉｄｉａ", "x" * 300, '=HYPERLINK("x")',
]  # fmt: skip
"""Texts that quoting, defusing or printf() could get wrong."""
DEAL_COLUMNS = (
    "id", "ref", "date", "date_precision", "kind", "from_org_id", "to_org_id", "amount", "currency", "qualifier",
    "amount_text", "capacity_gw", "status", "description", "source_outlet", "source_author", "source_title",
    "source_date", "source_url",
)  # fmt: skip
"""The columns of the deal table that :meth:`RawTables.deals` fills."""
RATES = {
    "EUR": "1.0832", "CNY": "0.138504", "JPY": "0.0066", "GBP": "1.00", "KRW": "0.00000000000000000000123",
    "CHF": "123456789012.5", "XAU": "0", "INR": "12000", "ODD": "1E+3",
}  # fmt: skip
"""The FX rates :meth:`RawTables.reset` stores (tiny, huge, zero, exponent form)."""
ORDINARY: dict[str, Any] = {
    "ref": None, "date": "2025-09-29", "date_precision": "day", "kind": "investment", "from_org_id": 1,
    "to_org_id": 2, "amount": 100_000_000_000_0000, "currency": "USD", "qualifier": "up to", "amount_text": None,
    "capacity_gw": None, "status": "agreed", "description": 'Nvidia invests, "progressively"',
    "source_outlet": "Reuters", "source_author": None, "source_title": "Title", "source_date": "2025-09-22",
    "source_url": "https://example.com",
}  # fmt: skip
"""The value of every column a deal given to :meth:`RawTables.deals` leaves out."""
ORGS = ["Nvidia", "OpenAI", "Oracle, Inc.", "=Evil", "'=x", 'The "Q"', "英伟达", "line\nbreak", "nul\x00org", "-"]
"""The organisations, ids 1 to 10."""
ALLIANCES = ["Stargate", "stargate two", "A, B", "=cmd", "Zeta", "alpha", '"q"', "ａｌｐｈａ"]
"""The alliances, ids 1 to 8."""

VALUES: dict[str, list[Any]] = {
    "date": ["2025-09-29", "2025-09-01", "1899-12-31", "2025-09-29 00:00:00", "2025", "20250929", "x,y", "2025-0\x00"],
    "date_precision": ["day", "month", "year"],
    "kind": ["investment", "purchase", "infrastructure", "partnership", "loan", "a,b", 'q"', "k\x00", "", "=x"],
    "to_org_id": [None, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    # scaled amounts, written as stored (24 digits, schema 0007: a CHECK refuses anything else, so no negative,
    # fractional or text amount can be stored any more); up to 10^18 units with 4 decimals
    "amount": [None, 0, 1, 5000, 10_000, 12_3400, 1_0001, 10**18, 10**18 + 1, 99_999_999_999_999_9999,
               2**63 - 1, 2**63, 10**22, 10**22 - 1, 12_345_678_901_234_567_890_1],
    "currency": [None, "", "USD", "EUR", "CNY", "JPY", "GBP", "KRW", "CHF", "XAU", "INR", "ODD", "XYZ", "usd",
                 "U,S", "US\x00D", "USDX"],
    "qualifier": ["exact", "up to", "at least", "estimated", "undisclosed", "bogus", "a,b", "q\nq"],
    "capacity_gw": [None, 0, 1_5000, 10_000, 1, -1, 10**13, 1.25],
    "status": ["announced", "agreed", "completed", "cancelled", "done", "a,b", "s\x00"],
    "source_date": [None, "", "2025-09-22", "2025-09", "2025", "bad", "2025,09", "2025-09-22\x00", "２０２５"],
}  # fmt: skip
"""The odd values of each column (every free-text column takes the :data:`HOSTILE` texts)."""
for _column in ("ref", "amount_text", "description", "source_outlet", "source_author", "source_title", "source_url"):
    VALUES[_column] = [None, *HOSTILE]


class RawTables:
    """Rows written straight into the tables with the driver (no type processing)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def run(self, sql: str, rows: Sequence[Sequence[Any]] = ((),)) -> None:
        """``sql`` run once per row of ``rows`` (once with no parameters by default), committed."""
        with self.db.write() as conn:
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            cursor.executemany(sql, rows)
            cursor.close()

    def reset(self, *, rates: dict[str, str] = RATES) -> None:
        """No deals; the organisations :data:`ORGS`, the alliances :data:`ALLIANCES` and the FX ``rates``."""
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
        """Insert ``deals`` (each column it leaves out as in :data:`ORDINARY`) and put deal ``d`` in the
        alliances ``alliances[d]``."""
        marks = ", ".join("?" * len(DEAL_COLUMNS))
        self.run(
            f"INSERT INTO deal ({', '.join(DEAL_COLUMNS)}) VALUES ({marks})",
            [tuple(_stored(c, deal.get(c, ORDINARY.get(c))) for c in DEAL_COLUMNS) for deal in deals],
        )
        pairs = [(a, d) for d, ids in (alliances or {}).items() for a in ids]
        self.run("INSERT INTO alliance_deal (alliance_id, deal_id) VALUES (?, ?)", pairs)


def _stored(column: str, value: Any) -> Any:
    """An amount given as its scaled integer, as the deal table stores it (24 digits); anything else as it is."""
    return f"{value:024d}" if column == "amount" and type(value) is int else value


def odd_deals() -> list[dict[str, Any]]:
    """One deal per odd value of :data:`VALUES`, then one from each organisation with no ``to`` party."""
    deals: list[dict[str, Any]] = []
    for column, values in VALUES.items():
        for value in values:
            deals.append({"id": len(deals) + 1, column: value})
    for from_org in range(1, len(ORGS) + 1):
        deals.append({"id": len(deals) + 1, "from_org_id": from_org, "to_org_id": None})
    return deals
