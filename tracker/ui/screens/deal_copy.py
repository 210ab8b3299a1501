"""The deals screen's copy and link keys: `y` copies the highlighted deal, `Y` the filtered view, `w` opens
the deal's source URL.

The text copied is the deals CSV as ``tracker export`` writes it (tracker/core/csvio/filtered.py): `y` the
deal's line without the header or a line end (it pastes into a cell or a chat as one line), `Y` the header
and the lines of the view's deals in the table's order, each ending in CRLF as in the export, at most
:data:`COPY_LIMIT` of them. Both go through ``App.copy_to_clipboard`` (OSC 52: the terminal sets the
clipboard, over SSH too; in ``tracker serve`` the browser's clipboard).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from tracker.core.domain.text import visible

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from tracker.core.csvio.filtered import CopiedDeals
    from tracker.ui.app import TrackerApp
    from tracker.ui.sources.query import DealQuery
    from tracker.ui.widgets.paged_table import PagedTable

__all__ = ["COPY_LIMIT", "DealCopyKeys"]

COPY_LIMIT = 1000
"""`Y` copies at most this many deals: OSC 52 sends the text base64-encoded in one escape sequence, and
terminals cap it (a thousand deals are about 400 KB; several terminals refuse more than 1 MB)."""


class DealCopyKeys(Screen[None]):
    """`y`, `Y` and `w` of the deals screen (mixed into MainScreen, which has ``table`` and ``deal_query``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "copy_deal", "Copy", show=False, id="main.copy",
                tooltip="Copy the highlighted deal as a CSV line (the export's columns, no header)"),
        Binding("Y,shift+y", "copy_view", "Copy all", show=False, id="main.copy-all",
                tooltip=f"Copy the deals shown as CSV with the header (the first {COPY_LIMIT:,} at most)"),
        Binding("w", "open_source", "Source URL", show=False, id="main.source",
                tooltip="Open the highlighted deal's source URL in the browser"),
    ]  # fmt: skip

    deal_query: DealQuery

    @property
    def tracker(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    @property
    def table(self) -> PagedTable:
        raise NotImplementedError

    def highlighted_id(self) -> int | None:
        """The highlighted deal's id, or None (said in a notification: no database, no deal highlighted)."""
        if self.tracker.db is None:
            self.notify("No database is open.", severity="warning")
            return None
        row = self.table.current_row
        if row is None:
            self.notify("No deal highlighted.", severity="warning")
            return None
        return row.id

    def action_copy_deal(self) -> None:
        deal_id = self.highlighted_id()
        if deal_id is None:
            return
        from tracker.core.csvio.filtered import deal_line

        def copy(line: str | None) -> None:
            if line is None:
                self.notify(f"Deal #{deal_id} no longer exists (r refreshes).", severity="warning")
                return
            self.app.copy_to_clipboard(line)
            self.notify(f"Copied deal #{deal_id} as a CSV line (the columns of tracker export).", timeout=3)

        self.tracker.db_call(lambda conn: deal_line(conn, deal_id), copy, title="Not copied")

    def action_copy_view(self) -> None:
        if self.tracker.db is None:
            self.notify("No database is open.", severity="warning")
            return
        from tracker.core.csvio.filtered import deals_csv

        q = self.deal_query
        f = q.to_filter()

        def read(conn: Connection) -> CopiedDeals:
            return deals_csv(conn, f, sort=q.sort, descending=q.descending, limit=COPY_LIMIT)

        def copy(copied: CopiedDeals) -> None:
            self.app.copy_to_clipboard(copied.text)
            self.notify(copied_message(copied), timeout=5)

        self.tracker.db_call(read, copy, title="Not copied")

    def action_open_source(self) -> None:
        deal_id = self.highlighted_id()
        if deal_id is None:
            return
        from tracker.core.records.details import get_deal

        def opened(url: str | None) -> None:
            if not url:
                self.notify(f"Deal #{deal_id} has no source URL.", severity="warning", timeout=3)
            elif not url.startswith(("https://", "http://")):
                self.notify(visible(f"Not a web address, not opened: {url}"), severity="warning", markup=False)
            else:
                self.app.open_url(url)
                self.notify(visible(f"Opening {url}"), timeout=3, markup=False)

        def read(conn: Connection) -> str | None:
            detail = get_deal(conn, deal_id)
            return detail.source_url if detail is not None else None

        self.tracker.db_call(read, opened, title="Cannot open the source")


def copied_message(copied: CopiedDeals) -> str:
    """What `Y` says it copied: every deal, or the first of how many and why."""
    if copied.copied < copied.total:
        return (
            f"Copied {copied.copied:,} of {copied.total:,} deals as CSV (the first {copied.copied:,}: the "
            "clipboard limit; tracker export --view writes them all)."
        )
    return f"Copied {copied.copied:,} deal{'s' if copied.copied != 1 else ''} as CSV, with the header."
