"""The deal row as pass two stores, reads back and compares it: column order, raw reads, the tables.

A spooled row (tracker/core/csvio/spool.py) becomes the values of :data:`STORED`, parties resolved to
organisation ids; an existing deal is read back raw (:data:`RAW_COLUMNS`: the amount's stored digits,
capacity as a scaled integer, the date as ISO text) so that the two compare as they are stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, String, cast, type_coerce

from tracker.core.storage.handles import AMOUNT_DIGITS, DEAL

STORED = (
    "date", "date_precision", "kind", "from_org_id", "to_org_id", "amount", "currency", "qualifier",
    "amount_text", "capacity_gw", "capacity_qualifier", "status", "description", "source_outlet", "source_author",
    "source_title", "source_url", "source_date", "ref",
)  # fmt: skip
"""The deal columns an import writes, in the order of :func:`stored_tuple` (``id`` comes before them). A spooled
row's last item, the rest of its first source (kind, excerpt, language, retrieved: schema 0011), is not one of
them: it goes to deal_source (tracker/core/csvio/settle.py)."""

COLUMN_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("date", "date_precision"),
    "kind": ("kind",),
    "from_org": ("from_org_id",),
    "to_org": ("to_org_id",),
    "amount": ("amount", "currency", "qualifier", "amount_text"),
    "currency": ("currency",),
    "qualifier": ("qualifier",),
    "amount_text": ("amount_text",),
    "capacity_gw": ("capacity_gw", "capacity_qualifier"),
    "capacity_qualifier": ("capacity_qualifier",),
    "status": ("status",),
    "description": ("description",),
    "source_outlet": ("source_outlet",),
    "source_author": ("source_author",),
    "source_title": ("source_title",),
    "source_url": ("source_url",),
    "source_date": ("source_date",),
    "ref": ("ref",),
    "id": ("ref",),
}
"""The stored columns behind each deals-CSV column, for partial updates (a column absent from the file
leaves its fields alone)."""


def stored_tuple(t: tuple[Any, ...], index: dict[str, int]) -> tuple[Any, ...]:
    """A spooled row as the values of the :data:`STORED` columns, parties resolved to organisation ids."""
    to_key = t[7]
    return (t[8], t[9], t[10], index[t[5]], index[to_key] if to_key is not None else None, *t[11:-1], t[2])


RAW_COLUMNS = [AMOUNT_DIGITS if c == "amount" else
               type_coerce(DEAL.c[c], BigInteger) if c == "capacity_gw" else
               cast(DEAL.c[c], String) if c == "date" else DEAL.c[c] for c in ("id", *STORED)]  # fmt: skip
"""``id`` and the :data:`STORED` columns as stored: the amount as its digits, capacity as a scaled integer, the
date as text."""


def raw_row(row: Sequence[Any]) -> dict[str, Any]:
    """A row of :data:`RAW_COLUMNS` as {column: value}, the date as ISO text (YYYY-MM-DD)."""
    d = dict(zip(("id", *STORED), row, strict=True))
    d["date"] = str(d["date"])[:10]
    return d
