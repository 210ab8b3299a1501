"""`?`: every key of the app and of the screen below, by binding id, from the bindings themselves."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker.ui.screens.confirm import CSS


def _key_name(key: str) -> str:
    return ", ".join("shift+" + k.lower() if len(k) == 1 and k.isupper() else k for k in key.split(","))


class HelpScreen(ModalScreen[None]):
    """Keys in groups, each with its description and binding id."""

    DEFAULT_CSS = CSS + "\nHelpScreen .dialog { width: 90; height: 90%; }\n"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Keys", classes="dialog-title")
            with VerticalScroll():
                yield Static(self._table(), id="help-keys")
            yield Static(
                Text("Also: arrows or j/k, PgUp/PgDn, Home/End or g/G, the mouse; ctrl+p opens the command palette.")
            )

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_column(style="dim", no_wrap=True)
        for title, bindings in self.groups:
            table.add_row(Text(title, style="underline"), "", "")
            for b in bindings:
                table.add_row(Text(_key_name(b.key)), Text(b.description), Text(b.id or ""))
            table.add_row("", "", "")
        return table

    def action_close(self) -> None:
        self.dismiss(None)
