"""Drawing the ecosystem map: the canvas (boxes and arrows, the selection and a cycle highlighted), the pane
that scrolls it, the status line above it and the info panel beside it. Organisation names are data: drawn as plain text, never markup.

The pane that loads the map and moves the selection is `EcosystemMap` (tracker/ui/widgets/ecosystem_map.py);
its .tcss styles this canvas too (the `map-canvas--*` component classes). Every name is drawn through
`Graph.label` / `edge_label` / `Cycle.label` or :func:`tracker.core.domain.text.visible`: control characters
shown escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.widgets import Static

from tracker.core.analysis.cycles import Cycle, CycleSearch
from tracker.core.analysis.ecosystem import EdgeKey, Graph, describe_figures
from tracker.core.analysis.layout import Layout
from tracker.core.domain.text import visible

__all__ = ["MapCanvas", "MapScroll", "MapState", "info_text", "status_text"]


@dataclass(frozen=True)
class MapState:
    """What the map shows: the graph, its layout on the terminal, and the cycles search."""

    graph: Graph
    layout: Layout
    cycles: CycleSearch


class MapScroll(ScrollableContainer, can_focus=False, inherit_bindings=False):
    """The pane the canvas scrolls in. It leaves the arrows (and Home/End) to the map, which moves the selection
    from node to node and scrolls to keep it in view: a `ScrollableContainer` would take them first and scroll
    the pane whenever the map is larger than it. The page keys still pan."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+pageup", "page_left", "Page left", show=False),
        Binding("ctrl+pagedown", "page_right", "Page right", show=False),
    ]


class MapCanvas(Static, can_focus=True):
    """The drawing. Styles come from component classes (theme variables), text is never markup."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "map-canvas--node",
        "map-canvas--selected",
        "map-canvas--edge-selected",
        "map-canvas--cycle",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)
        self.layout_data: Layout | None = None
        self.selected: int | None = None
        self.selected_edge: EdgeKey | None = None
        self.cycle: Cycle | None = None

    def redraw(self) -> None:
        """Draw `layout_data` with the selection, the selected edge and the cycle highlighted."""
        layout = self.layout_data
        if layout is None:
            self.update(Text("loading…"))
            return
        node_style = self.get_component_rich_style("map-canvas--node")
        sel_style = self.get_component_rich_style("map-canvas--selected")
        edge_style = self.get_component_rich_style("map-canvas--edge-selected")
        cycle_style = self.get_component_rich_style("map-canvas--cycle")
        styles: dict[tuple[int, int], Style] = {}
        for n, (x, y, w, h) in layout.boxes.items():
            style = node_style
            if self.cycle is not None and n in self.cycle.nodes:
                style = cycle_style
            if n == self.selected:
                style = sel_style
            for dy in range(h):
                for dx in range(w):
                    styles[(x + dx, y + dy)] = style
        if self.cycle is not None:
            for key in self.cycle.edge_keys:
                for cell in layout.edge_cells.get(key, ()):
                    styles[cell] = cycle_style
        if self.selected_edge is not None:
            for cell in layout.edge_cells.get(self.selected_edge, ()):
                styles[cell] = edge_style
        text = Text(no_wrap=True, overflow="ignore")
        for y, row in enumerate(layout.chars):
            line = Text("".join(row).rstrip(), no_wrap=True)
            offset = 0  # one string per terminal cell ("" after a wide character): cell x starts at offset
            for x, piece in enumerate(row):
                if offset >= len(line):
                    break
                st = styles.get((x, y))
                if st is not None and piece:
                    line.stylize(st, offset, offset + len(piece))
                offset += len(piece)
            if y:
                text.append("\n")
            text.append_text(line)
        self.update(text)

    def show_selected(self) -> None:
        """Scroll the pane so the selected node is in view (as much of it as fits: its top left first)."""
        layout, pane = self.layout_data, self.parent
        if layout is None or self.selected not in layout.boxes or not isinstance(pane, MapScroll):
            return
        x, y, w, h = layout.boxes[self.selected]
        pane.scroll_to_region(Region(x, y, w, h), animate=False, spacing=None, immediate=True)

    def on_resize(self) -> None:
        """A new drawing has its size now (the pane's scroll range with it): bring the selection into view."""
        self.show_selected()


def status_text(state: MapState, top: int | None) -> Text:
    """The line above the map: sizes, the focus, the top-N cut, grouping, what is not drawn, the cycles."""
    g = state.graph
    parts = [f"{len(g.nodes)} organisations, {len(g.edges)} edges"]
    if g.focus is not None:
        parts.append(f"focus {g.label(g.focus)} ±{g.hops} hops")
    parts.append(f"top {top} by deals, then volume" if top else "all")
    if g.grouped:
        parts.append("grouped by parent")
    if g.hidden:
        parts.append(f"{g.hidden} not drawn" + (" (w names them)" if g.not_drawn else ""))
    parts.append(state.cycles.note)
    return Text(visible(" · ".join(parts)))


def info_text(state: MapState | None, canvas: MapCanvas) -> Text:
    """The panel beside the map: the selected organisation, the selected edge and the highlighted cycle."""
    if state is None:
        return Text("")
    g = state.graph
    lines: list[str] = []
    if canvas.selected is not None and canvas.selected in g.nodes:
        node = g.nodes[canvas.selected]
        lines.append(g.label(node.id) + (f" ({visible(node.country)})" if node.country else ""))
        if len(node.members) > 1:
            lines.append("includes " + ", ".join(f"#{m}" for m in node.members if m != node.id))
        for alliance in node.alliances:
            lines.append(f"alliance: {visible(alliance)}")
        lines.append(f"{len(g.incident(node.id))} edges — e: step through them")
    if canvas.selected_edge is not None:
        edge = g.edge(canvas.selected_edge)
        if edge is not None:
            lines.append("")
            lines.append(g.edge_label(edge))
            lines.append(edge.summary(g.currency))
            lines.append(f"{edge.mark} (the surest of its deals)")
            lines.append(", ".join(f"{k} {n}" for k, n in edge.kinds))
            lines.append("enter: open these deals")
    if canvas.cycle is not None:
        lines.append("")
        lines.append(canvas.cycle.label)
        lines.append("along it: " + describe_figures(canvas.cycle.total, g.currency))
    return Text(visible("\n".join(lines), lines=True))
