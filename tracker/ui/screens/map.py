"""`m`: the ecosystem map pane (`EcosystemMap`) on a full screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.ui.screens.slot import SlotScreen
from tracker.ui.widgets.ecosystem_map import EcosystemMap

if TYPE_CHECKING:
    from tracker.core.storage.handle import Database

__all__ = ["map_screen"]


def map_screen(db: Database) -> SlotScreen:
    """The map over ``db``, closed by escape or by asking for deals (`ShowDeals`, `ShowOrganization`)."""
    return SlotScreen(db, title="Ecosystem map", pane=EcosystemMap, key="map")
