"""`n`: alliances with their members and deals, and their curation. Enter shows the alliance's deals in the
main table (the screen returns a `ShowAlliance`).

`a` creates an alliance (name, members, description), `e` renames the highlighted one, `d` deletes it (asks
first: its deals and organisations stay, only the grouping goes), `+` and `-` add or remove a member. Each
change is written by tracker/core/records/alliance_edits.py (the CLI's path too) and lands on the app's undo
stack: `u` undoes it, and the list follows (as it does `r`: the app calls `refresh_data`). Names match as everywhere: case, dashes and spacing aside.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tracker.core.domain.text import visible
from tracker.ui.messages import ShowAlliance
from tracker.ui.screens.alliance_form import AllianceFormScreen, FormField, Saved
from tracker.ui.screens.organizations import CSS
from tracker.ui.widgets.detail_pane import DetailPane
from tracker.ui.widgets.footer import TrackerFooter
from tracker.ui.widgets.list_table import ListTable
from tracker.ui.widgets.name_suggester import NameListSuggester

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from tracker.core.records.alliances import AllianceSummary
    from tracker.core.storage.handle import Database
    from tracker.ui.app import TrackerApp


class AlliancesScreen(Screen[ShowAlliance | None]):
    """Alliances, alphabetical, and the highlighted one's members, deals and description."""

    DEFAULT_CSS = CSS
    HELP_TITLE = "Alliances"
    FOOTER_KEYS: ClassVar[tuple[str, ...]] = ("list.select", "alliances.back")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="alliances.back"),
        Binding("a", "add", "New", id="alliances.add", tooltip="Create an alliance (name, members, description)"),
        Binding("e", "rename", "Rename", id="alliances.rename", tooltip="Rename the highlighted alliance"),
        Binding("d", "delete", "Delete", id="alliances.delete", tooltip="Delete the alliance (asks; deals stay)"),
        Binding("plus", "member_add", "+Member", id="alliances.member_add", tooltip="Add a member organisation"),
        Binding(
            "minus", "member_remove", "-Member", show=False, id="alliances.member_remove", tooltip="Remove a member"
        ),
    ]

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self._items: dict[int, AllianceSummary] = {}
        self._org_names: list[str] = []
        self._select: int | None = None

    @property
    def tracker(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(
            Text("Alliances — enter shows their deals · a new · e rename · d delete · +/- member · esc back"),
            classes="list-title",
        )
        with Horizontal(classes="list-body"):
            table = ListTable(id="alliances", cursor_type="row", zebra_stripes=True)
            table.add_columns("Alliance", "Members", "Deals")
            yield table
            yield DetailPane("Loading…", id="alliance-detail")
        yield TrackerFooter()

    def on_mount(self) -> None:
        self.query_one("#alliances", DataTable).focus()
        self._load()

    def reload(self, select: int | None = None) -> None:
        """Read the alliances again (after a change), highlighting ``select`` (an alliance id) if given."""
        self._select = select if select is not None else self.current_id()
        self._load()

    def refresh_data(self) -> None:
        """Read the list again after a change, an undo or `r` (another process's writes), keeping the highlight."""
        self.reload()

    @work(thread=True, exclusive=True, group="alliances", exit_on_error=False)
    def _load(self) -> None:
        from tracker.core.records.alliances import list_alliances
        from tracker.core.records.orgs import all_org_names

        try:
            with self.db.read() as conn:
                items = list_alliances(conn)
                names = all_org_names(conn)
        except Exception as exc:
            self.app.call_from_thread(self.query_one("#alliance-detail", DetailPane).show, f"Could not load: {exc}")
            return
        self.app.call_from_thread(self._fill, items, names)

    def _fill(self, items: list[AllianceSummary], org_names: list[str]) -> None:
        table = self.query_one("#alliances", DataTable)
        keep_row = table.cursor_row
        table.clear()
        self._items = {a.id: a for a in items}
        self._org_names = org_names
        for a in items:
            table.add_row(
                Text(visible(a.name)),
                Text(str(len(a.members)), justify="right"),
                Text(str(a.deal_count), justify="right"),
                key=str(a.id),
            )
        if self._select in self._items:
            table.move_cursor(row=table.get_row_index(str(self._select)))
        elif items:  # gone (deleted meanwhile): the row that took its place
            table.move_cursor(row=min(keep_row, len(items) - 1))
        self._select = None
        if not items:
            self.query_one("#alliance-detail", DetailPane).show("No alliances yet: a creates one.")
        else:
            self._show(self.current())

    def current_id(self) -> int | None:
        table = self.query_one("#alliances", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    def current(self) -> AllianceSummary | None:
        current = self.current_id()
        return self._items.get(current) if current is not None else None

    def _show(self, item: AllianceSummary | None) -> None:
        from tracker.ui.formatting import alliance_text

        if item is not None:
            self.query_one("#alliance-detail", DetailPane).show(alliance_text(item))

    @on(DataTable.RowHighlighted, "#alliances")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(self._items.get(int(event.row_key.value or 0)))

    @on(DataTable.RowSelected, "#alliances")
    def _selected(self, event: DataTable.RowSelected) -> None:
        item = self._items.get(int(event.row_key.value or 0))
        if item is not None:
            self.post_message(ShowAlliance(item.id, item.name))  # the app opens them

    def action_back(self) -> None:
        self.dismiss(None)

    # ---------------------------------------------------------------- changes

    def _form(self, title: str, fields: list[FormField], write: Any, save: str = "Save") -> None:
        def done(saved: Saved | None) -> None:
            if saved is not None:
                self.tracker.record(saved.undo, saved.message)
                self.reload(saved.select)

        self.app.push_screen(AllianceFormScreen(self.db, title, fields, write, save), done)

    def _members_suggester(self) -> NameListSuggester:
        return NameListSuggester(self._org_names)

    def action_add(self) -> None:
        from tracker.core.domain.namelist import split_names

        def write(conn: Connection, v: dict[str, str]) -> Saved:
            from tracker.core.records.alliance_edits import create_alliance

            members = [m for m in split_names(v["members"]) if m.strip()]
            alliance_id, undo = create_alliance(conn, v["name"], members, v["description"])
            return Saved(undo, f"Created alliance {v['name'].strip()}", alliance_id)

        fields = [
            FormField("name", "Name", placeholder="e.g. Stargate"),
            FormField(
                "members", "Members", placeholder="organisations separated by ;", suggester=self._members_suggester()
            ),
            FormField("description", "Description"),
        ]
        self._form("New alliance", fields, write, "Create")

    def action_rename(self) -> None:
        item = self.current()
        if item is None:
            return

        def write(conn: Connection, v: dict[str, str]) -> Saved:
            from tracker.core.records.alliance_edits import rename_alliance

            before, after, undo = rename_alliance(conn, item.name, v["name"])
            return Saved(undo, f"Renamed {before} to {after}")

        self._form(f"Rename {item.name}", [FormField("name", "New name", item.name)], write, "Rename")

    def action_member_add(self) -> None:
        item = self.current()
        if item is None:
            return

        def write(conn: Connection, v: dict[str, str]) -> Saved:
            from tracker.core.records.alliance_edits import add_member

            alliance, org, undo = add_member(conn, item.name, v["org"])
            return Saved(undo, f"{org} joined {alliance}")

        field = FormField("org", "Organisation", placeholder="name or alias", suggester=self._members_suggester())
        self._form(f"Add a member to {item.name}", [field], write, "Add")

    def action_member_remove(self) -> None:
        item = self.current()
        if item is None or not item.members:
            self.notify("No member to remove.", timeout=2)
            return

        def write(conn: Connection, v: dict[str, str]) -> Saved:
            from tracker.core.records.alliance_edits import remove_member

            alliance, org, undo = remove_member(conn, item.name, v["org"])
            return Saved(undo, f"{org} left {alliance}")

        members = NameListSuggester([n for _, n in item.members])
        field = FormField("org", "Organisation", placeholder="a member's name", suggester=members)
        self._form(f"Remove a member of {item.name}", [field], write, "Remove")

    def action_delete(self) -> None:
        item = self.current()
        if item is None:
            return
        from tracker.ui.screens.confirm import ConfirmScreen

        question = Text(f"Delete the alliance {visible(item.name)}?\n\n")
        question.append(f"  {len(item.members)} members, {item.deal_count} deals\n\n", style="bold")
        question.append("The deals and organisations stay; only the grouping goes. u brings it back.")

        def answered(yes: bool | None) -> None:
            if not yes:
                return

            def delete(conn: Connection) -> Saved:
                from tracker.core.records.alliance_edits import remove_alliance

                _snap, undo = remove_alliance(conn, item.name)
                return Saved(undo, f"Deleted alliance {item.name}")

            def done(saved: Saved) -> None:
                self.tracker.record(saved.undo, saved.message)  # which reads the list again

            self.tracker.db_call(delete, done, write=True, title="Not deleted")

        self.app.push_screen(ConfirmScreen("Delete alliance", question, yes="Delete"), answered)
