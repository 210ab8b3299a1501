"""A virtual table that pages rows out of a database and renders only what is visible.

`PagedTable` never holds all rows. Its base, `PagedView` (tracker/ui/widgets/paged_view.py), asks a
`PageSource` (tracker/ui/widgets/table_data.py) for the row count, so the scrollbar is honest from the start,
and for pages of rows around the viewport, in thread workers, kept in one window of at most a few pages
(tracker/ui/widgets/table_window.py), so memory stays flat. This module draws them (the sticky header, the
rows, the loading and empty states), keeps the cursor and handles keys and the mouse.

Cell text is plain text: it is never parsed as markup, and it is padded and truncated by terminal cells
(tracker/ui/widgets/table_cells.py), so wide (CJK) characters keep the columns aligned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from tracker.ui.widgets.paged_view import PagedView
from tracker.ui.widgets.table_cells import column_widths, fit, one_line, widened
from tracker.ui.widgets.table_data import Column, PageSource, Row

__all__ = ["PagedTable"]


class PagedTable(PagedView, can_focus=True):
    """A keyboard-driven table over a `PageSource`, rendering only the visible lines."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    HELP_TITLE = "Moving in the list"

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paged-table--header",
        "paged-table--cursor",
        "paged-table--even-row",
        "paged-table--placeholder",
        "paged-table--message",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", id="paged-table.cursor-up"),
        Binding("down", "cursor_down", "Down", id="paged-table.cursor-down"),
        Binding("k", "cursor_up", "Up", show=False, id="paged-table.cursor-up-vim"),
        Binding("j", "cursor_down", "Down", show=False, id="paged-table.cursor-down-vim"),
        Binding("pageup", "page_up", "Page up", id="paged-table.page-up"),
        Binding("pagedown", "page_down", "Page down", id="paged-table.page-down"),
        Binding("ctrl+b", "page_up", "Page up", show=False, id="paged-table.page-up-vim"),
        Binding("ctrl+f", "page_down", "Page down", show=False, id="paged-table.page-down-vim"),
        Binding("home", "first_row", "First", id="paged-table.first-row"),
        Binding("end", "last_row", "Last", id="paged-table.last-row"),
        Binding("g", "first_row", "First", show=False, id="paged-table.first-row-vim"),
        Binding("G,shift+g", "last_row", "Last", show=False, id="paged-table.last-row-vim"),
        Binding("enter", "select_cursor", "Open", id="paged-table.select"),
    ]

    cursor_row: reactive[int] = reactive(0, init=False, always_update=True)
    """Index of the highlighted row under the current query."""

    sort_column: reactive[str | None] = reactive(None)
    """Key of the column the source sorts by (only draws a mark in the header)."""

    sort_reverse: reactive[bool] = reactive(False)
    """True when the sort is descending (▼ instead of ▲)."""

    @dataclass
    class RowHighlighted(Message):
        """The cursor moved. `row` is None while the row is still loading."""

        table: PagedTable
        index: int
        row: Row | None

        @property
        def control(self) -> PagedTable:
            return self.table

    @dataclass
    class RowSelected(Message):
        """Enter was pressed (or a highlighted row clicked) on a loaded row."""

        table: PagedTable
        index: int
        row: Row

        @property
        def control(self) -> PagedTable:
            return self.table

    @dataclass
    class HeaderSelected(Message):
        """A column label was clicked (the app may change the sort)."""

        table: PagedTable
        column: Column

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(
        self,
        source: PageSource | None = None,
        *,
        empty_text: str = "No deals match",
        loading_text: str = "Loading…",
        page_size: int = 100,
        max_column_width: int = 40,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Create a table.

        Args:
            source: Rows to show; may also be given later with `set_source`.
            empty_text: Shown when the query matches no rows.
            loading_text: Shown while the row count is unknown.
            page_size: Rows per fetch (raised to two screens if the screen is taller).
            max_column_width: Cap for widths computed from the first page.
        """
        super().__init__(source, page_size=page_size, name=name, id=id, classes=classes, disabled=disabled)
        self.empty_text = empty_text
        self.loading_text = loading_text
        self.max_column_width = max(1, max_column_width)
        self._columns: tuple[Column, ...] = tuple(source.columns) if source else ()
        self._widths: list[int] = []
        self._widths_measured = False
        self._announced: tuple[int, int | None, int] | None = None

    # ------------------------------------------------------------------ public API

    def set_source(self, source: PageSource) -> None:
        """Show rows from `source` (a new query): reset to the top and load in a thread."""
        self._source = source
        self._columns = tuple(source.columns)
        self._widths = []
        self._widths_measured = False
        self._reset(keep_position=False)

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns shown."""
        return self._columns

    @property
    def widths(self) -> tuple[int, ...]:
        """Each column's width in cells now (they follow every load: a new query, a refresh after a change)."""
        return tuple(self._column_widths())

    @property
    def current_row(self) -> Row | None:
        """The row under the cursor, or None when it is not loaded (or there are no rows)."""
        return self._window.row_at(self.cursor_row)

    def move_cursor_to_id(self, row_id: int) -> bool:
        """Move the cursor to the row with `row_id` if it is cached. Returns True if found."""
        index = self._window.index_of(row_id)
        if index is None:
            return False
        self.cursor_row = index
        return True

    # ------------------------------------------------------------------ paging hooks (see PagedView)

    def _load_from(self) -> int:
        return min(int(self.scroll_offset.y), self.cursor_row)

    def _query_reset(self, *, fresh: bool, keep_position: bool) -> None:
        if fresh:
            self._announced = None
        if not keep_position:
            self.set_reactive(PagedTable.cursor_row, 0)
            if self.is_mounted:
                self.scroll_to(0, 0, animate=False)
        self._update_virtual_size()
        self.refresh()

    def _count_changed(self) -> None:
        self._update_virtual_size()
        self.set_reactive(PagedTable.cursor_row, self.validate_cursor_row(self.cursor_row))

    def _first_rows_arrived(self, rows: Sequence[Row]) -> None:
        # Measured on the first window of every load (a new query, a refresh after a change: an added longer
        # name widens its column, a deleted one lets it shrink); later pages only widen them (_rows_arrived).
        self._widths = column_widths(self._columns, rows, self.max_column_width)
        self._widths_measured = True
        self._update_virtual_size()
        self.set_reactive(PagedTable.cursor_row, self.validate_cursor_row(self.cursor_row))
        self._scroll_cursor_into_view()
        self.refresh()
        self._announce_highlight()

    def _rows_arrived(self, rows: Sequence[Row]) -> None:
        if rows and self._widths_measured:  # computed columns widen for longer values (they never shrink)
            widths = widened(self._columns, self._widths, rows, self.max_column_width)
            if widths != self._widths:
                self._widths = widths
                self._update_virtual_size()
        self.refresh()
        self._announce_highlight()

    # ------------------------------------------------------------------ geometry

    def _column_widths(self) -> list[int]:
        if len(self._widths) != len(self._columns):
            self._widths = column_widths(self._columns, self._window.rows, self.max_column_width)
        return self._widths

    def _total_width(self) -> int:
        return sum(width + 2 for width in self._column_widths())

    def _update_virtual_size(self) -> None:
        # One line for the header, then one per row (or one for the loading/empty message).
        lines = 1 + max(1, self._count or 0)
        self.virtual_size = Size(self._total_width(), lines)

    # ------------------------------------------------------------------ rendering

    def render_line(self, y: int) -> Strip:
        """Render screen line `y`: the sticky header on line 0, then visible rows."""
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base_style = self.rich_style
        if y == 0:
            strip = self._render_header()
            style = self.get_component_rich_style("paged-table--header")
            return strip.crop_extend(scroll_x, scroll_x + width, style)
        index = scroll_y + y - 1
        if self._error is not None or self._count is None or self._count == 0:
            if index != 0:
                return Strip.blank(width, base_style)
            if self._error is not None:
                text = f"Could not load rows: {self._error}"
            elif self._count is None:
                text = self.loading_text
            else:
                text = self.empty_text
            style = self.get_component_rich_style("paged-table--message")
            line = " " + one_line(text)
            return Strip([Segment(line, style)], cell_len(line)).crop_extend(scroll_x, scroll_x + width, style)
        if index >= self._count:
            return Strip.blank(width, base_style)
        strip, style = self._render_row(index)
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    def _render_header(self) -> Strip:
        style = self.get_component_rich_style("paged-table--header")
        segments: list[Segment] = []
        for number, (column, width) in enumerate(zip(self._columns, self._column_widths(), strict=True)):
            label = column.label
            if column.key == self.sort_column and self.sort_column is not None:
                label = f"{label} {'▼' if self.sort_reverse else '▲'}"
            text = " " + fit(label, width, column.align) + " "
            segments.append(Segment(text, style + Style.from_meta({"header": number})))
        return Strip(segments, self._total_width())

    def _render_row(self, index: int) -> tuple[Strip, Style]:
        if index == self.cursor_row:
            style = self.get_component_rich_style("paged-table--cursor")
        elif index % 2:
            style = self.get_component_rich_style("paged-table--even-row")
        else:
            style = self.rich_style
        style += Style.from_meta({"row": index})
        row = self._window.row_at(index)
        if row is None:
            self._schedule_check()
            if index != self.cursor_row:
                placeholder = self.get_component_rich_style("paged-table--placeholder")
                style = style + Style(color=placeholder.color, italic=placeholder.italic)
            line = " …"
            return Strip([Segment(line, style)], cell_len(line)), style
        cells = row.cells
        parts: list[str] = []
        for number, (column, width) in enumerate(zip(self._columns, self._column_widths(), strict=True)):
            value = cells[number] if number < len(cells) else ""
            parts.append(" " + fit(value, width, column.align) + " ")
        line = "".join(parts)
        return Strip([Segment(line, style)], cell_len(line)), style

    def watch_sort_column(self) -> None:
        self.refresh()

    def watch_sort_reverse(self) -> None:
        self.refresh()

    # ------------------------------------------------------------------ cursor

    def validate_cursor_row(self, value: int) -> int:
        return max(0, min(value, (self._count or 0) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh_line(old + 1)  # + header line
        self.refresh_line(new + 1)
        self._scroll_cursor_into_view()
        self._announce_highlight()

    def _scroll_cursor_into_view(self) -> None:
        visible = self._visible_row_count()
        if visible <= 0:
            return
        top = int(self.scroll_offset.y)
        row = self.cursor_row
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False)

    def _announce_highlight(self) -> None:
        """Post RowHighlighted when the cursor moved or its row finished loading."""
        if self._count is None:
            return
        row = self.current_row if self._count else None
        state = (self.cursor_row, None if row is None else row.id, self._count)  # a new count is news too
        if state != self._announced:
            self._announced = state
            self.post_message(self.RowHighlighted(self, self.cursor_row, row))

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_down(self) -> None:
        page = max(1, self._visible_row_count())
        self.scroll_to(y=self.scroll_offset.y + page, animate=False)
        self.cursor_row += page

    def action_page_up(self) -> None:
        page = max(1, self._visible_row_count())
        self.scroll_to(y=max(0, self.scroll_offset.y - page), animate=False)
        self.cursor_row -= page

    def action_first_row(self) -> None:
        self.scroll_to(y=0, animate=False)
        self.cursor_row = 0

    def action_last_row(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False)
        self.cursor_row = (self._count or 0) - 1

    def action_select_cursor(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.RowSelected(self, self.cursor_row, row))

    # ------------------------------------------------------------------ events

    def _on_resize(self) -> None:
        self._scroll_cursor_into_view()
        self._schedule_check()

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "header" in meta:
            number = meta["header"]
            if 0 <= number < len(self._columns):
                self.post_message(self.HeaderSelected(self, self._columns[number]))
            return
        if "row" not in meta:
            return
        index = meta["row"]
        if index == self.cursor_row:
            self.action_select_cursor()
        else:
            self.cursor_row = index
