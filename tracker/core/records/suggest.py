"""Deals found by typing (the link form's other deal): parties, a date, words of the description.

Each word typed must match (AND): a word that reads as a date (``2025-09``, ``2024``, ``Sep 2025``) keeps the
deals whose period overlaps it; any other word goes through the deals table's text filter
(:func:`tracker.core.records.pages.filter_conditions`: names and aliases, kinds, descriptions). Newest first.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, select

from tracker.core.domain.dates import parse_date, period_end, period_start
from tracker.core.records.duplicates import label_of
from tracker.core.records.pages import DealFilter, filter_conditions
from tracker.core.storage.handles import DEAL

SUGGESTED = 8
"""How many deals a search suggests."""


def _date_filter(word: str) -> DealFilter | None:
    try:
        value, precision = parse_date(word)
    except ValueError:
        return None
    return DealFilter(date_from=period_start(value, precision), date_to=period_end(value, precision))


def suggest_deals(
    conn: Connection, typed: str, *, exclude: int | None = None, limit: int = SUGGESTED
) -> list[tuple[int, str]]:
    """(id, label) of the newest deals matching every word of ``typed``; none for empty text."""
    words = typed.split()
    if not words:
        return []
    conds: list[ColumnElement[bool]] = []
    for word in words:
        conds += filter_conditions(conn, _date_filter(word) or DealFilter(text=word))
    if exclude is not None:
        conds.append(DEAL.c.id != exclude)
    stmt = select(DEAL.c.id).where(*conds).order_by(DEAL.c.date.desc(), DEAL.c.id.desc()).limit(limit)
    return [(deal_id, label_of(conn, deal_id)) for deal_id in conn.execute(stmt).scalars()]
