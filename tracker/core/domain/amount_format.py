"""Amounts written out: plain digits for CSV (:func:`format_plain`), compact text for people
(:func:`format_amount`: "$100B", "≤ CNY 380B") and a form's live reading of what was typed (:func:`describe`).

Exact (``Decimal`` only, never an exponent), so what :func:`format_plain` writes the parser reads back
unchanged. Standard library only.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TYPE_CHECKING

from tracker.core.domain.amount_parser import AmountError, normalise_currency, normalise_qualifier

if TYPE_CHECKING:
    from tracker.core.domain.amount_parser import ParsedAmount

__all__ = ["describe", "format_amount", "format_grouped", "format_plain"]


def format_plain(amount: Decimal | None) -> str:
    """Plain digits for CSV: "" for None, no exponent, no trailing zeros ("12.5")."""
    if amount is None:
        return ""
    if not amount.is_finite():
        raise AmountError(f"amount '{amount}': not a finite number")
    if amount.is_zero():
        return "0"
    plain = f"{amount:f}"
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".")
    return plain


_UNITS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("1e12"), "T"),
    (Decimal("1e9"), "B"),
    (Decimal("1e6"), "M"),
    (Decimal("1e3"), "K"),
    (Decimal(1), ""),
)
_CENT = Decimal("0.01")
_THOUSAND = Decimal(1000)


def _compact(amount: Decimal) -> str:
    """12345 -> "12.35K", 1.5e12 -> "1.5T", 999 -> "999" (2 decimals, half up)."""
    if amount < 0:
        return "-" + _compact(-amount)
    if amount < 1:
        return format_plain(amount)
    with localcontext() as ctx:
        ctx.prec = max(60, len(amount.as_tuple().digits) + 10)
        for index, (size, suffix) in enumerate(_UNITS):
            if amount < size:
                continue
            scaled = (amount / size).quantize(_CENT, rounding=ROUND_HALF_UP)
            if scaled >= _THOUSAND and index > 0:  # 999.999K rounds up to 1M
                size, suffix = _UNITS[index - 1]
                scaled = (amount / size).quantize(_CENT, rounding=ROUND_HALF_UP)
            return format_plain(scaled) + suffix
    return format_plain(amount)  # pragma: no cover - amount >= 1 always matches a unit


_SIGNS: dict[str, str] = {"USD": "$", "EUR": "€", "GBP": "£"}
_MARKS: dict[str, str] = {"exact": "", "up to": "≤ ", "at least": "≥ ", "estimated": "~ "}


def format_amount(amount: Decimal | None, currency: str | None, qualifier: str) -> str:
    """Compact text for people: "$100B", "≤ $100B", "CNY 380B", "~ €5M", "undisclosed"."""
    mark = normalise_qualifier(qualifier)
    if amount is None or mark == "undisclosed":
        return "undisclosed"
    if not amount.is_finite():
        raise AmountError(f"amount '{amount}': not a finite number")
    number = _compact(amount)
    if currency:
        code = normalise_currency(currency)
        sign = _SIGNS.get(code)
        number = f"{sign}{number}" if sign else f"{code} {number}"
    return _MARKS[mark] + number


def format_grouped(amount: Decimal) -> str:
    """Every digit, thousands grouped: ``53,352,000,000``, ``712,250,712,250.7123`` (exact, no rounding)."""
    plain = format_plain(amount)
    sign = "-" if plain.startswith("-") else ""
    whole, point, frac = plain.lstrip("-").partition(".")
    return f"{sign}{int(whole):,}{point}{frac}"


def describe(parsed: ParsedAmount) -> str:
    """Live feedback for a form: "= 100,000,000,000 USD, up to", "undisclosed"."""
    if parsed.amount is None or parsed.qualifier == "undisclosed":
        out = "undisclosed"
    else:
        out = f"= {format_grouped(parsed.amount)} {parsed.currency or '(no currency)'}"
        if parsed.qualifier != "exact":
            out += f", {parsed.qualifier}"
    if parsed.note:
        out += f" — {parsed.note}"
    return out
