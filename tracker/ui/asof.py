"""The app's as-of mode (`@`, or "As of a recorded time" in the palette): every screen reads the database
as it was recorded at a time (tracker/core/records/asof.py rebuilds it in a temporary file), the status
line says "as of ...", and changes are refused until an empty time brings the app back to now."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from tracker.core.domain.text import visible
from tracker.ui.views_app import ViewsApp

if TYPE_CHECKING:
    from tracker.core.records.asof import Past
    from tracker.core.storage.handle import Database

__all__ = ["AsOfApp"]


class AsOfApp(ViewsApp):
    """The as-of mode over the views and exporting app (the app's bases stay two)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("at", "as_of", "As of", id="app.as_of", show=False,
                tooltip="Look at the database as recorded at a date or time (empty: now)"),
    ]  # fmt: skip
    past: Past | None = None
    live: Database | None = None

    def action_as_of(self) -> None:
        from tracker.ui.screens.as_of import AsOfModal

        if self.db is None and self.live is None:
            self.database_or_warning()
            return
        current = self.past.at[:19].replace(" ", "T") if self.past is not None else ""
        self.push_screen(AsOfModal(current), self.look_as_of)

    def look_as_of(self, given: str | None) -> None:
        """Go to the recorded time ``given`` ("" or "now": back to now; None: nothing)."""
        if given is None:
            return
        if given.lower() in ("", "now"):
            self.leave_as_of()
            return
        self.notify(visible(f"Rebuilding the database as of {given}…"), timeout=3, markup=False)
        self._rebuild(given)

    @work(thread=True, exclusive=True, group="as-of", exit_on_error=False)
    def _rebuild(self, given: str) -> None:
        from tracker.core.records.asof import materialize

        live = self.live or self.db
        assert live is not None
        try:
            past = materialize(live, given)
        except Exception as exc:
            self.call_from_thread(self.notify, visible(str(exc)), severity="error", markup=False)
            return
        self.call_from_thread(self.enter_as_of, live, past)

    def enter_as_of(self, live: Database, past: Past) -> None:
        old = self.past
        past.db.read_only = True
        past.db.label = f"as of {past.shown} · read-only (@, then an empty time: back to now)"
        self.live, self.past = live, past
        self.switch_database(past.db)
        if old is not None:
            old.close()

    def leave_as_of(self) -> None:
        if self.past is None or self.live is None:
            return
        past, live = self.past, self.live
        self.past, self.live = None, None
        self.switch_database(live)
        past.close()
        self.notify("Back to now.", timeout=2)

    def switch_database(self, db: Database) -> None:
        """Every screen reads ``db`` from now on: back to the deals, read again."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.db = db
        self.main.database_ready(db)
