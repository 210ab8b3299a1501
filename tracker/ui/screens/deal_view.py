"""`enter` on a deal: every field of it on its own screen, its parties with their aliases, its alliances, its
linked deals (enter opens one, escape comes back), its source with the URL (`w` opens it in the browser)
and `e` to edit it. The deal is read with tracker/core/records/details.py in a thread worker and read again
after every change (the app calls `refresh_data`). Data is shown as `Text`, never markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tracker.core.domain.text import visible
from tracker.ui.widgets.footer import TrackerFooter

if TYPE_CHECKING:
    from tracker.core.records.details import DealDetail
    from tracker.core.storage.handle import Database
    from tracker.ui.app import TrackerApp

__all__ = ["DealViewScreen"]


class DealViewScreen(Screen[None]):
    """One deal in full."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    HELP_TITLE = "Deal"
    FOOTER_KEYS: ClassVar[tuple[str, ...]] = ("deal.open_link", "deal.edit", "deal.source", "deal.link", "deal.back")
    """The footer's keys, most used first (tracker/ui/keys.py)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="deal.back", tooltip="Back where you came from"),
        Binding("e", "edit", "Edit", id="deal.edit", tooltip="Edit this deal"),
        Binding("w", "open_source", "Source URL", id="deal.source", tooltip="Open the source's URL in the browser"),
        Binding("l", "link", "Link", id="deal.link", tooltip="Link this deal to an alliance or another deal"),
        Binding(
            "enter",
            "open_link",
            "Open linked",
            id="deal.open_link",
            tooltip="Open the highlighted linked deal",
            priority=True,
        ),
        Binding("j", "scroll(1)", "Down", show=False, id="deal.down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="deal.up"),
    ]

    def __init__(self, db: Database, deal_id: int) -> None:
        super().__init__()
        self.db = db
        self.deal_id = deal_id
        self.detail: DealDetail | None = None

    @property
    def tracker(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Deal #{self.deal_id} — esc goes back"), classes="deal-title", id="deal-title")
        with VerticalScroll(id="deal-scroll"):
            yield Static(Text("Loading…", style="dim"), id="deal-body")
        yield Static(Text("Linked deals — enter opens one"), id="deal-links-title")
        yield OptionList(id="deal-links")
        yield TrackerFooter()

    def on_mount(self) -> None:
        self.refresh_data()

    @property
    def text(self) -> str:
        """The deal as plain text (tests read this)."""
        content = self.query_one("#deal-body", Static).content
        return content.plain if isinstance(content, Text) else str(content)

    def refresh_data(self) -> None:
        """Read the deal again (after a change anywhere, or `r`)."""
        self._load(self.deal_id)

    @work(thread=True, exclusive=True, group="deal-view", exit_on_error=False)
    def _load(self, deal_id: int) -> None:
        from tracker.core.records.details import get_deal

        try:
            with self.db.read() as conn:
                detail = get_deal(conn, deal_id)
        except Exception as exc:
            self.app.call_from_thread(self._failed, visible(f"Could not load deal #{deal_id}: {exc}"))
            return
        self.app.call_from_thread(self._show, detail)

    def _failed(self, message: str) -> None:
        self.query_one("#deal-body", Static).update(Text(message))

    def _show(self, detail: DealDetail | None) -> None:
        from tracker.ui.formatting import deal_text

        self.detail = detail
        body = self.query_one("#deal-body", Static)
        links = self.query_one("#deal-links", OptionList)
        links.clear_options()
        if detail is None:
            body.update(Text(f"Deal #{self.deal_id} no longer exists (deleted; u brings it back)."))
            self.query_one("#deal-links-title", Static).display = False
            links.display = False
            return
        body.update(deal_text(detail, links=False))
        links.add_options(
            Option(Text(f"{link.relation}: ") + Text(visible(link.label)), id=str(link.id)) for link in detail.links
        )
        has_links = bool(detail.links)
        self.query_one("#deal-links-title", Static).display = has_links
        links.display = has_links
        links.styles.height = min(len(detail.links), 8) + 2
        (links if has_links else self.query_one("#deal-scroll", VerticalScroll)).focus()
        if has_links and links.highlighted is None:
            links.highlighted = 0
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_link":
            return self.detail is not None and bool(self.detail.links)
        if action == "open_source":
            return None if self.detail is None or not self.detail.source_url else True
        return True

    @on(OptionList.OptionSelected, "#deal-links")
    def _link_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.tracker.open_deal_view(int(event.option.id))

    def action_open_link(self) -> None:
        links = self.query_one("#deal-links", OptionList)
        if links.highlighted is not None:
            option = links.get_option_at_index(links.highlighted)
            if option.id is not None:
                self.tracker.open_deal_view(int(option.id))

    def action_edit(self) -> None:
        self.tracker.open_deal_form(self.deal_id)

    def action_link(self) -> None:
        self.tracker.open_link_form(self.deal_id)

    def action_open_source(self) -> None:
        url = self.detail.source_url if self.detail else None
        if not url:
            self.notify("This deal has no source URL.", severity="warning", timeout=3)
            return
        if not url.startswith(("https://", "http://")):
            self.notify(visible(f"Not a web address, not opened: {url}"), severity="warning", markup=False)
            return
        self.app.open_url(url)
        self.notify(visible(f"Opening {url}"), timeout=3, markup=False)

    def action_scroll(self, step: int) -> None:
        self.query_one("#deal-scroll", VerticalScroll).scroll_relative(y=step, animate=False)

    def action_back(self) -> None:
        self.dismiss(None)
