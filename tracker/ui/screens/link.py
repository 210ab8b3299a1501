"""`l`: link the highlighted deal to an alliance or to another deal, or one of its organisations to an
alliance. The screen writes the link itself (a thread worker) and returns its `UndoEntry`; a link the core
refuses (the deal itself, a deal deleted meanwhile) keeps the dialog open with the error inline.

The other deal is found by typing (parties, a date, words of the description: every word must match,
tracker/core/records/suggest.py): the matches are listed under the field; enter or a click on one chooses it.

Names are data: the title and the organisation choices are `Text` (never markup: ``Nvidia [NVDA]`` shows
as typed, ``Acme [/x]`` cannot break the screen) with control characters shown escaped; an alliance whose
name holds control characters is not offered as a completion (it could not be typed, and a suggestion is
drawn as typed). A new alliance name with control characters is refused here, as the core refuses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from tracker.core.domain.text import has_control, visible
from tracker.core.records.undo import LinkRequest, UndoEntry
from tracker.ui.screens.confirm import CSS

if TYPE_CHECKING:
    from tracker.core.storage.handle import Database

LINK_KINDS: tuple[tuple[str, str], ...] = (
    ("This deal → an alliance", "deal-alliance"),
    ("This deal → another deal", "deal-deal"),
    ("An organisation of this deal → an alliance", "org-alliance"),
)
RELATIONS: tuple[tuple[str, str], ...] = (
    ("related to", "related"),
    ("part of (this deal is part of the other)", "part of"),
)


class LinkScreen(ModalScreen[UndoEntry | None]):
    """Choose what to link; enter or the Link button writes it and returns its undo, escape cancels."""

    DEFAULT_CSS = CSS + (
        "\nLinkScreen .link-row { height: 1; margin-bottom: 1; }"
        "\nLinkScreen .link-label { width: 14; color: $text-muted; }"
        "\nLinkScreen .link-row Input, LinkScreen .link-row Select { width: 1fr; }"
        "\nLinkScreen #link-problem { color: $text-error; height: auto; }"
        "\nLinkScreen #row-choices { height: auto; max-height: 8; margin-bottom: 1; }"
        "\nLinkScreen #link-deal-choices { height: auto; max-height: 8; width: 1fr; }"
        "\nLinkScreen #link-deal-chosen { height: auto; margin-bottom: 1; }"
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="link.cancel"),
        Binding("ctrl+s", "link", "Link", id="link.save"),
    ]

    def __init__(
        self,
        deal_id: int,
        deal_label: str,
        parties: list[tuple[int, str]],
        alliances: list[str],
        kind: str = "deal-alliance",
        db: Database | None = None,
    ) -> None:
        """``db``: where the link is written (default: the app's open database)."""
        super().__init__()
        self.db = db
        self.other: tuple[int, str] | None = None
        """The other deal chosen (id, label)."""
        self.suggested: list[tuple[int, str]] = []
        self.saving = False
        self.deal_id = deal_id
        self.deal_label = deal_label
        self.parties = parties
        self.alliances = alliances
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Link: " + visible(self.deal_label)), classes="dialog-title")
            with Horizontal(classes="link-row"):
                yield Label("Link", classes="link-label")
                yield Select(LINK_KINDS, allow_blank=False, value=self.kind, id="link-kind", compact=True)
            with Horizontal(classes="link-row", id="row-org"):
                yield Label("Organisation", classes="link-label")
                options = [(Text(visible(name)), org_id) for org_id, name in self.parties]
                yield Select(options, allow_blank=False, id="link-org", compact=True)
            with Horizontal(classes="link-row", id="row-alliance"):
                yield Label("Alliance", classes="link-label")
                yield Input(
                    placeholder="existing or new alliance name",
                    suggester=SuggestFromList([a for a in self.alliances if not has_control(a)], case_sensitive=False),
                    id="link-alliance",
                    compact=True,
                )
            with Horizontal(classes="link-row", id="row-deal"):
                yield Label("Other deal", classes="link-label")
                yield Input(placeholder="type parties, a date, words of the description", id="link-deal", compact=True)
            with Horizontal(id="row-choices"):
                yield Label("", classes="link-label")
                yield OptionList(id="link-deal-choices", compact=True)
            yield Label("", id="link-deal-chosen", markup=False)
            with Horizontal(classes="link-row", id="row-relation"):
                yield Label("Relation", classes="link-label")
                yield Select(RELATIONS, allow_blank=False, id="link-relation", compact=True)
            yield Label("", id="link-problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Link", id="link", variant="primary", compact=True)

    def on_mount(self) -> None:
        self._show_rows()
        self.query_one("#link-kind", Select).focus()

    @on(Select.Changed, "#link-kind")
    def _show_rows(self) -> None:
        kind = self.query_one("#link-kind", Select).value
        self.query_one("#row-org").display = kind == "org-alliance"
        self.query_one("#row-alliance").display = kind in ("deal-alliance", "org-alliance")
        self.query_one("#row-deal").display = kind == "deal-deal"
        self.query_one("#row-choices").display = kind == "deal-deal" and bool(self.suggested)
        self.query_one("#link-deal-chosen").display = kind == "deal-deal"
        self.query_one("#row-relation").display = kind == "deal-deal"
        self._show_chosen()

    # ---------------------------------------------------------------- the other deal, by typing

    def _database(self) -> Database:
        db = self.db if self.db is not None else getattr(self.app, "db", None)
        assert db is not None, "the link screen needs an open database"
        return db

    @on(Input.Changed, "#link-deal")
    def _typed(self, event: Input.Changed) -> None:
        self.other = None
        self._search(event.value)

    @work(thread=True, exclusive=True, group="link-search", exit_on_error=False)
    def _search(self, typed: str) -> None:
        from tracker.core.records.suggest import suggest_deals

        try:
            with self._database().read() as conn:
                found = suggest_deals(conn, typed, exclude=self.deal_id)
        except Exception as exc:
            self.app.call_from_thread(self._problem, f"Could not search: {exc}")
            return
        self.app.call_from_thread(self._suggest, typed, found)

    def _suggest(self, typed: str, found: list[tuple[int, str]]) -> None:
        if typed != self.query_one("#link-deal", Input).value:
            return  # typed on meanwhile: a newer search is coming
        self.suggested = found
        choices = self.query_one("#link-deal-choices", OptionList)
        choices.clear_options()
        choices.add_options([Option(Text(visible(label)), id=str(deal_id)) for deal_id, label in found])
        if found:
            choices.highlighted = 0
        self._show_rows()
        if typed.strip() and not found:
            self._problem("Other deal: no deal matches every word typed")
        else:
            self._problem("")

    @on(OptionList.OptionSelected, "#link-deal-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)
        self.query_one("#link-relation", Select).focus()

    def _choose(self, index: int) -> None:
        if 0 <= index < len(self.suggested):
            self.other = self.suggested[index]
            self._problem("")
        self._show_chosen()

    def _show_chosen(self) -> None:
        label = self.query_one("#link-deal-chosen", Label)
        label.update("→ " + visible(self.other[1]) if self.other else "no deal chosen yet: type, then pick one below")

    def _problem(self, message: str) -> None:
        self.query_one("#link-problem", Label).update(message)

    def on_key(self, event: Any) -> None:
        """Down from the search field goes into its matches."""
        if event.key == "down" and self.focused is self.query_one("#link-deal", Input) and self.suggested:
            self.query_one("#link-deal-choices", OptionList).focus()
            event.stop()

    def request(self) -> LinkRequest | str:
        """The request, or a message saying what is missing."""
        kind = str(self.query_one("#link-kind", Select).value)
        if kind == "deal-deal":
            if self.other is None:
                return "Other deal: required (type parties, a date or words, then pick one of the matches)"
            other = self.other[0]
            if other == self.deal_id:
                return "Other deal: a deal cannot be linked to itself"
            relation = str(self.query_one("#link-relation", Select).value)
            return LinkRequest(kind, self.deal_id, other_deal_id=other, relation=relation)
        alliance = self.query_one("#link-alliance", Input).value.strip()
        if not alliance:
            return "Alliance: required"
        if has_control(alliance):
            return f"Alliance '{visible(alliance)}': a name cannot hold control characters"
        org = self.query_one("#link-org", Select).value
        org_id = org if kind == "org-alliance" and isinstance(org, int) else None
        return LinkRequest(kind, self.deal_id, alliance=alliance, org_id=org_id)

    @on(Button.Pressed, "#link")
    @on(Input.Submitted)
    def action_link(self, event: Any = None) -> None:
        is_search = isinstance(event, Input.Submitted) and event.input.id == "link-deal"
        if is_search and self.other is None and self.suggested:  # enter in the search: its highlighted match
            highlighted = self.query_one("#link-deal-choices", OptionList).highlighted
            self._choose(highlighted or 0)
            return
        request = self.request()
        if isinstance(request, str):
            self._problem(request)
            return
        if not self.saving:
            self.saving = True
            self._problem("Linking…")
            self._write(request)

    @work(thread=True, exclusive=True, group="link-write", exit_on_error=False)
    def _write(self, request: LinkRequest) -> None:
        """The write (in the worker thread): a refusal or a database error stays in the dialog."""
        from tracker.core.records import undo as ops
        from tracker.ui.errors import user_message

        try:
            with self._database().write() as conn:
                entry = ops.link(conn, request)
        except Exception as exc:
            self.app.call_from_thread(self._failed, f"Not linked: {user_message(exc)}")
            return
        self.app.call_from_thread(self.dismiss, entry)

    def _failed(self, message: str) -> None:
        self.saving = False
        self._problem(message)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
