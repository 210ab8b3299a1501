"""`enter` on a deal: every field of it on its own screen, its parties with their aliases, its alliances, its
linked deals (enter opens one, escape comes back), its sources with its confidence (`a` adds one, `c` changes
the highlighted one, `x` removes it, `w` opens its URL in the browser, `y` copies the URL; each change undone
by `u`), its history (newest first; `h` hides it) and `e` to edit it. The deal is read with tracker/core/records/details.py in a thread worker and read again
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
    from tracker.core.domain.source_fields import SourceValues
    from tracker.core.records.details import DealDetail
    from tracker.core.records.sources import Confidence, Source
    from tracker.core.records.undo import UndoEntry
    from tracker.core.storage.handle import Database
    from tracker.ui.app import TrackerApp

__all__ = ["HISTORY_SHOWN", "DealViewScreen"]

HISTORY_SHOWN = 50
"""Changes of the deal its view shows (``tracker history DEAL`` prints every one)."""


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
        Binding("a", "add_source", "Add source", id="deal.source_add", tooltip="Add a source to this deal"),
        Binding(
            "c",
            "edit_source",
            "Change source",
            show=False,
            id="deal.source_edit",
            tooltip="Change the highlighted source",
        ),
        Binding(
            "x",
            "remove_source",
            "Remove source",
            show=False,
            id="deal.source_remove",
            tooltip="Remove the highlighted source (u puts it back)",
        ),
        Binding(
            "y",
            "copy_source",
            "Copy URL",
            show=False,
            id="deal.source_copy",
            tooltip="Copy the highlighted source's URL",
        ),
        Binding("l", "link", "Link", id="deal.link", tooltip="Link this deal to an alliance or another deal"),
        Binding(
            "enter",
            "open_link",
            "Open linked",
            id="deal.open_link",
            tooltip="Open the highlighted linked deal",
            priority=True,
        ),
        Binding(
            "h",
            "toggle_history",
            "History",
            show=False,
            id="deal.history",
            tooltip="Show or hide the deal's history (shown at first)",
        ),
        Binding("j", "scroll(1)", "Down", show=False, id="deal.down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="deal.up"),
    ]

    def __init__(self, db: Database, deal_id: int) -> None:
        super().__init__()
        self.db = db
        self.deal_id = deal_id
        self.detail: DealDetail | None = None
        self.sources: list[Source] = []
        self.history: list[str] = []
        self.history_shown = True
        """The deal's history as lines, newest first."""

    @property
    def tracker(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Deal #{self.deal_id} — esc goes back"), classes="deal-title", id="deal-title")
        with VerticalScroll(id="deal-scroll"):
            yield Static(Text("Loading…", style="dim"), id="deal-body")
        yield Static(Text("Sources"), id="deal-sources-title")
        yield OptionList(id="deal-sources")
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
        from tracker.core.records.history import lines, list_history
        from tracker.core.records.sources import deal_confidence, list_sources

        try:
            with self.db.read() as conn:
                detail = get_deal(conn, deal_id)
                sources = list_sources(conn, deal_id) if detail is not None else []
                confidence = deal_confidence(conn, deal_id) if detail is not None else None
                entries = list_history(conn, deal_id=deal_id, limit=HISTORY_SHOWN)
        except Exception as exc:
            self.app.call_from_thread(self._failed, visible(f"Could not load deal #{deal_id}: {exc}"))
            return
        self.history = [line for entry in entries for line in lines(entry)]
        self.app.call_from_thread(self._show_sources, sources, confidence)
        self.app.call_from_thread(self._show, detail)

    def _show_sources(self, sources: list[Source], confidence: Confidence | None) -> None:
        from tracker.ui.source_lines import source_option

        self.sources = sources
        listed = self.query_one("#deal-sources", OptionList)
        highlighted = listed.highlighted
        listed.clear_options()
        listed.add_options(source_option(s) for s in sources)
        listed.styles.height = min(len(sources), 6) + 2
        listed.display = bool(sources)
        title = f"Sources — {confidence or 'unsourced'} · a adds · c changes · x removes · w opens · y copies"
        self.query_one("#deal-sources-title", Static).update(Text(title))
        if sources:
            listed.highlighted = min(highlighted or 0, len(sources) - 1)

    @property
    def source(self) -> Source | None:
        """The highlighted source (the first when the list was never moved)."""
        at = self.query_one("#deal-sources", OptionList).highlighted
        return self.sources[at] if self.sources and at is not None and at < len(self.sources) else None

    def _failed(self, message: str) -> None:
        self.query_one("#deal-body", Static).update(Text(message))

    def _show(self, detail: DealDetail | None) -> None:
        from tracker.ui.formatting import deal_text

        self.detail = detail
        body = self.query_one("#deal-body", Static)
        links = self.query_one("#deal-links", OptionList)
        links.clear_options()
        if detail is None:
            body.update(
                Text(f"Deal #{self.deal_id} no longer exists (deleted; u brings it back).") + self._history_text()
            )
            self.query_one("#deal-links-title", Static).display = False
            links.display = False
            return
        body.update(deal_text(detail, links=False) + self._history_text())
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

    def action_toggle_history(self) -> None:
        self.history_shown = not self.history_shown
        self._show(self.detail)

    def _history_text(self) -> Text:
        """The deal's history, newest first (tracker/core/records/history.py), under its fields."""
        if not self.history_shown:
            return Text("\n\nHistory hidden (h shows it)", style="dim")
        text = Text("\n\nHistory (newest first, times in UTC; h hides it)\n", style="bold")
        if not self.history:
            text.append("No recorded change.", style="dim")
        for line in self.history:
            text.append(visible(line) + "\n")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_link":
            return self.detail is not None and bool(self.detail.links)
        if action == "open_source":
            return None if self.detail is None or not self._url() else True
        if action in ("edit_source", "remove_source", "copy_source"):
            return None if self.source is None else True
        return True

    @on(OptionList.OptionSelected, "#deal-links")
    def _link_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.tracker.open_deal_view(int(event.option.id))

    def action_open_link(self) -> None:
        if self.focused is self.query_one("#deal-sources", OptionList):
            self.action_edit_source()
            return
        links = self.query_one("#deal-links", OptionList)
        if links.highlighted is not None:
            option = links.get_option_at_index(links.highlighted)
            if option.id is not None:
                self.tracker.open_deal_view(int(option.id))

    def action_edit(self) -> None:
        self.tracker.open_deal_form(self.deal_id)

    def action_link(self) -> None:
        self.tracker.open_link_form(self.deal_id)

    def _url(self) -> str | None:
        source = self.source
        if source is not None and source.url:
            return source.url
        return self.detail.source_url if self.detail else None

    def action_open_source(self) -> None:
        url = self._url()
        if not url:
            self.notify("This deal has no source URL.", severity="warning", timeout=3)
            return
        if not url.startswith(("https://", "http://")):
            self.notify(visible(f"Not a web address, not opened: {url}"), severity="warning", markup=False)
            return
        self.app.open_url(url)
        self.notify(visible(f"Opening {url}"), timeout=3, markup=False)

    def action_copy_source(self) -> None:
        source = self.source
        if source is None or not source.url:
            self.notify("This source has no URL.", severity="warning", timeout=3)
            return
        self.app.copy_to_clipboard(source.url)
        self.notify(visible(f"Copied {source.url}"), timeout=3, markup=False)

    def action_add_source(self) -> None:
        self._source_form(None)

    def action_edit_source(self) -> None:
        if self.source is not None:
            self._source_form(self.source)

    def _source_form(self, source: Source | None) -> None:
        from tracker.ui.screens.source_form import SourceForm

        if self.tracker.writable_or_warning() is None:
            return
        title = f"Deal #{self.deal_id}: " + ("a new source" if source is None else f"source {source.id}")

        def saved(values: SourceValues | None) -> None:
            if values is not None:
                self._write_source("add" if source is None else "edit", source.id if source else self.deal_id, values)

        self.app.push_screen(SourceForm(title, source.values if source else None), saved)

    def action_remove_source(self) -> None:
        if self.source is not None and self.tracker.writable_or_warning() is not None:
            self._write_source("remove", self.source.id, None)

    @work(thread=True, group="deal-source-write", exit_on_error=False)
    def _write_source(self, what: str, target: int, values: SourceValues | None) -> None:
        """Add (``target``: the deal), edit or remove (the source) in a write transaction; kept for `u`."""
        from tracker.core.records import source_undo
        from tracker.ui.errors import user_message

        try:
            with self.db.write() as conn:
                if what == "remove":
                    entry: UndoEntry = source_undo.remove(conn, target)
                elif what == "edit" and values is not None:
                    entry = source_undo.edit(conn, target, values)
                else:
                    assert values is not None
                    entry = source_undo.add(conn, target, values)
        except Exception as exc:
            message = f"Source not saved: {user_message(exc)}"
            self.app.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        self.app.call_from_thread(self.tracker.record, entry, entry.label[0].upper() + entry.label[1:])

    def action_scroll(self, step: int) -> None:
        self.query_one("#deal-scroll", VerticalScroll).scroll_relative(y=step, animate=False)

    def action_back(self) -> None:
        self.dismiss(None)
