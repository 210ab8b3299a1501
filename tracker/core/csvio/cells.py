"""How the export writes single cells, and the Python functions its SQLite query calls for the rare cells
SQLite cannot make itself (see tracker/core/csvio/linesql.py).

Light on purpose (no SQLAlchemy): the export's worker processes (tracker/core/csvio/worker.py) import
only this module, so they start in a few tens of milliseconds.
"""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Any

from tracker.core.domain.formula import defuse
from tracker.core.domain.namelist import join_names
from tracker.core.domain.names import name_key
from tracker.core.domain.scaled import FACTOR, SCALE

BROKEN = "\x00"
"""A NUL: a line holding one is made again by the general path (printf() would cut the text there)."""
# The names of the SQL functions that ExportFunctions.register() gives the connection
CELL_FUNCTION = "tracker_export_cell"
USD_FUNCTION = "tracker_export_usd"
ALLIANCES_FUNCTION = "tracker_export_alliances"


def plain(scaled: int | None) -> str:
    """A stored integer of 10^-4 units as a plain decimal number."""
    if scaled is None:
        return ""
    whole, frac = divmod(int(scaled), FACTOR)
    if not frac:
        return str(whole)
    return f"{whole}.{frac:0{SCALE}d}".rstrip("0")


_EXACT = Context(prec=80)
"""Exact for any product of a stored amount (at most 24 digits) and a rate (at most 40 characters)."""


def usd_scaled(scaled: int, rate: Decimal) -> int:
    """A stored amount (10^-SCALE units) times a rate, truncated to 10^-SCALE units: the amount_usd cell."""
    return int(_EXACT.multiply(Decimal(scaled), rate))


def csv_cell(text: str) -> str:
    """``text`` as csv.writer writes a cell (QUOTE_MINIMAL, lineterminator ``\\r\\n``)."""
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


class ExportFunctions:
    """The Python side of the query: cells made by the general path's code, and the deals whose line
    the general path must make again (``broken``)."""

    def __init__(self, rates: dict[str, Decimal]) -> None:
        self.rates = rates
        self.broken: set[int] = set()
        self.alliance_cells: dict[str, str] = {}

    def cell(self, deal_id: int, value: Any, defused: int) -> str:
        if type(value) is not str or BROKEN in value:
            self.broken.add(deal_id)
            return ""
        return csv_cell(defuse(value) if defused else value)

    def usd(self, deal_id: int, amount: Any, currency: Any) -> str:
        try:
            return plain(usd_scaled(int(amount), self.rates[currency]))
        except Exception:
            self.broken.add(deal_id)  # the general path raises the same error
            return ""

    def alliances(self, deal_id: int, names: Any) -> str:
        cell = self.alliance_cells.get(names)
        if cell is None:
            if type(names) is not str or BROKEN in names:
                self.broken.add(deal_id)
                return ""
            cell = csv_cell(defuse(join_names(sorted(names.split("\x1f"), key=name_key)))) if names else ""
            if len(self.alliance_cells) < 10_000:
                self.alliance_cells[names] = cell
        return cell

    def register(self, driver: Any) -> None:
        driver.create_function(CELL_FUNCTION, 3, self.cell, deterministic=True)
        driver.create_function(USD_FUNCTION, 3, self.usd, deterministic=True)
        driver.create_function(ALLIANCES_FUNCTION, 2, self.alliances, deterministic=True)
