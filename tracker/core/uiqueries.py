"""Small read queries the app needs beside ``deals``: deals by id (the map's "open these deals"), names
for the status line and the link form. Headless: never imports Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select, tuple_

from tracker.core.deals import ALLIANCE, DEAL, ORG, SORTS, DealError, DealFilter, DealRow, _row_select


def page_of_ids(
    conn: Connection,
    ids: Sequence[int],
    *,
    sort: str = "date",
    descending: bool = True,
    after: tuple[Any, int] | None = None,
    before: tuple[Any, int] | None = None,
    offset: int | None = None,
    limit: int = 100,
) -> list[DealRow]:
    """Like :func:`tracker.core.deals.page`, restricted to the deals ``ids`` (a few hundred at most)."""
    if sort not in SORTS:
        raise DealError(f"sort {sort!r}: one of {', '.join(SORTS)}")
    col = SORTS[sort]
    stmt = _row_select(sort).where(DEAL.c.id.in_(list(ids)))
    key = tuple_(col, DEAL.c.id)
    forward_desc = not descending if before is not None else descending
    cursor = before if before is not None else after
    if cursor is not None:
        stmt = stmt.where(key < tuple_(*cursor) if forward_desc else key > tuple_(*cursor))
    order = (col.desc(), DEAL.c.id.desc()) if forward_desc else (col.asc(), DEAL.c.id.asc())
    stmt = stmt.order_by(*order).limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    rows = [DealRow(*r) for r in conn.execute(stmt)]
    if before is not None:
        rows.reverse()
    return rows


def count_of_ids(conn: Connection, ids: Sequence[int]) -> int:
    """How many of ``ids`` are deals that still exist."""
    return conn.execute(select(func.count()).select_from(DEAL).where(DEAL.c.id.in_(list(ids)))).scalar_one()


def org_name(conn: Connection, org_id: int) -> str | None:
    return conn.execute(select(ORG.c.name).where(ORG.c.id == org_id)).scalar()


def alliance_name(conn: Connection, alliance_id: int) -> str | None:
    return conn.execute(select(ALLIANCE.c.name).where(ALLIANCE.c.id == alliance_id)).scalar()


def alliance_names(conn: Connection) -> list[str]:
    """Every alliance name, alphabetical (for the link form's suggestions)."""
    return list(conn.execute(select(ALLIANCE.c.name).order_by(ALLIANCE.c.name_key)).scalars())


def deal_exists(conn: Connection, deal_id: int) -> bool:
    return conn.execute(select(DEAL.c.id).where(DEAL.c.id == deal_id)).scalar() is not None


def delete_alliance(conn: Connection, alliance_id: int) -> None:
    """Remove an alliance and its links (undo of a link that created it)."""
    from sqlalchemy import delete

    from tracker.core.deals import ALLIANCE_DEAL, MEMBER

    conn.execute(delete(ALLIANCE_DEAL).where(ALLIANCE_DEAL.c.alliance_id == alliance_id))
    conn.execute(delete(MEMBER).where(MEMBER.c.alliance_id == alliance_id))
    conn.execute(delete(ALLIANCE).where(ALLIANCE.c.id == alliance_id))


def count_capped(conn: Connection, f: DealFilter, cap: int) -> int:
    """How many deals match ``f``, counting no further than ``cap`` (a text filter over a million deals
    scans every description; the app shows "1,000+" at once and counts exactly afterwards)."""
    from tracker.core.deals import _conditions

    inner = select(DEAL.c.id).where(*_conditions(conn, f)).limit(cap)
    return conn.execute(select(func.count()).select_from(inner.subquery())).scalar_one()
