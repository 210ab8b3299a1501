"""The ecosystem graph drawn for the terminal: layered boxes, orthogonal edges, on a grid of terminal cells.

Layers, dummy nodes for long edges and the order within layers come from grandalf's Sugiyama layout
(``layered_order``); the drawing is ours (netext took 210 s to lay out 300 nodes and phart drew them 1,234
columns wide with merged, arrow-less edges): ports that never share a column, channels packed as intervals. Each
cell remembers the edges through it and each box its node, for the map's selection and highlighting. A
dense graph draws its heaviest ``MAX_DRAWN_EDGES`` edges and says how many it left out.

The grid is one string per terminal cell, measured by Rich's ``cell_len`` (the width the terminal gives):
a wide character (CJK, most emoji) fills its cell and leaves the next one ``""``, a combining mark or a
zero-width character joins the cell before it. So ``"".join(row)`` is the row as printed and every box is
as wide on screen as its border, whatever the script of the name inside it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rich.cells import cell_len

from tracker.core.analysis.cells import cells_of, clip
from tracker.core.analysis.ecosystem import Edge, EdgeKey, Graph

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
"""The widest label drawn in a box, in terminal cells (a longer name is cut with …)."""
MAX_DRAWN_EDGES = 120
ORDERING_ROUNDS = 4
"""grandalf's up-and-down ordering sweeps (more cost time and rarely remove a crossing on our maps)."""


@dataclass
class Layout:
    """A drawing on a character grid; remembers which node and which edges own each cell."""

    width: int
    height: int
    chars: list[list[str]]
    """One string per terminal cell: a character (with any marks that combine with it), or ``""`` for the
    right half of a wide character."""
    boxes: dict[int, tuple[int, int, int, int]]
    """node id → (x, y, width, height)."""
    edge_cells: dict[EdgeKey, list[tuple[int, int]]]
    layers: list[list[int]]
    """Node ids by layer (top to bottom), left to right: the order keyboard navigation follows."""
    legend: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The grid as text lines, trailing blanks dropped."""
        return ["".join(row).rstrip() for row in self.chars]


Segment = tuple[int, int, EdgeKey, bool, bool]
"""One layer-to-layer piece of an edge: upper node, lower node (negative ids are dummies), the edge, an
arrow at the lower end, an arrow at the upper end."""


@dataclass
class Ordering:
    """The layered graph before coordinates: node ids by layer (dummies negative), left to right."""

    layers: list[list[int]]
    level: dict[int, int]
    segments: list[Segment]
    drawn: list[Edge]


class _BoxView:
    w, h = 10, NODE_HEIGHT


def layered_order(graph: Graph, *, max_edges: int = MAX_DRAWN_EDGES, rounds: int = ORDERING_ROUNDS) -> Ordering:
    """Layers, dummy nodes for long edges and the order within each layer, by grandalf's Sugiyama layout
    (ranking, feedback edges inverted, median/barycentre ordering for ``rounds`` up-and-down sweeps).

    Compared on the real data set (``benchmarks/map_layout_crossings.py``), it leaves fewer crossings than
    the greedy feedback-arc layers and four barycentre sweeps drawn before (the default map: 149 against
    188; NVIDIA's neighbourhood: 71 against 84), for one or two more layers. Each connected component is
    laid out on its own and placed beside the others, layer by layer."""
    from grandalf.graphs import Edge as GEdge
    from grandalf.graphs import Graph as GGraph
    from grandalf.graphs import Vertex
    from grandalf.layouts import SugiyamaLayout

    drawn = list(graph.edges)
    if len(drawn) > max_edges:  # a dense graph: draw the heaviest edges, say how many are left out
        drawn = sorted(drawn, key=lambda e: (-e.weight, -e.deals))[:max_edges]

    class StableVertex(Vertex):
        """Hashed by node id: grandalf keeps vertices and edges in sets, whose order would otherwise follow
        memory addresses and change the drawing from run to run."""

        def __hash__(self) -> int:
            return int(self.data)

    class StableEdge(GEdge):
        def __init__(self, x: Vertex, y: Vertex, index: int) -> None:
            super().__init__(x, y)
            self.index = index

        def __hash__(self) -> int:
            return self.index

    vertex = {n: StableVertex(n) for n in graph.nodes}
    for v in vertex.values():
        v.view = _BoxView()  # grandalf asks every vertex for a size; our coordinates come later
    edge_of: dict[int, Edge] = {}
    g_edges: list[StableEdge] = []
    for e in drawn:
        if e.source != e.target:
            ge = StableEdge(vertex[e.source], vertex[e.target], len(g_edges))
            edge_of[id(ge)] = e
            g_edges.append(ge)
    layers: list[list[int]] = []
    level: dict[int, int] = {}
    segments: list[Segment] = []
    next_dummy = -1
    for component in GGraph(list(vertex.values()), g_edges).C:
        sug = SugiyamaLayout(component)
        sug.init_all()
        for _ in range(rounds):
            for _step in sug.ordering_step():
                pass
        ids: dict[int, int] = {}  # id(grandalf vertex) -> our node id (dummies negative)
        for lv, layer in enumerate(sug.layers):
            while len(layers) <= lv:
                layers.append([])
            for v in layer:
                if id(v) not in ids:
                    if isinstance(v, Vertex):
                        ids[id(v)] = v.data
                    else:
                        ids[id(v)] = next_dummy
                        next_dummy -= 1
                layers[lv].append(ids[id(v)])
                level[ids[id(v)]] = lv
        for ge in component.sE:
            e = edge_of[id(ge)]
            ctrl = sug.ctrls.get(ge) or {sug.grx[v].rank: v for v in ge.v}
            chain = [ids[id(ctrl[r])] for r in sorted(ctrl)]
            forward = chain[0] == e.source
            for i in range(len(chain) - 1):
                down_arrow = e.directed and forward and i == len(chain) - 2
                up_arrow = e.directed and not forward and i == 0
                segments.append((chain[i], chain[i + 1], e.key, down_arrow, up_arrow))
    return Ordering(layers, level, segments, drawn)


def layout_graph(graph: Graph, *, max_edges: int = MAX_DRAWN_EDGES) -> Layout:
    """Lay the graph out top-down: one row of boxes per layer, edges routed in the channels between rows.

    Styling belongs to the caller: every cell is attributed to the edges drawn through it."""
    nodes = list(graph.nodes)
    ordering = layered_order(graph, max_edges=max_edges)
    layers, level, segments, drawn = ordering.layers, ordering.level, ordering.segments, ordering.drawn
    # widths: ports on the bottom at odd offsets, on the top at even offsets, so an incoming and an
    # outgoing vertical never share a column
    outs: dict[int, list[int]] = defaultdict(list)
    ins: dict[int, list[int]] = defaultdict(list)
    for idx, (u, low, _k, _d, _a) in enumerate(segments):
        outs[u].append(idx)
        ins[low].append(idx)
    labels = {n: _clip(graph.label(n)) for n in nodes}
    widths: dict[int, int] = {}
    for layer in layers:
        for n in layer:
            if n < 0:
                widths[n] = 2
            else:
                ports = max(len(outs[n]), len(ins[n]))
                w = max(cell_len(labels[n]) + 4, 2 * ports + 3)
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
    hollow = {e.key for e in graph.edges if e.confidence in ("rumored", "unsourced")}  # ▽ △: no firmer source

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
            arrows[(x1, bottom)] = "▽" if key in hollow else "▼"
        if up_arrow:
            arrows[(x0, top)] = "△" if key in hollow else "▲"
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
            label = cells_of(labels[n])
            inner = w - 2
            pad = (inner - len(label)) // 2
            rows = [["┌", *"─" * inner, "┐"], ["│", *" " * pad, *label, *" " * (inner - pad - len(label)), "│"],
                    ["└", *"─" * inner, "┘"]]  # fmt: skip
            for dy, row in enumerate(rows):
                for dx, ch in enumerate(row):
                    chars[yy + dy][x + dx] = ch
            boxes[n] = (x, yy, w, NODE_HEIGHT)
    real_layers = [[n for n in layer if n >= 0] for layer in layers]
    legend = []
    if len(drawn) < len(graph.edges):
        legend.append(f"({len(graph.edges) - len(drawn)} lighter edges not drawn; every edge is listed below)")
    return Layout(total_width, height, chars, boxes, dict(edge_cells), [la for la in real_layers if la], legend)


def _clip(name: str) -> str:
    """One line, at most MAX_LABEL terminal cells, cut with …."""
    return clip(" ".join(name.split()), MAX_LABEL)
