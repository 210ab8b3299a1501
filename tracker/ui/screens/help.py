"""`?`: the keys of the screen you are on, grouped, generated from its active bindings (tracker/ui/keys.py)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker.ui.keys import HelpGroup
from tracker.ui.screens.confirm import CSS


class HelpScreen(ModalScreen[None]):
    """Keys in groups, each with its description and binding id (the name a keymap would use)."""

    DEFAULT_CSS = CSS + "\nHelpScreen .dialog { width: 90; height: 90%; }\n"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q,f1", "close", "Close", id="help.close"),
    ]

    def __init__(self, title: str, groups: list[HelpGroup]) -> None:
        super().__init__()
        self.title_text = title
        self.groups = groups

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"Keys — {self.title_text}"), classes="dialog-title")
            with VerticalScroll():
                yield Static(self._table(), id="help-keys")
            yield Static(Text("escape, ? or q closes this; the mouse works too."))

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_column(style="dim", no_wrap=True)
        for group in self.groups:
            table.add_row(Text(group.title, style="underline"), "", "")
            for line in group.keys:
                table.add_row(Text(line.keys), Text(line.description), Text(line.id))
            table.add_row("", "", "")
        return table

    @property
    def text(self) -> str:
        """The help as plain text (tests read this)."""
        return "\n".join(
            f"{g.title}\n" + "\n".join(f"  {k.keys}  {k.description}  {k.id}" for k in g.keys) for g in self.groups
        )

    def action_close(self) -> None:
        self.dismiss(None)
