"""The status line: the database (password masked), the number of deals shown, the active filter. What
it shows may quote data (an organisation's name in the filter): control characters are shown escaped."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from tracker.core.domain.text import visible


class StatusLine(Static):
    """One line under the table."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("Opening database…"), id=id, markup=False)
        self.database = ""
        self.count: int | None = None
        self.filter = "none"
        self.sort = ""
        self.more = False
        self.as_of = ""
        """The as-of mode's "as of ..." (first on the line), or ""."""

    def set_state(
        self,
        *,
        database: str | None = None,
        count: int | None = None,
        filter: str | None = None,
        sort: str | None = None,
        more: bool | None = None,
        as_of: str | None = None,
    ) -> None:
        if as_of is not None:
            self.as_of = as_of
        if database is not None:
            self.database = database
        if count is not None:
            self.count = count
        if filter is not None:
            self.filter = filter
        if sort is not None:
            self.sort = sort
        if more is not None:
            self.more = more
        self.update(self.render_text())

    def render_text(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.as_of:
            text.append(visible(self.as_of), style="bold reverse")
            text.append(" · ", style="dim")
        elif not self.database:
            text.append("Opening database…")
            return text
        deals = "…" if self.count is None or self.count < 0 else f"{self.count:,}" + ("+" if self.more else "")
        text.append(f"{deals} deals", style="bold")
        text.append(" · filter: ", style="dim")
        text.append(visible(self.filter))
        if self.sort:
            text.append(" · sort: ", style="dim")
            text.append(visible(self.sort))
        if self.database:
            text.append(" · ", style="dim")
            text.append(visible(self.database), style="dim")
        return text

    def show_problem(self, message: str) -> None:
        self.update(Text(visible(message), style="bold"))
        self.add_class("-problem")
