"""`m`: the ecosystem map pane (`EcosystemMap`) on a full screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.ui.screens.slot import SlotScreen
from tracker.ui.widgets.ecosystem_map import EcosystemMap

if TYPE_CHECKING:
    from tracker.core.storage.handle import Database

__all__ = ["FOOTER_KEYS", "map_screen"]

FOOTER_KEYS = ("map.open", "map.focus", "map.edge", "map.show_org", "map.cycles", "map.top", "map.group", "slot.back")
"""The map's footer, most used first: open the deals of an edge, focus, step through edges, the organisation's
deals, cycles; then what fits."""


def map_screen(db: Database) -> SlotScreen:
    """The map over ``db``, closed by escape; its deal requests open above it (tracker/ui/app.py)."""
    return SlotScreen(db, title="Ecosystem map", pane=EcosystemMap, key="map", footer_keys=FOOTER_KEYS)
