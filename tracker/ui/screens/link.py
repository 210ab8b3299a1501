"""`l`: link the highlighted deal to an alliance or to another deal, or one of its organisations to an
alliance. Returns a `LinkRequest` (the app writes it in a worker and can undo it).

Names are data: the title and the organisation choices are `Text` (never markup: ``Nvidia [NVDA]`` shows
as typed, ``Acme [/x]`` cannot break the screen) with control characters shown escaped; an alliance whose
name holds control characters is not offered as a completion (it could not be typed, and a suggestion is
drawn as typed). A new alliance name with control characters is refused here, as the core refuses it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static

from tracker.core.domain.text import has_control, visible
from tracker.core.records.undo import LinkRequest
from tracker.ui.screens.confirm import CSS

LINK_KINDS: tuple[tuple[str, str], ...] = (
    ("This deal → an alliance", "deal-alliance"),
    ("This deal → another deal", "deal-deal"),
    ("An organisation of this deal → an alliance", "org-alliance"),
)
RELATIONS: tuple[tuple[str, str], ...] = (
    ("related to", "related"),
    ("part of (this deal is part of the other)", "part of"),
)


class LinkScreen(ModalScreen["LinkRequest | None"]):
    """Choose what to link; enter or the Link button returns the request, escape cancels."""

    DEFAULT_CSS = CSS + (
        "\nLinkScreen .link-row { height: 1; margin-bottom: 1; }"
        "\nLinkScreen .link-label { width: 14; color: $text-muted; }"
        "\nLinkScreen .link-row Input, LinkScreen .link-row Select { width: 1fr; }"
        "\nLinkScreen #link-problem { color: $text-error; height: auto; }"
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
    ) -> None:
        super().__init__()
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
                yield Label("Other deal #", classes="link-label")
                yield Input(placeholder="deal id, e.g. 2", restrict=r"[0-9]*", id="link-deal", compact=True)
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
        self.query_one("#row-relation").display = kind == "deal-deal"

    def request(self) -> LinkRequest | str:
        """The request, or a message saying what is missing."""
        kind = str(self.query_one("#link-kind", Select).value)
        if kind == "deal-deal":
            raw = self.query_one("#link-deal", Input).value.strip()
            if not raw:
                return "Other deal #: required"
            other = int(raw)
            if other == self.deal_id:
                return "Other deal #: a deal cannot be linked to itself"
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
    def action_link(self) -> None:
        request = self.request()
        if isinstance(request, str):
            self.query_one("#link-problem", Label).update(request)
            return
        self.dismiss(request)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
