"""Changes to alliances, each in the caller's write transaction and each returning its undo (an
:class:`tracker.core.records.undo.UndoEntry`, which the app keeps for `u` and the CLI ignores): create with
members, rename, delete, a member added or removed.

Names are matched as everywhere (:func:`tracker.core.records.alliances.find_alliance_id`: case, dashes and
spacing aside), so a name that only differs that way from an existing alliance IS that alliance: creating it
is refused naming the existing one, and renaming to it is refused unless it is the alliance being renamed
(a rename may change only case or dashes). Delete removes the grouping only: the deals and organisations
stay, and undo puts the alliance back under its own id with the members and deals that still exist.
Undo never overwrites another writer's work: it is refused (a :class:`DealError` saying why) when the
alliance changed since in the way that would be lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select

from tracker.core.domain.names import alliance_key, clean_name
from tracker.core.records import links
from tracker.core.records.alliances import delete_alliance, ensure_alliance, find_alliance_id, get_alliance
from tracker.core.records.errors import DealError
from tracker.core.records.orgs import check_name, find_org_id
from tracker.core.records.undo import UndoEntry
from tracker.core.storage.handles import ALLIANCE, ALLIANCE_DEAL, DEAL, MEMBER, ORG


def _stored_name(conn: Connection, alliance_id: int) -> str | None:
    return conn.execute(select(ALLIANCE.c.name).where(ALLIANCE.c.id == alliance_id)).scalar()


def org_named(conn: Connection, name: str) -> tuple[int, str]:
    """The organisation whose name or alias is ``name``: (id, its name); :class:`DealError` if there is none."""
    org_id = find_org_id(conn, name) if name.strip() else None
    stored = conn.execute(select(ORG.c.name).where(ORG.c.id == org_id)).scalar() if org_id is not None else None
    if org_id is None or stored is None:
        raise DealError(f"organisation {clean_name(name)!r}: no such organisation")
    return org_id, stored


def _free_name(conn: Connection, name: str, field: str = "alliance") -> str:
    """``name`` cleaned and checked; :class:`DealError` if empty or not writable."""
    name = clean_name(name)
    if not name:
        raise DealError(f"{field}: a name is required")
    check_name(field, name)
    return name


def create_alliance(
    conn: Connection, name: str, members: Sequence[str] = (), description: str | None = None
) -> tuple[int, UndoEntry]:
    """Create the alliance ``name`` with ``members`` (organisation names or aliases, each must exist);
    refused if an alliance of that name (case, dashes and spacing aside) exists."""
    name = _free_name(conn, name)
    existing = find_alliance_id(conn, name)
    if existing is not None:
        raise DealError(f"alliance {name!r}: exists already as {_stored_name(conn, existing)!r}")
    member_ids = [org_named(conn, m)[0] for m in members]
    alliance_id = ensure_alliance(conn, name, (description or "").strip() or None)
    for org_id in dict.fromkeys(member_ids):
        links.link_org_alliance(conn, org_id, alliance_id)

    def undo(c: Connection) -> None:
        delete_alliance(c, alliance_id)

    return alliance_id, UndoEntry(f"creation of alliance {name}", undo)


def rename_alliance(conn: Connection, old: str, new: str) -> tuple[str, str, UndoEntry]:
    """Rename the alliance ``old`` to ``new``; returns (the name it had, the name it has) and the undo."""
    alliance = get_alliance(conn, old)
    new = _free_name(conn, new, "new name")
    holder = find_alliance_id(conn, new)
    if holder is not None and holder != alliance.id:
        raise DealError(f"new name {new!r}: the alliance {_stored_name(conn, holder)!r} has it already")
    if new == alliance.name:
        raise DealError(f"new name {new!r}: the alliance is called so already")
    _set_name(conn, alliance.id, new)
    before = alliance.name

    def undo(c: Connection) -> None:
        now = _stored_name(c, alliance.id)
        if now is None:
            raise DealError(f"alliance {new!r}: deleted since the rename; not undone")
        if now != new:
            raise DealError(f"alliance {new!r}: renamed again since (now {now!r}); not undone")
        holder = find_alliance_id(c, before)
        if holder is not None and holder != alliance.id:
            raise DealError(f"alliance {before!r}: another alliance has that name now; not undone")
        _set_name(c, alliance.id, before)

    return before, new, UndoEntry(f"rename of {before} to {new}", undo)


def _set_name(conn: Connection, alliance_id: int, name: str) -> None:
    conn.execute(ALLIANCE.update().where(ALLIANCE.c.id == alliance_id).values(name=name, name_key=alliance_key(name)))


@dataclass(frozen=True)
class AllianceSnapshot:
    """Everything a delete removes: the alliance's row, its members and its deals (by id)."""

    id: int
    name: str
    description: str | None
    member_ids: tuple[int, ...]
    deal_ids: tuple[int, ...]


def remove_alliance(conn: Connection, name: str) -> tuple[AllianceSnapshot, UndoEntry]:
    """Delete the alliance ``name``: the grouping goes, its deals and members stay. Returns what it removed
    and the undo (the alliance back under its id, with the members and deals that still exist)."""
    a = get_alliance(conn, name)
    deal_ids = tuple(
        conn.execute(
            select(ALLIANCE_DEAL.c.deal_id).where(ALLIANCE_DEAL.c.alliance_id == a.id).order_by(ALLIANCE_DEAL.c.deal_id)
        ).scalars()
    )
    snap = AllianceSnapshot(a.id, a.name, a.description, tuple(m for m, _ in a.members), deal_ids)
    delete_alliance(conn, a.id)
    return snap, UndoEntry(f"delete of alliance {a.name}", lambda c: restore_alliance(c, snap))


def restore_alliance(conn: Connection, snap: AllianceSnapshot) -> None:
    """Put a deleted alliance back under its own id; refused if another alliance holds its id or name now."""
    if _stored_name(conn, snap.id) is not None:
        raise DealError(f"alliance {snap.name!r}: its id is held again; not restored")
    holder = find_alliance_id(conn, snap.name)
    if holder is not None:
        raise DealError(f"alliance {snap.name!r}: created again since as {_stored_name(conn, holder)!r}; not restored")
    conn.execute(
        insert(ALLIANCE).values(
            id=snap.id, name=snap.name, name_key=alliance_key(snap.name), description=snap.description
        )
    )
    orgs = set(conn.execute(select(ORG.c.id).where(ORG.c.id.in_(snap.member_ids))).scalars())
    deals = set(conn.execute(select(DEAL.c.id).where(DEAL.c.id.in_(snap.deal_ids))).scalars())
    if orgs:
        conn.execute(insert(MEMBER), [{"alliance_id": snap.id, "org_id": o} for o in snap.member_ids if o in orgs])
    if deals:
        conn.execute(
            insert(ALLIANCE_DEAL), [{"alliance_id": snap.id, "deal_id": d} for d in snap.deal_ids if d in deals]
        )


def add_member(conn: Connection, alliance: str, org: str) -> tuple[str, str, UndoEntry]:
    """Make the organisation ``org`` (name or alias) a member of ``alliance``; returns both names as stored
    and the undo. Refused if it is a member already."""
    a = get_alliance(conn, alliance)
    org_id, org_name = org_named(conn, org)
    if not links.link_org_alliance(conn, org_id, a.id):
        raise DealError(f"organisation {org_name!r}: a member of {a.name!r} already")

    def undo(c: Connection) -> None:
        links.unlink_org_alliance(c, org_id, a.id)

    return a.name, org_name, UndoEntry(f"{org_name} joining {a.name}", undo)


def remove_member(conn: Connection, alliance: str, org: str) -> tuple[str, str, UndoEntry]:
    """End the membership of ``org`` in ``alliance``; refused if it is no member."""
    a = get_alliance(conn, alliance)
    org_id, org_name = org_named(conn, org)
    if org_id not in {m for m, _ in a.members}:
        raise DealError(f"organisation {org_name!r}: not a member of {a.name!r}")
    conn.execute(delete(MEMBER).where(MEMBER.c.alliance_id == a.id, MEMBER.c.org_id == org_id))

    def undo(c: Connection) -> None:
        if _stored_name(c, a.id) is None:
            raise DealError(f"alliance {a.name!r}: deleted since; not undone")
        if c.execute(select(ORG.c.id).where(ORG.c.id == org_id)).scalar() is None:
            raise DealError(f"organisation {org_name!r}: deleted since; not undone")
        links.link_org_alliance(c, org_id, a.id)

    return a.name, org_name, UndoEntry(f"{org_name} leaving {a.name}", undo)
