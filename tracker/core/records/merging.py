"""Merging a duplicate deal into the one kept: ``tracker dedupe --merge KEEP DROP`` and the app's dedupe screen.

DROP's links to other deals, its alliances and its sources move to KEEP (a link between the two is dropped: a
deal is not linked to itself; a source KEEP already has, the same URL or else the same kind, outlet and title,
is not copied), KEEP's empty fields are filled from DROP's (ref, amount text, capacity, description), then
DROP is deleted. Everything goes through the write path of tracker/core/records/changes.py
(``delete_deal``, ``update_deal``), so the running sums stay exact (triggers) and row versions move on.
:func:`unmerge` puts both deals back as they were (the app's undo).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select

from tracker.core.domain.source_fields import SOURCE_FIELDS, SourceValues
from tracker.core.records.changes import (
    DealSnapshot,
    delete_deal,
    restore_deal,
    restore_edited,
    snapshot,
    update_deal,
    values_of,
    version_of,
)
from tracker.core.records.errors import DealError
from tracker.core.records.source_add import same_source
from tracker.core.records.sources import add_source, list_sources, remove_source
from tracker.core.storage.handles import ALLIANCE_DEAL, DISMISSED, LINK

FILLED: tuple[tuple[str, str], ...] = (
    ("ref", "ref"), ("amount_text", "amount"), ("capacity_gw", "capacity_gw"), ("description", "description"),
)  # fmt: skip
"""(the stored column filled from DROP when KEEP's is empty, the deals-CSV column that writes it)."""


@dataclass(frozen=True)
class MergeResult:
    """What a merge did, and what :func:`unmerge` needs to put it back."""

    keep: int
    drop: int
    filled: tuple[str, ...]
    moved_links: tuple[tuple[int, int, str], ...]
    moved_alliances: tuple[int, ...]
    keep_before: DealSnapshot
    drop_before: DealSnapshot
    keep_version: int
    dismissed: tuple[tuple[int, int], ...] = ()
    """DROP's "keep both" pairs (gone with it; put back by :func:`unmerge`)."""
    moved_sources: tuple[int, ...] = ()
    """The ids of DROP's sources as added to KEEP."""

    def summary(self) -> str:
        parts = [f"merged deal #{self.drop} into #{self.keep}"]
        if self.filled:
            parts.append("filled " + ", ".join(self.filled))
        if self.moved_links:
            parts.append(f"{len(self.moved_links)} link{'s' if len(self.moved_links) != 1 else ''} moved")
        if self.moved_alliances:
            n = len(self.moved_alliances)
            parts.append(f"{n} alliance{'s' if n != 1 else ''} moved")
        if self.moved_sources:
            n = len(self.moved_sources)
            parts.append(f"{n} source{'s' if n != 1 else ''} moved")
        return "; ".join(parts) + f"; deal #{self.drop} deleted"


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def merge_deals(conn: Connection, keep: int, drop: int) -> MergeResult:
    """Merge deal ``drop`` into deal ``keep`` (see the module's text), in the caller's transaction."""
    if keep == drop:
        raise DealError(f"deal #{keep}: cannot be merged into itself")
    for deal_id in (keep, drop):
        if version_of(conn, deal_id) is None:
            raise DealError(f"deal {deal_id}: no such deal")
    keep_before = snapshot(conn, keep)
    involved = or_(DISMISSED.c.low_id == drop, DISMISSED.c.high_id == drop)
    dismissed = tuple((a, b) for a, b in conn.execute(select(DISMISSED.c.low_id, DISMISSED.c.high_id).where(involved)))
    drop_before = delete_deal(conn, drop)  # first: DROP's ref can then move to KEEP (refs are unique)
    moved_links: list[tuple[int, int, str]] = []
    for f, t, relation in drop_before.links:
        f2, t2 = (keep if f == drop else f), (keep if t == drop else t)
        if f2 == t2:
            continue
        taken = select(LINK.c.relation).where(
            or_(
                (LINK.c.from_deal_id == f2) & (LINK.c.to_deal_id == t2),
                (LINK.c.from_deal_id == t2) & (LINK.c.to_deal_id == f2),
            )
        )
        if conn.execute(taken).first() is None:
            conn.execute(insert(LINK).values(from_deal_id=f2, to_deal_id=t2, relation=relation))
            moved_links.append((f2, t2, relation))
    moved_alliances = tuple(a for a in drop_before.alliance_ids if a not in keep_before.alliance_ids)
    for alliance_id in moved_alliances:
        conn.execute(insert(ALLIANCE_DEAL).values(alliance_id=alliance_id, deal_id=keep))
    moved_sources = _move_sources(conn, keep, drop_before)
    fills = {c: drop_before.row[c] for c, _ in FILLED if _empty(keep_before.row[c]) and not _empty(drop_before.row[c])}
    if fills:
        values = replace(values_of(conn, keep), **fills, alliances=None)
        present = frozenset(column for stored, column in FILLED if stored in fills)
        update_deal(conn, keep, replace(values, present=present))
    version = version_of(conn, keep)
    assert version is not None
    return MergeResult(
        keep,
        drop,
        tuple(fills),
        tuple(moved_links),
        moved_alliances,
        keep_before,
        drop_before,
        version,
        dismissed,
        moved_sources,
    )


def _move_sources(conn: Connection, keep: int, drop_before: DealSnapshot) -> tuple[int, ...]:
    """DROP's sources added to KEEP's, after them, but for those KEEP has already."""
    had = {same_source(s.values) for s in list_sources(conn, keep)}
    moved: list[int] = []
    for row in drop_before.sources:
        values = SourceValues(**{name: row[name] for name in SOURCE_FIELDS})
        if same_source(values) not in had:
            had.add(same_source(values))
            moved.append(add_source(conn, keep, values).id)
    return tuple(moved)


def unmerge(conn: Connection, merged: MergeResult) -> None:
    """Undo a merge: KEEP as it was (refused if another writer changed it since), DROP back under its id with
    its links, alliances and "keep both" pairs."""
    if version_of(conn, merged.keep) == merged.keep_version:  # else restore_edited refuses, nothing changed
        for source_id in reversed(merged.moved_sources):
            remove_source(conn, source_id)
        version = version_of(conn, merged.keep)
    else:
        version = merged.keep_version
    assert version is not None
    restore_edited(conn, merged.keep_before, version)
    for f, t, _relation in merged.moved_links:
        conn.execute(delete(LINK).where(LINK.c.from_deal_id == f, LINK.c.to_deal_id == t))
    restore_deal(conn, merged.drop_before)
    for low, high in merged.dismissed:
        if version_of(conn, low) is not None and version_of(conn, high) is not None:
            conn.execute(insert(DISMISSED).values(low_id=low, high_id=high))
