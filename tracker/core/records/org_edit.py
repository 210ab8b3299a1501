"""Changes to one organisation: edit its fields (a rename keeps the old name as an alias), add or remove an
alias, delete it (refused while it has deals, naming how many). The app and ``tracker org`` call these.

Each takes an open write ``Connection`` (one transaction: all or nothing) and returns an
:class:`tracker.core.records.undo.UndoEntry` whose ``undo`` reverses the change in another transaction,
refused (an :class:`OrgError` saying why) when another writer changed the organisation since. Names are
cleaned as everywhere (:func:`tracker.core.domain.names.clean_name`) and refused with the character and its
position (:func:`~tracker.core.domain.names.name_problem`); a name or alias that another organisation
already has is refused naming that organisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select

from tracker.core.domain.names import clean_name, label_problem, name_key, name_problem
from tracker.core.domain.text import has_control
from tracker.core.records.confidence import refresh_org_deals
from tracker.core.records.org_state import (
    OrgError,
    OrgState,
    check_free,
    check_parent,
    name_of,
    owner_of,
    put_back,
    resolve_org,
    state_of,
)
from tracker.core.records.undo import UndoEntry
from tracker.core.storage.handles import ALIAS, ALLIANCE, DEAL, MEMBER, ORG

FIELD_LABELS = {
    "name": "name", "native_name": "native name", "aliases": "alias", "country": "country",
    "sector": "sector", "parent": "parent", "notes": "notes",
}  # fmt: skip
"""How each field is named in a message (its key is :attr:`OrgError.field`)."""


@dataclass(frozen=True)
class OrgChange:
    """What an edit sets; None leaves a field as it is, ``""`` clears it (not the name). ``parent`` is a
    name or an alias; ``aliases``, when given, is the whole list (the form); the old name of a rename and the
    native name are aliases whatever the list says."""

    name: str | None = None
    native_name: str | None = None
    country: str | None = None
    sector: str | None = None
    parent: str | None = None
    notes: str | None = None
    aliases: Sequence[str] | None = None


def checked_name(field: str, text: str) -> str:
    """``text`` cleaned, or :class:`OrgError` naming the field when it may not name an organisation."""
    cleaned = clean_name(text)
    label = FIELD_LABELS.get(field, field)
    if not cleaned:
        raise OrgError(f"{label} {text!r}: required (a name with visible characters)", field)
    problem = name_problem(cleaned)
    if problem is not None:
        raise OrgError(f"{label} {text!r}: {problem}", field)
    return cleaned


def _label(field: str, text: str) -> str | None:
    value = " ".join(text.split())
    if not value:
        return None
    problem = label_problem(value)
    if problem is not None:
        raise OrgError(f"{field} {text!r}: {problem}", field)
    return value


def _notes(text: str) -> str | None:
    value = text.strip()
    if has_control(value.replace("\n", "").replace("\t", "")):
        raise OrgError(f"notes {text!r}: holds a control character (plain text, line breaks allowed)", "notes")
    return value or None


def deal_counts(conn: Connection, org_id: int) -> tuple[int, int]:
    """How many deals ``org_id`` is the ``from`` party of, and the ``to`` party of."""
    out_n = conn.execute(select(func.count()).where(DEAL.c.from_org_id == org_id)).scalar_one()
    in_n = conn.execute(select(func.count()).where(DEAL.c.to_org_id == org_id)).scalar_one()
    return int(out_n), int(in_n)


def _write_aliases(conn: Connection, org_id: int, wanted: dict[str, str]) -> None:
    """Make ``wanted`` (key → alias) the organisation's aliases, keeping the rows of those it has."""
    existing = dict(conn.execute(select(ALIAS.c.alias_key, ALIAS.c.id).where(ALIAS.c.org_id == org_id)).all())
    stale = [i for k, i in existing.items() if k not in wanted]
    if stale:
        conn.execute(delete(ALIAS).where(ALIAS.c.id.in_(stale)))
    fresh = [{"org_id": org_id, "alias": a, "alias_key": k} for k, a in wanted.items() if k not in existing]
    if fresh:
        conn.execute(insert(ALIAS), fresh)
    refresh_org_deals(conn, org_id)


def edit_org(conn: Connection, org_id: int, change: OrgChange) -> UndoEntry:
    """Apply ``change`` to ``org_id``; every field is checked before anything is written."""
    before = state_of(conn, org_id)
    row = before.row
    values: dict[str, object] = {}
    name = row["name"]
    if change.name is not None:
        name = checked_name("name", change.name)
        if name_key(name) != row["name_key"]:
            check_free(conn, "name", name, org_id)
        values.update(name=name, name_key=name_key(name))
    native = row["native_name"]
    if change.native_name is not None:
        native = checked_name("native_name", change.native_name) if change.native_name.strip() else None
        values["native_name"] = native
    for field in ("country", "sector"):
        given = getattr(change, field)
        if given is not None:
            values[field] = _label(field, given)
    if change.notes is not None:
        values["notes"] = _notes(change.notes)
    if change.parent is not None:
        parent_id = resolve_org(conn, change.parent, "parent") if change.parent.strip() else None
        if parent_id is not None:
            check_parent(conn, org_id, parent_id, change.parent.strip())
        values["parent_id"] = parent_id
    listed = [a for _, a, _ in before.aliases] if change.aliases is None else list(change.aliases)
    aliases = [checked_name("aliases", a) for a in listed if a.strip()]
    if native:
        aliases.append(native)
    if name_key(name) != row["name_key"]:
        aliases.append(row["name"])  # a rename keeps the old name as an alias
    wanted: dict[str, str] = {}
    for alias in aliases:
        key = name_key(alias)
        if key != name_key(name) and key not in wanted:
            field = "native_name" if alias == native else "aliases"
            check_free(conn, FIELD_LABELS[field], alias, org_id, field)
            wanted[key] = alias
    if values:
        conn.execute(ORG.update().where(ORG.c.id == org_id).values(**values))
    _write_aliases(conn, org_id, wanted)
    after = state_of(conn, org_id)
    label = f"edit of {row['name']}" + (f" (now {name})" if name != row["name"] else "")
    return UndoEntry(label, lambda c: put_back(c, before, after, "the edit"))


def add_alias(conn: Connection, org_id: int, alias: str) -> UndoEntry:
    """Give ``org_id`` another name; refused if it is its name or an alias already, or another's."""
    cleaned = checked_name("aliases", alias)
    key = name_key(cleaned)
    owner = owner_of(conn, key)
    if owner is not None:
        raise OrgError(f"alias {cleaned!r}: already {owner[1]} {name_of(conn, owner[0])!r}", "aliases")
    alias_id = conn.execute(
        insert(ALIAS).values(org_id=org_id, alias=cleaned, alias_key=key).returning(ALIAS.c.id)
    ).scalar_one()
    refresh_org_deals(conn, org_id)

    def undo(c: Connection) -> None:
        c.execute(delete(ALIAS).where(ALIAS.c.id == alias_id))
        refresh_org_deals(c, org_id)

    return UndoEntry(f"alias {cleaned} of {name_of(conn, org_id)}", undo)


def remove_alias(conn: Connection, org_id: int, alias: str) -> UndoEntry:
    """Take an alias from ``org_id``; refused, listing its aliases, if it is not one of them."""
    key = name_key(clean_name(alias))
    found = conn.execute(
        select(ALIAS.c.id, ALIAS.c.alias).where(ALIAS.c.org_id == org_id, ALIAS.c.alias_key == key)
    ).first()
    name = name_of(conn, org_id)
    if found is None:
        known = ", ".join(a for _, a, _ in state_of(conn, org_id).aliases) or "none"
        raise OrgError(f"alias {alias.strip()!r}: not an alias of {name!r} (its aliases: {known})", "aliases")
    alias_id, text = found
    conn.execute(delete(ALIAS).where(ALIAS.c.id == alias_id))
    refresh_org_deals(conn, org_id)

    def undo(c: Connection) -> None:
        owner = owner_of(c, key)
        if owner is not None:
            raise OrgError(f"alias {text!r}: now {owner[1]} {name_of(c, owner[0])!r}; not undone")
        if c.execute(select(ORG.c.id).where(ORG.c.id == org_id)).scalar() is None:
            raise OrgError(f"organisation {name!r}: deleted since; the alias is not put back")
        c.execute(insert(ALIAS).values(id=alias_id, org_id=org_id, alias=text, alias_key=key))
        refresh_org_deals(c, org_id)

    return UndoEntry(f"removal of alias {text} from {name}", undo)


def delete_refusal(conn: Connection, org_id: int) -> str | None:
    """Why ``org_id`` may not be deleted (it has deals: how many), or None."""
    out_n, in_n = deal_counts(conn, org_id)
    if not out_n + in_n:
        return None
    deals = f"{out_n + in_n} deal" + ("s" if out_n + in_n != 1 else "")
    return (
        f"organisation {name_of(conn, org_id)!r}: has {deals} ({out_n} from it, {in_n} to it); not deleted. "
        "Merge it into another organisation or delete its deals first"
    )


def delete_org(conn: Connection, org_id: int) -> UndoEntry:
    """Delete an organisation with no deals (its aliases and memberships go with it; its children lose
    their parent). Undo puts all of it back under the same id."""
    refusal = delete_refusal(conn, org_id)
    if refusal is not None:
        raise OrgError(refusal)
    before: OrgState = state_of(conn, org_id)
    alliances = tuple(conn.execute(select(MEMBER.c.alliance_id).where(MEMBER.c.org_id == org_id)).scalars())
    children = tuple(conn.execute(select(ORG.c.id).where(ORG.c.parent_id == org_id)).scalars())
    conn.execute(ORG.update().where(ORG.c.parent_id == org_id).values(parent_id=None))
    conn.execute(delete(MEMBER).where(MEMBER.c.org_id == org_id))
    conn.execute(delete(ALIAS).where(ALIAS.c.org_id == org_id))
    conn.execute(delete(ORG).where(ORG.c.id == org_id))

    def undo(c: Connection) -> None:
        put_back(c, before, None, "the delete")
        for alliance_id in alliances:
            if c.execute(select(ALLIANCE.c.id).where(ALLIANCE.c.id == alliance_id)).scalar() is not None:
                c.execute(insert(MEMBER).values(alliance_id=alliance_id, org_id=org_id))
        if children:
            c.execute(ORG.update().where(ORG.c.id.in_(children), ORG.c.parent_id.is_(None)).values(parent_id=org_id))

    return UndoEntry(f"delete of {before.row['name']}", undo)
