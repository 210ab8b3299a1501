"""`t`: the totals pane (`TotalsView`) on a full screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.ui.screens.slot import SlotScreen
from tracker.ui.widgets.totals_view import TotalsView

if TYPE_CHECKING:
    from tracker.core.storage.handle import Database

__all__ = ["FOOTER_KEYS", "totals_screen"]

FOOTER_KEYS = (
    "totals.org", "totals.country", "totals.kind", "totals.year", "totals.chart", "totals.rate", "slot.back",
    "totals.alliance", "totals.group",
)  # fmt: skip
"""The totals' footer, most used first: the groupings people start with, the chart's qualifier, a rate."""


def totals_screen(db: Database) -> SlotScreen:
    """The totals over ``db``, closed by escape."""
    return SlotScreen(db, title="Totals", pane=TotalsView, key="totals", footer_keys=FOOTER_KEYS)
