"""Creating the organisations and alliances an import names for the first time (in pass two).

Either all at once from the plan of pass one (:func:`create_planned`), or block by block as checked rows
arrive from the overlapped import's checking process (:func:`create_parties`). A new organisation has
no aliases, so a plain insert does what ``records.orgs.create_org`` does, in one ``executemany``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from tracker.core.csvio.check import Plan
from tracker.core.csvio.report import ImportReport
from tracker.core.domain.names import alliance_key
from tracker.core.records.orgs import load_name_index
from tracker.core.storage.handles import ALLIANCE, ORG


def create_planned(conn: Connection, plan: Plan, report: ImportReport) -> tuple[dict[str, int], dict[str, int]]:
    """Create what ``plan`` names and the database lacks; (organisation name key -> id, alliance name key -> id)."""
    index = load_name_index(conn)  # again, inside the lock: another process may have added some
    fresh = [(key, org_name) for key, org_name in plan.new_orgs.items() if key not in index]
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
                   alliance_ids: dict[str, int], report: ImportReport) -> None:  # fmt: skip
    """Create the organisations and alliances that ``batch`` names for the first time (spooled rows)."""
    fresh: dict[str, str] = {}
    for t in batch:
        if t[5] not in index and t[5] not in fresh:
            fresh[t[5]] = t[4]
        if t[7] is not None and t[7] not in index and t[7] not in fresh:
            fresh[t[7]] = t[6]
        for a_name in t[3] or ():
            key = alliance_key(a_name)
            if key not in alliance_ids:
                create_alliance(conn, key, a_name, alliance_ids, report)
    if fresh:
        conn.execute(insert(ORG), [{"name": org_name, "name_key": key} for key, org_name in fresh.items()])
        for key, org_id in conn.execute(select(ORG.c.name_key, ORG.c.id).where(ORG.c.name_key.in_(list(fresh)))):
            index[key] = org_id
        report.created_orgs.extend(fresh.values())
