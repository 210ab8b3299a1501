"""The ecosystem graph: organisations as nodes, deals aggregated into edges, and its circular flows. No UI.

- Edges come from one SQL aggregation (``GROUP BY from_org_id, to_org_id, kind, currency, qualifier``):
  every deal with a counterparty, in the direction of money or commitment (investor → investee, buyer →
  seller). Partnerships have no direction: they form undirected edges apart from the directed ones and
  never take part in cycles. Infrastructure deals have no counterparty and draw no edge.
- Edge sums keep each qualifier apart (exact / up to / at least / estimated, in the reporting currency),
  count undisclosed deals and total the GW, exactly as :mod:`tracker.core.analysis.totals` does.
- Organisations roll up into their top parent on request (``group_parents``); flows inside a group vanish.
- A large graph is cut down to one organisation's neighbourhood (``focus`` + ``hops``) and/or the ``top``
  organisations by flow. Flow, used only to rank, is every converted disclosed amount of the
  organisation's deals with a counterparty, whatever the qualifier; it is never reported as a sum.
- Cycles: simple directed cycles of length 2..5 (no organisation twice), searched from the busiest
  organisations first and bounded by a time budget and a maximum count (``bounded=True`` when the search
  stopped early). A cycle is written from the party receiving its largest hop, so the last hop is the
  biggest: ``OpenAI → Oracle → Nvidia → OpenAI``.
- Renderers: a layered text drawing (our own; netext took 210 s to lay out 300 nodes and phart drew them
  1,234 columns wide with merged, arrow-less edges), Graphviz DOT, Mermaid and JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Connection, and_, or_, select, type_coerce

from tracker.core.analysis.running import DEAL_MAX_PART, Cell, deal_rows, read_cells
from tracker.core.analysis.totals import (
    QUALIFIED,
    Converter,
    Figures,
    OrgInfo,
    converter,
    figures_of,
    load_orgs,
    no_gc,
    root_of,
)
from tracker.core.domain.money import format_amount
from tracker.core.storage.tables import REPORTING_CURRENCY, Alliance, AllianceMember, Deal

DEAL = Deal.__table__
ALLIANCE = Alliance.__table__
MEMBER = AllianceMember.__table__

DIRECTED_KINDS: tuple[str, ...] = ("investment", "purchase")
UNDIRECTED_KINDS: tuple[str, ...] = ("partnership",)
EDGE_KINDS: tuple[str, ...] = DIRECTED_KINDS + UNDIRECTED_KINDS
MIN_CYCLE, MAX_CYCLE = 2, 5
DEFAULT_MAX_CYCLES = 500
DEFAULT_TIME_BUDGET = 1.5  # seconds
FULL_REACH_EDGES = 20_000
"""Up to this many edges the cycle search prunes with a backward search of the whole cycle length."""

EdgeKey = tuple[int, int, bool]
"""(source, target, directed); an undirected edge has source < target."""


# --------------------------------------------------------------------------------------------
# The graph


@dataclass(frozen=True)
class Node:
    id: int
    name: str
    country: str | None
    members: tuple[int, ...]
    """The organisations drawn as this node: itself, plus its subsidiaries when parents are grouped."""
    weight: Decimal
    """Ranking flow in the reporting currency (all qualifiers together; never shown as a total)."""
    alliances: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edge:
    source: int
    target: int
    directed: bool
    kinds: tuple[tuple[str, int], ...]
    figures: Figures
    weight: Decimal

    @property
    def key(self) -> EdgeKey:
        return (self.source, self.target, self.directed)

    @property
    def deals(self) -> int:
        return self.figures.deals

    def summary(self, currency: str) -> str:
        """``2 deals: ≤ $100B, 1 undisclosed, 10 GW`` (each qualifier apart)."""
        return describe_figures(self.figures, currency, self.deals)


@dataclass(frozen=True)
class Graph:
    nodes: dict[int, Node]
    """In rank order: the biggest flow first."""
    edges: tuple[Edge, ...]
    currency: str
    alliances: tuple[tuple[str, tuple[int, ...]], ...] = ()
    """(alliance name, node ids of its members in this graph)."""
    hidden: int = 0
    """Organisations with deals that are not drawn (no counterparty, or outside the focus / top N)."""
    grouped: bool = False
    focus: int | None = None
    hops: int = 0
    top: int | None = None

    def edge(self, key: EdgeKey) -> Edge | None:
        for e in self.edges:
            if e.key == key:
                return e
        return None

    def incident(self, node_id: int) -> list[Edge]:
        return [e for e in self.edges if node_id in (e.source, e.target)]

    def name(self, node_id: int) -> str:
        node = self.nodes.get(node_id)
        return node.name if node else f"#{node_id}"

    def edge_label(self, edge: Edge) -> str:
        arrow = " → " if edge.directed else " — "
        return self.name(edge.source) + arrow + self.name(edge.target)


def describe_figures(f: Figures, currency: str, deals: int | None = None) -> str:
    parts = [format_amount(v, currency, q) for q, v in f.by_qualifier().items() if v]
    if f.undisclosed:
        parts.append(f"{f.undisclosed} undisclosed")
    if f.capacity_gw:
        parts.append(f"{f.capacity_gw} GW")
    for c, amount, _n in f.unrated:
        parts.append(f"{format_amount(amount, c, 'exact')} (no rate)")
    n = f.deals if deals is None else deals
    return f"{n} deal{'s' if n != 1 else ''}: " + (", ".join(parts) if parts else "nothing disclosed")


def _node_map(orgs: Mapping[int, OrgInfo], group_parents: bool) -> dict[int, int]:
    return root_of(orgs) if group_parents else {org_id: org_id for org_id in orgs}


def _members(mapping: Mapping[int, int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for org_id, node_id in mapping.items():
        out[node_id].append(org_id)
    return out


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
    members = _members(mapping)
    seen = {focus}
    frontier = {focus}
    for _ in range(max(hops, 0)):
        orgs = [m for n in frontier for m in members.get(n, [n])]
        if not orgs:
            break
        found: set[int] = set()
        for chunk in _chunks(orgs, 2000):
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


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def build_graph(
    conn: Connection,
    *,
    focus: int | None = None,
    hops: int = 1,
    top: int | None = None,
    group_parents: bool = False,
    currency: str = REPORTING_CURRENCY,
    at: dt.date | None = None,
) -> Graph:
    """The ecosystem graph, cut to ``focus``'s neighbourhood within ``hops`` and/or the ``top`` N by flow."""
    conv = converter(conn, currency, at)
    orgs = load_orgs(conn)
    mapping = _node_map(orgs, group_parents)
    members = _members(mapping)
    if focus is not None:
        focus = mapping.get(focus, focus)
    chosen: set[int] | None = None
    if focus is not None:
        chosen = _neighbourhood(conn, focus, hops, mapping)
    ranks: dict[int, tuple[Decimal, int]] | None = None
    if top is not None and top > 0:
        with no_gc():
            ranks = rank_orgs(conn, conv, mapping)
        pool = [n for n in ranks if chosen is None or n in chosen]
        pool.sort(key=lambda n: (-ranks[n][0], -ranks[n][1], n))
        keep = set(pool[:top])
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
    acc: dict[EdgeKey, Cell] = {}
    kinds: dict[EdgeKey, dict[str, int]] = defaultdict(dict)
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
    edges = [
        Edge(k[0], k[1], k[2], tuple(sorted(kinds[k].items())), figures_of(c, scale), c.weight(scale))
        for k, c in acc.items()
    ]
    # nodes: those with an edge (and the focus)
    weight: dict[int, Decimal] = defaultdict(Decimal)
    count: dict[int, int] = defaultdict(int)
    for e in edges:
        for n in (e.source, e.target):
            weight[n] += e.weight
            count[n] += e.deals
    present = set(weight) | ({focus} if focus is not None and focus in orgs else set())
    order = sorted(present, key=lambda n: (-weight[n], -count[n], orgs[n].name.casefold() if n in orgs else ""))
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


# --------------------------------------------------------------------------------------------
# Cycles


@dataclass(frozen=True)
class CycleHop:
    source: int
    target: int
    deal_ids: tuple[int, ...]
    figures: Figures
    weight: Decimal


@dataclass(frozen=True)
class Cycle:
    nodes: tuple[int, ...]
    """The parties in order, the first not repeated at the end."""
    names: tuple[str, ...]
    hops: tuple[CycleHop, ...]
    total: Figures
    """Everything along the cycle, each qualifier apart."""

    @property
    def label(self) -> str:
        return " → ".join((*self.names, self.names[0]))

    @property
    def edge_keys(self) -> tuple[EdgeKey, ...]:
        return tuple((h.source, h.target, True) for h in self.hops)

    @property
    def deal_ids(self) -> tuple[int, ...]:
        return tuple(i for h in self.hops for i in h.deal_ids)


@dataclass(frozen=True)
class CycleSearch:
    cycles: tuple[Cycle, ...]
    bounded: bool
    """True when the search stopped at its time budget or maximum count: more cycles may exist."""
    note: str
    elapsed: float
    searched_nodes: int = 0


def find_cycles(
    conn: Connection,
    *,
    nodes: Collection[int] | None = None,
    group_parents: bool = False,
    min_length: int = MIN_CYCLE,
    max_length: int = MAX_CYCLE,
    max_cycles: int = DEFAULT_MAX_CYCLES,
    time_budget: float = DEFAULT_TIME_BUDGET,
    currency: str = REPORTING_CURRENCY,
    at: dt.date | None = None,
) -> CycleSearch:
    """Simple directed cycles of ``min_length``..``max_length`` parties (within ``nodes`` when given)."""
    started = time.perf_counter()
    deadline = started + max(time_budget, 0.0)
    min_length, max_length = max(min_length, MIN_CYCLE), min(max_length, MAX_CYCLE)
    conv = converter(conn, currency, at)
    orgs = load_orgs(conn)
    mapping = _node_map(orgs, group_parents)
    allowed = set(nodes) if nodes is not None else None
    succ: dict[int, set[int]] = defaultdict(set)
    # every directed deal's parties from the covering ix_deal_from_org, deduplicated here: a DISTINCT
    # in SQLite would insert 650k rows into a temporary b-tree (seconds at 1M deals)
    pairs = select(DEAL.c.from_org_id, DEAL.c.to_org_id).where(
        DEAL.c.kind.in_(DIRECTED_KINDS), DEAL.c.to_org_id.is_not(None)
    )
    get = mapping.get
    with no_gc():
        for a, b in conn.execute(pairs).fetchall():
            a, b = get(a, a), get(b, b)
            if a != b and (allowed is None or (a in allowed and b in allowed)):
                succ[a].add(b)
        succ = _strip_acyclic(succ)
    pred: dict[int, set[int]] = defaultdict(set)
    for a, targets in succ.items():
        for b in targets:
            pred[b].add(a)
    # search from the busiest parties first; a cycle is found once, from its highest-ranked party
    order = sorted(succ, key=lambda n: (-(len(succ[n]) * len(pred[n])), n))
    rank = {n: i for i, n in enumerate(order)}
    found: list[tuple[int, ...]] = []
    bounded = False
    reason = ""
    steps = 0
    reach = max_length - 1 if sum(len(t) for t in succ.values()) <= FULL_REACH_EDGES else 1
    for start in order:
        if bounded:
            break
        r0 = rank[start]
        # nodes that can reach `start` in at most `reach` steps through lower-ranked nodes (the whole cycle
        # length on small graphs; on large dense ones one step: the full search costs seconds per start)
        back = {start: 0}
        layer = [start]
        for depth in range(1, reach + 1):
            if time.perf_counter() > deadline:  # on a dense graph this search alone can take seconds
                bounded, reason = True, f"stopped at the time budget of {time_budget:g} s"
                break
            nxt = []
            for v in layer:
                for u in pred[v]:
                    if rank[u] > r0 and u not in back:
                        back[u] = depth
                        nxt.append(u)
            layer = nxt
        if bounded:
            break
        path = [start]
        on_path = {start}
        stack: list[Iterable[int]] = [iter(sorted(succ[start], key=rank.__getitem__))]
        while stack:
            steps += 1
            if steps & 1023 == 0 and time.perf_counter() > deadline:
                bounded, reason = True, f"stopped at the time budget of {time_budget:g} s"
                break
            nxt_node = next(stack[-1], None)
            if nxt_node is None:
                stack.pop()
                on_path.discard(path.pop())
                continue
            if nxt_node == start:
                if len(path) >= min_length:
                    found.append(tuple(path))
                    if len(found) >= max_cycles:
                        bounded, reason = True, f"stopped at the maximum of {max_cycles} cycles"
                        break
                continue
            if nxt_node in on_path or rank[nxt_node] < r0:
                continue
            # remaining steps after moving to nxt_node must be enough to get back (more than `reach` when
            # the backward search did not meet it)
            if len(path) + back.get(nxt_node, reach + 1) > max_length:
                continue
            path.append(nxt_node)
            on_path.add(nxt_node)
            stack.append(iter(succ[nxt_node]))
    cycles = _describe_cycles(conn, found, orgs, mapping, conv)
    elapsed = time.perf_counter() - started
    note = f"{len(cycles)} cycle{'s' if len(cycles) != 1 else ''} of {min_length}-{max_length} parties" + (
        f"; {reason}: there may be more" if bounded else ""
    )
    return CycleSearch(tuple(cycles), bounded, note, elapsed, len(order))


def _strip_acyclic(succ: dict[int, set[int]]) -> dict[int, set[int]]:
    """Drop, repeatedly, nodes with no way in or no way out: they lie on no cycle."""
    succ = {a: set(bs) for a, bs in succ.items()}
    indeg: dict[int, int] = defaultdict(int)
    for bs in succ.values():
        for b in bs:
            indeg[b] += 1
    nodes = set(succ) | set(indeg)
    queue = [n for n in nodes if not succ.get(n) or not indeg.get(n)]
    removed: set[int] = set()
    pred: dict[int, set[int]] = defaultdict(set)
    for a, bs in succ.items():
        for b in bs:
            pred[b].add(a)
    while queue:
        n = queue.pop()
        if n in removed:
            continue
        removed.add(n)
        for b in succ.get(n, ()):
            indeg[b] -= 1
            pred[b].discard(n)
            if indeg[b] == 0 and b not in removed:
                queue.append(b)
        for a in pred.get(n, ()):
            succ[a].discard(n)
            if not succ[a] and a not in removed:
                queue.append(a)
        succ.pop(n, None)
    return {a: bs for a, bs in succ.items() if a not in removed and bs}


def _describe_cycles(
    conn: Connection,
    found: Sequence[tuple[int, ...]],
    orgs: Mapping[int, OrgInfo],
    mapping: Mapping[int, int],
    conv: Converter,
) -> list[Cycle]:
    if not found:
        return []
    members = _members(mapping)
    hop_pairs = {(c[i], c[(i + 1) % len(c)]) for c in found for i in range(len(c))}
    org_pairs = {(a, b): hop for hop in hop_pairs for a in members.get(hop[0], []) for b in members.get(hop[1], [])}
    scale = conv.scale()
    sums: dict[tuple[int, int], Cell] = {}
    ids: dict[tuple[int, int], list[int]] = defaultdict(list)
    # the hops' deal ids from ix_deal_from_org alone (sources seeked, targets and kinds read from the index;
    # a (from, to) IN list instead would walk every deal of a hub for each hop), then only those deals' rows
    sources = sorted({a for a, _b in org_pairs})
    targets = sorted({b for _a, b in org_pairs})
    hop_of: dict[int, tuple[int, int]] = {}
    for chunk in _chunks(sources, 500):
        cond = and_(DEAL.c.from_org_id.in_(chunk), DEAL.c.kind.in_(DIRECTED_KINDS), DEAL.c.to_org_id.in_(targets))
        for deal_id, a, b in conn.execute(select(DEAL.c.id, DEAL.c.from_org_id, DEAL.c.to_org_id).where(cond)):
            hop = org_pairs.get((a, b))
            if hop is not None:
                hop_of[deal_id] = hop
    amount, gw = type_coerce(DEAL.c.amount, BigInteger), type_coerce(DEAL.c.capacity_gw, BigInteger)
    dated: list[tuple[Any, int]] = []
    for chunk in _chunks(sorted(hop_of), 5000):
        cols = (DEAL.c.id, DEAL.c.date, DEAL.c.currency, DEAL.c.qualifier, amount, gw)
        for deal_id, date, cur, qualifier, a, g in conn.execute(select(*cols).where(DEAL.c.id.in_(chunk))):
            sums.setdefault(hop_of[deal_id], Cell()).add_deals(scale, cur, qualifier, 1, a is not None, a, g)
            dated.append((date, deal_id))
    dated.sort(reverse=True)  # newest first
    for _date, deal_id in dated:
        ids[hop_of[deal_id]].append(deal_id)

    def name(n: int) -> str:
        return orgs[n].name if n in orgs else f"#{n}"

    cycles = []
    for c in found:
        hops_w = [sums.get((c[i], c[(i + 1) % len(c)]), Cell()).weight(scale) for i in range(len(c))]
        # start at the party receiving the largest hop (ties: the first name), so the last hop is the biggest
        best = max(range(len(c)), key=lambda i: (hops_w[i], [-ord(ch) for ch in name(c[(i + 1) % len(c)])]))
        s = (best + 1) % len(c)
        rot = c[s:] + c[:s]
        hops = []
        total = Cell()
        for i in range(len(rot)):
            hop = (rot[i], rot[(i + 1) % len(rot)])
            hs = sums.get(hop, Cell())
            total.merge(hs)
            hops.append(CycleHop(hop[0], hop[1], tuple(ids.get(hop, [])), figures_of(hs, scale), hs.weight(scale)))
        cycles.append(Cycle(rot, tuple(name(n) for n in rot), tuple(hops), figures_of(total, scale)))
    # shortest first, then the most money, then by label
    cycles.sort(key=lambda cy: (len(cy.nodes), -sum(h.weight for h in cy.hops), cy.label.casefold()))
    return cycles


# --------------------------------------------------------------------------------------------
# Layout (layered, orthogonal edges, for the terminal)

# direction bits of a cell
_UP, _DOWN, _LEFT, _RIGHT = 1, 2, 4, 8
_LINES = {
    _UP | _DOWN: "│",
    _LEFT | _RIGHT: "─",
    _DOWN | _RIGHT: "┌",
    _DOWN | _LEFT: "┐",
    _UP | _RIGHT: "└",
    _UP | _LEFT: "┘",
    _UP | _DOWN | _RIGHT: "├",
    _UP | _DOWN | _LEFT: "┤",
    _DOWN | _LEFT | _RIGHT: "┬",
    _UP | _LEFT | _RIGHT: "┴",
    _UP | _DOWN | _LEFT | _RIGHT: "┼",
    _UP: "│",
    _DOWN: "│",
    _LEFT: "─",
    _RIGHT: "─",
}
_DASHED = {_UP | _DOWN: "╎", _LEFT | _RIGHT: "╌", _UP: "╎", _DOWN: "╎", _LEFT: "╌", _RIGHT: "╌"}
NODE_HEIGHT = 3
MAX_LABEL = 22
MAX_DRAWN_EDGES = 120


@dataclass
class Layout:
    """A drawing on a character grid; remembers which node and which edges own each cell."""

    width: int
    height: int
    chars: list[list[str]]
    boxes: dict[int, tuple[int, int, int, int]]
    """node id → (x, y, width, height)."""
    edge_cells: dict[EdgeKey, list[tuple[int, int]]]
    layers: list[list[int]]
    """Node ids by layer (top to bottom), left to right: the order keyboard navigation follows."""
    legend: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.chars]

    def text(self) -> str:
        return "\n".join(self.lines() + self.legend)

    def node_at(self, x: int, y: int) -> int | None:
        for n, (bx, by, bw, bh) in self.boxes.items():
            if bx <= x < bx + bw and by <= y < by + bh:
                return n
        return None


def _layers(nodes: Sequence[int], edges: Sequence[Edge]) -> tuple[list[list[int]], list[tuple[int, int, Edge]]]:
    """Assign layers (greedy feedback-arc ordering, then longest path) and return edges oriented downwards."""
    rank = {n: i for i, n in enumerate(nodes)}
    succ: dict[int, set[int]] = defaultdict(set)
    pred: dict[int, set[int]] = defaultdict(set)
    for e in edges:
        if e.source != e.target:
            succ[e.source].add(e.target)
            pred[e.target].add(e.source)
    # Eades–Lin–Smyth: sinks to the right, sources to the left, then the best out-in difference
    remaining = set(nodes)
    left: list[int] = []
    right: list[int] = []
    out_d = {n: len(succ[n]) for n in nodes}
    in_d = {n: len(pred[n]) for n in nodes}

    def drop(n: int) -> None:
        remaining.discard(n)
        for m in succ[n]:
            in_d[m] -= 1
        for m in pred[n]:
            out_d[m] -= 1

    while remaining:
        changed = True
        while changed:
            changed = False
            for n in sorted(remaining, key=rank.__getitem__):
                if out_d[n] == 0:
                    right.append(n)
                    drop(n)
                    changed = True
            for n in sorted(remaining, key=rank.__getitem__):
                if in_d[n] == 0:
                    left.append(n)
                    drop(n)
                    changed = True
        if remaining:
            n = max(remaining, key=lambda m: (out_d[m] - in_d[m], -rank[m]))
            left.append(n)
            drop(n)
    position = {n: i for i, n in enumerate(left + right[::-1])}
    oriented: list[tuple[int, int, Edge]] = []
    for e in edges:
        a, b = e.source, e.target
        oriented.append((a, b, e) if position[a] < position[b] else (b, a, e))
    level = {n: 0 for n in nodes}
    down: dict[int, list[int]] = defaultdict(list)
    for a, b, _e in oriented:
        down[a].append(b)
    for n in sorted(nodes, key=position.__getitem__):
        for b in down[n]:
            level[b] = max(level[b], level[n] + 1)
    depth = max(level.values(), default=0) + 1
    layers: list[list[int]] = [[] for _ in range(depth)]
    for n in nodes:
        layers[level[n]].append(n)
    return layers, oriented


def layout_graph(graph: Graph, highlight: Collection[EdgeKey] = (), max_edges: int = MAX_DRAWN_EDGES) -> Layout:
    """Lay the graph out top-down: one row of boxes per layer, edges routed in the channels between rows."""
    del highlight  # styling belongs to the caller; cells are attributed to edges
    nodes = list(graph.nodes)
    drawn = list(graph.edges)
    if len(drawn) > max_edges:  # a dense graph: draw the heaviest edges, say how many are left out
        drawn = sorted(drawn, key=lambda e: (-e.weight, -e.deals))[:max_edges]
    layers, oriented = _layers(nodes, drawn)
    # dummy nodes (negative ids) for edges that span several layers
    level = {n: i for i, layer in enumerate(layers) for n in layer}
    segments: list[tuple[int, int, EdgeKey, bool, bool]] = []  # upper, lower, edge, arrow at lower, arrow at upper
    next_dummy = -1
    for a, b, e in oriented:
        chain = [a]
        for lv in range(level[a] + 1, level[b]):
            layers[lv].append(next_dummy)
            level[next_dummy] = lv
            chain.append(next_dummy)
            next_dummy -= 1
        chain.append(b)
        forward = e.source == a
        for i in range(len(chain) - 1):
            last = i == len(chain) - 2
            first = i == 0
            down_arrow = e.directed and forward and last
            up_arrow = e.directed and not forward and first
            segments.append((chain[i], chain[i + 1], e.key, down_arrow, up_arrow))
    # crossing reduction: barycentre sweeps
    up_n: dict[int, list[int]] = defaultdict(list)
    down_n: dict[int, list[int]] = defaultdict(list)
    for u, low, _k, _d, _a in segments:
        down_n[u].append(low)
        up_n[low].append(u)
    for _sweep in range(4):
        for i in range(1, len(layers)):
            pos = {n: j for j, n in enumerate(layers[i - 1])}
            here = {n: j for j, n in enumerate(layers[i])}
            layers[i].sort(key=lambda n: _bary(up_n[n], pos, here[n]))
        for i in range(len(layers) - 2, -1, -1):
            pos = {n: j for j, n in enumerate(layers[i + 1])}
            here = {n: j for j, n in enumerate(layers[i])}
            layers[i].sort(key=lambda n: _bary(down_n[n], pos, here[n]))
    # widths: ports on the bottom at odd offsets, on the top at even offsets, so an incoming and an
    # outgoing vertical never share a column
    outs: dict[int, list[int]] = defaultdict(list)
    ins: dict[int, list[int]] = defaultdict(list)
    for idx, (u, low, _k, _d, _a) in enumerate(segments):
        outs[u].append(idx)
        ins[low].append(idx)
    labels = {n: _clip(graph.name(n)) for n in nodes}
    widths: dict[int, int] = {}
    for layer in layers:
        for n in layer:
            if n < 0:
                widths[n] = 2
            else:
                ports = max(len(outs[n]), len(ins[n]))
                w = max(len(labels[n]) + 4, 2 * ports + 3)
                widths[n] = w + (w % 2)
    gap = 2
    row_width = [sum(widths[n] for n in layer) + gap * max(len(layer) - 1, 0) for layer in layers]
    total_width = max(row_width, default=0) + 2
    xs: dict[int, int] = {}
    for layer, rw in zip(layers, row_width, strict=True):
        x = ((total_width - rw) // 2) & ~1
        for n in layer:
            xs[n] = x
            x += widths[n] + gap
    # port columns, ordered by the other end's x to avoid needless crossings
    out_col: dict[int, int] = {}
    in_col: dict[int, int] = {}
    for n in xs:
        if n < 0:
            for idx in ins[n]:
                in_col[idx] = xs[n]
            for idx in outs[n]:
                out_col[idx] = xs[n] + 1
            continue
        slots = (widths[n] - 2) // 2
        start = (slots - len(outs[n])) // 2
        for j, idx in enumerate(sorted(outs[n], key=lambda i: xs[segments[i][1]])):
            out_col[idx] = xs[n] + 1 + 2 * (start + j)
        start = (slots - len(ins[n])) // 2
        for j, idx in enumerate(sorted(ins[n], key=lambda i: xs[segments[i][0]])):
            in_col[idx] = xs[n] + 2 + 2 * (start + j)
    # channels: tracks per gap between layers (interval packing)
    tracks: dict[int, int] = {}
    channel_height: list[int] = []
    for i in range(len(layers) - 1):
        segs = [idx for idx, s in enumerate(segments) if level[s[0]] == i]
        segs.sort(key=lambda idx: min(out_col[idx], in_col[idx]))
        ends: list[int] = []
        for idx in segs:
            lo, hi = sorted((out_col[idx], in_col[idx]))
            if lo == hi:
                tracks[idx] = -1
                continue
            for t, end in enumerate(ends):
                if end < lo - 1:
                    ends[t] = hi
                    tracks[idx] = t
                    break
            else:
                ends.append(hi)
                tracks[idx] = len(ends) - 1
        channel_height.append(len(ends) + 2)
    ys: list[int] = []
    y = 0
    for i in range(len(layers)):
        ys.append(y)
        y += NODE_HEIGHT + (channel_height[i] if i < len(channel_height) else 0)
    height = max(y, 1)
    bits = [[0] * total_width for _ in range(height)]
    owners: dict[tuple[int, int], set[EdgeKey]] = defaultdict(set)
    dashed: set[tuple[int, int]] = set()
    chars = [[" "] * total_width for _ in range(height)]
    edge_cells: dict[EdgeKey, list[tuple[int, int]]] = defaultdict(list)
    directed_of = {e.key: e.directed for e in graph.edges}

    def mark(x: int, yy: int, b: int, key: EdgeKey) -> None:
        bits[yy][x] |= b
        owners[(x, yy)].add(key)
        if not directed_of.get(key, True):
            dashed.add((x, yy))

    def vline(x: int, y0: int, y1: int, key: EdgeKey) -> None:
        lo, hi = sorted((y0, y1))
        for yy in range(lo, hi + 1):
            b = (_UP if yy > lo else 0) | (_DOWN if yy < hi else 0)
            mark(x, yy, b or (_UP | _DOWN), key)

    def hline(yy: int, x0: int, x1: int, key: EdgeKey) -> None:
        lo, hi = sorted((x0, x1))
        for x in range(lo, hi + 1):
            mark(x, yy, (_LEFT if x > lo else 0) | (_RIGHT if x < hi else 0), key)

    arrows: dict[tuple[int, int], str] = {}
    for idx, (u, low, key, down_arrow, up_arrow) in enumerate(segments):
        i = level[u]
        top = ys[i] + NODE_HEIGHT  # first channel row
        bottom = ys[i + 1] - 1  # last channel row
        x0, x1 = out_col[idx], in_col[idx]
        t = tracks.get(idx, -1)
        if u < 0:  # leave a dummy: jog from its in-column to its out-column in the middle row
            mid = ys[i] + 1
            vline(u_in := xs[u], ys[i], mid, key)
            hline(mid, u_in, x0, key)
            vline(x0, mid, top, key)
        if t < 0:
            vline(x0, top, bottom, key)
        else:
            ty = top + 1 + t
            vline(x0, top, ty, key)
            hline(ty, x0, x1, key)
            vline(x1, ty, bottom, key)
        if low < 0:  # pass into the dummy
            vline(x1, bottom, ys[i + 1], key)
        if down_arrow:
            arrows[(x1, bottom)] = "▼"
        if up_arrow:
            arrows[(x0, top)] = "▲"
    # merge corner bits where a vertical and a horizontal of one edge meet
    for yy in range(height):
        for x in range(total_width):
            b = bits[yy][x]
            if b:
                chars[yy][x] = (_DASHED if (x, yy) in dashed and len(owners[(x, yy)]) == 1 else {}).get(
                    b, _LINES.get(b, "┼")
                )
    for (x, yy), ch in arrows.items():
        chars[yy][x] = ch
    for (x, yy), keys in owners.items():
        for k in keys:
            edge_cells[k].append((x, yy))
    boxes: dict[int, tuple[int, int, int, int]] = {}
    for i, layer in enumerate(layers):
        for n in layer:
            if n < 0:
                continue
            x, w, yy = xs[n], widths[n], ys[i]
            label = labels[n]
            inner = w - 2
            pad = (inner - len(label)) // 2
            rows = ["┌" + "─" * inner + "┐", "│" + " " * pad + label + " " * (inner - pad - len(label)) + "│",
                    "└" + "─" * inner + "┘"]  # fmt: skip
            for dy, row in enumerate(rows):
                for dx, ch in enumerate(row):
                    chars[yy + dy][x + dx] = ch
            boxes[n] = (x, yy, w, NODE_HEIGHT)
    real_layers = [[n for n in layer if n >= 0] for layer in layers]
    legend = []
    if len(drawn) < len(graph.edges):
        legend.append(f"({len(graph.edges) - len(drawn)} lighter edges not drawn; every edge is listed below)")
    return Layout(total_width, height, chars, boxes, dict(edge_cells), [la for la in real_layers if la], legend)


def _bary(neighbours: list[int], pos: Mapping[int, int], current: int) -> float:
    ps = [pos[n] for n in neighbours if n in pos]
    return sum(ps) / len(ps) if ps else float(current)


def _clip(name: str) -> str:
    """One line, at most MAX_LABEL characters; wide characters are kept as they are (ASCII-safe layout)."""
    name = " ".join(name.split())
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…"


# --------------------------------------------------------------------------------------------
# Renderers


def render_text(graph: Graph, cycles: CycleSearch | None = None) -> str:
    """The drawing, then one line per edge with its deals and sums, then the cycles (if searched)."""
    if not graph.nodes:
        return "no deals between organisations"
    layout = layout_graph(graph)
    lines = layout.lines() + layout.legend
    lines.append("")
    for e in graph.edges:
        lines.append(f"{graph.edge_label(e)}  {e.summary(graph.currency)}")
    if graph.alliances:
        lines.append("")
        for name, ids in graph.alliances:
            lines.append(f"alliance {name}: " + ", ".join(graph.name(i) for i in ids))
    if graph.hidden:
        lines.append(f"({graph.hidden} organisation{'s' if graph.hidden != 1 else ''} with deals not drawn)")
    if cycles is not None:
        lines.append("")
        lines.extend(render_cycles_text(cycles))
    return "\n".join(lines)


def render_cycles_text(cycles: CycleSearch) -> list[str]:
    return [c.label for c in cycles.cycles]


def _dot_id(n: int) -> str:
    return f"n{n}" if n >= 0 else f"m{-n}"


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _clusters(graph: Graph) -> tuple[list[tuple[int, str, list[int]]], list[int]]:
    """Alliances with the nodes drawn inside them (a node sits in its first alliance), and the other nodes."""
    placed: set[int] = set()
    clusters: list[tuple[int, str, list[int]]] = []
    for i, (name, ids) in enumerate(graph.alliances):
        inside = [n for n in dict.fromkeys(ids) if n not in placed]
        if inside:
            clusters.append((i, name, inside))
            placed.update(inside)
    return clusters, [n for n in graph.nodes if n not in placed]


def render_dot(graph: Graph, cycles: CycleSearch | None = None) -> str:
    """Graphviz DOT: alliances as clusters (a node sits in its first alliance), cycle edges in red."""
    on_cycle = {k for c in (cycles.cycles if cycles else ()) for k in c.edge_keys}
    out = ["digraph ecosystem {", "  rankdir=LR;", '  node [shape=box, style=rounded, fontname="Helvetica"];']
    clusters, loose = _clusters(graph)
    for i, name, inside in clusters:
        out.append(f"  subgraph cluster_{i} {{")
        out.append(f"    label={_dot_quote(name)}; style=dashed;")
        out.extend(f"    {_dot_id(n)} [label={_dot_quote(graph.name(n))}];" for n in inside)
        out.append("  }")
    out.extend(f"  {_dot_id(n)} [label={_dot_quote(graph.name(n))}];" for n in loose)
    for e in graph.edges:
        attrs = [f"label={_dot_quote(e.summary(graph.currency))}"]
        if not e.directed:
            attrs.append("dir=none, style=dashed")
        if e.key in on_cycle:
            attrs.append("color=red, penwidth=2")
        out.append(f"  {_dot_id(e.source)} -> {_dot_id(e.target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out)


def _mermaid_text(text: str) -> str:
    return '"' + text.replace('"', "#quot;").replace("\n", " ") + '"'


def render_mermaid(graph: Graph, cycles: CycleSearch | None = None) -> str:
    """A Mermaid flowchart: alliances as subgraphs, partnerships as dotted lines, cycle edges thick."""
    on_cycle = {k for c in (cycles.cycles if cycles else ()) for k in c.edge_keys}
    out = ["flowchart LR"]
    clusters, loose = _clusters(graph)
    for i, name, inside in clusters:
        out.append(f"  subgraph a{i}[{_mermaid_text(name)}]")
        out.extend(f"    {_dot_id(n)}[{_mermaid_text(graph.name(n))}]" for n in inside)
        out.append("  end")
    out.extend(f"  {_dot_id(n)}[{_mermaid_text(graph.name(n))}]" for n in loose)
    for e in graph.edges:
        label = _mermaid_text(e.summary(graph.currency))
        if not e.directed:
            arrow = "-.-"
        elif e.key in on_cycle:
            arrow = "==>"
        else:
            arrow = "-->"
        out.append(f"  {_dot_id(e.source)} {arrow}|{label}| {_dot_id(e.target)}")
    return "\n".join(out)


def graph_json(graph: Graph, cycles: CycleSearch | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "currency": graph.currency,
        "grouped_by_parent": graph.grouped,
        "focus": graph.focus,
        "hops": graph.hops,
        "top": graph.top,
        "hidden_organisations": graph.hidden,
        "nodes": [
            {
                "id": n.id,
                "name": n.name,
                "country": n.country,
                "members": list(n.members),
                "alliances": list(n.alliances),
                "flow": format(n.weight, "f"),
            }
            for n in graph.nodes.values()
        ],
        "edges": [
            {
                "from": e.source,
                "to": e.target,
                "from_name": graph.name(e.source),
                "to_name": graph.name(e.target),
                "directed": e.directed,
                "kinds": dict(e.kinds),
                **e.figures.as_json(),
            }
            for e in graph.edges
        ],
        "alliances": [{"name": name, "members": list(ids)} for name, ids in graph.alliances],
    }
    if cycles is not None:
        data["cycles"] = cycles_json(cycles)
    return data


def cycles_json(cycles: CycleSearch) -> dict[str, Any]:
    return {
        "bounded": cycles.bounded,
        "note": cycles.note,
        "cycles": [
            {
                "label": c.label,
                "parties": list(c.names),
                "ids": list(c.nodes),
                "hops": [
                    {"from": h.source, "to": h.target, "deal_ids": list(h.deal_ids), **h.figures.as_json()}
                    for h in c.hops
                ],
                "total": c.total.as_json(),
            }
            for c in cycles.cycles
        ],
    }


def render_json(graph: Graph, cycles: CycleSearch | None = None) -> str:
    return json.dumps(graph_json(graph, cycles), indent=2, ensure_ascii=False)


__all__ = [
    "DIRECTED_KINDS",
    "QUALIFIED",
    "Cycle",
    "CycleHop",
    "CycleSearch",
    "Edge",
    "EdgeKey",
    "Graph",
    "Layout",
    "Node",
    "build_graph",
    "cycles_json",
    "describe_figures",
    "edge_deal_ids",
    "find_cycles",
    "graph_json",
    "layout_graph",
    "rank_orgs",
    "render_dot",
    "render_json",
    "render_mermaid",
    "render_text",
]
