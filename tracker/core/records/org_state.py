"""What the organisation changes (tracker/core/records/org_edit.py, org_merge.py) share: an organisation
found by a name or an alias, its row and aliases as a snapshot that undo can put back, and the checks every
change makes (a name or alias already used by another organisation, a parent that would close a cycle).

Every refusal is an :class:`OrgError` naming the field and the value, so that a form can show it under the
field and the CLI as one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from tracker.core.domain.names import name_key
from tracker.core.records.errors import DealError
from tracker.core.records.orgs import find_org_id
from tracker.core.storage.handles import ALIAS, ORG

ORG_COLUMNS = ("name", "native_name", "country", "sector", "parent_id", "notes")
"""The columns of an organisation that a change can set (``name_key`` follows ``name``)."""


class OrgError(DealError):
    """A change to an organisation that cannot be made; ``field`` is the field it is about (``name``,
    ``native_name``, ``aliases``, ``country``, ``sector``, ``parent``, ``notes``, or ``""`` for the whole)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def resolve_org(conn: Connection, name: str, what: str = "organisation") -> int:
    """The id of the organisation whose name or an alias is ``name`` (any case, as everywhere), else
    :class:`OrgError` ("``organisation 'Nvdia': no organisation has this name or alias``")."""
    org_id = find_org_id(conn, name) if name.strip() else None
    if org_id is None:
        raise OrgError(f"{what} {name.strip()!r}: no organisation has this name or alias", what)
    return org_id


def name_of(conn: Connection, org_id: int) -> str:
    """The name of ``org_id`` (``#id`` if it is gone)."""
    return conn.execute(select(ORG.c.name).where(ORG.c.id == org_id)).scalar() or f"#{org_id}"


def owner_of(conn: Connection, key: str) -> tuple[int, str] | None:
    """Who uses the look-up key ``key``: (organisation id, "the name of" / "an alias of"), or None."""
    found = conn.execute(select(ORG.c.id).where(ORG.c.name_key == key)).scalar()
    if found is not None:
        return found, "the name of"
    found = conn.execute(select(ALIAS.c.org_id).where(ALIAS.c.alias_key == key)).scalar()
    if found is not None:
        return found, "an alias of"
    return None


def check_free(conn: Connection, label: str, name: str, org_id: int | None, field: str = "") -> None:
    """Refuse ``name`` for ``org_id`` when another organisation has it as its name or an alias (naming it);
    ``label`` names the field in the message, ``field`` is its key (default: the label)."""
    owner = owner_of(conn, name_key(name))
    if owner is not None and owner[0] != org_id:
        raise OrgError(f"{label} {name!r}: already {owner[1]} {name_of(conn, owner[0])!r}", field or label)


def check_parent(conn: Connection, org_id: int, parent_id: int, parent: str) -> None:
    """Refuse a parent that is the organisation itself or one of its descendants (a cycle of parents)."""
    if parent_id == org_id:
        raise OrgError(f"parent {parent!r}: an organisation cannot be its own parent", "parent")
    chain = [org_id, parent_id]
    step: int | None = parent_id
    while step is not None and step != org_id and len(chain) < 10_000:
        step = conn.execute(select(ORG.c.parent_id).where(ORG.c.id == step)).scalar()
        if step is not None:
            chain.append(step)
    if step == org_id:
        cycle = " → ".join(name_of(conn, i) for i in chain)
        raise OrgError(f"parent {parent!r}: would make a cycle of parents: {cycle}", "parent")


@dataclass(frozen=True)
class OrgState:
    """An organisation's row and its aliases (id, alias, key) as they were: what undo compares and puts back."""

    row: dict[str, Any]
    aliases: tuple[tuple[int, str, str], ...]

    @property
    def id(self) -> int:
        return int(self.row["id"])

    @property
    def alias_keys(self) -> frozenset[str]:
        return frozenset(k for _, _, k in self.aliases)


def state_of(conn: Connection, org_id: int) -> OrgState:
    """The organisation ``org_id`` as it is now (OrgError if there is none)."""
    row = conn.execute(select(ORG).where(ORG.c.id == org_id)).mappings().first()
    if row is None:
        raise OrgError(f"organisation #{org_id}: no such organisation (deleted meanwhile?)")
    aliases = conn.execute(
        select(ALIAS.c.id, ALIAS.c.alias, ALIAS.c.alias_key).where(ALIAS.c.org_id == org_id).order_by(ALIAS.c.id)
    ).all()
    return OrgState(dict(row), tuple((i, a, k) for i, a, k in aliases))


def same_state(a: OrgState, b: OrgState) -> bool:
    """The same fields and the same aliases (alias row ids aside)."""
    return a.row == b.row and sorted(x[1:] for x in a.aliases) == sorted(x[1:] for x in b.aliases)


def put_back(conn: Connection, before: OrgState, after: OrgState | None, what: str) -> None:
    """Restore an organisation to ``before``: only if it is still as ``after`` left it (None: it must be gone,
    and it is inserted again under its own id). Refused, naming why, when another writer changed it since or
    a name it held is now another organisation's."""
    org_id = before.id
    if after is None:
        if conn.execute(select(ORG.c.id).where(ORG.c.id == org_id)).scalar() is not None:
            raise OrgError(f"organisation #{org_id}: another organisation holds its id now; {what} not undone")
    else:
        try:
            now = state_of(conn, org_id)
        except OrgError:
            raise OrgError(f"organisation {after.row['name']!r}: deleted since; {what} not undone") from None
        if not same_state(now, after):
            raise OrgError(f"organisation {after.row['name']!r}: changed by another writer since; {what} not undone")
        conn.execute(ALIAS.delete().where(ALIAS.c.org_id == org_id))
    for key, name in ((before.row["name_key"], before.row["name"]), *((k, a) for _, a, k in before.aliases)):
        owner = owner_of(conn, key)
        if owner is not None and owner[0] != org_id:
            raise OrgError(f"{name!r}: now {owner[1]} {name_of(conn, owner[0])!r}; {what} not undone")
    values = {c: before.row[c] for c in (*ORG_COLUMNS, "name_key")}
    if (
        before.row["parent_id"] is not None
        and not conn.execute(select(ORG.c.id).where(ORG.c.id == before.row["parent_id"])).scalar()
    ):
        values["parent_id"] = None  # the parent was deleted since: the rest comes back
    if after is None:
        conn.execute(insert(ORG).values(id=org_id, **values))
    else:
        conn.execute(ORG.update().where(ORG.c.id == org_id).values(**values))
    if before.aliases:
        conn.execute(
            insert(ALIAS), [{"id": i, "org_id": org_id, "alias": a, "alias_key": k} for i, a, k in before.aliases]
        )
