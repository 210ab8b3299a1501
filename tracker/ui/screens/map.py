"""`m`: the ecosystem map pane (mounts `EcosystemMap` when it is installed)."""

from tracker.ui.screens.slot import SlotScreen, map_screen

__all__ = ["SlotScreen", "map_screen"]
