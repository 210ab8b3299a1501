"""The column chooser (`c` on the deals screen): a checkbox for each optional column of the deals table.

The choice applies to the table at once, becomes the default in the settings file (``columns``), and is part
of a view saved afterwards. The table stays paged: a hidden column costs nothing, the alliances column one
query per page of rows.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static

from tracker.core.domain.columns import LABELS, OPTIONAL_COLUMNS
from tracker.ui.screens.confirm import CSS


class ColumnsScreen(ModalScreen[tuple[str, ...] | None]):
    """Tick the extra columns to show; returns them in display order, or None when cancelled."""

    DEFAULT_CSS = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="columns.cancel", tooltip="Keep the columns as they were"),
        Binding("ctrl+s", "apply", "Apply", id="columns.apply", tooltip="Show the ticked columns"),
    ]

    def __init__(self, shown: tuple[str, ...]) -> None:
        super().__init__()
        self.shown = shown

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Columns of the deals table", classes="dialog-title")
            yield Static(
                "Date, from, to, amount, USD, kind and status are always shown. Space ticks, ctrl+s applies; "
                "the choice is kept as the default and saved with a view.",
                classes="dialog-body",
            )
            for column in OPTIONAL_COLUMNS:
                yield Checkbox(LABELS[column], column in self.shown, id=f"column-{column}", compact=True)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Apply", id="apply", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Checkbox).focus()

    def chosen(self) -> tuple[str, ...]:
        return tuple(c for c in OPTIONAL_COLUMNS if self.query_one(f"#column-{c}", Checkbox).value)

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
