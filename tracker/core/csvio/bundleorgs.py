"""``organizations.csv`` and ``alliances.csv`` of an ``export --all`` folder, into the database.

Organisations are checked whole before any is written: every row is matched to the organisation it names
(by name or alias, in the database or on an earlier row), then every alias is checked to belong to one
organisation only (two rows giving the same alias, an alias that is another organisation's name, or an
alias of an organisation the file does not restate, are errors naming the line; an alias may move from one
organisation to another when the file restates both). Parents are set last, and a parent that would close
a cycle (Alpha → Beta → Gamma → Alpha) is an error naming the line and the cycle.

With ``report.keep`` (the seed) an organisation or alliance that exists is left exactly as it is (counted
as skipped), and an alias that is already taken is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select

from tracker.core.csvio.bundlefiles import BundleReport, err, records
from tracker.core.domain.namelist import split_names
from tracker.core.domain.names import alliance_key, clean_name, label_problem, name_key, name_problem
from tracker.core.records.orgs import OrgFields, create_org, load_name_index, set_aliases
from tracker.core.storage.handles import ALIAS, ALLIANCE, MEMBER, ORG


def _name_problem(name: str) -> str | None:
    """Why ``name`` (trimmed) cannot name an organisation or alliance (the rules of every other input)."""
    return "is required" if not name else name_problem(name)


@dataclass
class _Row:
    line: int
    name: str
    key: str
    org: int | str  # an existing organisation's id, or the name key of one this file creates
    fields: dict[str, str | None]
    present: frozenset[str]
    aliases: list[str] | None  # None: the row does not restate its aliases
    parent: str
    claimed: list[str] = field(default_factory=list)  # the aliases it keeps


def import_orgs(conn: Connection, folder: Path, encoding: str | None, report: BundleReport) -> None:
    index = load_name_index(conn)  # name and alias keys -> id
    names: dict[int | str, str] = dict(conn.execute(select(ORG.c.id, ORG.c.name)).all())
    name_owner: dict[str, int | str] = dict(conn.execute(select(ORG.c.name_key, ORG.c.id)).all())
    rows = _read_rows(folder, encoding, report, index, names, name_owner)
    if report.errors:
        return
    _claim_aliases(conn, rows, report, index, names, name_owner)
    if report.errors:
        return
    restated = [r.org for r in rows if r.aliases is not None and isinstance(r.org, int)]
    for start in range(0, len(restated), 500):  # their aliases given up first, so that one may move
        conn.execute(delete(ALIAS).where(ALIAS.c.org_id.in_(restated[start : start + 500])))
    ids: dict[int | str, int] = {}
    for r in rows:
        org_id: int | None = r.org if isinstance(r.org, int) else ids.get(r.org)
        if org_id is None:
            # the native name is one of the aliases claimed (or left out, when another organisation has it)
            f = r.fields
            fields = OrgFields(name=r.name, country=f["country"], sector=f["sector"], notes=f["notes"])
            org_id = ids[r.org] = create_org(conn, fields, r.claimed)
            if r.fields["native_name"]:
                conn.execute(ORG.update().where(ORG.c.id == org_id).values(native_name=r.fields["native_name"]))
        else:
            values = {k: v for k, v in r.fields.items() if k in r.present}
            if values:
                conn.execute(ORG.update().where(ORG.c.id == org_id).values(**values))
            if r.aliases is not None:
                set_aliases(conn, org_id, r.claimed)
        report.organizations += 1
    _set_parents(conn, [(r.line, ids.get(r.org, r.org), r.parent) for r in rows if r.parent], report)


def _read_rows(folder: Path, encoding: str | None, report: BundleReport, index: dict[str, int],
               names: dict[int | str, str], name_owner: dict[str, int | str]) -> list[_Row]:  # fmt: skip
    """Every row, checked and matched to its organisation (new ones: their name key)."""
    rows: list[_Row] = []
    seen: dict[str, int | str] = {}  # keys named by earlier rows of the file -> their organisation
    for line, r in records(folder, "organizations", encoding, report):
        name = clean_name(r["name"])
        problem = _name_problem(name)
        if problem is not None:
            err(report, "organizations", line, "name", name, f"a name that {problem}")
            continue
        fields: dict[str, str | None] = {k: (r.get(k) or None) for k in ("native_name", "country", "sector", "notes")}
        bad = []
        for k in ("country", "sector"):
            problem = label_problem(fields[k] or "")
            if problem is not None:
                err(report, "organizations", line, k, r[k], f"a {k} that {problem}")
                bad.append(k)
        aliases = [clean_name(a) for a in split_names(r["aliases"])] if "aliases" in r else []
        native = clean_name(fields["native_name"]) if fields["native_name"] else None
        fields["native_name"] = native
        for a in [*aliases, *([native] if native else [])]:
            problem = _name_problem(a)
            if problem is not None:
                err(report, "organizations", line, "aliases", a, f"an alias that {problem}")
                bad.append("aliases")
        if bad:
            continue
        key = name_key(name)
        org: int | str | None = seen.get(key, index.get(key))
        if org is None:
            org = key
            names[key] = name
            name_owner[key] = key
        if report.keep and isinstance(org, int):
            report.skipped += 1  # the seed never changes an organisation that exists
            continue
        restates = "aliases" in r or "native_name" in r
        row = _Row(line, name, key, org, fields, frozenset(r), [*aliases, *([native] if native else [])] if restates
                   else None, r.get("parent", ""))  # fmt: skip
        for k in [key, *(name_key(a) for a in row.aliases or ())]:
            seen.setdefault(k, org)
        rows.append(row)
    return rows


def _claim_aliases(conn: Connection, rows: list[_Row], report: BundleReport, index: dict[str, int],
                   names: dict[int | str, str], name_owner: dict[str, int | str]) -> None:  # fmt: skip
    """Each alias to one organisation: the errors, or each row's ``claimed`` aliases."""
    restating = {r.org for r in rows if r.aliases is not None}
    claims: dict[str, tuple[int | str, int]] = {}  # alias key -> (organisation, line)
    for r in rows:
        for alias in r.aliases or ():
            key = name_key(alias)
            if key == r.key or key == name_key(names.get(r.org, r.name)):
                continue  # its own name
            problem = None
            if key in claims and claims[key][0] != r.org:
                other, line = claims[key]
                problem = f"also given to {names.get(other, '?')!r} on line {line}"
            elif key in name_owner and name_owner[key] != r.org:
                problem = f"the name of another organisation, {names.get(name_owner[key], '?')!r}"
            elif key in index and index[key] != r.org and index[key] not in restating:
                problem = f"already an alias of {names.get(index[key], '?')!r}"
            if problem is None:
                claims.setdefault(key, (r.org, r.line))
                if alias not in r.claimed:
                    r.claimed.append(alias)
            elif not report.keep:  # the seed leaves out an alias the user's data already has
                column = "native_name" if alias == r.fields["native_name"] else "aliases"
                err(report, "organizations", r.line, column, alias, problem)


def _set_parents(conn: Connection, wanted: list[tuple[int, int | str, str]], report: BundleReport) -> None:
    """Each (line, organisation, parent name) in file order; a parent that would close a cycle is an error."""
    if not wanted:
        return
    index = load_name_index(conn)
    parent_of: dict[int, int | None] = dict(conn.execute(select(ORG.c.id, ORG.c.parent_id)).all())
    names: dict[int, str] = dict(conn.execute(select(ORG.c.id, ORG.c.name)).all())
    for line, org, parent in wanted:
        assert isinstance(org, int)
        parent_id = index.get(name_key(parent))
        if parent_id is None:
            err(report, "organizations", line, "parent", parent, "no organisation of that name in the file or database")
            continue
        chain = [org, parent_id]
        step: int | None = parent_id
        while step is not None and step != org and len(chain) <= len(parent_of) + 1:
            step = parent_of.get(step)
            if step is not None:
                chain.append(step)
        if step == org:
            if parent_id == org:
                err(report, "organizations", line, "parent", parent, "an organisation cannot be its own parent")
            else:
                cycle = " → ".join(names.get(i, "?") for i in chain)
                err(report, "organizations", line, "parent", parent, f"would make a cycle of parents: {cycle}")
            continue
        parent_of[org] = parent_id
        conn.execute(ORG.update().where(ORG.c.id == org).values(parent_id=parent_id))


def import_alliances(conn: Connection, folder: Path, encoding: str | None, report: BundleReport) -> None:
    index = load_name_index(conn)
    for line, r in records(folder, "alliances", encoding, report):
        name = clean_name(r["name"])
        problem = _name_problem(name)
        if problem is not None:
            err(report, "alliances", line, "name", name, f"a name that {problem}")
            continue
        members = [clean_name(m) for m in split_names(r["members"])] if "members" in r else None
        bad_members = [(m, p) for m in members or () if (p := _name_problem(m)) is not None]
        for m, p in bad_members:
            err(report, "alliances", line, "members", m, f"a member's name that {p}")
        if bad_members:
            continue
        key = alliance_key(name)
        alliance_id = conn.execute(select(ALLIANCE.c.id).where(ALLIANCE.c.name_key == key)).scalar()
        if alliance_id is not None and report.keep:
            report.skipped += 1
            continue
        if alliance_id is None:
            alliance_id = conn.execute(
                insert(ALLIANCE)
                .values(name=name, name_key=key, description=r.get("description") or None)
                .returning(ALLIANCE.c.id)
            ).scalar_one()
        elif "description" in r:
            conn.execute(
                ALLIANCE.update().where(ALLIANCE.c.id == alliance_id).values(description=r["description"] or None)
            )
        if members is not None:
            member_ids = []
            for m in members:
                org_id = index.get(name_key(m))
                if org_id is None:
                    org_id = index[name_key(m)] = create_org(conn, OrgFields(name=m))
                member_ids.append(org_id)
            conn.execute(delete(MEMBER).where(MEMBER.c.alliance_id == alliance_id))
            if member_ids:
                conn.execute(
                    insert(MEMBER), [{"alliance_id": alliance_id, "org_id": o} for o in dict.fromkeys(member_ids)]
                )
        report.alliances += 1
