"""A deal's sources (schema 0011): what other modules read and write them through.

A deal has any number of sources, in order; position 0 is its first source, which the deal's ``source_*``
columns mirror (tracker/core/records/source_mirror.py). Every change here keeps the mirror and the deal's
stored confidence (tracker/core/records/confidence.py) right, in the caller's transaction, and returns what
undo needs (:func:`restore_source` puts a removed source back under its id and position; an edit is undone
by editing back).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import Connection, delete, func, insert, select

from tracker.core.domain.confidence import Confidence, derive_confidence
from tracker.core.domain.source_fields import SOURCE_FIELDS, SourceError, SourceValues, parse_source_fields
from tracker.core.domain.vocab import CONFIDENCES, SOURCE_KINDS
from tracker.core.records.confidence import derived, refresh_confidence
from tracker.core.records.errors import DealError
from tracker.core.records.source_mirror import deal_from_first, shift
from tracker.core.storage.handles import DEAL, SOURCE

__all__ = [
    "CONFIDENCES", "SOURCE_FIELDS", "SOURCE_KINDS", "Confidence", "Source", "SourceError", "SourceValues",
    "add_source", "deal_by_key", "deal_confidence", "derive_confidence", "edit_source", "get_source", "list_sources",
    "parse_source_fields", "remove_source", "restore_source", "source_counts",
]  # fmt: skip


@dataclass(frozen=True)
class Source:
    """One stored source of a deal."""

    id: int
    deal_id: int
    position: int
    kind: str
    outlet: str | None = None
    author: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    retrieved: str | None = None
    lang: str | None = None
    excerpt: str | None = None

    @property
    def values(self) -> SourceValues:
        return SourceValues(**{name: getattr(self, name) for name in SOURCE_FIELDS})

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


_COLUMNS = (SOURCE.c.id, SOURCE.c.deal_id, SOURCE.c.position, *(SOURCE.c[name] for name in SOURCE_FIELDS))


def list_sources(conn: Connection, deal_id: int) -> list[Source]:
    """The deal's sources, first first."""
    rows = conn.execute(select(*_COLUMNS).where(SOURCE.c.deal_id == deal_id).order_by(SOURCE.c.position))
    return [Source(*row) for row in rows]


def get_source(conn: Connection, source_id: int) -> Source:
    row = conn.execute(select(*_COLUMNS).where(SOURCE.c.id == source_id)).first()
    if row is None:
        raise DealError(f"source {source_id}: no such source")
    return Source(*row)


def source_counts(conn: Connection, deal_ids: list[int]) -> dict[int, int]:
    """How many sources each deal has (0 when none)."""
    counts = dict.fromkeys(deal_ids, 0)
    if deal_ids:
        rows = conn.execute(
            select(SOURCE.c.deal_id, func.count()).where(SOURCE.c.deal_id.in_(deal_ids)).group_by(SOURCE.c.deal_id)
        )
        counts.update({deal_id: int(n) for deal_id, n in rows})
    return counts


def deal_confidence(conn: Connection, deal_id: int) -> Confidence:
    """The deal's confidence with its number of independent outlets."""
    return derived(conn, [deal_id])[deal_id]


def _settle(conn: Connection, deal_id: int) -> None:
    deal_from_first(conn, deal_id)
    refresh_confidence(conn, [deal_id])


def add_source(conn: Connection, deal_id: int, values: SourceValues, *, position: int | None = None) -> Source:
    """Add a source to the deal (last, or at ``position``: those from there on move down one)."""
    if conn.execute(select(DEAL.c.id).where(DEAL.c.id == deal_id)).scalar() is None:
        raise DealError(f"deal {deal_id}: no such deal")
    count = conn.execute(select(func.count()).select_from(SOURCE).where(SOURCE.c.deal_id == deal_id)).scalar_one()
    at = count if position is None else max(0, min(position, count))
    if at < count:
        shift(conn, deal_id, at, 1)
    source_id = conn.execute(
        insert(SOURCE).values(deal_id=deal_id, position=at, **asdict(values)).returning(SOURCE.c.id)
    ).scalar_one()
    _settle(conn, deal_id)
    return get_source(conn, source_id)


def edit_source(conn: Connection, source_id: int, values: SourceValues) -> tuple[Source, Source]:
    """Replace a source's fields; returns it (before, after)."""
    before = get_source(conn, source_id)
    conn.execute(SOURCE.update().where(SOURCE.c.id == source_id).values(**asdict(values)))
    _settle(conn, before.deal_id)
    return before, get_source(conn, source_id)


def remove_source(conn: Connection, source_id: int) -> Source:
    """Remove a source (those after it move up one); returns it, for :func:`restore_source`."""
    gone = get_source(conn, source_id)
    conn.execute(delete(SOURCE).where(SOURCE.c.id == source_id))
    shift(conn, gone.deal_id, gone.position + 1, -1)
    _settle(conn, gone.deal_id)
    return gone


def restore_source(conn: Connection, source: Source) -> Source:
    """Put a removed source back, under its id and at its position (refused if its deal is gone)."""
    if conn.execute(select(DEAL.c.id).where(DEAL.c.id == source.deal_id)).scalar() is None:
        raise DealError(f"deal #{source.deal_id}: deleted since; source not restored")
    if conn.execute(select(SOURCE.c.id).where(SOURCE.c.id == source.id)).scalar() is not None:
        raise DealError(f"source {source.id}: another source holds its id now; not restored")
    count = conn.execute(
        select(func.count()).select_from(SOURCE).where(SOURCE.c.deal_id == source.deal_id)
    ).scalar_one()
    at = min(source.position, count)
    if at < count:
        shift(conn, source.deal_id, at, 1)
    row = source.as_dict() | {"position": at}
    conn.execute(insert(SOURCE).values(**row))
    _settle(conn, source.deal_id)
    return get_source(conn, source.id)


def deal_by_key(conn: Connection, key: str) -> int:
    """A deal named by its id (an integer) or its outside key (``ref``); :class:`DealError` if none."""
    text = key.strip()
    if text.isdigit() and text.isascii():
        found = conn.execute(select(DEAL.c.id).where(DEAL.c.id == int(text))).scalar() if len(text) < 19 else None
    else:
        found = conn.execute(select(DEAL.c.id).where(DEAL.c.ref == text)).scalar()
    if found is None:
        raise DealError(f"deal {key!r}: no such deal (give its id or its ref)")
    return int(found)
