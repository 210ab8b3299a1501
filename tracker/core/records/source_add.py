"""A source met again: an import's row naming a deal already stored, with a source the deal lacks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from tracker.core.domain.source_fields import SourceValues
from tracker.core.records.sources import add_source, list_sources

SOURCE_COLUMNS: tuple[str, ...] = ("source_outlet", "source_author", "source_title", "source_url", "source_date")
"""The deal's columns of its first source."""


def same_source(values: SourceValues) -> tuple[str | None, ...]:
    """What makes two sources one: the same URL, or without one the same kind, outlet and title."""
    return (values.url,) if values.url else (values.kind, values.outlet, values.title)


def add_new_source(
    conn: Connection, deal_id: int, row: Mapping[str, Any], extra: Mapping[str, Any] | None = None
) -> bool:
    """Add the source of ``row`` (a deal's source_* values) to the deal unless it has it; whether it was added."""
    values = SourceValues(
        outlet=row["source_outlet"], author=row["source_author"], title=row["source_title"], url=row["source_url"],
        published=row["source_date"], **(extra or {}),
    )  # fmt: skip
    if values.is_empty() or same_source(values) in {same_source(s.values) for s in list_sources(conn, deal_id)}:
        return False
    add_source(conn, deal_id, values)
    return True
