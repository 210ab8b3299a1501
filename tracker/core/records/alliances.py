"""Alliances: found or created by name (any case), listed with their members, and removed. A new alliance's
name is checked as an organisation's is (:func:`tracker.core.records.orgs.check_name`: no control
characters, not too long)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select

from tracker.core.domain.names import name_key
from tracker.core.records.orgs import check_name
from tracker.core.storage.handles import ALLIANCE, ALLIANCE_DEAL, MEMBER, ORG


def ensure_alliance(conn: Connection, name: str, description: str | None = None) -> int:
    """The id of the alliance called ``name`` (any case), created if there is none (a name that may not be
    written raises :class:`tracker.core.records.errors.DealError`)."""
    check_name("alliance", name)  # first: an existing name is found by what may be typed, never by escapes
    key = name_key(name)
    found = conn.execute(select(ALLIANCE.c.id).where(ALLIANCE.c.name_key == key)).scalar()
    if found is not None:
        return found
    return conn.execute(
        insert(ALLIANCE).values(name=name.strip(), name_key=key, description=description).returning(ALLIANCE.c.id)
    ).scalar_one()


@dataclass(frozen=True)
class AllianceSummary:
    """An alliance with its members and how many deals it holds."""

    id: int
    name: str
    description: str | None
    members: tuple[tuple[int, str], ...]
    deal_count: int


def list_alliances(conn: Connection) -> list[AllianceSummary]:
    """Every alliance, alphabetical."""
    out = []
    for a in conn.execute(select(ALLIANCE).order_by(ALLIANCE.c.name_key)).mappings():
        members = tuple(
            conn.execute(
                select(ORG.c.id, ORG.c.name)
                .join(MEMBER, MEMBER.c.org_id == ORG.c.id)
                .where(MEMBER.c.alliance_id == a["id"])
                .order_by(ORG.c.name_key)
            ).all()
        )
        n = conn.execute(select(func.count()).where(ALLIANCE_DEAL.c.alliance_id == a["id"])).scalar_one()
        out.append(AllianceSummary(a["id"], a["name"], a["description"], members, n))
    return out


def find_alliance_id(conn: Connection, name: str) -> int | None:
    """The id of the alliance called ``name`` (any case), or None."""
    return conn.execute(select(ALLIANCE.c.id).where(ALLIANCE.c.name_key == name_key(name))).scalar()


def alliance_names(conn: Connection) -> list[str]:
    """Every alliance name, alphabetical (for the link form's suggestions)."""
    return list(conn.execute(select(ALLIANCE.c.name).order_by(ALLIANCE.c.name_key)).scalars())


def delete_alliance(conn: Connection, alliance_id: int) -> None:
    """Remove an alliance and its links (undo of a link that created it)."""
    conn.execute(delete(ALLIANCE_DEAL).where(ALLIANCE_DEAL.c.alliance_id == alliance_id))
    conn.execute(delete(MEMBER).where(MEMBER.c.alliance_id == alliance_id))
    conn.execute(delete(ALLIANCE).where(ALLIANCE.c.id == alliance_id))
