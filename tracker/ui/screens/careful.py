"""A yes/no question whose safe answer ("Back", "Keep editing") has the focus: enter does not discard work
or save a duplicate by accident. `y` still answers yes, `n` and escape no (as `ConfirmScreen`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import Button

from tracker.core.domain.text import visible
from tracker.ui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from textual.app import App

    from tracker.core.records.duplicates import Candidate


class CarefulScreen(ConfirmScreen):
    """`ConfirmScreen` with the "no" button focused."""

    def on_mount(self) -> None:
        # after ConfirmScreen's own on_mount (Textual runs both), which focuses "yes"
        self.call_after_refresh(self.query_one("#no", Button).focus)


def ask_discard(app: App[Any], discard: Callable[[], Any]) -> None:
    """Escape on a form with changes: ``discard()`` if the user says so."""

    def answered(yes: bool | None) -> None:
        if yes:
            discard()

    question = "Your changes to this form are not saved. Discard them?"
    app.push_screen(CarefulScreen("Discard changes?", question, yes="Discard", no="Keep editing"), answered)


def duplicate_question(found: list[Candidate]) -> CarefulScreen:
    """A new deal that looks like stored ones: show them and ask."""
    question = Text("This deal looks like one already stored:\n\n")
    for candidate in found:
        question.append(f"  {visible(candidate.label)}\n", style="bold")
        question.append(f"  ({candidate.reason})\n")
    question.append("\nSave it anyway, as another deal?")
    return CarefulScreen("Likely duplicate", question, yes="Save anyway", no="Back")
