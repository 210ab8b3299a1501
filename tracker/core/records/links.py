"""Links: a deal in an alliance, an organisation in an alliance, a deal part of or related to another.

Each link function is idempotent and says what was there before, so that undo can put it back.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from tracker.core.records.errors import DealError
from tracker.core.storage.handles import ALLIANCE_DEAL, DEAL, LINK, MEMBER


def link_deal_alliance(conn: Connection, deal_id: int, alliance_id: int) -> bool:
    """Put a deal in an alliance; True if the link is new."""
    exists = conn.execute(
        select(ALLIANCE_DEAL.c.deal_id).where(
            ALLIANCE_DEAL.c.deal_id == deal_id, ALLIANCE_DEAL.c.alliance_id == alliance_id
        )
    ).first()
    if exists:
        return False
    conn.execute(insert(ALLIANCE_DEAL).values(alliance_id=alliance_id, deal_id=deal_id))
    return True


def unlink_deal_alliance(conn: Connection, deal_id: int, alliance_id: int) -> None:
    """Take a deal out of an alliance."""
    conn.execute(
        delete(ALLIANCE_DEAL).where(ALLIANCE_DEAL.c.deal_id == deal_id, ALLIANCE_DEAL.c.alliance_id == alliance_id)
    )


def link_org_alliance(conn: Connection, org_id: int, alliance_id: int) -> bool:
    """Make an organisation a member of an alliance; True if the membership is new."""
    exists = conn.execute(
        select(MEMBER.c.org_id).where(MEMBER.c.org_id == org_id, MEMBER.c.alliance_id == alliance_id)
    ).first()
    if exists:
        return False
    conn.execute(insert(MEMBER).values(alliance_id=alliance_id, org_id=org_id))
    return True


def unlink_org_alliance(conn: Connection, org_id: int, alliance_id: int) -> None:
    """End an organisation's membership of an alliance."""
    conn.execute(delete(MEMBER).where(MEMBER.c.org_id == org_id, MEMBER.c.alliance_id == alliance_id))


def link_deals(conn: Connection, from_id: int, to_id: int, relation: str) -> str | None:
    """Link two deals; returns the earlier relation if there was one (for undo), else None."""
    if from_id == to_id:
        raise DealError(f"deal {to_id}: a deal cannot be linked to itself")
    for deal_id in (from_id, to_id):
        if conn.execute(select(DEAL.c.id).where(DEAL.c.id == deal_id)).scalar() is None:
            raise DealError(f"deal {deal_id}: no such deal")
    earlier = conn.execute(
        select(LINK.c.relation).where(LINK.c.from_deal_id == from_id, LINK.c.to_deal_id == to_id)
    ).scalar()
    if earlier is None:
        conn.execute(insert(LINK).values(from_deal_id=from_id, to_deal_id=to_id, relation=relation))
    else:
        conn.execute(
            LINK.update().where(LINK.c.from_deal_id == from_id, LINK.c.to_deal_id == to_id).values(relation=relation)
        )
    return earlier


def unlink_deals(conn: Connection, from_id: int, to_id: int) -> None:
    """Remove the link from one deal to another."""
    conn.execute(delete(LINK).where(LINK.c.from_deal_id == from_id, LINK.c.to_deal_id == to_id))
