"""Organisations: case-insensitive, alias-aware name look-up, creation and aliases, and the organisations
listed with their deal counts (the organisations screen).

Creation checks what it writes (:func:`check_org_fields`), whoever calls it: a name, native name or alias
that :func:`tracker.core.domain.names.name_problem` refuses (control characters, too long) and a country or
sector that :func:`~tracker.core.domain.names.label_problem` refuses raise :class:`DealError`, nothing written.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CompoundSelect, Connection, func, insert, select

from tracker.core.domain.names import clean_name, label_problem, name_key, name_problem
from tracker.core.records.errors import DealError
from tracker.core.storage.handles import ALIAS, ALLIANCE, DEAL, MEMBER, ORG


def escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards escaped (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_org_id(conn: Connection, name: str) -> int | None:
    """The id of the organisation whose name or an alias is ``name`` (any case), or None."""
    key = name_key(name)
    found = conn.execute(select(ORG.c.id).where(ORG.c.name_key == key)).scalar()
    if found is None:
        found = conn.execute(select(ALIAS.c.org_id).where(ALIAS.c.alias_key == key)).scalar()
    return found


def matching_org_ids(text: str) -> CompoundSelect[Any]:
    """A subquery of the ids of organisations whose name or an alias contains ``text``."""
    pattern = f"%{escape_like(name_key(text))}%"
    by_name = select(ORG.c.id).where(ORG.c.name_key.like(pattern, escape="\\"))
    by_alias = select(ALIAS.c.org_id).where(ALIAS.c.alias_key.like(pattern, escape="\\"))
    return by_name.union(by_alias)


def load_name_index(conn: Connection) -> dict[str, int]:
    """Every name key and alias key → organisation id (a few thousand entries at most)."""
    index: dict[str, int] = dict(conn.execute(select(ALIAS.c.alias_key, ALIAS.c.org_id)).all())
    index.update(conn.execute(select(ORG.c.name_key, ORG.c.id)).all())
    return index


@dataclass
class OrgFields:
    """An organisation's own fields, as given when it is created."""

    name: str
    native_name: str | None = None
    country: str | None = None
    sector: str | None = None
    notes: str | None = None
    parent_id: int | None = None


def check_name(field: str, name: str) -> None:
    """Raise :class:`DealError` "``<field> '<name>': <why>``" unless ``name`` may name an organisation or an
    alliance (:func:`tracker.core.domain.names.name_problem`)."""
    problem = name_problem(name.strip())
    if problem is not None:
        raise DealError(f"{field} {name!r}: {problem}")


def check_org_fields(fields: OrgFields, aliases: list[str] | tuple[str, ...] = ()) -> None:
    """Raise :class:`DealError` for the first field of a new organisation that may not be written."""
    check_name("organisation name", fields.name)
    if fields.native_name:
        check_name("native name", fields.native_name)
    for alias in aliases:
        if alias.strip():
            check_name("alias", alias)
    for field, value in (("country", fields.country), ("sector", fields.sector)):
        problem = label_problem(value) if value else None
        if problem is not None:
            raise DealError(f"{field} {value!r}: {problem}")


def create_org(conn: Connection, fields: OrgFields, aliases: list[str] | tuple[str, ...] = ()) -> int:
    """Insert an organisation with its aliases (its native name is one); returns its id. Fields that may not
    be written raise :class:`DealError` (:func:`check_org_fields`) before anything is."""
    fields = dataclasses.replace(
        fields,
        name=clean_name(fields.name),
        native_name=clean_name(fields.native_name) if fields.native_name else fields.native_name,
    )
    aliases = [clean_name(a) for a in aliases]
    check_org_fields(fields, aliases)
    org_id = conn.execute(
        insert(ORG)
        .values(
            name=fields.name,
            name_key=name_key(fields.name),
            native_name=fields.native_name,
            country=fields.country,
            sector=fields.sector,
            notes=fields.notes,
            parent_id=fields.parent_id,
        )
        .returning(ORG.c.id)
    ).scalar_one()
    set_aliases(conn, org_id, [*aliases, *([fields.native_name] if fields.native_name else [])])
    return org_id


def set_aliases(conn: Connection, org_id: int, aliases: list[str]) -> None:
    """Make ``aliases`` (plus nothing else) the aliases of ``org_id``; the org's own name is skipped. An alias
    that may not name an organisation raises :class:`DealError` before anything is written."""
    aliases = [clean_name(a) for a in aliases]
    for alias in aliases:
        if alias.strip():
            check_name("alias", alias)
    own = conn.execute(select(ORG.c.name_key).where(ORG.c.id == org_id)).scalar_one()
    wanted: dict[str, str] = {}
    for alias in aliases:
        key = name_key(alias)
        if key and key != own:
            wanted.setdefault(key, alias.strip())
    existing: dict[str, int] = dict(
        conn.execute(select(ALIAS.c.alias_key, ALIAS.c.id).where(ALIAS.c.org_id == org_id)).all()
    )
    stale = [i for k, i in existing.items() if k not in wanted]
    if stale:
        conn.execute(ALIAS.delete().where(ALIAS.c.id.in_(stale)))
    fresh = [{"org_id": org_id, "alias": a, "alias_key": k} for k, a in wanted.items() if k not in existing]
    if fresh:
        conn.execute(insert(ALIAS), fresh)


def aliases_of(conn: Connection, org_id: int) -> list[str]:
    """The aliases of an organisation, alphabetical."""
    return list(conn.execute(select(ALIAS.c.alias).where(ALIAS.c.org_id == org_id).order_by(ALIAS.c.alias)).scalars())


def all_org_names(conn: Connection) -> list[str]:
    """Names and aliases, for autocompletion."""
    names = conn.execute(select(ORG.c.name)).scalars().all()
    aliases = conn.execute(select(ALIAS.c.alias)).scalars().all()
    return sorted({*names, *aliases}, key=name_key)


def org_name(conn: Connection, org_id: int) -> str | None:
    """The name of the organisation ``org_id`` (for the status line), or None."""
    return conn.execute(select(ORG.c.name).where(ORG.c.id == org_id)).scalar()


@dataclass(frozen=True)
class OrgSummary:
    """An organisation in full: aliases, parent and children, deal counts, alliances."""

    id: int
    name: str
    native_name: str | None
    aliases: tuple[str, ...]
    country: str | None
    sector: str | None
    parent: str | None
    children: tuple[str, ...]
    notes: str | None
    deals_out: int
    deals_in: int
    alliances: tuple[str, ...]


@dataclass(frozen=True)
class OrgListItem:
    """One line of the organisations list."""

    id: int
    name: str
    country: str | None
    sector: str | None
    deals_out: int
    deals_in: int


def list_orgs(conn: Connection, text: str = "", limit: int | None = 500) -> list[OrgListItem]:
    """Organisations matching ``text`` (name or alias), busiest first (all of them when ``limit`` is None)."""
    out_n = select(func.count()).where(DEAL.c.from_org_id == ORG.c.id).scalar_subquery()
    in_n = select(func.count()).where(DEAL.c.to_org_id == ORG.c.id).scalar_subquery()
    stmt = select(ORG.c.id, ORG.c.name, ORG.c.country, ORG.c.sector, out_n, in_n)
    if text.strip():
        stmt = stmt.where(ORG.c.id.in_(matching_org_ids(text)))
    stmt = stmt.order_by((out_n + in_n).desc(), ORG.c.name_key)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [OrgListItem(*r) for r in conn.execute(stmt)]


def org_summary(conn: Connection, org_id: int) -> OrgSummary | None:
    """The organisation ``org_id`` in full, or None if there is none."""
    row = conn.execute(select(ORG).where(ORG.c.id == org_id)).mappings().first()
    if row is None:
        return None
    parent = conn.execute(select(ORG.c.name).where(ORG.c.id == row["parent_id"])).scalar() if row["parent_id"] else None
    children = tuple(
        conn.execute(select(ORG.c.name).where(ORG.c.parent_id == org_id).order_by(ORG.c.name_key)).scalars()
    )
    out_n = conn.execute(select(func.count()).where(DEAL.c.from_org_id == org_id)).scalar_one()
    in_n = conn.execute(select(func.count()).where(DEAL.c.to_org_id == org_id)).scalar_one()
    alliances = tuple(
        conn.execute(
            select(ALLIANCE.c.name)
            .join(MEMBER, MEMBER.c.alliance_id == ALLIANCE.c.id)
            .where(MEMBER.c.org_id == org_id)
            .order_by(ALLIANCE.c.name_key)
        ).scalars()
    )
    return OrgSummary(
        org_id, row["name"], row["native_name"], tuple(aliases_of(conn, org_id)), row["country"], row["sector"],
        parent, children, row["notes"], out_n, in_n, alliances,
    )  # fmt: skip
