"""The ecosystem map pane (`m`): loading the graph, keyboard navigation, the cycles list.

All database work runs in thread workers; results come back as messages. The drawing (the canvas, the
status line, the info panel) is tracker/ui/widgets/map_canvas.py; names are drawn as plain text.

Keys: arrows / hjkl move from node to node, and the pane scrolls to keep the selected one in view (the pane,
`MapScroll`, leaves the arrows to the map; PgUp/PgDn pan it); `e` / `E` step through the selected node's edges;
`enter` opens the deals behind the selected edge (posts `EcosystemMap.OpenDeals`); `o` shows the
organisation in the deals table (posts `EcosystemMap.ShowOrg`); `f` focuses the map on the selected
organisation (again: the whole map); `+` / `-` change the hops around the focus; `n` cycles the
top-N cut (20, 50, all); `g` rolls organisations up into their parents; `c` moves to the cycles
list, where highlighting a cycle highlights it on the map and `enter` opens its deals; `r` reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tracker.core.analysis.cycles import find_cycles
from tracker.core.analysis.ecosystem import EdgeKey, Graph
from tracker.core.analysis.graph import build_graph, edge_deal_ids
from tracker.core.analysis.layout import Layout, layout_graph
from tracker.core.analysis.render import not_drawn_text
from tracker.core.domain.text import visible
from tracker.core.storage.handle import Database
from tracker.ui.messages import ShowDeals, ShowOrganization
from tracker.ui.widgets.map_canvas import MapCanvas, MapScroll, MapState, info_text, status_text

__all__ = ["EcosystemMap"]

TOP_CHOICES: tuple[int | None, ...] = (20, 50, None)
DbSource = Database | Callable[[], Database]


class EcosystemMap(Widget):
    """The ecosystem map. ``db``: a Database, or a callable returning one (called in a worker)."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    HELP_TITLE = "Map"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move('left')", "Node ←", id="map.left", tooltip="Previous node in this row"),
        Binding("right,l", "move('right')", "Node →", id="map.right", tooltip="Next node in this row"),
        Binding("up,k", "move('up')", "Up", show=False, id="map.up"),
        Binding("down,j", "move('down')", "Down", show=False, id="map.down"),
        Binding("e", "next_edge(1)", "Edge", id="map.edge", tooltip="Next edge of the selected node"),
        Binding("E", "next_edge(-1)", "Prev edge", show=False, id="map.edge_back"),
        Binding("enter", "open_edge", "Deals", id="map.open", tooltip="Open the deals behind the edge"),
        Binding("o", "show_org", "In table", id="map.show_org", tooltip="Show the organisation's deals"),
        Binding("f", "focus_org", "Focus", id="map.focus", tooltip="Only this organisation's neighbourhood"),
        Binding("plus,equals_sign", "hops(1)", "Hops+", show=False, id="map.hops_up"),
        Binding("minus", "hops(-1)", "Hops-", show=False, id="map.hops_down"),
        Binding("n", "cycle_top", "Top N", id="map.top", tooltip="Top 20 / 50 / all organisations by flow"),
        Binding("g", "group", "Group", id="map.group", tooltip="Roll organisations into their parents"),
        Binding("c", "cycles", "Cycles", id="map.cycles", tooltip="The list of circular flows"),
        Binding(
            "w",
            "not_drawn",
            "Not drawn",
            show=False,
            id="map.not_drawn",
            tooltip="Name the organisations the top-N cut left out",
        ),
        Binding("r", "reload", "Reload", show=False, id="map.reload"),
    ]

    class OpenDeals(ShowDeals):
        """Show these deals (behind an edge or a cycle) in the deals table."""

    class ShowOrg(ShowOrganization):
        """Filter the deals table by this organisation."""

    @dataclass
    class _Loaded(Message, bubble=False):
        """The map was (re)loaded; ``state`` is None when loading failed (``error`` says why)."""

        state: MapState | None
        error: str | None = None

    def __init__(
        self,
        db: DbSource,
        *,
        top: int | None = 50,
        hops: int = 1,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._source = db
        self.focus_org: int | None = None
        self.hops = hops
        self.top = top
        self.group_parents = False
        self.state: MapState | None = None

    # ---------------------------------------------------------------- composition and loading

    def compose(self) -> ComposeResult:
        yield Static(Text("loading the map…"), id="map-status", markup=False)
        with Horizontal(id="map-body"):
            with MapScroll(id="map-scroll"):
                yield MapCanvas(id="map-canvas")
            with Vertical(id="map-side"):
                yield Static(Text(""), id="map-info", markup=False)
                yield Static(Text("Cycles (c)"), id="map-cycles-title", markup=False)
                yield OptionList(id="map-cycles")

    def on_mount(self) -> None:
        self.query_one(MapCanvas).focus()
        self.reload()

    @property
    def canvas(self) -> MapCanvas:
        return self.query_one(MapCanvas)

    def _database(self) -> Database:
        return self._source if isinstance(self._source, Database) else self._source()

    def reload(self) -> None:
        self._load(self.focus_org, self.hops, self.top, self.group_parents)

    @work(thread=True, exclusive=True, group="map-load", exit_on_error=False)
    def _load(self, focus: int | None, hops: int, top: int | None, group: bool) -> None:
        try:
            db = self._database()
            with db.read() as conn:
                graph = build_graph(conn, focus=focus, hops=hops, top=top, group_parents=group, everything=top is None)
                cycles = find_cycles(conn, nodes=list(graph.nodes), group_parents=group)
            state = MapState(graph, layout_graph(graph), cycles)
        except Exception as exc:  # shown in the pane; the app stays up
            self.post_message(self._Loaded(None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(self._Loaded(state))

    @on(_Loaded)
    def _on_loaded(self, message: _Loaded) -> None:
        if message.state is None:
            self.query_one("#map-status", Static).update(Text(visible(f"could not load the map: {message.error}")))
            return
        previous = self.canvas.selected
        self.state = message.state
        canvas = self.canvas
        canvas.layout_data = message.state.layout
        nodes = message.state.graph.nodes
        canvas.selected = previous if previous in nodes else (self.focus_org if self.focus_org in nodes else None)
        if canvas.selected is None and nodes:
            canvas.selected = next(iter(nodes))  # the busiest: most deals, then most volume (graph.busiest_first)
        canvas.selected_edge = None
        canvas.cycle = None
        options = self.query_one("#map-cycles", OptionList)
        options.clear_options()
        options.add_options(Option(Text(c.label), id=str(i)) for i, c in enumerate(message.state.cycles.cycles))
        self._refresh_view()

    # ---------------------------------------------------------------- showing

    def _refresh_view(self) -> None:
        state = self.state
        canvas = self.canvas
        canvas.redraw()
        if state is None:
            return
        self.query_one("#map-status", Static).update(status_text(state, self.top))
        self.query_one("#map-info", Static).update(info_text(state, canvas))
        canvas.show_selected()  # and again once a new drawing has its size (MapCanvas.on_resize)

    # ---------------------------------------------------------------- actions

    def action_move(self, direction: str) -> None:
        state = self.state
        canvas = self.canvas
        if state is None or canvas.selected is None:
            return
        layers = state.layout.layers
        where = next(((i, row.index(canvas.selected)) for i, row in enumerate(layers) if canvas.selected in row), None)
        if where is None:
            return
        i, j = where
        target: int | None = None
        if direction in ("left", "right"):
            row = layers[i]
            j2 = j + (1 if direction == "right" else -1)
            if 0 <= j2 < len(row):
                target = row[j2]
            else:  # wrap into the next / previous row
                i2 = i + (1 if direction == "right" else -1)
                if 0 <= i2 < len(layers):
                    target = layers[i2][0 if direction == "right" else -1]
        else:
            i2 = i + (1 if direction == "down" else -1)
            if 0 <= i2 < len(layers):
                x, _y, w, _h = state.layout.boxes[canvas.selected]
                centre = x + w / 2
                target = min(layers[i2], key=lambda n: abs(_centre(state.layout, n) - centre))
        if target is not None:
            canvas.selected = target
            canvas.selected_edge = None
            self._refresh_view()

    def action_next_edge(self, step: int) -> None:
        state = self.state
        canvas = self.canvas
        if state is None or canvas.selected is None:
            return
        edges = state.graph.incident(canvas.selected)
        if not edges:
            return
        keys = [e.key for e in edges]
        if canvas.selected_edge in keys:
            canvas.selected_edge = keys[(keys.index(canvas.selected_edge) + step) % len(keys)]
        else:
            canvas.selected_edge = keys[0 if step > 0 else -1]
        self._refresh_view()

    def action_open_edge(self) -> None:
        state = self.state
        canvas = self.canvas
        if state is None:
            return
        if canvas.selected_edge is None:
            self.action_next_edge(1)
        key = canvas.selected_edge
        if key is None:
            return
        edge = state.graph.edge(key)
        title = state.graph.edge_label(edge) if edge else "deals"
        self._open_deals(state.graph, key, title)

    @work(thread=True, group="map-deals", exit_on_error=False)
    def _open_deals(self, graph: Graph, key: EdgeKey, title: str) -> None:
        with self._database().read() as conn:
            ids = edge_deal_ids(conn, graph, key)
        self.post_message(self.OpenDeals(tuple(ids), title))

    def action_show_org(self) -> None:
        selected = self.canvas.selected
        if selected is not None:
            self.post_message(self.ShowOrg(selected))

    def action_focus_org(self) -> None:
        selected = self.canvas.selected
        self.focus_org = None if self.focus_org == selected else selected
        self.reload()

    def action_hops(self, step: int) -> None:
        self.hops = max(1, min(self.hops + step, 6))
        if self.focus_org is not None:
            self.reload()

    def action_cycle_top(self) -> None:
        i = TOP_CHOICES.index(self.top) if self.top in TOP_CHOICES else -1
        self.top = TOP_CHOICES[(i + 1) % len(TOP_CHOICES)]
        self.reload()

    def action_group(self) -> None:
        self.group_parents = not self.group_parents
        self.reload()

    def action_cycles(self) -> None:
        self.query_one("#map-cycles", OptionList).focus()

    def action_not_drawn(self) -> None:
        """Name the organisations the top-N cut left out (busiest first), or say none were."""
        if self.state is None:
            return
        listed = not_drawn_text(self.state.graph)
        self.notify(listed or "every organisation with deals between organisations is drawn", markup=False)

    def action_reload(self) -> None:
        self.reload()

    def select_cycle(self, index: int | None) -> None:
        """Highlight cycle ``index`` of the list on the map (None: no cycle)."""
        state = self.state
        if state is None:
            return
        cycles = state.cycles.cycles
        self.canvas.cycle = cycles[index] if index is not None and 0 <= index < len(cycles) else None
        self._refresh_view()

    @on(OptionList.OptionHighlighted, "#map-cycles")
    def _cycle_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.select_cycle(int(event.option.id) if event.option.id is not None else None)

    @on(OptionList.OptionSelected, "#map-cycles")
    def _cycle_selected(self, event: OptionList.OptionSelected) -> None:
        self.select_cycle(int(event.option.id) if event.option.id is not None else None)
        cycle = self.canvas.cycle
        if cycle is not None:
            self.post_message(self.OpenDeals(cycle.deal_ids, cycle.label))


def _centre(layout: Layout, node: int) -> float:
    x, _y, w, _h = layout.boxes[node]
    return x + w / 2
