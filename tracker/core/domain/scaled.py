"""How money is stored: an exact integer count of 10^-SCALE units of its currency (the one copy of the scale).

SQLite has no decimal type (its NUMERIC is a float), so an amount is kept as ``amount × 10^SCALE`` in a
BIGINT on both backends, and sums are done on those integers.
"""

from __future__ import annotations

from decimal import Decimal

SCALE: int = 4
"""Decimal places kept of every amount (and of capacity in GW)."""
FACTOR: int = 10**SCALE
"""Stored units per unit of currency."""


def from_scaled(value: int) -> Decimal:
    """A stored integer count of 10^-SCALE units (or an exact SQL sum of them) as a normalised Decimal."""
    d = Decimal(int(value)).scaleb(-SCALE)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def to_scaled(value: Decimal) -> int:
    """``value`` in stored units; ``value`` must have at most SCALE decimals (the parser guarantees it)."""
    return int(value.scaleb(SCALE))
