"""The deals table's cells as plain text, from any row with DealRow's fields.

Light on purpose (money and dates only, no SQLAlchemy): the first screen formats rows read by
``tracker.core.records.firstpage`` before the core has loaded, with the same functions as every later page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tracker.core.domain.amount_format import format_amount
from tracker.core.domain.capacity import format_capacity
from tracker.core.domain.columns import OPTIONAL_COLUMNS
from tracker.core.domain.dates import format_date
from tracker.core.domain.text import visible
from tracker.ui.widgets.table_data import Column, Row

COLUMNS: tuple[Column, ...] = (
    Column("date", "Date", width=10),
    Column("from", "From"),
    Column("to", "To"),
    Column("amount", "Amount", width=11, align="right"),
    Column("value", "USD", width=9, align="right"),  # the key of the value sort (s reaches it, a click sorts)
    Column("kind", "Kind", width=14),
    Column("status", "Status", width=9),
)
"""Display order: what matters most fits 80 columns; the table scrolls sideways for the rest."""
EXTRA: dict[str, Column] = {
    "id": Column("id", "Id", width=6, align="right"),
    "capacity": Column("capacity", "GW", width=12, align="right"),
    "alliances": Column("alliances", "Alliances"),
    "description": Column("description", "Description"),
    "confidence": Column("confidence", "Confidence", width=10),
}
"""The columns the column chooser shows or hides (tracker.core.domain.columns): the id first, the rest after
the fixed columns. A saved view and the settings file name them."""


FIXED_KEYS = frozenset(c.key for c in COLUMNS)


def _shown(extra: tuple[str, ...]) -> list[bool]:
    """Which of ``COLUMNS`` are shown: all, but a fixed column the chooser may hide (confidence) only if in
    ``extra``."""
    return [c.key not in OPTIONAL_COLUMNS or c.key in extra for c in COLUMNS]


def _tail(extra: tuple[str, ...]) -> list[str]:
    """The optional columns shown after the fixed ones (those not among them already)."""
    return [c for c in EXTRA if c != "id" and c in extra and c in OPTIONAL_COLUMNS and c not in FIXED_KEYS]


def columns_for(extra: tuple[str, ...]) -> tuple[Column, ...]:
    """The table's columns with the optional ``extra`` ones (in their display order)."""
    head = (EXTRA["id"],) if "id" in extra else ()
    fixed = [c for c, shown in zip(COLUMNS, _shown(extra), strict=True) if shown]
    return (*head, *fixed, *(EXTRA[c] for c in _tail(extra)))


def usd_text(row: Any, rates: dict[str, Any]) -> str:
    """The amount in the reporting currency, compact (the normalised-currency column)."""
    if row.amount is None or row.qualifier == "undisclosed" or not row.currency:
        return ""
    rate = rates.get(row.currency)
    if rate is None:
        return "?"
    try:
        usd = (row.amount * rate.rate).quantize(Decimal(1))
    except ArithmeticError:  # a rate stored before rates were bounded (the first page reads them raw)
        return "?"
    return format_amount(usd, "USD", row.qualifier)


def cells_of(
    row: Any, rates: dict[str, Any], extra: tuple[str, ...] = (), alliances: dict[int, list[str]] | None = None
) -> tuple[str, ...]:
    """A row's cells; names (and anything else from the data) with control characters shown escaped.
    ``extra``: the optional columns shown (:func:`columns_for`); ``alliances``: each deal's alliance names."""
    cells = _fixed(row, rates)
    shown = _shown(extra)
    if not extra and all(shown):
        return cells
    head = (str(row.id),) if "id" in extra else ()
    fixed = tuple(cell for cell, on in zip(cells, shown, strict=True) if on)
    tail: list[str] = []
    for column in _tail(extra):
        if column == "capacity":
            tail.append(visible(format_capacity(row.capacity_gw, row.capacity_qualifier)))
        elif column == "alliances":
            tail.append(visible("; ".join((alliances or {}).get(row.id, []))))
        elif column == "confidence":
            tail.append(visible(getattr(row, "confidence", None) or ""))
        else:
            tail.append(visible(" ".join((row.description or "").split())))
    return (*head, *fixed, *tail)


def _fixed(row: Any, rates: dict[str, Any]) -> tuple[str, ...]:
    return (
        format_date(row.date, row.date_precision),
        visible(row.from_org),
        visible(row.to_org) if row.to_org else "—",
        visible(format_amount(row.amount, row.currency, row.qualifier)),
        usd_text(row, rates),
        visible(row.kind),
        visible(row.status),
    )


class PreviewSource:
    """The first page read by ``tracker.core.records.firstpage``, shown until the real source replaces it.

    Rows past the first page are not known yet: they stay "loading" until the database is open.
    """

    in_memory = True
    """Its pages are in memory: the table reads them on the UI thread (see PagedTable._start_load)."""

    def __init__(
        self, rows: list[Any], count: int, rates: dict[str, Any], *, more: bool = False, extra: tuple[str, ...] = ()
    ) -> None:
        """``extra``: the optional columns shown (the alliances stay empty until the database is open)."""
        self.columns = columns_for(extra)
        self._raw = rows
        self._rates = rates
        self._rows = [Row(key=r.key, id=r.id, cells=cells_of(r, rates, extra)) for r in rows]
        self._count = count
        self.capped = more
        """The count is a floor (shown as ``20,000+``); the exact one comes with the database."""
        self.exact_pending = True
        """Never counted exactly here (the main screen's exact count is for a real source)."""

    def with_columns(self, extra: tuple[str, ...]) -> PreviewSource:
        """The same page with the optional columns ``extra``."""
        return PreviewSource(self._raw, self._count, self._rates, more=self.capped, extra=extra)

    def count(self) -> int:
        return self._count

    def page_after(self, key: Any | None, limit: int) -> list[Row]:
        if key is None:
            return self._rows[:limit]
        keys = [r.key for r in self._rows]
        return self._rows[keys.index(key) + 1 :][:limit] if key in keys else []

    def page_before(self, key: Any, limit: int) -> list[Row]:
        return []

    def page_at(self, index: int, limit: int) -> list[Row]:
        return self._rows[index : index + limit]
