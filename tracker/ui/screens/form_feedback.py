"""What the deal form understood, shown under a field as it is typed: an amount and a date."""

from __future__ import annotations

from textual.widgets import Label

from tracker.core.domain.text import visible

__all__ = ["amount_feedback", "date_feedback", "show_feedback"]


def amount_feedback(amount: str, currency: str, qualifier: str) -> tuple[str, bool]:
    """(``= 100,000,000,000 USD, up to`` or why not, whether it is a problem); empty is undisclosed."""
    from tracker.core.domain.amount_format import describe
    from tracker.core.domain.amount_parser import AmountError, parse_amount

    if not amount.strip():
        return "undisclosed", False
    try:
        parsed = parse_amount(amount, currency or None, qualifier or None)
    except AmountError as exc:
        return str(exc).split("': ", 1)[-1], True
    return describe(parsed), False


def date_feedback(raw: str) -> tuple[str, bool]:
    """(``= 2025-Q3 (Jul–Sep 2025)`` or why not, whether it is a problem); nothing for an empty field."""
    from tracker.core.domain.dates import DateError, describe_date, parse_date

    if not raw.strip():
        return "", False
    try:
        day, precision = parse_date(raw)
    except DateError as exc:
        return str(exc).split("': ", 1)[-1], True
    return describe_date(day, precision), False


def show_feedback(label: Label, feedback: tuple[str, bool]) -> None:
    text, bad = feedback
    label.update(visible(text))
    label.set_class(bad, "-bad")
