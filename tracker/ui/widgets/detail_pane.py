"""The detail pane: everything about the highlighted deal (or organisation, or alliance), as text.

Content is a Rich `Text` built from data with `append` (never markup), so names show as typed; a plain
`str` (a message, which may quote data) is shown with its control characters escaped.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tracker.core.domain.text import visible


class DetailPane(VerticalScroll):
    """A scrollable pane showing one record's details."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    def __init__(self, placeholder: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Static(Text(self._placeholder, style="dim"), classes="detail-body")

    def show(self, content: Text | str) -> None:
        """Show `content`; a plain `str` is shown as plain text, not markup."""
        body = self.query_one(".detail-body", Static)
        body.update(content if isinstance(content, Text) else Text(visible(content, lines=True), style="dim"))
        self.scroll_home(animate=False)

    @property
    def text(self) -> str:
        """The plain text shown (tests read this)."""
        content = self.query_one(".detail-body", Static).content
        return content.plain if isinstance(content, Text) else str(content)
