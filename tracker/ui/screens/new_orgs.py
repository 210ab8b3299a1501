"""The question the deal form asks before it creates organisations: each new name with what it may have
meant (a stored organisation whose name is close) or where it comes from (the reference list). It opens
with "Back" focused: enter returns to the form; creating takes `y` or the other button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from tracker.core.domain.text import visible
from tracker.ui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from tracker.core.domain.fields import DealValues


def new_org_notes(conn: Connection, values: DealValues, unknown: list[str]) -> dict[str, str]:
    """What to say beside each new name (read in the form's worker thread): ``did you mean Nvidia?`` or
    ``Nvidia, from the reference list``."""
    from tracker.core.records.reference import reference_for
    from tracker.core.records.resolve import close_parties, did_you_mean

    notes: dict[str, str] = {}
    for name in unknown:
        ref = reference_for(name)
        if ref is not None:
            notes[name] = f"known: {ref.name}, created from the reference list"
    for party in close_parties(conn, values):
        notes[party.name] = did_you_mean(party.candidates)
    return notes


def new_orgs_screen(unknown: list[str], notes: dict[str, str]) -> ConfirmScreen:
    """The confirmation, "Back" focused."""
    question = Text("These organisations are not in the database yet:\n\n")
    for name in unknown:
        question.append(f"  • {visible(name)}")
        if name in notes:
            question.append(f"  {visible(notes[name])}", style="bold")
        question.append("\n")
    question.append("\nCreate them and save the deal? (Back returns to the form.)")
    return ConfirmScreen("New organisations", question, yes="Create and save", no="Back", focus_no=True)
