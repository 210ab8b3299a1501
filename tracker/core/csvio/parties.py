"""Creating the organisations and alliances an import names for the first time (in pass two).

Either all at once from the plan of pass one (:func:`create_planned`), or block by block as checked rows
arrive from the overlapped import's checking process (:func:`create_parties`). Each distinct new name is
resolved once (:class:`NewNames`, never once per row): a name of the reference list creates that
organisation with its fields; a name close to a stored or reference one is reported with the line that
first names it (and refuses the file under ``--strict-names``). The rest have no aliases, so a plain
insert does what ``records.orgs.create_org`` does, in one ``executemany``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from tracker.core.csvio.check import Plan
from tracker.core.csvio.report import CloseName, ImportFailed, ImportReport
from tracker.core.domain.names import alliance_key
from tracker.core.records.orgs import load_name_index
from tracker.core.records.reference import reference_by_key
from tracker.core.records.resolve import NameResolver, create_named_org, did_you_mean
from tracker.core.storage.handles import ALLIANCE, ORG


class NewNames:
    """The import's new organisation names, each resolved once; the stored names are read (for "did you
    mean") only when a name needs them, once per import."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.resolver: NameResolver | None = None

    def resolve(
        self, conn: Connection, fresh: dict[str, tuple[str, int, str]], index: dict[str, int]
    ) -> dict[str, str]:
        """``fresh``: name key -> (name as first written, its line, its column). Creates the reference ones
        (their ids into ``index``), notes the close ones; returns key -> name of those to create as written."""
        plain: dict[str, str] = {}
        report = self.report
        for key, (org_name, line, column) in fresh.items():
            ref = reference_by_key().get(key)
            if ref is not None:
                named = create_named_org(conn, org_name)
                index[key] = named.org_id
                if named.created:
                    typed = org_name.strip()
                    report.reference_orgs.append(ref.name if typed == ref.name else f"{ref.name} ({typed})")
                continue
            if self.resolver is None:
                self.resolver = NameResolver.load(conn)
            found = self.resolver.candidates(org_name)
            if found:
                report.close_names.append(CloseName(line, column, org_name, did_you_mean(found)))
            plain[key] = org_name
        return plain

    def refuse_if_strict(self) -> None:
        """Under ``--strict-names``, any close name is a bad row: raise ImportFailed (nothing written)."""
        report = self.report
        report.close_names.sort(key=lambda c: c.line)
        if report.strict_names and report.close_names:
            for close in report.close_names:
                report.add_error(close.refused())
            raise ImportFailed(report)


def create_planned(conn: Connection, plan: Plan, report: ImportReport) -> tuple[dict[str, int], dict[str, int]]:
    """Create what ``plan`` names and the database lacks; (organisation name key -> id, alliance name key -> id)."""
    index = load_name_index(conn)  # again, inside the lock: another process may have added some
    unknown = {
        key: (org_name, *plan.first_seen.get(key, (0, "from_org")))
        for key, org_name in plan.new_orgs.items()
        if key not in index
    }
    names = NewNames(report)
    fresh = list(names.resolve(conn, unknown, index).items()) if unknown else []
    names.refuse_if_strict()
    if unknown:
        index = load_name_index(conn)
    if fresh:
        conn.execute(insert(ORG), [{"name": org_name, "name_key": key} for key, org_name in fresh])
        report.created_orgs.extend(org_name for _key, org_name in fresh)
        index = load_name_index(conn)
    alliance_ids = {k: i for k, i in conn.execute(select(ALLIANCE.c.name_key, ALLIANCE.c.id))}
    for key, a_name in plan.alliances.items():
        if key not in alliance_ids:
            create_alliance(conn, key, a_name, alliance_ids, report)
    return index, alliance_ids


def create_alliance(conn: Connection, key: str, a_name: str, alliance_ids: dict[str, int],
                    report: ImportReport) -> None:  # fmt: skip
    """Create the alliance ``a_name`` (name key ``key``), noting its id in ``alliance_ids``."""
    alliance_ids[key] = conn.execute(
        insert(ALLIANCE).values(name=a_name, name_key=key).returning(ALLIANCE.c.id)
    ).scalar_one()
    report.created_alliances.append(a_name)


def create_parties(conn: Connection, batch: list[tuple[Any, ...]], index: dict[str, int],
                   alliance_ids: dict[str, int], report: ImportReport, names: NewNames) -> None:  # fmt: skip
    """Create the organisations and alliances that ``batch`` names for the first time (spooled rows)."""
    unknown: dict[str, tuple[str, int, str]] = {}
    for t in batch:
        if t[5] not in index and t[5] not in unknown:
            unknown[t[5]] = (t[4], t[0], "from_org")
        if t[7] is not None and t[7] not in index and t[7] not in unknown:
            unknown[t[7]] = (t[6], t[0], "to_org")
        for a_name in t[3] or ():
            key = alliance_key(a_name)
            if key not in alliance_ids:
                create_alliance(conn, key, a_name, alliance_ids, report)
    fresh = names.resolve(conn, unknown, index) if unknown else {}
    if unknown and len(fresh) < len(unknown):  # some came from the reference list, with aliases: the keys
        index.update(load_name_index(conn))  # of those aliases name them from now on
    if fresh:
        conn.execute(insert(ORG), [{"name": org_name, "name_key": key} for key, org_name in fresh.items()])
        for key, org_id in conn.execute(select(ORG.c.name_key, ORG.c.id).where(ORG.c.name_key.in_(list(fresh)))):
            index[key] = org_id
        report.created_orgs.extend(fresh.values())
