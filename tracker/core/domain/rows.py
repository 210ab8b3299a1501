"""One row of the deals table, with raw values (the caller formats them).

A module of its own, light on purpose: the core's keyset pages (``deals.py``) and the app's stdlib first
page (``quickpage.py``) build the same rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class DealRow:
    """One row of the deals table: raw values, formatted by the caller."""

    id: int
    date: dt.date
    date_precision: str
    kind: str
    from_org: str
    to_org: str | None
    amount: Decimal | None
    currency: str | None
    qualifier: str
    capacity_gw: Decimal | None
    status: str
    description: str | None
    sort_value: Any
    capacity_qualifier: str | None = None
    confidence: str = "unsourced"
    """Derived from the deal's sources (schema 0011): confirmed, reported, rumored or unsourced."""

    @property
    def key(self) -> tuple[Any, int]:
        return (self.sort_value, self.id)
