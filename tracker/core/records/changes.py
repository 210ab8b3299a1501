"""Changes to deals: add and update (creating unknown parties on request), delete, and the snapshot that
lets undo restore a deleted or edited deal exactly (same id, same alliances and links).

Nothing here overwrites what another writer did meanwhile: an edit saved with the version its form was
opened at (``expected_version``) fails with :class:`EditConflict` if the deal changed since (the form shows
both versions); undo puts back a deleted deal only where no row holds its id, reverts an edit only if the
deal is still as the edit left it, and removes an added deal only if nobody changed it since (row versions:
tracker/core/storage/versions.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select

from tracker.core.domain.fields import DealValues
from tracker.core.records.alliances import ensure_alliance
from tracker.core.records.confidence import refresh_confidence
from tracker.core.records.details import get_deal
from tracker.core.records.errors import DealError
from tracker.core.records.orgs import find_org_id
from tracker.core.records.resolve import create_named_org
from tracker.core.records.source_mirror import sources_from_deals
from tracker.core.storage.handles import ALLIANCE, ALLIANCE_DEAL, DEAL, LINK, ORG, SOURCE


@dataclass
class StoredDeal(DealValues):
    """A deal as stored, with the row version it was read at (what an edit form starts from)."""

    version: int = 0


class EditConflict(DealError):
    """The deal changed since the edit began: ``theirs`` is the deal as stored now."""

    def __init__(self, deal_id: int, theirs: StoredDeal) -> None:
        super().__init__(f"deal #{deal_id}: changed by another writer since the form was opened; not saved")
        self.deal_id = deal_id
        self.theirs = theirs


STORED_BY_COLUMN: dict[str, tuple[str, ...]] = {
    "ref": ("ref",), "date": ("date", "date_precision"), "kind": ("kind",), "from_org": ("from_org_id",),
    "to_org": ("to_org_id",), "amount": ("amount", "amount_text", "currency", "qualifier"),
    "currency": ("currency",), "qualifier": ("qualifier",), "capacity_gw": ("capacity_gw", "capacity_qualifier"),
    "capacity_qualifier": ("capacity_qualifier",), "status": ("status",),
    "description": ("description",), "source_outlet": ("source_outlet",), "source_author": ("source_author",),
    "source_title": ("source_title",), "source_url": ("source_url",), "source_date": ("source_date",),
}  # fmt: skip
"""The stored columns each deals-CSV column (or form field) sets; an update leaves the others as they are."""


def version_of(conn: Connection, deal_id: int) -> int | None:
    """The deal's row version, or None if there is no such deal."""
    return conn.execute(select(DEAL.c.version).where(DEAL.c.id == deal_id)).scalar()


def unknown_parties(conn: Connection, values: DealValues) -> list[str]:
    """Names in ``values`` that match no organisation or alias (they would be created)."""
    return [n for n in (values.from_org, values.to_org) if n and find_org_id(conn, n) is None]


def _resolve(conn: Connection, name: str, create: bool, created: list[str]) -> int:
    org_id = find_org_id(conn, name)
    if org_id is None:
        if not create:
            raise DealError(f"organisation {name!r}: unknown (confirm to create it)")
        named = create_named_org(conn, name)  # from the reference list when it is one of its names
        org_id = named.org_id
        if named.created:
            created.append(named.name)
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
        "capacity_qualifier": values.capacity_qualifier, "status": values.status, "description": values.description, "source_outlet": values.source_outlet,
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
    settle_sources(conn, deal_id)
    return deal_id, created


def settle_sources(conn: Connection, deal_id: int) -> None:
    """After a write of the deal row: its first source as its source_* columns say, its confidence."""
    sources_from_deals(conn, [deal_id])
    refresh_confidence(conn, [deal_id])


def update_deal(
    conn: Connection,
    deal_id: int,
    values: DealValues,
    *,
    create_orgs: bool = False,
    expected_version: int | None = None,
) -> list[str]:
    """Replace a deal's values (its ref kept when ``values`` has none; with ``values.present``, only the
    columns given: a form without a field leaves that field alone); returns the organisations created.

    ``expected_version``: the version the edit started from; if the deal changed since, nothing is written
    and :class:`EditConflict` carries the deal as it is now."""
    created: list[str] = []
    stored = _stored(conn, values, create_orgs, created)
    if values.ref is None:
        stored.pop("ref")
    if values.present:
        given = {c for column in values.present for c in STORED_BY_COLUMN.get(column, ())}
        stored = {k: v for k, v in stored.items() if k in given}
    stmt = DEAL.update().where(DEAL.c.id == deal_id)
    if expected_version is not None:
        stmt = stmt.where(DEAL.c.version == expected_version)
    n = conn.execute(stmt.values(**stored, version=DEAL.c.version + 1)).rowcount
    if n == 0:
        if version_of(conn, deal_id) is None:
            raise DealError(f"deal {deal_id}: no such deal (deleted meanwhile?)")
        raise EditConflict(deal_id, values_of(conn, deal_id))
    if values.alliances is not None:
        _set_alliances(conn, deal_id, values.alliances)
    settle_sources(conn, deal_id)
    return created


def values_of(conn: Connection, deal_id: int) -> StoredDeal:
    """A deal as editable values (parties by name) and its row version, e.g. to fill the edit form."""
    d = get_deal(conn, deal_id)
    version = version_of(conn, deal_id)  # the same read transaction: the same state as get_deal's
    if d is None or version is None:
        raise DealError(f"deal {deal_id}: no such deal")
    return StoredDeal(
        id=d.id, ref=d.ref, date=d.date, date_precision=d.date_precision, kind=d.kind, from_org=d.from_party.name,
        to_org=d.to_party.name if d.to_party else None, amount=d.amount, currency=d.currency,
        qualifier=d.qualifier, amount_text=d.amount_text, capacity_gw=d.capacity_gw,
        capacity_qualifier=d.capacity_qualifier, status=d.status,
        description=d.description, source_outlet=d.source_outlet, source_author=d.source_author,
        source_title=d.source_title, source_url=d.source_url, source_date=d.source_date,
        alliances=tuple(name for _, name in d.alliances), version=version,
    )  # fmt: skip


@dataclass(frozen=True)
class DealSnapshot:
    """Everything a delete removes, so that undo can put it back exactly (same id, same links). ``row``
    is the deal's contents; ``version``, its row version then (not part of the contents: two snapshots of
    the same contents are equal whatever their versions)."""

    row: dict[str, Any]
    alliance_ids: tuple[int, ...]
    links: tuple[tuple[int, int, str], ...]
    version: int = field(default=0, compare=False)
    sources: tuple[dict[str, Any], ...] = ()
    """The deal's sources as stored (schema 0011), first first."""


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
    contents = dict(row)
    version = int(contents.pop("version"))
    sources = tuple(
        dict(r)
        for r in conn.execute(select(SOURCE).where(SOURCE.c.deal_id == deal_id).order_by(SOURCE.c.position)).mappings()
    )
    return DealSnapshot(contents, alliance_ids, links, version, sources)


def delete_deal(conn: Connection, deal_id: int, *, expected_version: int | None = None) -> DealSnapshot:
    """Delete a deal (its alliance and link rows go with it); returns what undo needs. ``expected_version``:
    delete only if the deal is still at that version (undo of an add: nobody changed it since)."""
    snap = snapshot(conn, deal_id)
    if expected_version is not None and snap.version != expected_version:
        raise DealError(f"deal #{deal_id}: changed by another writer since it was added; not removed")
    conn.execute(delete(DEAL).where(DEAL.c.id == deal_id))
    return snap


def restore_deal(conn: Connection, snap: DealSnapshot) -> None:
    """Put back a deleted deal, links included, under its own id; refused if a row holds that id now (it
    is another deal: restoring would overwrite it)."""
    deal_id = snap.row["id"]
    if version_of(conn, deal_id) is not None:
        raise DealError(f"deal #{deal_id}: another deal holds its id now; not restored (nothing was overwritten)")
    parties = {snap.row["from_org_id"], snap.row["to_org_id"]} - {None}
    if len(conn.execute(select(ORG.c.id).where(ORG.c.id.in_(parties))).all()) < len(parties):
        raise DealError(f"deal #{deal_id}: one of its organisations was deleted since; not restored")
    conn.execute(insert(DEAL).values(**snap.row, version=snap.version))  # the same contents, the same version
    for source in snap.sources:
        conn.execute(insert(SOURCE).values(**source))
    refresh_confidence(conn, [deal_id])  # its parties' aliases may have changed since
    _restore_alliances(conn, deal_id, snap.alliance_ids)
    for f, t, r in snap.links:
        other = t if f == deal_id else f
        if version_of(conn, other) is not None:
            conn.execute(insert(LINK).values(from_deal_id=f, to_deal_id=t, relation=r))


def restore_edited(conn: Connection, snap: DealSnapshot, version: int) -> None:
    """Put back a deal's values from before an edit that left it at ``version``: refused if another writer
    changed it since (reverting would undo their change too) or deleted it."""
    deal_id = snap.row["id"]
    values = {k: v for k, v in snap.row.items() if k != "id"}
    stmt = DEAL.update().where(DEAL.c.id == deal_id, DEAL.c.version == version)
    if conn.execute(stmt.values(**values, version=DEAL.c.version + 1)).rowcount == 0:
        if version_of(conn, deal_id) is None:
            raise DealError(f"deal #{deal_id}: deleted since the edit; not undone")
        raise DealError(f"deal #{deal_id}: changed by another writer since the edit; not undone (theirs kept)")
    _restore_alliances(conn, deal_id, snap.alliance_ids)
    settle_sources(conn, deal_id)


def _restore_alliances(conn: Connection, deal_id: int, alliance_ids: Sequence[int]) -> None:
    conn.execute(delete(ALLIANCE_DEAL).where(ALLIANCE_DEAL.c.deal_id == deal_id))
    for a in alliance_ids:
        if conn.execute(select(ALLIANCE.c.id).where(ALLIANCE.c.id == a)).scalar() is not None:
            conn.execute(insert(ALLIANCE_DEAL).values(alliance_id=a, deal_id=deal_id))
