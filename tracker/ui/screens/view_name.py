"""The name a view is saved under (`v` on the deals screen): one field; enter saves, escape cancels."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tracker.core.domain.text import visible
from tracker.ui.screens.confirm import CSS


class ViewNameScreen(ModalScreen[str | None]):
    """Ask for a view's name; returns it (stripped), or None when cancelled."""

    DEFAULT_CSS = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="view-name.cancel", tooltip="Save nothing"),
    ]

    def __init__(self, what: str, names: list[str]) -> None:
        """``what``: the filter, sort and columns in words; ``names``: the views saved already."""
        super().__init__()
        self.what = what
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Save this view", classes="dialog-title")
            yield Static(Text(visible(self.what)), classes="dialog-body")
            yield Input(placeholder="a name (unique, case ignored)", id="view-name", max_length=200)
            saved = ", ".join(self.names) if self.names else "none yet"
            yield Label(f"Saved views: {visible(saved)}. Enter saves, escape cancels.", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        name = " ".join(event.value.split())
        if not name:
            self.notify("Give the view a name (escape cancels).", severity="warning", timeout=3)
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
