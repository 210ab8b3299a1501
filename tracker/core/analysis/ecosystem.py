"""The ecosystem graph as data: organisations as nodes, deals aggregated into edges. No SQL, no UI.

An edge runs in the direction of money or commitment (investor → investee, buyer → seller) or, for a
partnership, has no direction (its source is then the smaller id). Its figures keep each qualifier apart,
exactly as :mod:`tracker.core.analysis.totals` does. Built by :mod:`tracker.core.analysis.graph`; drawn by
:mod:`tracker.core.analysis.layout` and :mod:`tracker.core.analysis.render`.

Names are kept as stored (``Node.name``, for JSON); what is printed or drawn uses :meth:`Graph.label` and
:meth:`Graph.edge_label`, the names with their control characters shown escaped
(:func:`tracker.core.domain.text.visible`), so no name reaches a terminal raw.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tracker.core.analysis.figures import Figures, capacity_text
from tracker.core.domain.amount_format import format_amount
from tracker.core.domain.text import visible

EdgeKey = tuple[int, int, bool]
"""(source, target, directed); an undirected edge has source < target."""


@dataclass(frozen=True)
class Node:
    """One organisation drawn (or a parent group, with its subsidiaries as members)."""

    id: int
    name: str
    country: str | None
    members: tuple[int, ...]
    """The organisations drawn as this node: itself, plus its subsidiaries when parents are grouped."""
    weight: Decimal
    """Ranking flow in the reporting currency (all qualifiers together; never shown as a total)."""
    alliances: tuple[str, ...] = ()


CONFIDENCE_MARKS: dict[str, str] = {"confirmed": "✓", "reported": "·", "rumored": "~", "unsourced": "?"}
CONFIDENCE_LEGEND = (
    "confidence (the surest of an edge's deals): ✓ confirmed, · reported, ~ rumored only, ? unsourced; "
    "▽ △ hollow arrowheads: rumored or unsourced only"
)


@dataclass(frozen=True)
class Edge:
    """The deals between two nodes in one direction (or, undirected, the partnerships between them)."""

    source: int
    target: int
    directed: bool
    kinds: tuple[tuple[str, int], ...]
    figures: Figures
    weight: Decimal
    confidence: str = "reported"
    """The surest of its deals' confidences (schema 0011): confirmed, reported, rumored or unsourced."""

    @property
    def mark(self) -> str:
        """Its confidence as the text map marks it (:data:`CONFIDENCE_LEGEND`)."""
        return f"{CONFIDENCE_MARKS.get(self.confidence, '?')} {self.confidence}"

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
    """The nodes and edges drawn, and how the graph was cut (focus, hops, top N, parents grouped)."""

    nodes: dict[int, Node]
    """Busiest first (:func:`tracker.core.analysis.graph.busiest_first`: deal count, then flow, then name)."""
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
    """The top-N cut applied (None: every organisation)."""
    default_cut: bool = False
    """True when ``top`` is the default bound (:data:`tracker.core.analysis.graph.DEFAULT_TOP`), not asked for."""
    cut: int = 0
    """Organisations with deals between organisations that the top-N cut left out (part of ``hidden``)."""
    not_drawn: tuple[str, ...] = ()
    """Their names, busiest first (what "N not drawn" lists)."""

    def edge(self, key: EdgeKey) -> Edge | None:
        for e in self.edges:
            if e.key == key:
                return e
        return None

    def incident(self, node_id: int) -> list[Edge]:
        return [e for e in self.edges if node_id in (e.source, e.target)]

    def name(self, node_id: int) -> str:
        """The name as stored (JSON); print or draw :meth:`label`."""
        node = self.nodes.get(node_id)
        return node.name if node else f"#{node_id}"

    def label(self, node_id: int) -> str:
        """The name safe to print: control characters shown escaped."""
        return visible(self.name(node_id))

    def edge_label(self, edge: Edge) -> str:
        """``OpenAI → Oracle`` (``—`` for a partnership), safe to print."""
        arrow = " → " if edge.directed else " — "
        return self.label(edge.source) + arrow + self.label(edge.target)


def describe_figures(f: Figures, currency: str, deals: int | None = None) -> str:
    """``2 deals: ≤ $100B, 1 undisclosed, 10 GW``: each qualifier apart, then what no rate converts
    (``deals`` replaces the count of ``f``)."""
    parts = [format_amount(v, currency, q) for q, v in f.by_qualifier().items() if v]
    if f.undisclosed:
        parts.append(f"{f.undisclosed} undisclosed")
    if any(f.capacity_by_qualifier().values()):
        parts.append(f"{capacity_text(f)} GW")
    for c, amount, _n in f.unrated:
        parts.append(f"{format_amount(amount, c, 'exact')} (no rate)")
    n = f.deals if deals is None else deals
    return f"{n} deal{'s' if n != 1 else ''}: " + (", ".join(parts) if parts else "nothing disclosed")
