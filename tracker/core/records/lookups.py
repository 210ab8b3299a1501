"""Small read queries the app needs beside ``deals``: deals by id (the map's "open these deals"), names
for the status line and the link form. Headless: never imports Textual.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from tracker.core.records.deals import ALLIANCE, DEAL, ORG, DealFilter


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

    from tracker.core.records.deals import ALLIANCE_DEAL, MEMBER

    conn.execute(delete(ALLIANCE_DEAL).where(ALLIANCE_DEAL.c.alliance_id == alliance_id))
    conn.execute(delete(MEMBER).where(MEMBER.c.alliance_id == alliance_id))
    conn.execute(delete(ALLIANCE).where(ALLIANCE.c.id == alliance_id))


def matching_ids(conn: Connection, f: DealFilter, cap: int) -> list[int]:
    """The ids of the deals matching ``f``, no more than ``cap`` of them, in no particular order. A text
    filter over a million deals scans every description: the app shows "1,000+" at once when it finds
    ``cap``, and counts exactly afterwards. When it finds fewer, they are every match, and the table's pages
    are looked up by id instead of scanning again."""
    from tracker.core.records.deals import _conditions

    return list(conn.execute(select(DEAL.c.id).where(*_conditions(conn, f)).limit(cap)).scalars())
