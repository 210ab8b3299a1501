"""Changes to deals: add and update (creating unknown parties on request), delete, and the snapshot that
lets undo restore a deleted or edited deal exactly (same id, same alliances and links)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select

from tracker.core.domain.fields import DealValues
from tracker.core.records.alliances import ensure_alliance
from tracker.core.records.details import get_deal
from tracker.core.records.errors import DealError
from tracker.core.records.orgs import OrgFields, create_org, find_org_id
from tracker.core.storage.handles import ALLIANCE, ALLIANCE_DEAL, DEAL, LINK


def unknown_parties(conn: Connection, values: DealValues) -> list[str]:
    """Names in ``values`` that match no organisation or alias (they would be created)."""
    return [n for n in (values.from_org, values.to_org) if n and find_org_id(conn, n) is None]


def _resolve(conn: Connection, name: str, create: bool, created: list[str]) -> int:
    org_id = find_org_id(conn, name)
    if org_id is None:
        if not create:
            raise DealError(f"organisation {name!r}: unknown (confirm to create it)")
        org_id = create_org(conn, OrgFields(name=name.strip()))
        created.append(name.strip())
    return org_id


def _stored(conn: Connection, values: DealValues, create: bool, created: list[str]) -> dict[str, Any]:
    if values.date is None or not values.kind or not values.from_org:
        raise DealError("date, kind and from_org are required")
    from_id = _resolve(conn, values.from_org, create, created)
    to_id = _resolve(conn, values.to_org, create, created) if values.to_org else None
    if from_id == to_id:
        raise DealError(f"to_org {values.to_org!r}: the same organisation as from_org {values.from_org!r}")
    return {
        "ref": values.ref, "date": values.date, "date_precision": values.date_precision, "kind": values.kind,
        "from_org_id": from_id, "to_org_id": to_id, "amount": values.amount, "currency": values.currency,
        "qualifier": values.qualifier, "amount_text": values.amount_text, "capacity_gw": values.capacity_gw,
        "status": values.status, "description": values.description, "source_outlet": values.source_outlet,
        "source_author": values.source_author, "source_title": values.source_title,
        "source_url": values.source_url, "source_date": values.source_date,
    }  # fmt: skip


def _set_alliances(conn: Connection, deal_id: int, names: Sequence[str]) -> None:
    conn.execute(delete(ALLIANCE_DEAL).where(ALLIANCE_DEAL.c.deal_id == deal_id))
    for name in dict.fromkeys(names):
        conn.execute(insert(ALLIANCE_DEAL).values(alliance_id=ensure_alliance(conn, name), deal_id=deal_id))


def add_deal(conn: Connection, values: DealValues, *, create_orgs: bool = False) -> tuple[int, list[str]]:
    """Insert a deal; returns its id and the organisations created for it."""
    created: list[str] = []
    stored = _stored(conn, values, create_orgs, created)
    if values.id is not None:
        stored["id"] = values.id
    deal_id = conn.execute(insert(DEAL).values(**stored).returning(DEAL.c.id)).scalar_one()
    if values.alliances:
        _set_alliances(conn, deal_id, values.alliances)
    return deal_id, created


def update_deal(conn: Connection, deal_id: int, values: DealValues, *, create_orgs: bool = False) -> list[str]:
    """Replace a deal's values (its ref kept when ``values`` has none); returns the organisations created."""
    created: list[str] = []
    stored = _stored(conn, values, create_orgs, created)
    if values.ref is None:
        stored.pop("ref")
    n = conn.execute(DEAL.update().where(DEAL.c.id == deal_id).values(**stored)).rowcount
    if n == 0:
        raise DealError(f"deal {deal_id}: no such deal (deleted meanwhile?)")
    if values.alliances is not None:
        _set_alliances(conn, deal_id, values.alliances)
    return created


def values_of(conn: Connection, deal_id: int) -> DealValues:
    """A deal as editable values (parties by name), e.g. to fill the edit form."""
    d = get_deal(conn, deal_id)
    if d is None:
        raise DealError(f"deal {deal_id}: no such deal")
    return DealValues(
        id=d.id, ref=d.ref, date=d.date, date_precision=d.date_precision, kind=d.kind, from_org=d.from_party.name,
        to_org=d.to_party.name if d.to_party else None, amount=d.amount, currency=d.currency,
        qualifier=d.qualifier, amount_text=d.amount_text, capacity_gw=d.capacity_gw, status=d.status,
        description=d.description, source_outlet=d.source_outlet, source_author=d.source_author,
        source_title=d.source_title, source_url=d.source_url, source_date=d.source_date,
        alliances=tuple(name for _, name in d.alliances),
    )  # fmt: skip


@dataclass(frozen=True)
class DealSnapshot:
    """Everything a delete removes, so that undo can put it back exactly (same id, same links)."""

    row: dict[str, Any]
    alliance_ids: tuple[int, ...]
    links: tuple[tuple[int, int, str], ...]


def snapshot(conn: Connection, deal_id: int) -> DealSnapshot:
    """What a delete of ``deal_id`` would remove."""
    row = conn.execute(select(DEAL).where(DEAL.c.id == deal_id)).mappings().first()
    if row is None:
        raise DealError(f"deal {deal_id}: no such deal")
    alliance_ids = tuple(
        conn.execute(select(ALLIANCE_DEAL.c.alliance_id).where(ALLIANCE_DEAL.c.deal_id == deal_id)).scalars()
    )
    links = tuple(
        conn.execute(
            select(LINK.c.from_deal_id, LINK.c.to_deal_id, LINK.c.relation).where(
                or_(LINK.c.from_deal_id == deal_id, LINK.c.to_deal_id == deal_id)
            )
        ).all()
    )
    return DealSnapshot(dict(row), alliance_ids, links)


def delete_deal(conn: Connection, deal_id: int) -> DealSnapshot:
    """Delete a deal (its alliance and link rows go with it); returns what undo needs."""
    snap = snapshot(conn, deal_id)
    conn.execute(delete(DEAL).where(DEAL.c.id == deal_id))
    return snap


def restore_deal(conn: Connection, snap: DealSnapshot) -> None:
    """Put back a deleted deal (or an edited deal's earlier state), links included."""
    deal_id = snap.row["id"]
    exists = conn.execute(select(DEAL.c.id).where(DEAL.c.id == deal_id)).scalar() is not None
    if exists:
        conn.execute(
            DEAL.update().where(DEAL.c.id == deal_id).values(**{k: v for k, v in snap.row.items() if k != "id"})
        )
    else:
        conn.execute(insert(DEAL).values(**snap.row))
    conn.execute(delete(ALLIANCE_DEAL).where(ALLIANCE_DEAL.c.deal_id == deal_id))
    for a in snap.alliance_ids:
        if conn.execute(select(ALLIANCE.c.id).where(ALLIANCE.c.id == a)).scalar() is not None:
            conn.execute(insert(ALLIANCE_DEAL).values(alliance_id=a, deal_id=deal_id))
    conn.execute(delete(LINK).where(or_(LINK.c.from_deal_id == deal_id, LINK.c.to_deal_id == deal_id)))
    for f, t, r in snap.links:
        other = t if f == deal_id else f
        if conn.execute(select(DEAL.c.id).where(DEAL.c.id == other)).scalar() is not None:
            conn.execute(insert(LINK).values(from_deal_id=f, to_deal_id=t, relation=r))
