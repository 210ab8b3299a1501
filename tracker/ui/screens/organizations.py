"""`o`: organisations, busiest first, with deals in and out, aliases, parent and alliances.

Enter shows the organisation's deals in the main table (the screen returns a `ShowOrganization`). Names
are `Text`, never markup, with control characters shown escaped.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from tracker.core.domain.text import visible
from tracker.ui.messages import ShowOrganization
from tracker.ui.widgets.detail_pane import DetailPane

if TYPE_CHECKING:
    from tracker.core.storage.handle import Database

CSS = Path(__file__).with_name("lists.tcss").read_text(encoding="utf-8")


class OrganizationsScreen(Screen[ShowOrganization | None]):
    """A searchable list of organisations and the highlighted one's summary."""

    DEFAULT_CSS = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="orgs.back"),
        Binding("slash", "search", "Search", id="orgs.search"),
    ]

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self._names: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text("Organisations — enter shows their deals, esc goes back"), classes="list-title")
        yield Input(placeholder="search names and aliases (/)", id="org-search", compact=True)
        with Horizontal(classes="list-body"):
            table: DataTable[Any] = DataTable(id="orgs", cursor_type="row", zebra_stripes=True)
            table.add_columns("Organisation", "Country", "Out", "In")
            yield table
            yield DetailPane("Loading…", id="org-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#orgs", DataTable).focus()
        self._load("")

    @on(Input.Changed, "#org-search")
    def _search(self, event: Input.Changed) -> None:
        self._load(event.value)

    @on(Input.Submitted, "#org-search")
    def _search_done(self) -> None:
        self.query_one("#orgs", DataTable).focus()

    @work(thread=True, exclusive=True, group="orgs", exit_on_error=False)
    def _load(self, text: str) -> None:
        from tracker.core.records.orgs import list_orgs

        try:
            with self.db.read() as conn:
                items = list_orgs(conn, text)
        except Exception as exc:
            self.app.call_from_thread(self.query_one("#org-detail", DetailPane).show, f"Could not load: {exc}")
            return
        self.app.call_from_thread(self._fill, items)

    def _fill(self, items: list[Any]) -> None:
        table = self.query_one("#orgs", DataTable)
        table.clear()
        self._names = {}
        for item in items:
            self._names[item.id] = item.name
            table.add_row(
                Text(visible(item.name)),
                Text(visible(item.country or "")),
                Text(str(item.deals_out), justify="right"),
                Text(str(item.deals_in), justify="right"),
                key=str(item.id),
            )
        if not items:
            self.query_one("#org-detail", DetailPane).show("No organisation matches.")

    @on(DataTable.RowHighlighted, "#orgs")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._load_detail(int(event.row_key.value))

    @work(thread=True, exclusive=True, group="org-detail", exit_on_error=False)
    def _load_detail(self, org_id: int) -> None:
        from tracker.core.records.orgs import org_summary
        from tracker.ui.formatting import org_text

        try:
            with self.db.read() as conn:
                summary = org_summary(conn, org_id)
            text: Text | str = org_text(summary) if summary else "No such organisation."
        except Exception as exc:
            text = f"Could not load: {exc}"
        self.app.call_from_thread(self.query_one("#org-detail", DetailPane).show, text)

    @on(DataTable.RowSelected, "#orgs")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            org_id = int(event.row_key.value)
            self.dismiss(ShowOrganization(org_id, self._names.get(org_id, f"#{org_id}")))

    def action_search(self) -> None:
        self.query_one("#org-search", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#orgs", DataTable).focus()
            return
        self.dismiss(None)
