"""`t`: the totals pane (`TotalsView`) on a full screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.ui.screens.slot import SlotScreen
from tracker.ui.widgets.totals_view import TotalsView

if TYPE_CHECKING:
    from tracker.core.storage.handle import Database

__all__ = ["totals_screen"]


def totals_screen(db: Database) -> SlotScreen:
    """The totals over ``db``, closed by escape."""
    return SlotScreen(db, title="Totals", pane=TotalsView, key="totals")
