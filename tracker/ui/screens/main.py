"""The main screen: filter bar, the deals table, the detail pane, the status line and the footer.

Deal actions (filter, add, edit, delete, link, sort) live here; the database, the undo stack and
the other screens belong to the app. Every database call runs in a thread worker.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal

from tracker.core.domain.text import visible
from tracker.ui.screens.deal_copy import DealCopyKeys
from tracker.ui.screens.main_views import ViewKeys
from tracker.ui.sources.query import DealQuery, FilterSpec
from tracker.ui.widgets.deals_table import DealsTable
from tracker.ui.widgets.detail_pane import DetailPane
from tracker.ui.widgets.filter_bar import FilterBar
from tracker.ui.widgets.footer import TrackerFooter
from tracker.ui.widgets.paged_table import PagedTable
from tracker.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from tracker.core.storage.handle import Database
    from tracker.ui.app import TrackerApp
    from tracker.ui.sources.deals import DealSource
    from tracker.ui.widgets.table_data import PageSource

NARROW = 130
"""Below this width the detail pane goes under the table instead of beside it."""

EMPTY_DATABASE = "No deals yet: a adds one, or run  tracker import FILE  in a shell (ctrl+p lists every command)."
NO_MATCH = "No deals match (escape clears the filter)"


class MainScreen(DealCopyKeys, ViewKeys):
    """Browse, search and change deals. The app's first screen holds every deal; a screen pushed over a view
    (the deals behind a map edge, an organisation's deals) holds its ``scope`` and escape goes back."""

    HELP_TITLE = "Deals"
    FOOTER_KEYS: ClassVar[tuple[str, ...]] = (
        "paged-table.select", "main.filter", "main.add", "main.edit", "main.delete", "app.map", "app.totals",
        "app.organisations", "app.alliances", "app.undo", "main.link", "main.sort", "app.refresh", "main.back",
    )  # fmt: skip
    """The footer's keys, most used first (tracker/ui/keys.py): what fits the width, then ? and quit."""
    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="main.filter", tooltip="Search names, aliases, descriptions"),
        Binding("a", "add_deal", "Add", id="main.add", tooltip="Add a deal"),
        Binding("e", "edit_deal", "Edit", id="main.edit", tooltip="Edit the highlighted deal"),
        Binding("d", "delete_deal", "Delete", id="main.delete", tooltip="Delete the highlighted deal (asks first)"),
        Binding("l", "link", "Link", id="main.link", tooltip="Link the deal to an alliance or another deal"),
        Binding("s", "cycle_sort", "Sort", id="main.sort", tooltip="Sort by the next column"),
        Binding("S,shift+s", "reverse_sort", "Reverse", show=False, id="main.reverse", tooltip="Reverse the sort"),
        Binding("escape", "back", "Back", id="main.back", tooltip="Clear the filter, or back where you came from"),
        Binding(
            "E,shift+e",
            "extract_text",
            "Extract",
            id="main.extract",
            show=False,
            tooltip="Propose deals from an article's text",
        ),
    ]

    def __init__(self, scope: DealQuery | None = None) -> None:
        super().__init__()
        self.scope = scope
        """The query this screen was opened with (None: the app's first screen, every deal)."""
        self.deal_query = scope or DealQuery()
        self._applied: tuple[Any, ...] | None = None
        self._detail_for: int | None = None
        self._first_data = False

    @property
    def tracker(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield FilterBar(id="filter-bar")
        with Horizontal(id="body"):
            yield DealsTable(id="deals", loading_text="Opening database…", empty_text="No deals match")
            yield DetailPane("Highlight a deal to see everything about it.", id="detail")
        yield StatusLine(id="status")
        yield TrackerFooter()

    @property
    def table(self) -> PagedTable:
        return self.query_one("#deals", PagedTable)

    @property
    def detail(self) -> DetailPane:
        return self.query_one("#detail", DetailPane)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one("#filter-bar", FilterBar)

    def on_mount(self) -> None:
        if self.scope is None:  # the app's first screen: the default columns (the settings file's `columns`)
            self.deal_query = replace(self.deal_query, columns=self.tracker.default_columns)
        self.table.focus()
        self._layout(self.app.size.width)
        if self.scope is not None and self.tracker.db is not None:
            self.database_ready(self.tracker.db)
            return
        self.tracker.show_ready_preview()  # the newest deals in the first frame, when already read

    def on_resize(self) -> None:
        self._layout(self.size.width)

    def _layout(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")

    # ---------------------------------------------------------------- data

    def show_preview(self, source: PageSource) -> None:
        """The newest deals before the database is open (see tracker.core.records.firstpage); replaced by the real
        source in `database_ready`. Only for the opening view: newest first, no filter."""
        q = self.deal_query
        if self.tracker.db is not None or q.sort != "date" or not q.descending or q.spec.active or q.scoped:
            return
        table = self.table
        table.sort_column = q.sort
        table.sort_reverse = q.descending
        table.set_source(with_columns(source, q.columns))

    def show_search_preview(self, text: str, source: PageSource) -> None:
        """The deals of a search typed before the database is open (see DatabaseApp.search_before_open), if the
        query is still that search alone."""
        q = self.deal_query
        if self.tracker.db is not None or q.spec != FilterSpec(text=text) or q.scoped:
            return
        if q.sort != "date" or not q.descending:
            return
        self.table.set_source(with_columns(source, q.columns))

    def database_ready(self, db: Database) -> None:
        self.tracker.load_views()
        if db.label is not None:  # the as-of mode (tracker/ui/asof.py): said first
            self.status.set_state(database="", as_of=db.label)
        else:
            self.status.set_state(database=db.display + (" · read-only" if db.read_only else ""), as_of="")
        self.apply_query(force=True)

    def database_failed(self, message: str) -> None:
        message = visible(message)
        table = self.table
        table.loading_text = "No database: " + message
        table.refresh()
        self.status.show_problem("No database: " + message + " — q quits")
        self.detail.show("")

    def apply_query(self, query: DealQuery | None = None, *, force: bool = False) -> None:
        """Show deals under `query` (a new source; the table drops results of the old one)."""
        if query is not None:
            self.deal_query = query
        db = self.tracker.db
        q = self.deal_query
        if db is None and q.spec.text and q.spec == FilterSpec(text=q.spec.text) and not q.scoped:
            self.tracker.search_before_open(q.spec.text)  # the first second after start
        if db is None or (not force and q.key() == self._applied):
            return
        from tracker.ui.sources.deals import DealSource

        self._applied = q.key()
        table = self.table
        table.sort_column = q.sort
        table.sort_reverse = q.descending
        # what the table says until the first rows of this query arrive (a rare word at 1M takes seconds)
        table.loading_text = f"Searching {q.describe()}…" if q.spec.active or q.scoped else "Loading deals…"
        table.empty_text = NO_MATCH if q.active else EMPTY_DATABASE
        table.set_source(DealSource(db, q))
        self.status.set_state(count=-1, filter=q.describe(), sort=self._sort_text())
        self.filter_bar.set_class(q.spec.active or self.filter_bar.has_class("-shown"), "-shown")

    def _sort_text(self) -> str:
        q = self.deal_query
        return f"{q.sort} {'▼' if q.descending else '▲'}"

    def refresh_data(self) -> None:
        """Re-read the current query (after a change, or `r`): keeps the cursor where it is."""
        if self.tracker.db is None:
            return
        self.tracker.load_views()  # another user's views too
        self.table.refresh_data()
        self._detail_for = None
        row = self.table.current_row
        if row is not None:
            self._load_detail(row.id)

    @on(PagedTable.RowHighlighted, "#deals")
    def _highlighted(self, event: PagedTable.RowHighlighted) -> None:
        source = event.table.source
        if getattr(source, "capped", False):
            # A text filter over many deals: "1,000+" now, the exact count after typing pauses.
            self.status.set_state(count=event.table.row_count - 1, more=True)
            deals = cast("DealSource", source)  # only a DealSource is ever capped (not imported: SQLAlchemy)
            if not deals.exact_pending:
                deals.exact_pending = True
                self.set_timer(0.3, lambda: self._count_exactly(deals))
        else:
            self.status.set_state(count=event.table.row_count, more=False)
        if not self._first_data:
            self._first_data = True
            self.tracker.first_data_shown()
        if event.row is None:
            if event.table.row_count == 0:
                self._detail_for = None
                self.detail.show("No deal highlighted.")
            return
        if event.row.id != self._detail_for:
            self._load_detail(event.row.id)

    @work(thread=True, exclusive=True, group="exact-count", exit_on_error=False)
    def _count_exactly(self, source: DealSource) -> None:
        if self.table.source is not source or not source.capped:
            return  # the user typed on: a newer query replaced this one
        try:
            source.count_exactly()
        except Exception:
            return  # the capped count stays on screen
        self.app.call_from_thread(self._exact_count_ready, source)

    def _exact_count_ready(self, source: DealSource) -> None:
        if self.table.source is source:
            self.table.refresh_data()  # count() now answers the exact figure at once
            self.status.set_state(count=source.exact_count, more=False)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _load_detail(self, deal_id: int) -> None:
        db = self.tracker.db
        if db is None:
            return  # still opening (the first page is a preview): the real source highlights the row again
        from tracker.core.records.details import get_deal
        from tracker.ui.formatting import deal_text

        try:
            with db.read() as conn:
                detail = get_deal(conn, deal_id)
            text = deal_text(detail) if detail else Text(f"Deal #{deal_id} no longer exists (r refreshes).")
        except Exception as exc:
            text = Text(visible(f"Could not load deal #{deal_id}: {exc}"))
        self.app.call_from_thread(self._show_detail, deal_id, text)

    def _show_detail(self, deal_id: int, text: Text) -> None:
        row = self.table.current_row
        if row is not None and row.id != deal_id:
            return  # the cursor moved on: a newer load is coming
        self._detail_for = deal_id
        self.detail.show(text)

    @on(PagedTable.RowSelected, "#deals")
    def _selected(self, event: PagedTable.RowSelected) -> None:
        self.tracker.open_deal_view(event.row.id)

    def action_open_deal(self) -> None:
        deal_id = self.highlighted_id()
        if deal_id is not None:
            self.tracker.open_deal_view(deal_id)

    @on(PagedTable.HeaderSelected, "#deals")
    def _header(self, event: PagedTable.HeaderSelected) -> None:
        from tracker.core.domain.vocab import DESCENDING_FIRST, SORT_KEYS

        key = event.column.key
        if key not in SORT_KEYS:
            return
        q = self.deal_query
        descending = not q.descending if q.sort == key else key in DESCENDING_FIRST
        self.apply_query(replace(q, sort=key, descending=descending))

    # ---------------------------------------------------------------- filter and sort

    async def action_filter(self) -> None:
        await self.filter_bar.build()
        self.filter_bar.add_class("-shown")
        self.filter_bar.focus_text()

    @on(FilterBar.Changed)
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        q = self.deal_query
        if q.deal_ids is not None:
            q = q.unscoped()  # typing a filter leaves "deals from the map"
        self.apply_query(replace(q, spec=event.spec, kinds=() if event.spec.kind else q.kinds))

    @on(FilterBar.Done)
    def _filter_done(self) -> None:
        self.table.focus()

    def action_back(self) -> None:
        if self.focused is self.detail:
            self.table.focus()
            return
        if self.scope is not None:
            if self.deal_query.spec.active:  # a filter typed here: back to what this screen was opened with
                self.filter_bar.clear()
                q = self.deal_query
                self.apply_query(replace(self.scope, sort=q.sort, descending=q.descending, columns=q.columns))
                return
            self.dismiss(None)
            return
        if self.deal_query.active:
            self.filter_bar.clear()
            self.filter_bar.remove_class("-shown")
            self.apply_query(self.deal_query.fresh())
            self.notify("Filter cleared", timeout=2)
        self.table.focus()

    def action_cycle_sort(self) -> None:
        self.apply_query(self.deal_query.next_sort())

    def action_reverse_sort(self) -> None:
        q = self.deal_query
        self.apply_query(replace(q, descending=not q.descending))

    def show_org(self, org_id: int, name: str) -> None:
        self.apply_query(replace(self.deal_query.unscoped(), org_id=org_id, scope_label=f"organisation {name}"))

    def show_alliance(self, alliance_id: int, name: str) -> None:
        q = self.deal_query.unscoped()
        self.apply_query(replace(q, alliance_id=alliance_id, scope_label=f"alliance {name}"))

    def show_deals(self, deal_ids: tuple[int, ...], title: str) -> None:
        self.filter_bar.clear()
        q = self.deal_query.fresh()
        self.apply_query(replace(q, deal_ids=deal_ids, scope_label=title or f"{len(deal_ids)} deals"))

    # ---------------------------------------------------------------- changes

    def action_add_deal(self) -> None:
        if self.tracker.db is not None:
            self.tracker.open_deal_form(None)

    def action_edit_deal(self) -> None:
        deal_id = self.highlighted_id()
        if deal_id is not None:
            self.tracker.open_deal_form(deal_id)

    def action_delete_deal(self) -> None:
        deal_id = self.highlighted_id()
        if deal_id is not None:
            self.tracker.confirm_delete(deal_id, self.table.current_row.cells if self.table.current_row else ())

    def action_extract_text(self) -> None:
        db = self.tracker.writable_or_warning()
        if db is not None:
            from tracker.ui.screens.extract import ExtractScreen

            self.app.push_screen(ExtractScreen(db))

    def action_link(self) -> None:
        deal_id = self.highlighted_id()
        if deal_id is not None:
            self.tracker.open_link_form(deal_id)


def with_columns(source: PageSource, columns: tuple[str, ...]) -> PageSource:
    """A first-page preview with the optional ``columns`` the table shows (the settings file's default)."""
    change = getattr(source, "with_columns", None)
    return change(columns) if columns and callable(change) else source
