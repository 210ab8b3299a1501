"""The alliances view's small form: a few named text fields, saved by a write the caller gives.

The write runs in a thread worker in one transaction; if the core refuses it (a name that is an existing
alliance's, an organisation that does not exist) the message is shown in the dialog, which stays open with
what was typed. On success the dialog returns the write's result (its undo and what to say). Names are data:
the title is `Text`, errors are shown with control characters escaped, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tracker.core.domain.text import visible
from tracker.ui.widgets.name_suggester import NameListSuggester

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from tracker.core.records.undo import UndoEntry
    from tracker.core.storage.handle import Database


@dataclass(frozen=True)
class FormField:
    """One text field: its key in the values given to the write, label, starting text and completions."""

    key: str
    label: str
    value: str = ""
    placeholder: str = ""
    suggester: NameListSuggester | None = None


@dataclass(frozen=True)
class Saved:
    """What a successful write returns: the undo for `u`, the message to show, the alliance to highlight."""

    undo: UndoEntry
    message: str
    select: int | None = None


Write = Callable[["Connection", dict[str, str]], Saved]


class AllianceFormScreen(ModalScreen["Saved | None"]):
    """``fields`` in a dialog; ctrl+s, enter or the save button writes, escape cancels."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="alliance_form.cancel"),
        Binding("ctrl+s", "save", "Save", id="alliance_form.save"),
    ]

    def __init__(self, db: Database, title: str, fields: list[FormField], write: Write, save: str = "Save") -> None:
        super().__init__()
        self.db = db
        self.title_text = title
        self.fields = fields
        self.write = write
        self.save_label = save
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(visible(self.title_text)), classes="dialog-title")
            for f in self.fields:
                with Horizontal(classes="prompt-row"):
                    yield Label(f.label, classes="prompt-label")
                    yield Input(
                        f.value, placeholder=f.placeholder, suggester=f.suggester, id=f"p-{f.key}", compact=True
                    )
            yield Label("", id="prompt-problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button(self.save_label, id="save", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#prompt-problem", Label).display = False
        self.query_one(Input).focus()

    def values(self) -> dict[str, str]:
        """What is typed, by field key."""
        return {f.key: self.query_one(f"#p-{f.key}", Input).value for f in self.fields}

    @property
    def problem(self) -> str:
        return str(self.query_one("#prompt-problem", Label).content)

    def _show_problem(self, message: str) -> None:
        label = self.query_one("#prompt-problem", Label)
        label.update(visible(message))
        label.display = bool(message)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self._show_problem("Saving…")
        self._save(self.values())

    @work(thread=True, exclusive=True, group="alliance-form", exit_on_error=False)
    def _save(self, values: dict[str, str]) -> None:
        try:
            with self.db.write() as conn:
                saved = self.write(conn, values)
        except Exception as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self.dismiss, saved)

    def _failed(self, exc: BaseException) -> None:
        from tracker.ui.errors import user_message

        self.saving = False
        self._show_problem(f"Not saved: {user_message(exc)}")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
