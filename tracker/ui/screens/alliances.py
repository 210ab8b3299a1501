"""`n`: alliances with their members and deals. Enter shows the alliance's deals in the main table (the screen
returns a `ShowAlliance`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tracker.core.domain.text import visible
from tracker.ui.messages import ShowAlliance
from tracker.ui.screens.organizations import CSS
from tracker.ui.widgets.detail_pane import DetailPane
from tracker.ui.widgets.footer import TrackerFooter
from tracker.ui.widgets.list_table import ListTable

if TYPE_CHECKING:
    from tracker.core.records.alliances import AllianceSummary
    from tracker.core.storage.handle import Database


class AlliancesScreen(Screen[ShowAlliance | None]):
    """Alliances, alphabetical, and the highlighted one's members, deals and description."""

    DEFAULT_CSS = CSS
    HELP_TITLE = "Alliances"
    FOOTER_KEYS: ClassVar[tuple[str, ...]] = ("list.select", "alliances.back")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="alliances.back"),
    ]

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self._items: dict[int, AllianceSummary] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text("Alliances — enter shows their deals, esc goes back"), classes="list-title")
        with Horizontal(classes="list-body"):
            table = ListTable(id="alliances", cursor_type="row", zebra_stripes=True)
            table.add_columns("Alliance", "Members", "Deals")
            yield table
            yield DetailPane("Loading…", id="alliance-detail")
        yield TrackerFooter()

    def on_mount(self) -> None:
        self.query_one("#alliances", DataTable).focus()
        self._load()

    @work(thread=True, exclusive=True, group="alliances", exit_on_error=False)
    def _load(self) -> None:
        from tracker.core.records.alliances import list_alliances

        try:
            with self.db.read() as conn:
                items = list_alliances(conn)
        except Exception as exc:
            self.app.call_from_thread(self.query_one("#alliance-detail", DetailPane).show, f"Could not load: {exc}")
            return
        self.app.call_from_thread(self._fill, items)

    def _fill(self, items: list[AllianceSummary]) -> None:
        table = self.query_one("#alliances", DataTable)
        table.clear()
        self._items = {a.id: a for a in items}
        for a in items:
            table.add_row(
                Text(visible(a.name)),
                Text(str(len(a.members)), justify="right"),
                Text(str(a.deal_count), justify="right"),
                key=str(a.id),
            )
        if not items:
            self.query_one("#alliance-detail", DetailPane).show("No alliances yet: link a deal with l.")

    @on(DataTable.RowHighlighted, "#alliances")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        from tracker.ui.formatting import alliance_text

        item = self._items.get(int(event.row_key.value or 0))
        if item is not None:
            self.query_one("#alliance-detail", DetailPane).show(alliance_text(item))

    @on(DataTable.RowSelected, "#alliances")
    def _selected(self, event: DataTable.RowSelected) -> None:
        item = self._items.get(int(event.row_key.value or 0))
        if item is not None:
            self.post_message(ShowAlliance(item.id, item.name))  # the app opens them

    def action_back(self) -> None:
        self.dismiss(None)
