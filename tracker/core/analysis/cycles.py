"""The ecosystem's circular flows: simple directed cycles of 2..5 organisations, searched with a budget.

A cycle has no organisation twice and runs over directed deals only (investments and purchases: a
partnership has no direction). The search starts from the busiest organisations, after stripping every
node with no way in or no way out, and prunes with a backward search; it stops at a time budget or a
maximum count and then says so (``bounded=True``: more cycles may exist). A cycle is written from the
party receiving its largest hop, so the last hop is the biggest: ``OpenAI → Oracle → Nvidia → OpenAI``;
each hop carries its deals and their figures, each qualifier apart.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Connection, String, and_, select, type_coerce

from tracker.core.analysis.bulk import chunks, no_gc
from tracker.core.analysis.ecosystem import EdgeKey
from tracker.core.analysis.figures import Converter, Figures, converter, figures_of
from tracker.core.analysis.parties import DIRECTED_KINDS, OrgInfo, load_orgs, members_of, node_map
from tracker.core.analysis.running import Cell
from tracker.core.domain.text import visible
from tracker.core.storage.handles import DEAL
from tracker.core.storage.tables import REPORTING_CURRENCY

MIN_CYCLE, MAX_CYCLE = 2, 5
DEFAULT_MAX_CYCLES = 500
DEFAULT_TIME_BUDGET = 1.5  # seconds
FULL_REACH_EDGES = 20_000
"""Up to this many edges the cycle search prunes with a backward search of the whole cycle length."""


@dataclass(frozen=True)
class CycleHop:
    """One step of a cycle: the deals from ``source`` to ``target`` (newest first) and their figures."""

    source: int
    target: int
    deal_ids: tuple[int, ...]
    figures: Figures
    weight: Decimal


@dataclass(frozen=True)
class Cycle:
    """A circular flow, written from the party receiving its largest hop."""

    nodes: tuple[int, ...]
    """The parties in order, the first not repeated at the end."""
    names: tuple[str, ...]
    hops: tuple[CycleHop, ...]
    total: Figures
    """Everything along the cycle, each qualifier apart."""

    @property
    def label(self) -> str:
        """``OpenAI → Oracle → Nvidia → OpenAI``, safe to print (control characters shown escaped)."""
        return visible(" → ".join((*self.names, self.names[0])))

    @property
    def edge_keys(self) -> tuple[EdgeKey, ...]:
        return tuple((h.source, h.target, True) for h in self.hops)

    @property
    def deal_ids(self) -> tuple[int, ...]:
        return tuple(i for h in self.hops for i in h.deal_ids)


@dataclass(frozen=True)
class CycleSearch:
    """What a search found, whether it stopped early, and a note saying so."""

    cycles: tuple[Cycle, ...]
    bounded: bool
    """True when the search stopped at its time budget or maximum count: more cycles may exist."""
    note: str
    elapsed: float


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
    mapping = node_map(orgs, group_parents)
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
        stack: list[Iterator[int]] = [iter(sorted(succ[start], key=rank.__getitem__))]
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
    return CycleSearch(tuple(cycles), bounded, note, elapsed)


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
    members = members_of(mapping)
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
    for chunk in chunks(sources, 500):
        cond = and_(DEAL.c.from_org_id.in_(chunk), DEAL.c.kind.in_(DIRECTED_KINDS), DEAL.c.to_org_id.in_(targets))
        for deal_id, a, b in conn.execute(select(DEAL.c.id, DEAL.c.from_org_id, DEAL.c.to_org_id).where(cond)):
            hop = org_pairs.get((a, b))
            if hop is not None:
                hop_of[deal_id] = hop
    amount, gw = type_coerce(DEAL.c.amount, String), type_coerce(DEAL.c.capacity_gw, BigInteger)
    dated: list[tuple[Any, int]] = []
    for chunk in chunks(sorted(hop_of), 5000):
        cols = (DEAL.c.id, DEAL.c.date, DEAL.c.currency, DEAL.c.qualifier, amount, gw, DEAL.c.capacity_qualifier)
        for deal_id, date, cur, qualifier, a, g, g_q in conn.execute(select(*cols).where(DEAL.c.id.in_(chunk))):
            scaled = None if a is None else int(a)  # the stored digits (tracker.core.domain.scaled)
            sums.setdefault(hop_of[deal_id], Cell()).add_deals(scale, cur, qualifier, 1, a is not None, scaled, g, g_q)
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
