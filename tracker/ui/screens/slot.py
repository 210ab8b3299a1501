"""A full screen holding one analysis pane (the map `m`, the totals `t`); escape goes back to the deals.

The pane is given as its widget class (`EcosystemMap`, `TotalsView`: tracker/ui/screens/map.py and totals.py
make these screens). The map's `OpenDeals` and `ShowOrg` messages (a `ShowDeals` and a `ShowOrganization`)
close the screen with that request: the app then shows those deals in the main table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from tracker.ui.messages import ShowDeals, ShowOrganization

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


class SlotScreen(Screen[ShowDeals | ShowOrganization | None]):
    """A full screen holding one analysis widget; escape goes back to the deals."""

    DEFAULT_CSS = CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back", id="slot.back")]

    def __init__(self, db: Database, *, title: str, pane: Pane, key: str) -> None:
        super().__init__()
        self.db = db
        self.title_text = title
        self.pane = pane
        self.slot_key = key

    def compose(self) -> ComposeResult:
        yield Static(Text(f"{self.title_text} — esc goes back"), classes="slot-title")
        yield self.pane(self.db, classes="slot-body")
        yield Footer()

    @on(ShowDeals)
    @on(ShowOrganization)
    def _show(self, message: ShowDeals | ShowOrganization) -> None:
        message.stop()
        self.dismiss(message)

    def action_back(self) -> None:
        self.dismiss(None)
