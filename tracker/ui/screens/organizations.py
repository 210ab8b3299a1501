"""`o`: organisations, busiest first, with deals in and out, aliases, parent and alliances.

Enter shows the organisation's deals in the main table (the screen returns a `ShowOrganization`). `e` edits
the highlighted organisation in a form (tracker/ui/screens/org_form.py), `M` merges it into another
(org_merge.py), `d` deletes it (asked first; refused, with the count, while it has deals). Each change goes
to the app as a `ChangeMade` (its undo on the app's stack, `u`); the list reads itself again after a change,
an undo and `r` (the app calls `refresh_data`), keeping the search and the highlighted organisation. Names are `Text`, never markup, with control characters shown escaped.
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
from textual.widgets import DataTable, Input, Static

from tracker.core.domain.text import visible
from tracker.ui.messages import ChangeMade, ShowOrganization
from tracker.ui.widgets.detail_pane import DetailPane
from tracker.ui.widgets.footer import TrackerFooter
from tracker.ui.widgets.list_table import ListTable

if TYPE_CHECKING:
    from tracker.core.records.org_merge import MergeResult
    from tracker.core.records.orgs import OrgSummary
    from tracker.core.records.undo import UndoEntry
    from tracker.core.storage.handle import Database

CSS = Path(__file__).with_name("lists.tcss").read_text(encoding="utf-8")


class OrganizationsScreen(Screen[ShowOrganization | None]):
    """A searchable list of organisations and the highlighted one's summary."""

    DEFAULT_CSS = CSS
    HELP_TITLE = "Organisations"
    FOOTER_KEYS: ClassVar[tuple[str, ...]] = ("list.select", "orgs.search", "orgs.back")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="orgs.back"),
        Binding("slash", "search", "Search", id="orgs.search"),
        Binding("e", "edit", "Edit", id="orgs.edit", tooltip="Edit the organisation's names and fields"),
        Binding("M", "merge", "Merge", id="orgs.merge", tooltip="Merge it into another organisation"),
        Binding("d", "delete", "Delete", id="orgs.delete", show=False, tooltip="Delete it (only without deals)"),
    ]

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self._names: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text("Organisations — enter shows their deals, esc goes back"), classes="list-title")
        yield Input(placeholder="search names and aliases (/)", id="org-search", compact=True)
        with Horizontal(classes="list-body"):
            table = ListTable(id="orgs", cursor_type="row", zebra_stripes=True)
            table.add_columns("Organisation", "Country", "Out", "In")
            yield table
            yield DetailPane("Loading…", id="org-detail")
        yield TrackerFooter()

    def on_mount(self) -> None:
        self.query_one("#orgs", DataTable).focus()
        self._load("")

    @on(Input.Changed, "#org-search")
    def _search(self, event: Input.Changed) -> None:
        self._load(event.value)

    def reload(self) -> None:
        """Read the list again (after a change or an undo), keeping the search."""
        self._load(self.query_one("#org-search", Input).value)

    def refresh_data(self) -> None:
        """Read the list again after a change, an undo or `r` (another process's writes)."""
        self.reload()

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
        keep, keep_row = self.highlighted_id(), table.cursor_row
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
            return
        if keep is not None and keep in self._names:
            table.move_cursor(row=table.get_row_index(str(keep)))
        else:  # gone (deleted or merged meanwhile): the row that took its place
            table.move_cursor(row=min(keep_row, len(items) - 1))
        shown = self.highlighted_id()
        if shown is not None:
            self._load_detail(shown)  # its figures may have changed even where the cursor did not move

    def highlighted_id(self) -> int | None:
        """The id of the highlighted organisation, or None."""
        table = self.query_one("#orgs", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

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
            self.post_message(ShowOrganization(org_id, self._names.get(org_id, f"#{org_id}")))  # the app opens them

    def action_search(self) -> None:
        self.query_one("#org-search", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#orgs", DataTable).focus()
            return
        self.dismiss(None)

    # ---------------------------------------------------------------- changes

    def _with_highlighted(self, then: str) -> None:
        org_id = self.highlighted_id()
        if org_id is None:
            self.notify("No organisation is highlighted.", timeout=2)
            return
        self._load_for_change(org_id, then)

    def action_edit(self) -> None:
        self._with_highlighted("edit")

    def action_merge(self) -> None:
        self._with_highlighted("merge")

    def action_delete(self) -> None:
        self._with_highlighted("delete")

    @work(thread=True, group="org-change", exit_on_error=False)
    def _load_for_change(self, org_id: int, then: str) -> None:
        """The organisation, every name (for the suggestions) and why it may not be deleted, read first."""
        from tracker.core.records.org_edit import delete_refusal
        from tracker.core.records.orgs import all_org_names, org_summary
        from tracker.ui.errors import user_message

        try:
            with self.db.read() as conn:
                summary = org_summary(conn, org_id)
                names = all_org_names(conn) if then != "delete" else []
                refusal = delete_refusal(conn, org_id) if then == "delete" else None
        except Exception as exc:
            self.app.call_from_thread(self.notify, user_message(exc), severity="error")
            return
        if summary is None:
            self.app.call_from_thread(self.notify, "That organisation is gone (deleted meanwhile?).")
            self.app.call_from_thread(self.reload)
            return
        self.app.call_from_thread(self._open_change, then, summary, names, refusal)

    def _open_change(self, then: str, summary: OrgSummary, names: list[str], refusal: str | None) -> None:
        if then == "edit":
            from tracker.ui.screens.org_form import OrgFormScreen

            self.app.push_screen(OrgFormScreen(self.db, summary, names), self._edited)
        elif then == "merge":
            from tracker.ui.screens.org_merge import OrgMergeScreen

            deals = summary.deals_in + summary.deals_out
            self.app.push_screen(OrgMergeScreen(self.db, summary.id, summary.name, deals, names), self._merged)
        elif refusal is not None:
            from tracker.ui.screens.error import ErrorScreen

            hint = "M merges it into another organisation; its deals go with it."
            self.app.push_screen(ErrorScreen("Cannot delete", refusal, hint))
        else:
            self._ask_delete(summary)

    def _edited(self, entry: UndoEntry | None) -> None:
        if entry is not None:
            self.post_message(ChangeMade(entry, "Saved: " + entry.label.removeprefix("edit of ")))  # the app reloads

    def _merged(self, result: MergeResult | None) -> None:
        if result is not None:
            moved = f"{result.deals_moved} deal{'s' if result.deals_moved != 1 else ''} moved"
            self.post_message(ChangeMade(result.undo, f"Merged {result.merged_name} into {result.into_name}: {moved}"))

    def _ask_delete(self, summary: OrgSummary) -> None:
        from tracker.ui.screens.confirm import ConfirmScreen

        question = Text("Delete the organisation ")
        question.append(visible(summary.name), style="bold")
        question.append("?\n\nIt has no deals. Its aliases and alliance memberships go with it; u brings it back.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(summary.id)

        self.app.push_screen(ConfirmScreen("Delete organisation", question, yes="Delete"), answered)

    @work(thread=True, group="org-change", exit_on_error=False)
    def _delete(self, org_id: int) -> None:
        from tracker.core.records.org_edit import delete_org
        from tracker.ui.errors import user_message

        try:
            with self.db.write() as conn:
                entry = delete_org(conn, org_id)
        except Exception as exc:
            self.app.call_from_thread(self._not_deleted, user_message(exc))
            return
        self.app.call_from_thread(self._deleted, entry)

    def _not_deleted(self, message: str) -> None:
        from tracker.ui.screens.error import ErrorScreen

        self.app.push_screen(ErrorScreen("Not deleted", message))

    def _deleted(self, entry: UndoEntry) -> None:
        self.post_message(ChangeMade(entry, "Deleted: " + entry.label.removeprefix("delete of ")))
