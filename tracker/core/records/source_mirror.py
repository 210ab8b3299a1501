"""The deal's ``source_*`` columns mirror its first source (``deal_source`` at position 0, schema 0011).

Why a mirror and not a move: the deals CSV's first-source columns, the search index, the fast export and
import paths, the duplicates rule and the first screen (standard library only) all read the deal row; they
keep doing so. Two directions keep the mirror:

- :func:`sources_from_deals`: after a writer changed deals' ``source_*`` (the form, ``tracker edit``, an
  import, undo of an edit), position 0 takes those values (created when the deal had no source; removed when
  emptied of everything); set-based, for given deals or all;
- :func:`deal_from_first`: after a source was added, edited or removed, the deal's ``source_*`` take the values
  of its (new) first source.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, delete, exists, literal, or_, select, true

from tracker.core.domain.vocab import DEFAULT_SOURCE_KIND
from tracker.core.storage.handles import DEAL, SOURCE

MIRRORED: tuple[tuple[str, str], ...] = (
    ("outlet", "source_outlet"), ("author", "source_author"), ("title", "source_title"), ("url", "source_url"),
    ("published", "source_date"),
)  # fmt: skip
"""(deal_source column, deal column) pairs of the mirror."""
CHUNK = 5000


def chunks(ids: Sequence[int] | None) -> Iterator[Sequence[int] | None]:
    """``ids`` in pieces small enough for an IN list (None: all deals, once)."""
    if ids is None:
        yield None
        return
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _in(column: Any, ids: Sequence[int] | None) -> ColumnElement[bool]:
    return true() if ids is None else column.in_(ids)


def sources_from_deals(conn: Connection, deal_ids: Sequence[int] | None = None) -> None:
    """Position 0 of each deal in ``deal_ids`` (None: every deal) as its ``source_*`` columns say."""
    for ids in chunks(deal_ids):
        same_deal = DEAL.c.id == SOURCE.c.deal_id
        differs = or_(*(DEAL.c[d].is_distinct_from(SOURCE.c[s]) for s, d in MIRRORED))
        conn.execute(
            SOURCE.update()
            .where(SOURCE.c.position == 0, _in(SOURCE.c.deal_id, ids), exists().where(same_deal, differs))
            .values({s: select(DEAL.c[d]).where(same_deal).scalar_subquery() for s, d in MIRRORED})
        )
        anything = or_(*(DEAL.c[d].is_not(None) for _, d in MIRRORED))
        first_exists = exists().where(SOURCE.c.deal_id == DEAL.c.id, SOURCE.c.position == 0)
        conn.execute(
            SOURCE.insert().from_select(
                ["deal_id", "position", "kind", *(s for s, _ in MIRRORED)],
                select(DEAL.c.id, literal(0), literal(DEFAULT_SOURCE_KIND), *(DEAL.c[d] for _, d in MIRRORED)).where(
                    _in(DEAL.c.id, ids), anything, ~first_exists
                ),
            )
        )
        nothing = and_(*(c.is_(None) for c in SOURCE.c if c.name not in ("id", "deal_id", "position", "kind")))
        emptied = conn.execute(
            select(SOURCE.c.id, SOURCE.c.deal_id).where(SOURCE.c.position == 0, _in(SOURCE.c.deal_id, ids), nothing)
        ).all()
        for source_id, deal_id in emptied:
            conn.execute(delete(SOURCE).where(SOURCE.c.id == source_id))
            shift(conn, deal_id, 1, -1)
            deal_from_first(conn, deal_id)


def shift(conn: Connection, deal_id: int, start: int, by: int) -> None:
    """Move the deal's sources at ``start`` and after by ``by`` places (in two steps: the positions are
    UNIQUE, and both backends check that row by row)."""
    where = (SOURCE.c.deal_id == deal_id, SOURCE.c.position >= start)
    conn.execute(SOURCE.update().where(*where).values(position=-SOURCE.c.position - 1 - by))
    conn.execute(
        SOURCE.update()
        .where(SOURCE.c.deal_id == deal_id, SOURCE.c.position < 0)
        .values(position=-SOURCE.c.position - 1)
    )


def deal_from_first(conn: Connection, deal_id: int) -> None:
    """The deal's ``source_*`` columns as its first source says (all empty without a source)."""
    first = conn.execute(
        select(*(SOURCE.c[s] for s, _ in MIRRORED)).where(SOURCE.c.deal_id == deal_id, SOURCE.c.position == 0)
    ).first()
    values = {d: (first[i] if first is not None else None) for i, (_, d) in enumerate(MIRRORED)}
    differs = or_(*(DEAL.c[d].is_distinct_from(v) for d, v in values.items()))
    conn.execute(DEAL.update().where(DEAL.c.id == deal_id, differs).values(values))
