"""The tables every query reads and writes, as typed SQLAlchemy ``Table`` handles.

The schema is :mod:`tracker.core.storage.tables` (SQLModel classes); these are its tables, taken once for all of
the core, so that every query writes ``DEAL.c.date`` rather than ``Deal.__table__`` (untyped for mypy).
"""

from __future__ import annotations

from sqlalchemy import Table, func, inspect, literal_column, type_coerce
from sqlmodel import SQLModel

from tracker.core.storage.tables import (
    AMOUNT_TEXT,
    Alliance,
    AllianceDeal,
    AllianceMember,
    Deal,
    DealLink,
    DealSource,
    DismissedPair,
    FxRate,
    OrgAlias,
    Organization,
    SavedView,
)


def table_of(model: type[SQLModel]) -> Table:
    """The SQLAlchemy table of a SQLModel table class."""
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table


DEAL = table_of(Deal)
ORG = table_of(Organization)
ALIAS = table_of(OrgAlias)
ALLIANCE = table_of(Alliance)
MEMBER = table_of(AllianceMember)
"""Organisations' memberships of alliances."""
ALLIANCE_DEAL = table_of(AllianceDeal)
"""Deals' membership of alliances."""
LINK = table_of(DealLink)
"""Links between deals ("part of", "related")."""
FX = table_of(FxRate)
SOURCE = table_of(DealSource)
"""Deals' sources (schema 0011): position 0 is the first, mirrored by the deal's source_* columns."""
DISMISSED = table_of(DismissedPair)
"""Pairs of deals a user kept both of: not duplicates (schema 0009)."""
VIEWS = table_of(SavedView)
"""Saved views of the deals table (schema 0013)."""
FROM = ORG.alias("from_org")
"""The organisation a deal comes from (joined as ``from_org``)."""
TO = ORG.alias("to_org")
"""The organisation a deal goes to (joined as ``to_org``, outer: it may be none)."""

AMOUNT_DIGITS = type_coerce(DEAL.c.amount, AMOUNT_TEXT)
"""A deal's amount as stored: its DIGITS digits of 10^-4 units, text (compared byte by byte), not a Decimal."""
AMOUNT_KEY = func.coalesce(AMOUNT_DIGITS, literal_column("''"))
"""``coalesce(amount, '')``: the amount in the order of its indexes (``ix_deal_amount_id``,
``ix_deal_currency_amount``; tracker/core/storage/tables.py), undisclosed ('') lowest. Queries that sort by
the amount or look an amount up write exactly this, so that both backends walk those indexes."""
