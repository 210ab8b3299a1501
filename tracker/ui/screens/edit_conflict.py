"""The deal changed while its form was open: both versions side by side, before anything is saved.

Another writer (another window, an import, a colleague on the same server) saved the deal after the form
was opened. Saving the form as it is would silently revert their change (a lost update), so the save stops
and this screen shows, field by field, what the form holds ("yours") and what is stored now ("theirs"),
the fields that differ marked. The user picks: save theirs over with mine (``m``), take theirs into the
form (``t``), or go back to editing (escape), where saving again shows this screen again if the deal
changed again. Every value is plain text (never markup) with control characters shown escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Literal

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tracker.core.domain.text import visible

Choice = Literal["mine", "theirs"]


def differing(fields: Sequence[tuple[str, str]], yours: dict[str, str], theirs: dict[str, str]) -> list[str]:
    """The labels of the fields whose values differ between ``yours`` and ``theirs``."""
    return [label for column, label in fields if yours.get(column, "") != theirs.get(column, "")]


class EditConflictScreen(ModalScreen["Choice | None"]):
    """Yours and theirs, field by field; returns "mine", "theirs" or None (back to editing)."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "choose('mine')", "Save mine", id="conflict.mine"),
        Binding("t", "choose('theirs')", "Take theirs", id="conflict.theirs"),
        Binding("escape", "choose('')", "Back to the form", id="conflict.back"),
    ]

    def __init__(
        self,
        deal_id: int,
        fields: Sequence[tuple[str, str]],
        yours: dict[str, str],
        theirs: dict[str, str],
        base: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.deal_id = deal_id
        self.fields = list(fields)
        self.yours = yours
        self.theirs = theirs
        self.base = base
        self.changed = differing(self.fields, yours, theirs)
        """The labels of the fields where yours and theirs differ."""

    def who(self, column: str) -> str:
        """Who changed a differing field since the form was opened: "you", "they" or "both" ("" for a
        field that does not differ; "≠" when the opened version is not known)."""
        mine, stored = self.yours.get(column, ""), self.theirs.get(column, "")
        if mine == stored:
            return ""
        if self.base is None:
            return "≠"
        opened = self.base.get(column, "")
        return "you" if stored == opened else "they" if mine == opened else "both"

    def table(self) -> Table:
        """The two versions as a table of plain text (what the screen shows)."""
        table = Table(box=None, show_edge=False, pad_edge=False, expand=True)
        table.add_column("", no_wrap=True)
        table.add_column("field", no_wrap=True)
        table.add_column("yours (this form)", ratio=1, overflow="fold")
        table.add_column("theirs (stored now)", ratio=1, overflow="fold")
        table.add_column("changed by", no_wrap=True)
        for column, label in self.fields:
            mine, stored = self.yours.get(column, ""), self.theirs.get(column, "")
            mark = self.who(column)
            style = "bold" if mark else "dim"
            table.add_row(
                Text("≠" if mark else ""), Text(label, style=style), Text(visible(mine)), Text(visible(stored)),
                Text(mark if mark != "≠" else ""),
            )  # fmt: skip
        return table

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"Deal #{self.deal_id} changed since you opened it"), classes="dialog-title")
            what = ", ".join(self.changed) if self.changed else "no field of this form (only its version)"
            yield Static(
                Text(
                    f"Someone else saved this deal after the form was opened. Differing: {what}.\n"
                    "Nothing is saved until you choose."
                ),
                classes="dialog-body",
            )
            with VerticalScroll(id="conflict-table"):
                yield Static(self.table())
            with Horizontal(classes="buttons"):
                yield Button("Back to the form", id="back", compact=True)
                yield Button("Take theirs", id="theirs", compact=True)
                yield Button("Save mine over theirs", id="mine", variant="warning", compact=True)

    def on_mount(self) -> None:
        self.query_one("#back", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id if event.button.id in ("mine", "theirs") else "")

    def action_choose(self, choice: str) -> None:
        self.dismiss("mine" if choice == "mine" else "theirs" if choice == "theirs" else None)
