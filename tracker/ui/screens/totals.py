"""`t`: the totals pane (mounts `TotalsView` when it is installed)."""

from tracker.ui.screens.slot import SlotScreen, totals_screen

__all__ = ["SlotScreen", "totals_screen"]
