"""The map (`m`) and totals (`t`) panes: screens that mount the analysis widgets when they exist.

`EcosystemMap` and `TotalsView` are written separately (issue "Ecosystem map and totals"); until
their modules are importable these screens say so. Their messages are handled by name, so this
module never needs to import them: `EcosystemMap.OpenDeals(deal_ids, title)` shows those deals in
the main table, `EcosystemMap.ShowOrg(org_id)` filters it by the organisation.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

if TYPE_CHECKING:
    from tracker.core.storage.database import Database

CSS = """
SlotScreen {
    .slot-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    .slot-body { height: 1fr; }
    .slot-missing { height: 1fr; content-align: center middle; color: $text-muted; }
}
"""


def load_widget(module: str, name: str) -> type[Widget] | None:
    """The widget class `name` from `module`, or None if it is not there (yet)."""
    try:
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]
    except (ImportError, AttributeError):
        return None


class SlotScreen(Screen[tuple[Any, ...] | None]):
    """A full screen holding one analysis widget; escape goes back to the deals."""

    DEFAULT_CSS = CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back", id="slot.back")]

    def __init__(self, db: Database, *, title: str, module: str, widget: str, key: str) -> None:
        super().__init__()
        self.db = db
        self.title_text = title
        self.module = module
        self.widget_name = widget
        self.slot_key = key

    def compose(self) -> ComposeResult:
        yield Static(Text(f"{self.title_text} — esc goes back"), classes="slot-title")
        cls = load_widget(self.module, self.widget_name)
        if cls is None:
            yield Static(
                Text(f"The {self.title_text.lower()} is not installed in this build yet."),
                classes="slot-missing",
            )
        else:
            yield cls(self.db, classes="slot-body")  # type: ignore[call-arg]
        yield Footer()

    def on_ecosystem_map_open_deals(self, message: Any) -> None:
        message.stop()
        self.dismiss(("deals", tuple(message.deal_ids), str(getattr(message, "title", "") or "")))

    def on_ecosystem_map_show_org(self, message: Any) -> None:
        message.stop()
        self.dismiss(("org", int(message.org_id), ""))

    def action_back(self) -> None:
        self.dismiss(None)


def map_screen(db: Database) -> SlotScreen:
    return SlotScreen(
        db, title="Ecosystem map", module="tracker.ui.widgets.ecosystem_map", widget="EcosystemMap", key="map"
    )


def totals_screen(db: Database) -> SlotScreen:
    return SlotScreen(db, title="Totals", module="tracker.ui.widgets.totals_view", widget="TotalsView", key="totals")
