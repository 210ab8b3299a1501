"""The totals pane's rows sorted by any of its columns (`s`, `S`, a click on a header): names and sides
alphabetically (case-folded), counts and figures by value (``no rate``: by its deals, since sums in different
currencies do not compare); a row without the figure (``-``) always last."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracker.core.analysis.totals import TotalsRow

__all__ = ["COLUMNS", "sort_rows"]

COLUMNS: tuple[str, ...] = (
    "name", "side", "deals", "exact", "up to", "at least", "estimated", "undisclosed", "GW", "no rate",
)  # fmt: skip
"""The table's columns in order (a grouping without sides has no ``side`` column)."""


def _value(row: TotalsRow, column: str) -> Any:
    f = row.figures
    if column == "name":
        return row.label.casefold()
    if column == "side":
        return (row.side or "").casefold()
    if column == "deals":
        return f.deals
    if column == "undisclosed":
        return f.undisclosed
    if column == "GW":
        return f.gw()
    if column == "no rate":
        return sum(n for _c, _a, n in f.unrated) if f.unrated else None  # deals: native sums are not comparable
    return f.figure(column)


def sort_rows(rows: Sequence[TotalsRow], column: int | None, descending: bool) -> list[TotalsRow]:
    """``rows`` by ``COLUMNS[column]`` (None: as given), ties in the given order; rows without a value last."""
    if column is None:
        return list(rows)
    name = COLUMNS[column]
    present = [r for r in rows if _value(r, name) is not None]
    absent = [r for r in rows if _value(r, name) is None]
    return sorted(present, key=lambda r: _value(r, name), reverse=descending) + absent
