"""A full screen holding one analysis pane (the map `m`, the totals `t`); escape goes back.

The pane is given as its widget class (`EcosystemMap`, `TotalsView`: tracker/ui/screens/map.py and totals.py
make these screens). The map's `OpenDeals` and `ShowOrg` messages (a `ShowDeals` and a `ShowOrganization`)
bubble up to the app, which opens those deals on a deals screen above this one: escape comes back here as
it was (the app keeps the screen alive between visits, tracker/ui/app.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from tracker.ui.widgets.footer import TrackerFooter

if TYPE_CHECKING:
    from tracker.core.storage.handle import Database

__all__ = ["Pane", "SlotScreen"]

CSS = """
SlotScreen {
    .slot-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    .slot-body { height: 1fr; }
}
"""


class Pane(Protocol):
    """What a slot holds: a widget made from the database (its class, e.g. `EcosystemMap`)."""

    def __call__(self, db: Database, *, classes: str | None = None) -> Widget: ...


class SlotScreen(Screen[None]):
    """A full screen holding one analysis widget; escape goes back to where it was opened from."""

    DEFAULT_CSS = CSS
    HELP_GROUP = "This screen"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back", id="slot.back")]

    def __init__(self, db: Database, *, title: str, pane: Pane, key: str, footer_keys: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.db = db
        self.title_text = title
        self.HELP_TITLE = title
        self.FOOTER_KEYS = footer_keys
        """The footer's keys, most used first (tracker/ui/keys.py)."""
        self.pane = pane
        self.slot_key = key

    def compose(self) -> ComposeResult:
        yield Static(Text(f"{self.title_text} — esc goes back"), classes="slot-title")
        yield self.pane(self.db, classes="slot-body")
        yield TrackerFooter()

    def refresh_data(self) -> None:
        """Read the pane again after a change (its own state, such as the map's focus, is kept)."""
        for pane in self.query(".slot-body"):
            reload = getattr(pane, "action_reload", None)
            if callable(reload):
                reload()

    def action_back(self) -> None:
        self.dismiss(None)
