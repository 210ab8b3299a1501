"""Merge one organisation into another: ``FROM``'s deals (both sides), alliance memberships, aliases and
children move to ``INTO``; ``FROM``'s name and native name become aliases of ``INTO``; ``INTO``'s empty
fields are filled from ``FROM``; then ``FROM`` is deleted. The deals keep their ids, so their links and
alliances stay with them.

A deal between the two would end with the same organisation on both sides: the merge is refused, naming
those deals, until they are edited or deleted. The running sums (party_total, period_total) follow the
deals' new parties by the same triggers as any edit (tracker/core/storage/sums.py).

Undo puts everything back (``FROM`` under its own id, its deals, memberships, aliases and children, and
``INTO`` as it was), refused when another writer changed ``INTO`` or one of the moved deals since.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, and_, delete, insert, or_, select

from tracker.core.domain.names import name_key
from tracker.core.records.confidence import refresh_org_deals
from tracker.core.records.org_state import OrgError, OrgState, put_back, state_of
from tracker.core.records.undo import UndoEntry
from tracker.core.storage.handles import ALIAS, ALLIANCE, DEAL, MEMBER, ORG

FILLED = ("native_name", "country", "sector", "notes", "parent_id")
"""The fields of ``INTO`` filled from ``FROM`` when empty."""
SHOWN_SELF_DEALS = 10


@dataclass(frozen=True)
class MergeResult:
    """What a merge did: the organisation kept, how many deals moved, the aliases it gained, the fields it
    took from the one merged, and the undo."""

    into_id: int
    into_name: str
    merged_name: str
    deals_moved: int
    aliases_added: tuple[str, ...]
    fields_filled: tuple[str, ...]
    undo: UndoEntry


def self_deals(conn: Connection, from_id: int, into_id: int) -> list[int]:
    """The deals between the two organisations (either way): after a merge both their sides would be one."""
    between = or_(
        and_(DEAL.c.from_org_id == from_id, DEAL.c.to_org_id == into_id),
        and_(DEAL.c.from_org_id == into_id, DEAL.c.to_org_id == from_id),
    )
    return list(conn.execute(select(DEAL.c.id).where(between).order_by(DEAL.c.id)).scalars())


def _deal_versions(conn: Connection, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(conn.execute(select(DEAL.c.id, DEAL.c.version).where(DEAL.c.id.in_(ids))).all())


def merge_orgs(conn: Connection, from_id: int, into_id: int) -> MergeResult:
    """Merge ``from_id`` into ``into_id`` (see the module's docstring)."""
    source, target = state_of(conn, from_id), state_of(conn, into_id)
    src_name, dst_name = source.row["name"], target.row["name"]
    if from_id == into_id:
        raise OrgError(f"merge {src_name!r} into {dst_name!r}: the same organisation")
    between = self_deals(conn, from_id, into_id)
    if between:
        shown = ", ".join(f"#{i}" for i in between[:SHOWN_SELF_DEALS])
        more = f" and {len(between) - SHOWN_SELF_DEALS} more" if len(between) > SHOWN_SELF_DEALS else ""
        noun = "deal" if len(between) == 1 else "deals"
        raise OrgError(
            f"merge {src_name!r} into {dst_name!r}: {len(between)} {noun} between them ({shown}{more}) would have "
            f"{dst_name!r} on both sides; edit or delete {'it' if len(between) == 1 else 'them'} first"
        )
    out_ids = list(conn.execute(select(DEAL.c.id).where(DEAL.c.from_org_id == from_id)).scalars())
    in_ids = list(conn.execute(select(DEAL.c.id).where(DEAL.c.to_org_id == from_id)).scalars())
    memberships = set(conn.execute(select(MEMBER.c.alliance_id).where(MEMBER.c.org_id == from_id)).scalars())
    had = set(conn.execute(select(MEMBER.c.alliance_id).where(MEMBER.c.org_id == into_id)).scalars())
    children = list(conn.execute(select(ORG.c.id).where(ORG.c.parent_id == from_id, ORG.c.id != into_id)).scalars())

    # INTO's empty fields from FROM; INTO's parent never one that closes a cycle
    ancestors = _ancestors(conn, into_id)
    filled: dict[str, object] = {}
    for field in FILLED:
        if target.row[field] in (None, "") and source.row[field] not in (None, ""):
            filled[field] = source.row[field]
    if target.row["parent_id"] == from_id:  # INTO was FROM's child: it takes FROM's place
        filled["parent_id"] = source.row["parent_id"]
    parent = filled.get("parent_id")
    if parent is not None and (parent == into_id or into_id in _ancestors(conn, int(str(parent)))):
        filled["parent_id"] = None if target.row["parent_id"] == from_id else target.row["parent_id"]
    climbing = [c for c in children if c in ancestors]  # between INTO and FROM: they take FROM's parent
    children = [c for c in children if c not in ancestors]

    # move everything, then delete FROM (its aliases first: INTO takes their keys)
    if out_ids:
        conn.execute(DEAL.update().where(DEAL.c.from_org_id == from_id).values(from_org_id=into_id))
    if in_ids:
        conn.execute(DEAL.update().where(DEAL.c.to_org_id == from_id).values(to_org_id=into_id))
    conn.execute(delete(MEMBER).where(MEMBER.c.org_id == from_id))
    gained = sorted(memberships - had)
    if gained:
        conn.execute(insert(MEMBER), [{"alliance_id": a, "org_id": into_id} for a in gained])
    if children:
        conn.execute(ORG.update().where(ORG.c.id.in_(children)).values(parent_id=into_id))
    if climbing:
        conn.execute(ORG.update().where(ORG.c.id.in_(climbing)).values(parent_id=source.row["parent_id"]))
    conn.execute(ORG.update().where(ORG.c.id == into_id, ORG.c.parent_id == from_id).values(parent_id=None))
    conn.execute(delete(ALIAS).where(ALIAS.c.org_id == from_id))
    conn.execute(delete(ORG).where(ORG.c.id == from_id))
    if filled:
        conn.execute(ORG.update().where(ORG.c.id == into_id).values(**filled))
    kept = {name_key(dst_name), *target.alias_keys}
    added: dict[str, str] = {}
    for alias in (src_name, source.row["native_name"], *(a for _, a, _ in source.aliases)):
        if alias and name_key(alias) not in kept and name_key(alias) not in added:
            added[name_key(alias)] = alias
    if added:
        conn.execute(insert(ALIAS), [{"org_id": into_id, "alias": a, "alias_key": k} for k, a in added.items()])

    refresh_org_deals(conn, into_id)
    after = state_of(conn, into_id)
    moved = _deal_versions(conn, sorted({*out_ids, *in_ids}))

    def undo(c: Connection) -> None:
        _unmerge(c, source, target, after, moved, (out_ids, in_ids), memberships, gained, children + climbing)

    took = tuple("parent" if f == "parent_id" else f for f, v in filled.items() if v is not None)
    return MergeResult(
        into_id, dst_name, src_name, len(moved), tuple(added.values()), took,
        UndoEntry(f"merge of {src_name} into {dst_name}", undo),
    )  # fmt: skip


def _ancestors(conn: Connection, org_id: int) -> set[int]:
    """The parent of ``org_id``, its parent, and so on (a cycle in stored data ends the walk)."""
    seen: set[int] = set()
    step = conn.execute(select(ORG.c.parent_id).where(ORG.c.id == org_id)).scalar()
    while step is not None and step not in seen and step != org_id:
        seen.add(step)
        step = conn.execute(select(ORG.c.parent_id).where(ORG.c.id == step)).scalar()
    return seen


def _unmerge(
    conn: Connection,
    source: OrgState,
    target: OrgState,
    after: OrgState,
    moved: dict[int, int],
    sides: tuple[list[int], list[int]],
    memberships: set[int],
    gained: list[int],
    children: list[int],
) -> None:
    """Undo of a merge: refused when ``INTO`` or a moved deal changed since (their work is kept)."""
    what = f"the merge of {source.row['name']!r}"
    now = _deal_versions(conn, list(moved))
    changed = sorted(i for i, v in moved.items() if now.get(i) != v)
    if changed:
        listed = ", ".join(f"#{i}" for i in changed[:SHOWN_SELF_DEALS])
        raise OrgError(f"deal {listed}: changed or deleted by another writer since; {what} not undone")
    from_id, into_id = source.id, target.id
    out_ids, in_ids = sides
    put_back(conn, target, after, what)  # INTO as it was (FROM's names leave it, so FROM can have them back)
    put_back(conn, source, None, what)
    if target.row["parent_id"] == from_id:  # put_back left it without: FROM was not back yet
        conn.execute(ORG.update().where(ORG.c.id == into_id).values(parent_id=from_id))
    if out_ids:
        conn.execute(DEAL.update().where(DEAL.c.id.in_(out_ids)).values(from_org_id=from_id))
    if in_ids:
        conn.execute(DEAL.update().where(DEAL.c.id.in_(in_ids)).values(to_org_id=from_id))
    if gained:
        conn.execute(delete(MEMBER).where(MEMBER.c.org_id == into_id, MEMBER.c.alliance_id.in_(gained)))
    alive = set(conn.execute(select(ALLIANCE.c.id).where(ALLIANCE.c.id.in_(memberships))).scalars())
    if alive:
        conn.execute(insert(MEMBER), [{"alliance_id": a, "org_id": from_id} for a in sorted(alive)])
    if children:
        conn.execute(ORG.update().where(ORG.c.id.in_(children)).values(parent_id=from_id))
    refresh_org_deals(conn, from_id, into_id)
