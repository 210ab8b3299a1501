"""The tracker app: the app-wide keys, the command palette, the undo stack, the deal changes and the views.

Start-up paints first: this module imports only Textual and the UI's own light modules; the database is
opened after the first frame and every call on it runs in a thread worker (`DatabaseApp`, in
tracker/ui/database_app.py, with the quit-friendly executor of tracker/ui/executor.py).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import App
from textual.binding import Binding, BindingType

from tracker.core.domain.text import visible
from tracker.ui.asof import AsOfApp
from tracker.ui.commands import TrackerCommands
from tracker.ui.messages import ShowAlliance, ShowDeals, ShowOrganization
from tracker.ui.screens.main import MainScreen
from tracker.ui.settings import SettingsApp

if TYPE_CHECKING:
    from concurrent.futures import Future

    from sqlalchemy import Connection
    from textual.driver import Driver
    from textual.screen import Screen

    from tracker.core.config.settings import Config
    from tracker.core.records.firstpage import QuickPage
    from tracker.core.records.undo import UndoEntry
    from tracker.core.storage.handle import Database
    from tracker.ui.messages import ChangeMade
    from tracker.ui.screens.deal_fields import DealFormResult

__all__ = ["UNDO_LIMIT", "TrackerApp"]

UNDO_LIMIT = 100


class TrackerApp(SettingsApp, AsOfApp):
    """Browse, search, add, edit and link deals."""

    TITLE = "tracker"
    HELP_TITLE = "Everywhere"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS = App.COMMANDS | {TrackerCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit tracker"),
        Binding("question_mark", "help", "Keys", id="app.help", tooltip="The keys of this screen"),
        Binding("f1", "help", "Keys", id="app.help_anywhere", show=False, priority=True, tooltip="Also in forms"),
        Binding("u", "undo", "Undo", id="app.undo", tooltip="Undo the last change"),
        Binding("U,shift+u,ctrl+r", "redo", "Redo", id="app.redo", tooltip="Redo what u undid", show=False),
        Binding("o", "organizations", "Orgs", id="app.organisations", tooltip="Organisations"),
        Binding("n", "alliances", "Alliances", id="app.alliances", tooltip="Alliances"),
        Binding("m", "map", "Map", id="app.map", tooltip="Ecosystem map"),
        Binding("t", "totals", "Totals", id="app.totals", tooltip="Totals"),
        Binding("r", "refresh", "Refresh", id="app.refresh", tooltip="Re-read the database"),
        Binding(
            "X",
            "export",
            "Export",
            show=False,
            id="app.export",
            tooltip="Every deal as the deals CSV: a download in a browser, the downloads folder in a terminal",
        ),
    ]

    def __init__(
        self,
        db_target: str | None = None,
        empty: bool = False,
        preview: Future[QuickPage | None] | None = None,
        config: Config | None = None,
    ) -> None:
        """``preview``: the first page being read already (tracker/ui/preview.py); started here if None.
        ``config``: the settings in force (theme, [keys]); ctrl+p theme changes are saved to its file."""
        super().__init__(db_target, empty, preview)
        self.config = config
        self.settings_applied = False
        self.undo_stack: list[UndoEntry] = []
        self.exports: set[Path] = set()
        """Temporary export files being delivered (removed when the delivery ends)."""
        self.redo_stack: list[UndoEntry] = []
        """What `u` undid, newest last: `U` redoes it; any new change clears it."""
        self.views: dict[str, Screen[Any]] = {}
        """The map, totals, organisations and alliances screens once opened: reopened as they were left."""

    def get_driver_class(self) -> type[Driver]:
        """Textual's choice, except that its Linux driver becomes `PromptExitDriver` (quits without waiting
        0.1-0.2 s for the input thread's poll)."""
        driver_class = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver_class is LinuxDriver:
            from tracker.ui.driver import PromptExitDriver

            return PromptExitDriver
        return driver_class

    def record(self, entry: UndoEntry, message: str) -> None:
        """Remember a change for `u` and say what happened (a new change: nothing left to redo)."""
        self.undo_stack.append(entry)
        del self.undo_stack[:-UNDO_LIMIT]
        self.redo_stack.clear()
        self.notify(f"{message} — u undoes it", timeout=4, markup=False)
        self.refresh_screens()

    def refresh_screens(self) -> None:
        """Re-read what every screen on the stack shows (the deals screens, deal views, organisations, alliances),
        and the views kept for reopening (the map, the totals): after a change, an undo or `r`."""
        kept = [view for view in self.views.values() if view not in self.screen_stack and view.is_mounted]
        for screen in [*self.screen_stack, *kept]:
            refresh = getattr(screen, "refresh_data", None)
            if callable(refresh):
                refresh()

    def on_change_made(self, message: ChangeMade) -> None:
        """A view's change (an organisation edited, merged, deleted): kept for `u`."""
        self.record(message.undo, message.text)

    # ---------------------------------------------------------------- deal changes

    def open_deal_form(self, deal_id: int | None) -> None:
        if self.writable_or_warning() is None:
            return

        def load(conn: Connection) -> tuple[list[str], dict[str, str] | None]:
            from tracker.core.records.changes import values_of
            from tracker.core.records.orgs import all_org_names
            from tracker.ui.screens.deal_fields import fields_of

            initial = fields_of(values_of(conn, deal_id)) if deal_id is not None else None
            return all_org_names(conn), initial

        def show(loaded: tuple[list[str], dict[str, str] | None]) -> None:
            from tracker.ui.screens.deal_form import DealFormScreen

            assert self.db is not None
            names, initial = loaded
            self.push_screen(DealFormScreen(self.db, deal_id=deal_id, initial=initial, names=names), self._form_done)

        self.db_call(load, show, title="Cannot open the form")

    def _form_done(self, result: DealFormResult | None) -> None:
        if result is None:
            return
        what = "Added" if result.undo.label.startswith("add") else "Saved"
        created = f" (new: {', '.join(result.created_orgs)})" if result.created_orgs else ""
        self.record(result.undo, f"{what} deal #{result.deal_id}{created}")

    def confirm_delete(self, deal_id: int, cells: tuple[str, ...]) -> None:
        from tracker.ui.screens.confirm import ConfirmScreen

        if self.writable_or_warning() is None:
            return

        question = Text(f"Delete deal #{deal_id}?\n\n")
        question.append("  " + visible("  ".join(c for c in cells if c)) + "\n\n", style="bold")
        question.append("Its alliance memberships and deal links go with it; u brings everything back.")

        def answered(yes: bool | None) -> None:
            if yes:
                from tracker.core.records import undo as ops

                self.db_call(
                    lambda conn: ops.delete(conn, deal_id),
                    lambda entry: self.record(entry, f"Deleted deal #{deal_id}"),
                    write=True,
                    title="Not deleted",
                )

        self.push_screen(ConfirmScreen("Delete deal", question, yes="Delete"), answered)

    def open_link_form(self, deal_id: int) -> None:
        if self.writable_or_warning() is None:
            return

        def load(conn: Connection) -> tuple[Any, list[str]]:
            from tracker.core.records.alliances import alliance_names
            from tracker.core.records.details import get_deal

            return get_deal(conn, deal_id), alliance_names(conn)

        def show(loaded: tuple[Any, list[str]]) -> None:
            from tracker.core.records.errors import DealError
            from tracker.ui.screens.link import LinkScreen

            detail, alliances = loaded
            if detail is None:
                self.show_error("Cannot link", str(DealError(f"deal {deal_id}: no such deal (deleted meanwhile?)")))
                return
            parties = [(p.id, p.name) for p in (detail.from_party, detail.to_party) if p is not None]
            label = f"#{deal_id} {detail.kind} {detail.from_party.name}"
            if detail.to_party:
                label += f" → {detail.to_party.name}"
            self.push_screen(LinkScreen(deal_id, label, parties, alliances, db=self.db), self._linked)

        self.db_call(load, show, title="Cannot link")

    def _linked(self, entry: UndoEntry | None) -> None:
        """The link screen wrote a link (it shows a refusal itself and stays open)."""
        if entry is not None:
            self.record(entry, f"Linked: {entry.label.removeprefix('link of ')}")

    def action_undo(self) -> None:
        self._step(self.undo_stack, self.redo_stack, "undo", "Undone")

    def action_redo(self) -> None:
        self._step(self.redo_stack, self.undo_stack, "redo", "Redone")

    def _step(self, stack: list[UndoEntry], other: list[UndoEntry], what: str, done_word: str) -> None:
        """Undo (or redo) the newest entry of ``stack``; what reverses it goes onto ``other``."""
        if self.writable_or_warning() is None:
            return
        if not stack:
            self.notify(f"Nothing to {what}.", timeout=2)
            return
        from tracker.core.records.errors import DealError
        from tracker.core.records.undo import UndoEntry

        entry = stack.pop()

        def run(conn: Connection) -> tuple[str | None, UndoEntry | None]:
            """(None, the reverse entry) once done; (why not, None) when refused (another writer changed the
            deal since): such a step can never succeed, so it leaves the stack (an error of the database keeps it)."""
            try:
                with conn.begin_nested():
                    reverse = entry.undo(conn)
            except DealError as exc:
                return str(exc), None
            return None, reverse if isinstance(reverse, UndoEntry) else None

        def done(result: tuple[str | None, UndoEntry | None]) -> None:
            refused, reverse = result
            if refused is not None:
                self.show_error(
                    f"Could not {what}", refused, f"This {what} is dropped from the stack: nothing was changed."
                )
                return
            if reverse is not None:
                other.append(reverse)
                del other[:-UNDO_LIMIT]
            self.notify(f"{done_word}: {entry.label}", timeout=4, markup=False)
            self.refresh_screens()

        def failed(message: str) -> None:
            stack.append(entry)  # the database failed (locked, gone): the same step may work later
            self.show_error(f"Could not {what}", message)

        self.db_call(run, done, write=True, failed=failed)

    # ---------------------------------------------------------------- navigation

    def _push_view(self, view: str) -> None:
        """Open ``view`` as it was left: back to it if it is on the stack, else the same screen pushed again."""
        db = self.database_or_warning()
        if db is None:
            return
        screen = self.views.get(view)
        if screen is None:
            screen = self.views[view] = self._view_screen(view, db)
            self.install_screen(screen, name=f"view-{view}")  # kept alive when popped: its state stays
        if screen is self.screen:
            return  # already there
        if screen in self.screen_stack:
            while self.screen is not screen:
                self.pop_screen()
            return
        self.push_screen(screen)

    @staticmethod
    def _view_screen(view: str, db: Database) -> Screen[Any]:
        """The screen of ``view`` (its module imported only now, when it is first asked for)."""
        if view == "organizations":
            from tracker.ui.screens.organizations import OrganizationsScreen

            return OrganizationsScreen(db)
        if view == "alliances":
            from tracker.ui.screens.alliances import AlliancesScreen

            return AlliancesScreen(db)
        if view == "dedupe":
            from tracker.ui.screens.dedupe import DedupeScreen

            return DedupeScreen(db)
        if view == "map":
            from tracker.ui.screens.map import map_screen

            return map_screen(db)
        from tracker.ui.screens.totals import totals_screen

        return totals_screen(db)

    @on(ShowOrganization)
    @on(ShowAlliance)
    @on(ShowDeals)
    def _show_request(self, request: ShowOrganization | ShowAlliance | ShowDeals) -> None:
        """A view asked for deals: they open on a deals screen above it (escape goes back to the view)."""
        request.stop()
        q = self.deals.deal_query.fresh()
        if isinstance(request, ShowOrganization):
            org_id, name = request.org_id, request.name
            if not name:
                from tracker.core.records.orgs import org_name

                self.db_call(
                    lambda conn: org_name(conn, org_id),
                    lambda n: self._show_request(ShowOrganization(org_id, n or f"#{org_id}")),
                )
                return
            q = replace(q, org_id=org_id, scope_label=f"organisation {name}")
        elif isinstance(request, ShowAlliance):
            q = replace(q, alliance_id=request.alliance_id, scope_label=f"alliance {request.name}")
        else:
            q = replace(
                q, deal_ids=tuple(request.deal_ids), scope_label=request.title or f"{len(request.deal_ids)} deals"
            )
        self.push_screen(MainScreen(scope=q))

    def open_deal_view(self, deal_id: int) -> None:
        """Everything about one deal, on its own screen (escape goes back)."""
        db = self.database_or_warning()
        if db is None:
            return
        from tracker.ui.screens.deal_view import DealViewScreen

        self.push_screen(DealViewScreen(db, deal_id))

    @property
    def deals(self) -> MainScreen:
        """The deals screen nearest the top of the stack (the main screen, or one opened from a view)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return self.main

    def _to_deals(self) -> None:
        """Back to the nearest deals screen (closing the views above it)."""
        while len(self.screen_stack) > 1 and not self.screen.is_modal and not isinstance(self.screen, MainScreen):
            self.pop_screen()

    def action_deals(self) -> None:
        """Every deal: back to the first screen."""
        while len(self.screen_stack) > 1 and not self.screen.is_modal:
            self.pop_screen()

    def action_organizations(self) -> None:
        self._push_view("organizations")

    def action_alliances(self) -> None:
        self._push_view("alliances")

    def action_dedupe(self) -> None:
        self._push_view("dedupe")

    def action_map(self) -> None:
        self._push_view("map")

    def action_totals(self) -> None:
        self._push_view("totals")

    def action_help(self) -> None:
        """The keys of the screen on top, from its active bindings (tracker/ui/keys.py)."""
        from tracker.ui.keys import help_groups, screen_title
        from tracker.ui.screens.help import HelpScreen

        screen = self.screen
        if isinstance(screen, HelpScreen):
            screen.dismiss(None)  # f1 again
            return
        self.push_screen(HelpScreen(screen_title(screen), help_groups(screen)))

    def action_refresh(self) -> None:
        if self.database_or_warning() is None:
            return
        self.refresh_screens()
        self.notify("Refreshed from the database.", timeout=2)

    def run_command(self, action: str) -> None:
        """Run a command-palette action; `main:` actions go back to the nearest deals screen first."""
        if action.startswith("main:"):
            self._to_deals()
            self.call_later(lambda: self.deals.run_action(action.removeprefix("main:")))
        else:
            self.call_later(self.run_action, action)
