"""A clear message instead of a traceback: a database that cannot be opened, a write that failed. The
message may quote data (a name, a value): it is plain text with control characters shown escaped."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tracker.core.domain.text import visible
from tracker.ui.screens.confirm import CSS


class ErrorScreen(ModalScreen[None]):
    """Shows `message` (plain text) until enter or escape."""

    DEFAULT_CSS = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close", id="error.close"),
    ]

    def __init__(self, title: str, message: str, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(visible(self.title_text)), classes="dialog-title", id="error-title")
            body = Text(visible(self.message, lines=True))
            if self.hint:
                body.append("\n\n" + visible(self.hint, lines=True), style="dim")
            yield Static(body, classes="dialog-body", id="error-message")
            with Horizontal(classes="buttons"):
                yield Button("OK", id="ok", variant="error")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
