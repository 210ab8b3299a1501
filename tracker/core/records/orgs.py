"""Organisations: case-insensitive, alias-aware name look-up and creation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select

from tracker.core.domain.names import name_key
from tracker.core.storage.tables import OrgAlias, Organization

ORG = Organization.__table__
ALIAS = OrgAlias.__table__
MAX_NAME = 200


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_org_id(conn: Connection, name: str) -> int | None:
    key = name_key(name)
    found = conn.execute(select(ORG.c.id).where(ORG.c.name_key == key)).scalar()
    if found is None:
        found = conn.execute(select(ALIAS.c.org_id).where(ALIAS.c.alias_key == key)).scalar()
    return found


def matching_org_ids(text: str):  # type: ignore[no-untyped-def]
    """A subquery of the ids of organisations whose name or an alias contains ``text``."""
    pattern = f"%{escape_like(name_key(text))}%"
    by_name = select(ORG.c.id).where(ORG.c.name_key.like(pattern, escape="\\"))
    by_alias = select(ALIAS.c.org_id).where(ALIAS.c.alias_key.like(pattern, escape="\\"))
    return by_name.union(by_alias)


def load_name_index(conn: Connection) -> dict[str, int]:
    """Every name key and alias key → organisation id (a few thousand entries at most)."""
    index = dict(conn.execute(select(ALIAS.c.alias_key, ALIAS.c.org_id)).all())
    index.update(conn.execute(select(ORG.c.name_key, ORG.c.id)).all())
    return index


@dataclass
class OrgFields:
    name: str
    native_name: str | None = None
    country: str | None = None
    sector: str | None = None
    notes: str | None = None
    parent_id: int | None = None


def create_org(conn: Connection, fields: OrgFields, aliases: list[str] | tuple[str, ...] = ()) -> int:
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
    """Make ``aliases`` (plus nothing else) the aliases of ``org_id``; the org's own name is skipped."""
    own = conn.execute(select(ORG.c.name_key).where(ORG.c.id == org_id)).scalar_one()
    wanted: dict[str, str] = {}
    for alias in aliases:
        key = name_key(alias)
        if key and key != own:
            wanted.setdefault(key, alias.strip())
    existing = dict(conn.execute(select(ALIAS.c.alias_key, ALIAS.c.id).where(ALIAS.c.org_id == org_id)).all())
    stale = [i for k, i in existing.items() if k not in wanted]
    if stale:
        conn.execute(ALIAS.delete().where(ALIAS.c.id.in_(stale)))
    fresh = [{"org_id": org_id, "alias": a, "alias_key": k} for k, a in wanted.items() if k not in existing]
    if fresh:
        conn.execute(insert(ALIAS), fresh)


def aliases_of(conn: Connection, org_id: int) -> list[str]:
    return list(conn.execute(select(ALIAS.c.alias).where(ALIAS.c.org_id == org_id).order_by(ALIAS.c.alias)).scalars())


def org_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(ORG)).scalar_one()


def all_org_names(conn: Connection) -> list[str]:
    """Names and aliases, for autocompletion."""
    names = conn.execute(select(ORG.c.name)).scalars().all()
    aliases = conn.execute(select(ALIAS.c.alias)).scalars().all()
    return sorted({*names, *aliases}, key=name_key)


__all__ = [
    "ALIAS",
    "MAX_NAME",
    "ORG",
    "OrgFields",
    "aliases_of",
    "all_org_names",
    "create_org",
    "escape_like",
    "find_org_id",
    "load_name_index",
    "matching_org_ids",
    "org_count",
    "set_aliases",
]
