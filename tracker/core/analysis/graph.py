"""Building the ecosystem graph from the database: edges aggregated in SQL, nodes ranked, cut to a focus.

- Edges come from one SQL aggregation (``GROUP BY from_org_id, to_org_id, kind, currency, qualifier``):
  every deal with a counterparty, in the direction of money or commitment (investor → investee, buyer →
  seller). Partnerships have no direction: they form undirected edges apart from the directed ones.
  Infrastructure deals have no counterparty and draw no edge.
- Edge sums keep each qualifier apart (exact / up to / at least / estimated, in the reporting currency),
  count undisclosed deals and total the GW, exactly as :mod:`tracker.core.analysis.totals` does.
- Organisations roll up into their top parent on request (``group_parents``); flows inside a group vanish.
- A large graph is cut down to one organisation's neighbourhood (``focus`` + ``hops``) and/or the ``top``
  organisations by flow. Flow, used only to rank, is every converted disclosed amount of the
  organisation's deals with a counterparty, whatever the qualifier; it is never reported as a sum.
- Bounded by default, as the app's map is: without ``top``, the :data:`DEFAULT_TOP` organisations by flow
  (``Graph.default_cut``; the renderers say how to see more); ``everything=True`` draws every one (drawing
  200,000 deals' 5,000 organisations took 31.5 s, 2.86 GB and 31 MB of text).

The graph's types are in :mod:`.ecosystem`, its circular flows in :mod:`.cycles`, its terminal drawing in
:mod:`.layout` and the text, DOT, Mermaid and JSON renderers in :mod:`.render`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import Connection, and_, or_, select, text

from tracker.core.analysis.behind import zero_pairs
from tracker.core.analysis.bulk import chunks, no_gc
from tracker.core.analysis.ecosystem import (
    Edge,
    EdgeKey,
    Graph,
    Node,
)
from tracker.core.analysis.figures import Converter, converter, figures_of
from tracker.core.analysis.parties import (
    DIRECTED_KINDS,
    EDGE_KINDS,
    UNDIRECTED_KINDS,
    load_orgs,
    members_of,
    node_map,
)
from tracker.core.analysis.running import DEAL_MAX_PART, Cell, deal_rows, read_cells
from tracker.core.storage.handles import ALLIANCE, DEAL, MEMBER
from tracker.core.storage.tables import REPORTING_CURRENCY

DEFAULT_TOP = 50
"""The organisations drawn when no ``top`` is asked for (the app's map starts with as many)."""


def busiest_first(deals: int, flow: Decimal, name: str) -> tuple[int, Decimal, str]:
    """The one order of "the busiest organisations": most deals first, then the most flow (volume in the
    reporting currency), then the name. The top-N cut, the order of the nodes and the map's first selection
    follow it (NVIDIA, the 22-deal hub of the real data set, before OpenAI's larger but fewer sums)."""
    return (-deals, -flow, name.casefold())


def rank_orgs(conn: Connection, conv: Converter, mapping: Mapping[int, int]) -> dict[int, tuple[Decimal, int]]:
    """(flow, deal count) of every node with a counterparty deal (investment, purchase, partnership), from
    the running sums (tracker/core/storage/sums.py): one GROUP BY over ``party_total``, never the deals."""
    scale = conv.scale()
    cells = read_cells(
        conn,
        "party_total",
        ["org_id"],
        scale,
        where="infra = 0",
        rekey=lambda k: mapping.get(k[0], k[0]),
        unrated=False,
    )
    return {node: (cell.weight(scale), cell.deals) for node, cell in cells.items() if cell.deals}


def _neighbourhood(conn: Connection, focus: int, hops: int, mapping: Mapping[int, int]) -> set[int]:
    """Nodes within ``hops`` deals (any direction, partnerships included) of ``focus``: one query per hop."""
    members = members_of(mapping)
    seen = {focus}
    frontier = {focus}
    for _ in range(max(hops, 0)):
        orgs = [m for n in frontier for m in members.get(n, [n])]
        if not orgs:
            break
        found: set[int] = set()
        for chunk in chunks(orgs, 2000):
            stmt = (
                select(DEAL.c.from_org_id, DEAL.c.to_org_id)
                .where(
                    DEAL.c.to_org_id.is_not(None),
                    DEAL.c.kind.in_(EDGE_KINDS),
                    or_(DEAL.c.from_org_id.in_(chunk), DEAL.c.to_org_id.in_(chunk)),
                )
                .distinct()
            )
            for a, b in conn.execute(stmt):
                found.add(mapping.get(a, a))
                found.add(mapping.get(b, b))
        frontier = found - seen
        seen |= found
        if not frontier:
            break
    return seen


def build_graph(
    conn: Connection,
    *,
    focus: int | None = None,
    hops: int = 1,
    top: int | None = None,
    group_parents: bool = False,
    currency: str = REPORTING_CURRENCY,
    at: dt.date | None = None,
    everything: bool = False,
) -> Graph:
    """The ecosystem graph, cut to ``focus``'s neighbourhood within ``hops`` and/or the ``top`` N by flow;
    ``top`` None: :data:`DEFAULT_TOP`, unless ``everything``."""
    default_cut = top is None and not everything
    if default_cut:
        top = DEFAULT_TOP
    conv = converter(conn, currency, at)
    orgs = load_orgs(conn)
    mapping = node_map(orgs, group_parents)
    members = members_of(mapping)
    if focus is not None:
        focus = mapping.get(focus, focus)
    chosen: set[int] | None = None
    if focus is not None:
        chosen = _neighbourhood(conn, focus, hops, mapping)
    ranks: dict[int, tuple[Decimal, int]] | None = None
    cut = 0
    not_drawn: tuple[str, ...] = ()
    if top is not None and top > 0:
        with no_gc():
            ranks = rank_orgs(conn, conv, mapping)
        pool = [n for n in ranks if chosen is None or n in chosen]
        pool.sort(key=lambda n: busiest_first(ranks[n][1], ranks[n][0], orgs[n].name if n in orgs else ""))
        keep = set(pool[:top])
        cut = len(pool) - len(keep)
        not_drawn = tuple(orgs[n].name if n in orgs else f"#{n}" for n in pool[top:] if n != focus)
        if focus is not None:
            keep.add(focus)
        chosen = keep
    # aggregate edges: the chosen parties' deals (found through ix_deal_from_org), converted in SQL
    scale = conv.scale()
    kinds_sql = ", ".join(f"'{k}'" for k in EDGE_KINDS)
    where = f"deal.to_org_id IS NOT NULL AND deal.kind IN ({kinds_sql})"
    if chosen is not None:
        org_ids = sorted(m for n in chosen for m in members.get(n, [n]))
        if len(org_ids) <= 5000:
            ids = ", ".join(str(int(i)) for i in org_ids) or "NULL"
            where += f" AND deal.from_org_id IN ({ids}) AND deal.to_org_id IN ({ids})"
    keys = ["from_org_id", "to_org_id", "kind"]
    cells = read_cells(conn, deal_rows(where), keys, scale, max_part=DEAL_MAX_PART)
    surest = dict(((f, t, k), c) for f, t, k, c in conn.execute(text(
        f"SELECT from_org_id, to_org_id, kind, min(confidence) FROM deal WHERE {where} GROUP BY 1, 2, 3"
    )))  # fmt: skip  # the words sort surest first (confirmed < reported < rumored < unsourced)
    confidence: dict[EdgeKey, str] = {}
    acc: dict[EdgeKey, Cell] = {}
    kinds: dict[EdgeKey, dict[str, int]] = defaultdict(dict)
    zeros = zero_pairs(conn)  # deals of amount exactly 0: their edge shows 0, not "no amount"
    edge_zero: dict[EdgeKey, frozenset[str]] = {}
    for (from_id, to_id, kind), cell in cells.items():
        a = mapping.get(from_id, from_id)
        b = mapping.get(to_id, to_id)
        if a == b or (chosen is not None and (a not in chosen or b not in chosen)):
            continue
        key: EdgeKey = (a, b, True) if kind in DIRECTED_KINDS else (min(a, b), max(a, b), False)
        got = acc.get(key)
        if got is None:
            acc[key] = cell
        else:
            got.merge(cell)
        kinds[key][kind] = kinds[key].get(kind, 0) + cell.deals
        level = surest.get((from_id, to_id, kind), "unsourced")
        confidence[key] = min(confidence.get(key, level), level)
        if zeros and (from_id, to_id, kind) in zeros:
            edge_zero[key] = edge_zero.get(key, frozenset()) | zeros[(from_id, to_id, kind)]
    edges = []
    for k, c in acc.items():
        shown = figures_of(c, scale, zero=edge_zero.get(k, frozenset()))
        edges.append(Edge(k[0], k[1], k[2], tuple(sorted(kinds[k].items())), shown, c.weight(scale), confidence[k]))
    # nodes: those with an edge (and the focus)
    weight: dict[int, Decimal] = defaultdict(Decimal)
    count: dict[int, int] = defaultdict(int)
    for e in edges:
        for n in (e.source, e.target):
            weight[n] += e.weight
            count[n] += e.deals
    present = set(weight) | ({focus} if focus is not None and focus in orgs else set())
    busy = {n: (count[n], weight[n]) for n in present}
    if ranks is not None:  # the whole database's busiest first, as the cut chose them
        busy.update({n: (ranks[n][1], ranks[n][0]) for n in present if n in ranks})
    order = sorted(present, key=lambda n: busiest_first(*busy[n], orgs[n].name if n in orgs else ""))
    alliance_of = _alliances(conn, mapping, present)
    nodes = {
        n: Node(
            id=n,
            name=orgs[n].name if n in orgs else f"#{n}",
            country=orgs[n].country if n in orgs else None,
            members=tuple(sorted(members.get(n, [n]))),
            weight=weight[n],
            alliances=tuple(sorted(name for name, ids in alliance_of if n in ids)),
        )
        for n in order
    }
    rank = {n: i for i, n in enumerate(order)}
    edges.sort(key=lambda e: (rank[e.source], rank[e.target], not e.directed))
    total_parties = _count_parties(conn, mapping)
    return Graph(
        nodes=nodes,
        edges=tuple(edges),
        currency=currency,
        alliances=tuple(alliance_of),
        hidden=max(total_parties - len(nodes), 0),
        grouped=group_parents,
        focus=focus,
        hops=hops if focus is not None else 0,
        top=top,
        default_cut=default_cut,
        cut=cut,
        not_drawn=not_drawn,
    )


def _alliances(conn: Connection, mapping: Mapping[int, int], present: set[int]) -> list[tuple[str, tuple[int, ...]]]:
    rows = conn.execute(
        select(ALLIANCE.c.name, MEMBER.c.org_id)
        .join(MEMBER, MEMBER.c.alliance_id == ALLIANCE.c.id)
        .order_by(ALLIANCE.c.name, MEMBER.c.org_id)
    )
    out: dict[str, list[int]] = {}
    for name, org_id in rows:
        node = mapping.get(org_id, org_id)
        if node in present and node not in out.setdefault(name, []):
            out[name].append(node)
    return [(name, tuple(ids)) for name, ids in out.items() if ids]


def _count_parties(conn: Connection, mapping: Mapping[int, int]) -> int:
    """How many nodes take part in any deal (cheap: the running sums hold one row per party and side)."""
    ids = set(conn.exec_driver_sql("SELECT DISTINCT org_id FROM party_total WHERE deals > 0").scalars())
    return len({mapping.get(i, i) for i in ids})


def edge_deal_ids(conn: Connection, graph: Graph, key: EdgeKey, limit: int | None = None) -> list[int]:
    """The deals behind an edge (newest first), through the members of grouped nodes."""
    a, b, directed = key
    ma = list(graph.nodes[a].members) if a in graph.nodes else [a]
    mb = list(graph.nodes[b].members) if b in graph.nodes else [b]
    forward = and_(DEAL.c.from_org_id.in_(ma), DEAL.c.to_org_id.in_(mb))
    if directed:
        cond = and_(forward, DEAL.c.kind.in_(DIRECTED_KINDS))
    else:
        backward = and_(DEAL.c.from_org_id.in_(mb), DEAL.c.to_org_id.in_(ma))
        cond = and_(or_(forward, backward), DEAL.c.kind.in_(UNDIRECTED_KINDS))
    stmt = select(DEAL.c.id).where(cond).order_by(DEAL.c.date.desc(), DEAL.c.id.desc())
    if limit:
        stmt = stmt.limit(limit)
    return list(conn.execute(stmt).scalars())
