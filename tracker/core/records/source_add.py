"""A source met again: an import's row naming a deal already stored, with a source the deal lacks; and the
rest of a first source (kind, excerpt, language, retrieved) that a deals CSV gives beside its source_* columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, insert

from tracker.core.domain.source_fields import SourceValues
from tracker.core.records.sources import add_source, list_sources
from tracker.core.storage.handles import SOURCE

SOURCE_COLUMNS: tuple[str, ...] = ("source_outlet", "source_author", "source_title", "source_url", "source_date")
"""The deal's columns of its first source."""


def same_source(values: SourceValues) -> tuple[str | None, ...]:
    """What makes two sources one: the same URL, or without one the same kind, outlet and title."""
    return (values.url,) if values.url else (values.kind, values.outlet, values.title)


def _extra(extra: Sequence[str | None] | None) -> dict[str, str]:
    """The given ones of (kind, excerpt, lang, retrieved), by field name."""
    names = ("kind", "excerpt", "lang", "retrieved")
    return {n: v for n, v in zip(names, extra or (), strict=False) if v is not None}


def add_new_source(
    conn: Connection, deal_id: int, row: Mapping[str, Any], extra: Sequence[str | None] | None = None
) -> bool:
    """Add the source of ``row`` (a deal's source_* values; ``extra``: its kind, excerpt, language and retrieved
    date, each None when not given) to the deal unless it has it; whether it was added."""
    values = SourceValues(
        outlet=row["source_outlet"], author=row["source_author"], title=row["source_title"], url=row["source_url"],
        published=row["source_date"], **_extra(extra),
    )  # fmt: skip
    if values.is_empty() or same_source(values) in {same_source(s.values) for s in list_sources(conn, deal_id)}:
        return False
    add_source(conn, deal_id, values)
    return True


def set_first_extras(conn: Connection, extras: Mapping[int, Sequence[str | None]]) -> None:
    """Each deal's first source's kind, excerpt, language and retrieved date as an import gave them (those
    given); a deal without a first source gets one. After the first sources are mirrored from the deals."""
    for deal_id, extra in extras.items():
        given = _extra(extra)
        if not given:
            continue
        stmt = SOURCE.update().where(SOURCE.c.deal_id == deal_id, SOURCE.c.position == 0).values(**given)
        if conn.execute(stmt).rowcount == 0:
            conn.execute(insert(SOURCE).values(deal_id=deal_id, position=0, **given))
