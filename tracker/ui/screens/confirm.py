"""A yes/no question (delete a deal, create new organisations). Returns True or False."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tracker.core.domain.text import visible

CSS = (Path(__file__).parent / "modal.tcss").read_text(encoding="utf-8")


class ConfirmScreen(ModalScreen[bool]):
    """Ask `question`; `y`/enter on Yes confirms, `n`/escape cancels."""

    DEFAULT_CSS = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, question: Text | str, *, yes: str = "Yes", no: str = "No",
                 focus_no: bool = False) -> None:  # fmt: skip
        """``focus_no``: open with the No button focused (enter goes back), for questions where yes writes."""
        super().__init__()
        self.focus_no = focus_no
        self.title_text = title
        self.question = question if isinstance(question, Text) else Text(visible(question, lines=True))
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(visible(self.title_text)), classes="dialog-title")
            yield Static(self.question, classes="dialog-body")
            with Horizontal(classes="buttons"):
                yield Button(self.no_label, id="no")
                yield Button(self.yes_label, id="yes", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no" if self.focus_no else "#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
