"""`M` on the organisations list: merge the highlighted organisation into another, chosen by typing its name
(completed as it is typed, with the names that match listed below). Returns the merge's `MergeResult` (its
undo goes on the app's stack), or None.

The merge runs in a thread worker through tracker/core/records/org_merge.py; a refusal (no such
organisation, the same one, deals that would have one organisation on both sides) is shown in the dialog,
which stays open with what was typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static

from tracker.core.domain.names import name_key
from tracker.core.domain.text import has_control, visible

if TYPE_CHECKING:
    from tracker.core.records.org_merge import MergeResult  # noqa: F401  (the result type, named in a string)
    from tracker.core.storage.handle import Database

CSS = Path(__file__).with_name("org_dialogs.tcss").read_text(encoding="utf-8")
SHOWN_MATCHES = 6


def matching_names(names: list[str], typed: str, limit: int = SHOWN_MATCHES) -> list[str]:
    """Up to ``limit`` of ``names`` whose look-up key holds what was typed, those starting with it first."""
    key = name_key(typed)
    if not key:
        return []
    found = [n for n in names if key in name_key(n)]
    found.sort(key=lambda n: (not name_key(n).startswith(key), name_key(n)))
    return found[:limit]


class OrgMergeScreen(ModalScreen["MergeResult | None"]):
    """Type the organisation to merge into; enter (or Merge) merges, escape cancels."""

    DEFAULT_CSS = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="org-merge.cancel"),
        Binding("ctrl+s", "merge", "Merge", id="org-merge.save"),
    ]

    def __init__(self, db: Database, org_id: int, name: str, deals: int, names: list[str]) -> None:
        super().__init__()
        self.db = db
        self.org_id = org_id
        self.org_name = name
        self.deals = deals
        self.names = [n for n in names if not has_control(n)]
        self.merging = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Merge " + visible(self.org_name) + " into another organisation"), classes="dialog-title")
            yield Static(
                Text(
                    f"Its {self.deals} deal{'s' if self.deals != 1 else ''}, alliances, aliases and children move to "
                    "the other, which keeps its names as aliases and takes the fields it lacks; then it is "
                    "deleted. u undoes the merge."
                ),
                classes="org-note",
            )
            with Horizontal(classes="org-row"):
                yield Label("Merge into", classes="org-label")
                yield Input(
                    placeholder="the organisation to keep (name or alias)",
                    suggester=SuggestFromList(self.names, case_sensitive=False),
                    id="merge-into",
                    compact=True,
                )
            yield Label("", id="merge-matches", classes="org-note", markup=False)
            yield Label("", id="merge-problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Merge", id="merge", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#merge-problem", Label).display = False
        self.query_one("#merge-into", Input).focus()

    @on(Input.Changed, "#merge-into")
    def _matches(self, event: Input.Changed) -> None:
        found = matching_names(self.names, event.value)
        label = self.query_one("#merge-matches", Label)
        label.update(visible("matches: " + ", ".join(found)) if found else ("no match" if event.value.strip() else ""))
        self.set_problem("")

    def set_problem(self, message: str) -> None:
        label = self.query_one("#merge-problem", Label)
        label.update(visible(message))
        label.display = bool(message)

    @property
    def problem(self) -> str:
        return str(self.query_one("#merge-problem", Label).content)

    @on(Button.Pressed, "#merge")
    @on(Input.Submitted, "#merge-into")
    def action_merge(self) -> None:
        if self.merging:
            return
        target = self.query_one("#merge-into", Input).value
        if not target.strip():
            self.set_problem("Merge into: required (type the organisation to keep)")
            return
        self.merging = True
        self.set_problem("Merging…")
        self._write(target)

    @work(thread=True, exclusive=True, group="org-merge", exit_on_error=False)
    def _write(self, target: str) -> None:
        from tracker.core.records.org_merge import merge_orgs
        from tracker.core.records.org_state import resolve_org

        try:
            with self.db.write() as conn:
                result = merge_orgs(conn, self.org_id, resolve_org(conn, target, "merge into"))
        except Exception as exc:
            from tracker.ui.errors import user_message

            self.app.call_from_thread(self._failed, user_message(exc))
            return
        self.app.call_from_thread(self.dismiss, result)

    def _failed(self, message: str) -> None:
        self.merging = False
        self.set_problem(f"Not merged: {message}")
        self.query_one("#merge-into", Input).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
