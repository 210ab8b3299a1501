"""The bounds of a usable FX rate (1 unit = ``rate`` USD), stdlib only: the first page reads rates with
``sqlite3`` before the core loads and must drop the same rates the totals drop.

Why these bounds: tracker/core/records/fx.py (which refuses a rate outside them when one is set)."""

from __future__ import annotations

from decimal import Decimal

MIN_RATE = Decimal("0.000000001")
"""The smallest rate accepted: 1 unit = 10^-9 USD."""
MAX_RATE = Decimal("1000000000")
"""The largest rate accepted: 1 unit = 10^9 USD."""
RATE_BASE = "USD"
"""The currency every rate is stored against (its own rate is 1)."""


def usable_rate(value: Decimal, currency: str | None = None) -> bool:
    """Whether a stored rate can be used: finite, from MIN_RATE to MAX_RATE, and 1 for USD itself."""
    if not (value.is_finite() and MIN_RATE <= value <= MAX_RATE):
        return False
    return currency != RATE_BASE or value == 1
