"""The deal form's alliances: their completion, read from the database when the form opens, and the
question asked before a new alliance is created.

A name that differs from an existing alliance only by case, the kind of dash or spacing is that alliance
(tracker/core/domain/names.py, ``alliance_key``) and is never asked about. A name that is new is listed,
with the existing alliances whose names are close to it, and the dialog opens on "Back" (enter does not
create by accident); "Create and save" creates it with the deal.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.events import Mount

from tracker.core.domain.names import alliance_key
from tracker.core.domain.text import visible
from tracker.ui.screens.confirm import ConfirmScreen
from tracker.ui.widgets.name_suggester import NameListSuggester

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

    from tracker.core.storage.handle import Database


def alliance_suggester() -> NameListSuggester:
    """A completion of alliance names by their key (filled by :func:`load_alliance_names`)."""
    return NameListSuggester(key=alliance_key)


def load_alliance_names(node: DOMNode, db: Database, suggester: NameListSuggester) -> None:
    """Read every alliance name in a thread worker of ``node`` into ``suggester`` (a failure leaves it empty:
    the save reports database problems)."""

    def read() -> None:
        from tracker.core.records.alliances import alliance_names

        with db.read() as conn:
            suggester.set_names(alliance_names(conn))

    node.run_worker(read, thread=True, group="alliance-names", exit_on_error=False)


class NewAlliancesScreen(ConfirmScreen):
    """The confirmation of new alliances: "Back" has the focus."""

    @on(Mount)
    def _focus_back(self, event: Mount) -> None:
        event.prevent_default()  # not ConfirmScreen's on_mount, which focuses "Create"
        self.query_one("#no").focus()


def close_names(name: str, existing: list[str], n: int = 3) -> list[str]:
    """Up to ``n`` existing names close to ``name`` (compared by their keys), closest first."""
    by_key = {alliance_key(e): e for e in existing}
    return [by_key[k] for k in difflib.get_close_matches(alliance_key(name), list(by_key), n=n, cutoff=0.6)]


def ask_new_alliances(
    app: App[Any], names: list[str], existing: list[str], confirmed: Callable[[], None], declined: Callable[[], None]
) -> None:
    """Ask before creating the alliances ``names``; ``confirmed`` or ``declined`` runs with the answer."""
    question = Text("These alliances are not in the database yet:\n\n")
    for name in names:
        question.append(f"  • {visible(name)}\n", style="bold")
        close = close_names(name, existing)
        if close:
            question.append("    close to: " + ", ".join(visible(c) for c in close) + "\n")
    question.append("\nCreate them and save the deal? (Back: fix the names in the form)")

    def answered(yes: bool | None) -> None:
        (confirmed if yes else declined)()

    app.push_screen(NewAlliancesScreen("New alliances", question, yes="Create and save", no="Back"), answered)
