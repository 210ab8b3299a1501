"""Alliances: found or created by name, listed with their members, shown in full, and removed.

Every look-up and every creation goes by one key, :func:`tracker.core.domain.names.alliance_key` (case, the
kind of dash and spacing ignored): ``OpenAI-Nvidia-Oracle triangle`` finds ``OpenAI–Nvidia–Oracle triangle``
and never creates a second one. The imports (tracker/core/csvio) and ``--all`` bundles key alliances the
same way. A new alliance's name is cleaned (:func:`tracker.core.domain.names.clean_name`) and checked as an
organisation's is (:func:`tracker.core.records.orgs.check_name`). Changes with their undo (rename, delete,
members): tracker/core/records/alliance_edits.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, RowMapping, delete, func, insert, select

from tracker.core.domain.names import alliance_key, clean_name
from tracker.core.records.details import deal_label
from tracker.core.records.errors import DealError
from tracker.core.records.orgs import check_name
from tracker.core.storage.handles import ALLIANCE, ALLIANCE_DEAL, DEAL, MEMBER, ORG


def ensure_alliance(conn: Connection, name: str, description: str | None = None) -> int:
    """The id of the alliance called ``name`` (as :func:`alliance_key` matches), created if there is none (a
    name that may not be written raises :class:`tracker.core.records.errors.DealError`)."""
    name = clean_name(name)
    check_name("alliance", name)  # first: an existing name is found by what may be typed, never by escapes
    found = find_alliance_id(conn, name)
    if found is not None:
        return found
    return conn.execute(
        insert(ALLIANCE)
        .values(name=name, name_key=alliance_key(name), description=description or None)
        .returning(ALLIANCE.c.id)
    ).scalar_one()


@dataclass(frozen=True)
class AllianceSummary:
    """An alliance with its members and how many deals it holds."""

    id: int
    name: str
    description: str | None
    members: tuple[tuple[int, str], ...]
    deal_count: int


def _summary(conn: Connection, row: RowMapping) -> AllianceSummary:
    members = tuple(
        (m[0], m[1])
        for m in conn.execute(
            select(ORG.c.id, ORG.c.name)
            .join(MEMBER, MEMBER.c.org_id == ORG.c.id)
            .where(MEMBER.c.alliance_id == row["id"])
            .order_by(ORG.c.name_key)
        )
    )
    n = conn.execute(select(func.count()).where(ALLIANCE_DEAL.c.alliance_id == row["id"])).scalar_one()
    return AllianceSummary(row["id"], row["name"], row["description"], members, n)


def list_alliances(conn: Connection) -> list[AllianceSummary]:
    """Every alliance, alphabetical."""
    rows = conn.execute(select(ALLIANCE).order_by(ALLIANCE.c.name_key)).mappings().all()
    return [_summary(conn, a) for a in rows]


def alliance_summary(conn: Connection, alliance_id: int) -> AllianceSummary | None:
    """The alliance ``alliance_id`` with its members and deal count, or None."""
    row = conn.execute(select(ALLIANCE).where(ALLIANCE.c.id == alliance_id)).mappings().first()
    return _summary(conn, row) if row is not None else None


def find_alliance_id(conn: Connection, name: str) -> int | None:
    """The id of the alliance called ``name`` (case, dashes and spacing aside), or None."""
    return conn.execute(select(ALLIANCE.c.id).where(ALLIANCE.c.name_key == alliance_key(name))).scalar()


def get_alliance(conn: Connection, name: str) -> AllianceSummary:
    """The alliance called ``name``; :class:`DealError` "alliance 'X': no such alliance" if there is none."""
    found = find_alliance_id(conn, name) if name.strip() else None
    summary = alliance_summary(conn, found) if found is not None else None
    if summary is None:
        raise DealError(f"alliance {clean_name(name)!r}: no such alliance")
    return summary


def alliance_names(conn: Connection) -> list[str]:
    """Every alliance name, alphabetical (for suggestions)."""
    return list(conn.execute(select(ALLIANCE.c.name).order_by(ALLIANCE.c.name_key)).scalars())


def deal_alliances(conn: Connection, deal_ids: list[int]) -> dict[int, list[str]]:
    """The alliance names of each of ``deal_ids`` that is in one, alphabetical (one query: a page of the table)."""
    out: dict[int, list[str]] = {}
    stmt = (
        select(ALLIANCE_DEAL.c.deal_id, ALLIANCE.c.name)
        .join(ALLIANCE, ALLIANCE.c.id == ALLIANCE_DEAL.c.alliance_id)
        .where(ALLIANCE_DEAL.c.deal_id.in_(deal_ids))
        .order_by(ALLIANCE.c.name_key)
    )
    for deal_id, name in conn.execute(stmt):
        out.setdefault(deal_id, []).append(name)
    return out


def unknown_alliances(conn: Connection, names: Iterable[str]) -> list[str]:
    """The names among ``names`` that are no alliance yet (they would be created), each new alliance once."""
    out: dict[str, str] = {}
    for name in names:
        if name.strip() and find_alliance_id(conn, name) is None:
            out.setdefault(alliance_key(name), clean_name(name))
    return list(out.values())


def alliance_deals(conn: Connection, alliance_id: int) -> list[tuple[int, str]]:
    """The deals of an alliance, newest first, each with its one-line label (``#12 2025-09 investment A → B``)."""
    ids = conn.execute(
        select(DEAL.c.id)
        .join(ALLIANCE_DEAL, ALLIANCE_DEAL.c.deal_id == DEAL.c.id)
        .where(ALLIANCE_DEAL.c.alliance_id == alliance_id)
        .order_by(DEAL.c.date.desc(), DEAL.c.id.desc())
    ).scalars()
    return [(i, deal_label(conn, i)) for i in ids]


def delete_alliance(conn: Connection, alliance_id: int) -> None:
    """Remove an alliance and its links (undo of a link that created it)."""
    conn.execute(delete(ALLIANCE_DEAL).where(ALLIANCE_DEAL.c.alliance_id == alliance_id))
    conn.execute(delete(MEMBER).where(MEMBER.c.alliance_id == alliance_id))
    conn.execute(delete(ALLIANCE).where(ALLIANCE.c.id == alliance_id))
