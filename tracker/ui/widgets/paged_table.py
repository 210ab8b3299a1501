"""A virtual table that pages rows out of a database and renders only what is visible.

`PagedTable` never holds all rows. It asks a `PageSource` for the row count (so the
scrollbar is honest from the start) and for pages of rows around the viewport: keyset
pages (`page_after` / `page_before`) for sequential scrolling and `page_at` (OFFSET) only
for big jumps. Every source call runs in a thread worker; results come back to the UI
thread as messages and are dropped when a newer query (generation) has been requested
since. The cache is a single window of at most a few pages, so memory stays flat.

Cell text is plain text: it is never parsed as markup, and it is padded and truncated by
terminal cells (`rich.cells`), so wide (CJK) characters keep the columns aligned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

__all__ = ["Align", "Column", "PageSource", "PagedTable", "Row"]

Align = Literal["left", "right"]

_CONTROL_CHARACTERS = {code: " " for code in (*range(32), 127)}
"""Control characters (newline, tab, escape...) become spaces: one row is one line."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the table.

    Attributes:
        key: Identifies the column (e.g. the sort key the app uses).
        label: Header text (plain text, never markup).
        width: Fixed width in cells, or None to size from the label and the loaded rows
            (measured on the first page, then only widened, up to `max_column_width`).
        align: "left" or "right" (amounts).
    """

    key: str
    label: str
    width: int | None = None
    align: Align = "left"


@dataclass(frozen=True, slots=True)
class Row:
    """A row supplied by a `PageSource`.

    Attributes:
        key: Opaque keyset cursor (e.g. `(date, id)`), passed back to `page_after`/`page_before`.
        id: Identity of the record (e.g. the deal id).
        cells: Already formatted plain text, one per column. Never interpreted as markup.
    """

    key: Any
    id: int
    cells: tuple[str, ...]


class PageSource(Protocol):
    """Supplies rows to the table. Called from a thread worker (blocking calls are fine), except that a
    source with a true ``in_memory`` attribute has its first window read on the UI thread (no thread hop
    for rows already in hand)."""

    @property
    def columns(self) -> Sequence[Column]:
        """The columns, in display order."""
        ...

    def count(self) -> int:
        """Number of rows under the current query."""
        ...

    def page_after(self, key: Any | None, limit: int) -> Sequence[Row]:
        """Rows strictly after sort key `key` (None = from the start), in display order."""
        ...

    def page_before(self, key: Any, limit: int) -> Sequence[Row]:
        """Rows strictly before sort key `key`, returned in display order."""
        ...

    def page_at(self, index: int, limit: int) -> Sequence[Row]:
        """Rows from position `index` (may use OFFSET); used only for big jumps."""
        ...


def _fit(value: str, width: int, align: Align) -> str:
    """Pad or truncate plain text to exactly `width` cells."""
    if width <= 0:
        return ""
    value = value.translate(_CONTROL_CHARACTERS)
    length = cell_len(value)
    if length > width:
        if width == 1:
            return set_cell_size(value, 1)
        # set_cell_size pads with a space when it cuts a wide character in half.
        return set_cell_size(value, width - 1) + "…"
    if align == "right":
        return " " * (width - length) + value
    return value + " " * (width - length)


# Private messages: worker threads hand results to the UI thread with post_message,
# which is thread-safe and never blocks the worker (unlike call_from_thread).


class _CountLoaded(Message, bubble=False):
    def __init__(self, generation: int, count: int, start: int, rows: list[Row]) -> None:
        super().__init__()
        self.generation = generation
        self.count = count
        self.start = start
        self.rows = rows


class _PageFetched(Message, bubble=False):
    def __init__(self, generation: int, request_id: int, kind: str, anchor: Any, index: int, rows: list[Row]) -> None:
        super().__init__()
        self.generation = generation
        self.request_id = request_id
        self.kind = kind
        self.anchor = anchor
        self.index = index
        self.rows = rows


class _FetchFailed(Message, bubble=False):
    def __init__(self, generation: int, request_id: int | None, error: BaseException) -> None:
        super().__init__()
        self.generation = generation
        self.request_id = request_id
        self.error = error


@dataclass(frozen=True, slots=True)
class _Request:
    """A window fetch in flight."""

    request_id: int
    kind: Literal["after", "before", "at"]
    index: int
    limit: int


class PagedTable(ScrollView, can_focus=True):
    """A keyboard-driven table over a `PageSource`, rendering only the visible lines."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

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

    class RowHighlighted(Message):
        """The cursor moved. `row` is None while the row is still loading."""

        def __init__(self, table: PagedTable, index: int, row: Row | None) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.row = row

        @property
        def control(self) -> PagedTable:
            return self.table

    class RowSelected(Message):
        """Enter was pressed (or a highlighted row clicked) on a loaded row."""

        def __init__(self, table: PagedTable, index: int, row: Row) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.row = row

        @property
        def control(self) -> PagedTable:
            return self.table

    class HeaderSelected(Message):
        """A column label was clicked (the app may change the sort)."""

        def __init__(self, table: PagedTable, column: Column) -> None:
            super().__init__()
            self.table = table
            self.column = column

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
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.empty_text = empty_text
        self.loading_text = loading_text
        self.page_size = max(1, page_size)
        self.max_column_width = max(1, max_column_width)
        self._source: PageSource | None = source
        self._columns: tuple[Column, ...] = tuple(source.columns) if source else ()
        self._widths: list[int] = []
        self._widths_measured = False
        self._generation = 0
        self._count: int | None = None
        self._loading = False
        self._error: str | None = None
        self._start = 0
        self._rows: list[Row] = []
        self._request_counter = 0
        self._pending: _Request | None = None
        self._announced: tuple[int, int | None] | None = None
        self._check_scheduled = False

    # ------------------------------------------------------------------ public API

    def set_source(self, source: PageSource) -> None:
        """Show rows from `source` (a new query): reset to the top and load in a thread."""
        self._source = source
        self._columns = tuple(source.columns)
        self._widths = []
        self._widths_measured = False
        self._reset(keep_position=False)

    def refresh_data(self) -> None:
        """Reload the current source (rows changed): keep the cursor position if possible."""
        if self._source is not None:
            self._reset(keep_position=True)

    @property
    def source(self) -> PageSource | None:
        """The current source."""
        return self._source

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns shown."""
        return self._columns

    @property
    def row_count(self) -> int:
        """Number of rows under the current query (0 while loading)."""
        return self._count or 0

    @property
    def is_loading(self) -> bool:
        """True while the row count is unknown (a new query is loading).

        Not called `loading`: `Widget.loading` is Textual's loading-indicator reactive.
        """
        return self._count is None and self._error is None

    @property
    def is_busy(self) -> bool:
        """True while any database work for this table is in flight (tests wait on this)."""
        return self._loading or self._pending is not None

    @property
    def error(self) -> str | None:
        """The last load error, if the source raised."""
        return self._error

    @property
    def current_row(self) -> Row | None:
        """The row under the cursor, or None when it is not loaded (or there are no rows)."""
        return self.get_row_at(self.cursor_row)

    def get_row_at(self, index: int) -> Row | None:
        """The row at `index` if it is in the cache window, else None."""
        offset = index - self._start
        if 0 <= offset < len(self._rows):
            return self._rows[offset]
        return None

    def move_cursor_to_id(self, row_id: int) -> bool:
        """Move the cursor to the row with `row_id` if it is cached. Returns True if found."""
        for offset, row in enumerate(self._rows):
            if row.id == row_id:
                self.cursor_row = self._start + offset
                return True
        return False

    # ------------------------------------------------------------------ loading

    def _reset(self, *, keep_position: bool, start: bool | None = None) -> None:
        self._generation += 1
        self._pending = None
        if not (keep_position and self._count is not None and self._error is None):
            self._count = None
            self._rows = []
            self._start = 0
            self._announced = None
        # else: a refresh keeps showing the old rows until the new ones land (no flicker).
        self._error = None
        if not keep_position:
            self.set_reactive(PagedTable.cursor_row, 0)
            if self.is_mounted:
                self.scroll_to(0, 0, animate=False)
        self._update_virtual_size()
        self.refresh()
        if self.is_mounted if start is None else start:
            self._start_load()

    def _start_load(self) -> None:
        if self._source is None:
            return
        self._loading = True
        limit = self._page_limit() * 2
        index = max(0, min(int(self.scroll_offset.y), self.cursor_row) - limit // 4)
        if getattr(self._source, "in_memory", False):  # rows already in hand: no thread, no wait
            self.post_message(self._first_window(self._generation, self._source, index, limit))
            return
        self._load(self._generation, self._source, index, limit)

    @work(thread=True, exclusive=True, group="paged-table", exit_on_error=False)
    def _load(self, generation: int, source: PageSource, index: int, limit: int) -> None:
        """Count rows and fetch the first window (thread worker)."""
        message = self._first_window(generation, source, index, limit)
        if isinstance(message, _FetchFailed) or not get_current_worker().is_cancelled:
            self.post_message(message)

    @staticmethod
    def _first_window(generation: int, source: PageSource, index: int, limit: int) -> Message:
        """The row count and the first window around ``index``, or what went wrong."""
        try:
            count = source.count()
            start = max(0, min(index, count - limit))
            rows = list(source.page_after(None, limit) if start == 0 else source.page_at(start, limit))
        except Exception as error:  # the source is user code: report, don't crash
            return _FetchFailed(generation, None, error)
        return _CountLoaded(generation, count, start, rows)

    @work(thread=True, group="paged-table-fetch", exit_on_error=False)
    def _fetch(
        self,
        generation: int,
        request: _Request,
        source: PageSource,
        anchor: Any,
    ) -> None:
        """Fetch one page for the cache window (thread worker)."""
        try:
            if request.kind == "after":
                rows = source.page_after(anchor, request.limit)
            elif request.kind == "before":
                rows = source.page_before(anchor, request.limit)
            else:
                rows = source.page_at(request.index, request.limit)
            rows = list(rows)
        except Exception as error:
            self.post_message(_FetchFailed(generation, request.request_id, error))
            return
        self.post_message(_PageFetched(generation, request.request_id, request.kind, anchor, request.index, rows))

    @on(_CountLoaded)
    def _on_count_loaded(self, message: _CountLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return  # a newer query was requested: stale
        self._loading = False
        self._count = max(0, message.count)
        self._start = message.start
        self._rows = message.rows
        if not self._widths_measured:
            # Measured on the first page; later pages only widen them (_grow_widths).
            self._widths = self._compute_widths(message.rows)
            self._widths_measured = True
        self._update_virtual_size()
        self.set_reactive(PagedTable.cursor_row, self.validate_cursor_row(self.cursor_row))
        self._scroll_cursor_into_view()
        self.refresh()
        self._announce_highlight()
        self._check_window()

    @on(_PageFetched)
    def _on_page_fetched(self, message: _PageFetched) -> None:
        message.stop()
        pending = self._pending
        if message.generation != self._generation or pending is None:
            return
        if pending.request_id != message.request_id:
            return
        self._pending = None
        rows = message.rows
        count = self._count or 0
        if message.kind == "at":
            self._start = message.index
            self._rows = rows
            if not rows and message.index < count:
                self._set_count(message.index)  # rows were deleted under us
        elif message.kind == "after":
            if not self._rows or self._rows[-1].key != message.anchor:
                self._check_window()  # the window moved since: fetch again
                return
            self._rows.extend(rows)
            if len(rows) < pending.limit:
                self._set_count(self._start + len(self._rows))  # reached the real end
        else:
            if not self._rows or self._rows[0].key != message.anchor:
                self._check_window()
                return
            start = self._start - len(rows)
            if len(rows) < pending.limit or start < 0:
                start = 0  # reached the real beginning
            self._rows[:0] = rows
            self._start = start
        self._grow_widths(rows)
        self._trim_window()
        self.refresh()
        self._announce_highlight()
        self._check_window()

    @on(_FetchFailed)
    def _on_fetch_failed(self, message: _FetchFailed) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        if message.request_id is None:
            self._loading = False
        elif self._pending is None or self._pending.request_id != message.request_id:
            return
        self._pending = None
        self._error = f"{type(message.error).__name__}: {message.error}"
        self.log.error("PagedTable source failed", self._error)
        self.refresh()

    def _set_count(self, count: int) -> None:
        if count != self._count:
            self._count = max(0, count)
            self._update_virtual_size()
            self.set_reactive(PagedTable.cursor_row, self.validate_cursor_row(self.cursor_row))

    # ------------------------------------------------------------------ cache window

    def _visible_row_count(self) -> int:
        """Data rows that fit under the header."""
        return max(0, self.scrollable_content_region.height - 1)

    def _visible_range(self) -> tuple[int, int]:
        """Row indices shown now: [first, last)."""
        first = max(0, int(self.scroll_offset.y))
        return first, min(self._count or 0, first + self._visible_row_count())

    def _page_limit(self) -> int:
        return max(self.page_size, self._visible_row_count() * 2)

    def _schedule_check(self) -> None:
        if not self._check_scheduled:
            self._check_scheduled = True
            self.call_later(self._check_window)

    def _check_window(self) -> None:
        """Fetch the rows the viewport needs, plus half a page of margin each side."""
        self._check_scheduled = False
        source = self._source
        count = self._count
        if source is None or not count or self._loading or self._error is not None:
            return
        first, last = self._visible_range()
        if last <= first:
            return
        page = self._page_limit()
        margin = page // 2
        start, end = self._start, self._start + len(self._rows)
        if self._pending is not None:
            # One query in flight per table: a fast scrollbar drag does not pile up
            # queries; when this one lands, the window is checked again.
            return
        if not self._rows or last <= start - page or first >= end + page:
            # A jump (scrollbar drag, End): reload around the viewport with OFFSET.
            limit = page + (last - first)
            index = max(0, min(first - margin, count - limit))
            self._request("at", index, limit, None)
            return
        if end < count and last + margin > end:
            self._request("after", end, page, self._rows[-1].key)
        elif start > 0 and first - margin < start:
            self._request("before", start, min(page, start), self._rows[0].key)

    def _request(self, kind: Literal["after", "before", "at"], index: int, limit: int, anchor: Any) -> None:
        assert self._source is not None
        self._request_counter += 1
        request = _Request(self._request_counter, kind, index, limit)
        self._pending = request
        self._fetch(self._generation, request, self._source, anchor)

    def _trim_window(self) -> None:
        """Keep at most a few pages, centred on the viewport (memory stays flat)."""
        max_rows = self._page_limit() * 4
        if len(self._rows) <= max_rows:
            return
        first, last = self._visible_range()
        centre = (first + last) // 2
        end = self._start + len(self._rows)
        keep_from = max(self._start, min(centre - max_rows // 2, end - max_rows))
        offset = keep_from - self._start
        self._rows = self._rows[offset : offset + max_rows]
        self._start = keep_from

    # ------------------------------------------------------------------ geometry

    def _compute_widths(self, rows: Sequence[Row]) -> list[int]:
        widths: list[int] = []
        for index, column in enumerate(self._columns):
            if column.width is not None:
                widths.append(max(1, column.width))
                continue
            width = cell_len(column.label) + 2  # room for the sort mark
            for row in rows:
                if index < len(row.cells):
                    width = max(width, cell_len(row.cells[index]))
            widths.append(min(width, self.max_column_width))
        return widths

    def _grow_widths(self, rows: Sequence[Row]) -> None:
        """Widen computed columns for longer values in a new page (they never shrink)."""
        if not rows or not self._widths_measured:
            return
        widths = [
            max(old, new) if column.width is None else old
            for column, old, new in zip(self._columns, self._widths, self._compute_widths(rows), strict=True)
        ]
        if widths != self._widths:
            self._widths = widths
            self._update_virtual_size()

    def _column_widths(self) -> list[int]:
        if len(self._widths) != len(self._columns):
            self._widths = self._compute_widths(self._rows)
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
            line = " " + text.translate(_CONTROL_CHARACTERS)
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
            text = " " + _fit(label, width, column.align) + " "
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
        row = self.get_row_at(index)
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
            parts.append(" " + _fit(value, width, column.align) + " ")
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
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_cursor_into_view()
        self._announce_highlight()

    def _refresh_row(self, index: int) -> None:
        self.refresh_line(index + 1)  # + header line

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
        state = (self.cursor_row, None if row is None else row.id)
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

    def _on_mount(self) -> None:
        if self._source is not None and self._count is None and not self._loading:
            self._reset(keep_position=False, start=True)

    def _on_resize(self) -> None:
        self._scroll_cursor_into_view()
        self._schedule_check()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._schedule_check()

    def _on_click(self, event: events.Click) -> None:
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
