"""`ListTable`: Textual's `DataTable` (rows as the cursor) with the list keys of the deals table: j/k, g/G,
Home/End, PgUp/PgDn, each binding with an id. The organisations, alliances and totals lists use it."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

__all__ = ["ListTable"]


class ListTable(DataTable[Any]):
    """A `DataTable` that moves like every other list of the app."""

    HELP_TITLE = "Moving in the list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="list.select", tooltip="Open the highlighted row"),
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("home,g", "scroll_top", "First", show=False, id="list.first"),
        Binding("end,G,shift+g", "scroll_bottom", "Last", show=False, id="list.last"),
    ]
