"""How money is stored: an exact integer count of 10^-SCALE units of its currency (the one copy of the scale).

An amount may be up to ``MAX_UNITS`` (10^18) units with SCALE (4) decimals: 10^22 stored units, past the 64
bits of an SQL integer. SQLite has no exact type beyond 64 bits (its NUMERIC is a float), so since schema
0007 an amount is kept as its count of 10^-SCALE units written with exactly ``DIGITS`` decimal digits
(zero-padded text, ``C`` collation on PostgreSQL), the same on both backends: equal-width digit strings
compare as the numbers do, so the amount's sort index orders amounts exactly, and SQL sums cut the digits
into two integer parts (``substr``) that cannot overflow. Capacity (GW) stays an integer count of 10^-SCALE
GW in a BIGINT.
"""

from __future__ import annotations

from decimal import Decimal

SCALE: int = 4
"""Decimal places kept of every amount (and of capacity in GW)."""
FACTOR: int = 10**SCALE
"""Stored units per unit of currency."""
DIGITS: int = 24
"""Digits of a stored amount (its count of 10^-SCALE units, zero-padded): room for 10^20 units."""
MAX_UNITS: int = 10**18
"""The largest amount (units of its currency): 10^18, a quintillion (4.5 × 10^14 KRW is 450조원)."""
PART_DIGITS: int = 11
"""The low part of a stored amount in sums (its last 11 digits); the high part is the first DIGITS - 11."""
PART: int = 10**PART_DIGITS
"""An amount in SQL sums is ``high × PART + low``: each part of a deal is below 10^11 (MAX_UNITS × FACTOR /
PART), so sums of up to 92 million deals of the largest amount fit 64 bits."""


def from_scaled(value: int | str) -> Decimal:
    """A stored count of 10^-SCALE units (an int, the stored digits, or an exact SQL sum) as a normalised Decimal."""
    d = Decimal(int(value)).scaleb(-SCALE)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def to_scaled(value: Decimal) -> int:
    """``value`` in stored units; ``value`` must have at most SCALE decimals (the parser guarantees it)."""
    return int(value.scaleb(SCALE))


def to_digits(scaled: int) -> str:
    """A count of 10^-SCALE units as it is stored: exactly DIGITS decimal digits."""
    if not 0 <= scaled < 10**DIGITS:
        raise ValueError(f"amount {from_scaled(scaled)}: outside 0 to {MAX_UNITS:,}")
    return f"{scaled:0{DIGITS}d}"


def amount_digits(value: Decimal | None) -> str | None:
    """An amount (at most SCALE decimals) as stored (:func:`to_digits`), None kept."""
    if value is None:
        return None
    scaled = value.scaleb(SCALE)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {SCALE} decimal places")
    return to_digits(int(scaled))
