"""The organisations as the analysis sees them: loaded once, rolled up into their top parent on request, and
the deal kinds that join two of them (directed or not). Shared by the totals, the graph and the cycles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import NamedTuple

from sqlalchemy import Connection

from tracker.core.analysis.bulk import fetch_all
from tracker.core.storage.handles import ORG

DIRECTED_KINDS: tuple[str, ...] = ("investment", "purchase")
"""Kinds with a direction of money or commitment: investor → investee, buyer → seller."""
UNDIRECTED_KINDS: tuple[str, ...] = ("partnership",)
"""Kinds between two parties without a direction (never part of a cycle)."""
EDGE_KINDS: tuple[str, ...] = DIRECTED_KINDS + UNDIRECTED_KINDS
"""Every kind with a counterparty (the rest of ``vocab.KINDS``, infrastructure, has none and draws no edge)."""


class OrgInfo(NamedTuple):
    """One organisation as the analysis needs it (a tuple: thousands are built per totals)."""

    id: int
    name: str
    country: str | None
    parent_id: int | None


def load_orgs(conn: Connection) -> dict[int, OrgInfo]:
    """Every organisation (a few thousand at most): id, name, country, parent."""
    rows = fetch_all(conn, f"SELECT id, name, country, parent_id FROM {ORG.name}")
    return {r[0]: OrgInfo._make(r) for r in rows}


def root_of(orgs: Mapping[int, OrgInfo]) -> dict[int, int]:
    """Each organisation's top parent (itself when it has none); parent cycles are cut."""
    out: dict[int, int] = {}
    for org_id in orgs:
        seen = {org_id}
        current = org_id
        while True:
            parent = orgs[current].parent_id
            if parent is None or parent not in orgs or parent in seen:
                break
            seen.add(parent)
            current = parent
        out[org_id] = current
    return out


def node_map(orgs: Mapping[int, OrgInfo], group_parents: bool) -> dict[int, int]:
    """Each organisation's node: its top parent when parents are grouped, else itself."""
    return root_of(orgs) if group_parents else {org_id: org_id for org_id in orgs}


def members_of(mapping: Mapping[int, int]) -> dict[int, list[int]]:
    """The organisations behind each node of ``mapping`` (:func:`node_map`)."""
    out: dict[int, list[int]] = defaultdict(list)
    for org_id, node_id in mapping.items():
        out[node_id].append(org_id)
    return out
