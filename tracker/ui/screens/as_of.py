"""The as-of prompt (`@` or "As of a recorded time" in the palette): a date or an ISO date and time (UTC),
or nothing to come back to now. Returns the text typed (checked by the core when the app rebuilds the
database as it was), ``""`` for now, None when cancelled."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

__all__ = ["AsOfModal"]


class AsOfModal(ModalScreen[str | None]):
    """One field: the recorded time to look at."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="as_of.cancel")]

    def __init__(self, current: str = "") -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="as-of-form"):
            yield Label("As of: the database as it was recorded at a time (what we knew then)")
            yield Input(self._current, placeholder="YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC); empty: now", id="as-of-time")
            yield Static(
                Text("Not a deal's date: deals announced later but recorded earlier show.", style="dim"),
                id="as-of-note",
                markup=False,
            )
            yield Static(Text("enter: look · escape: cancel · empty: back to now"), id="as-of-help", markup=False)

    def on_mount(self) -> None:
        self.query_one("#as-of-time", Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
