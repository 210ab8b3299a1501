"""Crossings of the map's layered layout against grandalf's Sugiyama layout, on the same graph.

    .venv/bin/python benchmarks/map_layout_crossings.py [--db PATH]   (default: the real data set, imported
    into a temporary file)

The map's layers and order now come from grandalf (``layout.layered_order``); before, from our own code,
kept below as the reference. Both place nodes in layers with dummy nodes for long edges and reorder layers against crossings (ours: a
greedy feedback-arc ordering, longest-path layers, four barycentre sweeps; grandalf 0.8: its own ranking
and median/barycentre ordering, ``draw(N)`` rounds). Printed per graph (the default map, each of the three
busiest organisations' neighbourhoods): layers, dummies, the crossings between adjacent layers (the
standard count: pairs of segments whose ends are in opposite order), and the time. grandalf is not a
dependency of tracker since this comparison.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import pairwise
from pathlib import Path

from tracker.core.analysis.ecosystem import Edge, Graph
from tracker.core.analysis.graph import build_graph
from tracker.core.analysis.layout import layered_order
from tracker.core.storage.opening import open_database

ROOT = Path(__file__).resolve().parent.parent


def crossings(layers: list[list[object]], segments: list[tuple[object, object]]) -> int:
    """Pairs of segments between adjacent layers whose ends are in opposite order."""
    pos = {n: (i, j) for i, layer in enumerate(layers) for j, n in enumerate(layer)}
    by_gap: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for a, b in segments:
        (la, xa), (lb, xb) = pos[a], pos[b]
        if la > lb:
            (la, xa), (lb, xb) = (lb, xb), (la, xa)
        by_gap[la].append((xa, xb))
    total = 0
    for segs in by_gap.values():
        for i in range(len(segs)):
            for k in range(i + 1, len(segs)):
                (a1, b1), (a2, b2) = segs[i], segs[k]
                if (a1 - a2) * (b1 - b2) < 0:
                    total += 1
    return total


def ours_before(graph: Graph) -> tuple[int, int, int]:
    layers, segments = before(graph)
    dummies = sum(1 for layer in layers for n in layer if n < 0)
    return len(layers), dummies, crossings([list(la) for la in layers], segments)


def now(graph: Graph) -> tuple[int, int, int]:
    order = layered_order(graph)
    dummies = sum(1 for layer in order.layers for n in layer if n < 0)
    return (
        len(order.layers),
        dummies,
        crossings([list(la) for la in order.layers], [(s[0], s[1]) for s in order.segments]),
    )


# ---- the ordering the map used before grandalf (kept here as the reference) ----
def layers_before(nodes: Sequence[int], edges: Sequence[Edge]) -> tuple[list[list[int]], list[tuple[int, int, Edge]]]:
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


def bary(neighbours: list[int], pos: Mapping[int, int], current: int) -> float:
    ps = [pos[n] for n in neighbours if n in pos]
    return sum(ps) / len(ps) if ps else float(current)


def before(graph: Graph) -> tuple[list[list[int]], list[tuple[int, int]]]:
    layers, oriented = layers_before(list(graph.nodes), list(graph.edges))
    level = {n: i for i, layer in enumerate(layers) for n in layer}
    segments: list[tuple[int, int]] = []
    dummy = -1
    for a, b, _e in oriented:
        chain = [a]
        for lv in range(level[a] + 1, level[b]):
            layers[lv].append(dummy)
            level[dummy] = lv
            chain.append(dummy)
            dummy -= 1
        chain.append(b)
        segments.extend(pairwise(chain))
    up_n: dict[int, list[int]] = defaultdict(list)
    down_n: dict[int, list[int]] = defaultdict(list)
    for u, low in segments:
        down_n[u].append(low)
        up_n[low].append(u)
    for _sweep in range(4):
        for i in range(1, len(layers)):
            pos = {n: j for j, n in enumerate(layers[i - 1])}
            here = {n: j for j, n in enumerate(layers[i])}
            layers[i].sort(key=lambda n: bary(up_n[n], pos, here[n]))
        for i in range(len(layers) - 2, -1, -1):
            pos = {n: j for j, n in enumerate(layers[i + 1])}
            here = {n: j for j, n in enumerate(layers[i])}
            layers[i].sort(key=lambda n: bary(down_n[n], pos, here[n]))
    return layers, segments


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a tracker database (default: the real data set in a temporary file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.db
        if db_path is None:
            db_path = str(Path(tmp) / "real.db")
            tracker = Path(sys.executable).parent / "tracker"
            csv = ROOT / "tests" / "data" / "circular-deals.csv"
            subprocess.run([str(tracker), "--db", db_path, "--empty", "import", str(csv)], check=True,
                           capture_output=True)  # fmt: skip
        db = open_database(db_path)
        with db.read() as conn:
            whole = build_graph(conn)
            graphs = [("default map", whole)]
            graphs += [(f"{whole.name(n)}, 1 hop", build_graph(conn, focus=n, hops=1)) for n in list(whole.nodes)[:3]]
        print(f"{'graph':<22} {'nodes':>5} {'edges':>5}  {'before: layers dummies crossings ms':>36}  "
              f"{'now (grandalf): layers dummies crossings ms':>40}")  # fmt: skip
        for name, graph in graphs:
            t0 = time.perf_counter()
            a = ours_before(graph)
            t1 = time.perf_counter()
            b = now(graph)
            t2 = time.perf_counter()
            print(f"{name:<22} {len(graph.nodes):>5} {len(graph.edges):>5}  "
                  f"{a[0]:>12} {a[1]:>7} {a[2]:>9} {(t1 - t0) * 1000:>5.0f}  "
                  f"{b[0]:>16} {b[1]:>7} {b[2]:>9} {(t2 - t1) * 1000:>5.0f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
