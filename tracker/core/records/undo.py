"""The app's changes to the database, each returning what undo needs. Run in thread workers.

Every function takes an open write `Connection` (one transaction: all or nothing) and returns an
`UndoEntry` whose `undo` callable reverses the change in another write transaction:
add → delete, edit → restore the earlier snapshot, delete → restore (links included), link → unlink,
merge → unmerge. An undo never overwrites another writer's work: it is refused (a `DealError` saying why) when
the deal changed since (add, edit: its row version moved on) or its id is held by another row (delete).

Redo: an `undo` callable that returns an `UndoEntry` returns the change's redo (undoing the undo); the app
keeps those on its redo stack (`U`), and redoing returns the next undo again. A callable that returns
anything else (None) has no redo. Imported only once the database is open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from tracker.core.domain.fields import DealValues
from tracker.core.records import links
from tracker.core.records.alliances import delete_alliance, ensure_alliance, find_alliance_id
from tracker.core.records.changes import (
    DealSnapshot,
    add_deal,
    delete_deal,
    restore_deal,
    restore_edited,
    snapshot,
    update_deal,
    version_of,
)
from tracker.core.records.duplicates import dismiss, undismiss
from tracker.core.records.errors import DealError
from tracker.core.records.merging import MergeResult, merge_deals, unmerge


@dataclass(frozen=True)
class UndoEntry:
    """A change that can be undone: `label` names it in the notification."""

    label: str
    undo: Callable[[Connection], Any]
    """Reverses the change; returns the redo's `UndoEntry` when the change can be redone."""
    deal_id: int | None = None


@dataclass(frozen=True)
class LinkRequest:
    """What the link form asks for: `kind` is "deal-alliance", "deal-deal" or "org-alliance"."""

    kind: str
    deal_id: int
    alliance: str = ""
    other_deal_id: int | None = None
    relation: str = "related"
    org_id: int | None = None


def _added(deal_id: int, version: int | None, label: str) -> Callable[[Connection], UndoEntry]:
    """Undo of an add (or a redone add): delete the deal if nobody changed it since; its redo restores it."""

    def undo(c: Connection) -> UndoEntry:
        snap = delete_deal(c, deal_id, expected_version=version)
        return UndoEntry(label, _deleted(snap, label), deal_id)

    return undo


def _deleted(snap: DealSnapshot, label: str) -> Callable[[Connection], UndoEntry]:
    """Undo of a delete (or a redone delete): restore the deal; its redo deletes it again."""

    def undo(c: Connection) -> UndoEntry:
        restore_deal(c, snap)
        deal_id = snap.row["id"]
        return UndoEntry(label, _added(deal_id, version_of(c, deal_id), label), deal_id)

    return undo


def add(conn: Connection, values: DealValues, create_orgs: bool) -> tuple[int, list[str], UndoEntry]:
    deal_id, created = add_deal(conn, values, create_orgs=create_orgs)
    version = version_of(conn, deal_id)
    label = f"add deal #{deal_id}"
    return deal_id, created, UndoEntry(label, _added(deal_id, version, label), deal_id)


def _edited(before: DealSnapshot, after: int, label: str) -> Callable[[Connection], UndoEntry]:
    """Undo of an edit (or its redo): the deal back to ``before`` if still at version ``after``."""

    def undo(c: Connection) -> UndoEntry:
        deal_id = before.row["id"]
        now = snapshot(c, deal_id)
        restore_edited(c, before, after)
        version = version_of(c, deal_id)
        assert version is not None
        return UndoEntry(label, _edited(now, version, label), deal_id)

    return undo


def edit(
    conn: Connection, deal_id: int, values: DealValues, create_orgs: bool, expected_version: int | None = None
) -> tuple[int, list[str], UndoEntry]:
    """Save an edit; ``expected_version``: the version the form was opened at (a change by another writer
    since then raises :class:`tracker.core.records.changes.EditConflict`, nothing written)."""
    before = snapshot(conn, deal_id)
    created = update_deal(conn, deal_id, values, create_orgs=create_orgs, expected_version=expected_version)
    after = version_of(conn, deal_id)
    assert after is not None
    label = f"edit of deal #{deal_id}"
    return deal_id, created, UndoEntry(label, _edited(before, after, label), deal_id)


def delete(conn: Connection, deal_id: int) -> UndoEntry:
    snap = delete_deal(conn, deal_id)
    label = f"delete of deal #{deal_id}"
    return UndoEntry(label, _deleted(snap, label), deal_id)


def merge(conn: Connection, keep: int, drop: int) -> tuple[MergeResult, UndoEntry]:
    """Merge deal ``drop`` into ``keep`` (tracker/core/records/merging.py); undo puts both back."""
    result = merge_deals(conn, keep, drop)
    label = f"merge of deal #{drop} into #{keep}"

    def undo(c: Connection) -> UndoEntry:
        unmerge(c, result)
        return UndoEntry(label, lambda c2: merge(c2, keep, drop)[1], keep)

    return result, UndoEntry(label, undo, keep)


def keep_both(conn: Connection, a: int, b: int) -> UndoEntry:
    """Remember that deals ``a`` and ``b`` are not duplicates (the dedupe screen's "keep both")."""
    new = dismiss(conn, a, b)
    label = f"keep both of deals #{min(a, b)} and #{max(a, b)}"

    def undo(c: Connection) -> UndoEntry:
        if new:
            undismiss(c, a, b)
        return UndoEntry(label, lambda c2: keep_both(c2, a, b), a)

    return UndoEntry(label, undo, a)


def _alliance(conn: Connection, name: str) -> tuple[int, bool]:
    if not name.strip():
        raise DealError("alliance: required")
    found = find_alliance_id(conn, name)
    if found is not None:
        return found, False
    return ensure_alliance(conn, name), True


def link(conn: Connection, req: LinkRequest) -> UndoEntry:
    if req.kind == "deal-deal":
        if req.other_deal_id is None:
            raise DealError("other deal: required")
        a, b = req.deal_id, req.other_deal_id
        earlier = links.link_deals(conn, a, b, req.relation)

        def undo_deals(c: Connection) -> UndoEntry:
            if earlier is None:
                links.unlink_deals(c, a, b)
            else:
                links.link_deals(c, a, b, earlier)
            return UndoEntry(f"link of deal #{a} to deal #{b}", lambda c2: link(c2, req), a)

        return UndoEntry(f"link of deal #{a} to deal #{b}", undo_deals, a)
    alliance_id, created = _alliance(conn, req.alliance)
    if req.kind == "deal-alliance":
        new = links.link_deal_alliance(conn, req.deal_id, alliance_id)
        unlink: Callable[[Connection], Any] = lambda c: links.unlink_deal_alliance(c, req.deal_id, alliance_id)  # noqa: E731
        label = f"link of deal #{req.deal_id} to {req.alliance.strip()}"
    elif req.kind == "org-alliance":
        if req.org_id is None:
            raise DealError("organisation: required")
        org_id = req.org_id
        new = links.link_org_alliance(conn, org_id, alliance_id)
        unlink = lambda c: links.unlink_org_alliance(c, org_id, alliance_id)  # noqa: E731
        label = f"membership in {req.alliance.strip()}"
    else:
        raise DealError(f"link kind {req.kind!r}: unknown")

    def undo(c: Connection) -> UndoEntry:
        if new:
            unlink(c)
        if created:
            delete_alliance(c, alliance_id)
        return UndoEntry(label, lambda c2: link(c2, req), req.deal_id)

    return UndoEntry(label, undo, req.deal_id)
