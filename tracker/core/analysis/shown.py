"""How a totals figure is written for people (the CLI table, the app's pane) and for scripts (CSV), one place.

People get compact figures by default (``$300B``, ``≤ $100B``, ``≥ €5M``, ``~ CNY 1.2T``: the qualifier's
mark in front) or every digit (``300,000,000,000``); a figure with no amounts behind it is ``-``. Scripts
get plain digits, and an empty cell (never ``0``) for a figure with no amounts behind it.
"""

from __future__ import annotations

from decimal import Decimal

from tracker.core.analysis.figures import QUALIFIED, Figures, capacity_text, plain
from tracker.core.domain.amount_format import format_amount, format_grouped

ABSENT = "-"
"""What a table shows for a figure with no amounts behind it."""


def figure_text(value: Decimal | None, currency: str, qualifier: str, exact: bool = False) -> str:
    """``value`` (of ``qualifier``, in ``currency``) for people: compact, or every digit when ``exact``."""
    if value is None:
        return ABSENT
    if exact:
        return format_grouped(value)
    return format_amount(value, currency, qualifier)


def gw_text(figures: Figures) -> str:
    """Capacity for people, each qualifier apart (``12 · ≥ 10``), or the absent mark."""
    text = capacity_text(figures)
    return ABSENT if text == "-" else text


def unrated_text(figures: Figures, exact: bool = False) -> str:
    """The native sums of the currencies without a rate: ``CHF 10 (1 deal)``."""
    parts = []
    for currency, amount, deals in figures.unrated:
        shown = f"{currency} {format_grouped(amount)}" if exact else format_amount(amount, currency, "exact")
        parts.append(f"{shown} ({deals} deal{'s' if deals != 1 else ''})")
    return "; ".join(parts)


def people_cells(figures: Figures, currency: str, exact: bool = False) -> list[str]:
    """deals, the four qualifiers, undisclosed, GW, no rate: as the table shows them."""
    amounts = [figure_text(figures.figure(q), currency, q, exact) for q in QUALIFIED]
    return [str(figures.deals), *amounts, str(figures.undisclosed), gw_text(figures), unrated_text(figures, exact)]


def csv_cells(figures: Figures) -> list[str]:
    """deals, the four qualifiers, undisclosed, GW (exact, up to, at least, estimated), no rate: plain
    digits, empty for a figure with none."""
    amounts = [_plain_cell(figures.figure(q)) for q in QUALIFIED]
    unrated = "; ".join(f"{c} {plain(a)} ({n})" for c, a, n in figures.unrated)
    gw_other = [
        _plain_cell(v or None) for v in (figures.capacity_up_to, figures.capacity_at_least, figures.capacity_estimated)
    ]
    return [str(figures.deals), *amounts, str(figures.undisclosed), _plain_cell(figures.gw()), *gw_other, unrated]


def _plain_cell(value: Decimal | None) -> str:
    return "" if value is None else plain(value)
