"""Paging for `PagedTable`: the rows of a `PageSource` loaded off the UI thread around the viewport.

`PagedView` is the base of `PagedTable` (tracker/ui/widgets/paged_table.py), which draws and moves the
cursor. It asks the source for the row count (so the scrollbar is honest from the start) and for pages of
rows around the viewport, held in one `RowWindow` (tracker/ui/widgets/table_window.py decides what to
fetch and merges what comes back). Every source call runs in a thread worker; results come back to the UI
thread as messages and are dropped when a newer query (generation) has been requested since.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import events, on, work
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.worker import get_current_worker

from tracker.ui.widgets.table_data import PageSource, Row
from tracker.ui.widgets.table_window import Request, RowWindow, fetch, first_window

__all__ = ["PagedView"]


# Private messages: worker threads hand results to the UI thread with post_message,
# which is thread-safe and never blocks the worker (unlike call_from_thread).


@dataclass
class _CountLoaded(Message, bubble=False):
    generation: int
    count: int
    start: int
    rows: list[Row]


@dataclass
class _PageFetched(Message, bubble=False):
    generation: int
    request: Request
    rows: list[Row]


@dataclass
class _FetchFailed(Message, bubble=False):
    generation: int
    request_id: int | None
    error: BaseException


class PagedView(ScrollView):
    """A scroll view over a `PageSource` whose first line is a header; subclasses draw and hold a cursor.

    The hooks a subclass implements: `_load_from` (the row the first window is loaded around), `_query_reset`,
    `_count_changed`, `_first_rows_arrived` and `_rows_arrived` (update the drawing and the cursor).
    """

    def __init__(
        self,
        source: PageSource | None = None,
        *,
        page_size: int = 100,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.page_size = max(1, page_size)
        self._source: PageSource | None = source
        self._generation = 0
        self._count: int | None = None
        self._loading = False
        self._error: str | None = None
        self._window = RowWindow()
        self._check_scheduled = False

    # ------------------------------------------------------------------ public API

    def refresh_data(self) -> None:
        """Reload the current source (rows changed): keep the cursor position if possible."""
        if self._source is not None:
            self._reset(keep_position=True)

    @property
    def source(self) -> PageSource | None:
        """The current source."""
        return self._source

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
        return self._loading or self._window.pending is not None

    @property
    def error(self) -> str | None:
        """The last load error, if the source raised."""
        return self._error

    @property
    def loaded_rows(self) -> Sequence[Row]:
        """The rows held now (the cache window: at most `page_limit` × 4), in display order. Read only."""
        return tuple(self._window.rows)

    @property
    def page_limit(self) -> int:
        """Rows per fetch: `page_size`, or two screens of rows if that is more."""
        return max(self.page_size, self._visible_row_count() * 2)

    def get_row_at(self, index: int) -> Row | None:
        """The row at `index` if it is in the cache window, else None."""
        return self._window.row_at(index)

    # ------------------------------------------------------------------ hooks

    def _load_from(self) -> int:
        """The row index the first window of a query is loaded around."""
        return int(self.scroll_offset.y)

    def _query_reset(self, *, fresh: bool, keep_position: bool) -> None:
        """A new query (or a reload) was requested; ``fresh``: its rows and count were dropped."""

    def _count_changed(self) -> None:
        """The row count changed while paging (the real end was found, rows were deleted)."""

    def _first_rows_arrived(self, rows: Sequence[Row]) -> None:
        """The count and the first window of the current query are in."""

    def _rows_arrived(self, rows: Sequence[Row]) -> None:
        """A page was merged into the window (``rows``: the page)."""

    # ------------------------------------------------------------------ loading

    def _reset(self, *, keep_position: bool, start: bool | None = None) -> None:
        self._generation += 1
        self._window.pending = None
        fresh = not (keep_position and self._count is not None and self._error is None)
        if fresh:
            self._count = None
            self._window.replace(0, [])
        # else: a refresh keeps showing the old rows until the new ones land (no flicker).
        self._error = None
        self._query_reset(fresh=fresh, keep_position=keep_position)
        if self.is_mounted if start is None else start:
            self._start_load()

    def _start_load(self) -> None:
        if self._source is None:
            return
        self._loading = True
        limit = self.page_limit * 2
        index = max(0, self._load_from() - limit // 4)
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
            count, start, rows = first_window(source, index, limit)
        except Exception as error:  # the source is user code: report, don't crash
            return _FetchFailed(generation, None, error)
        return _CountLoaded(generation, count, start, rows)

    @work(thread=True, group="paged-table-fetch", exit_on_error=False)
    def _fetch(self, generation: int, request: Request, source: PageSource) -> None:
        """Fetch one page for the cache window (thread worker)."""
        try:
            rows = fetch(source, request)
        except Exception as error:
            self.post_message(_FetchFailed(generation, request.request_id, error))
            return
        self.post_message(_PageFetched(generation, request, rows))

    @on(_CountLoaded)
    def _on_count_loaded(self, message: _CountLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return  # a newer query was requested: stale
        self._loading = False
        self._count = max(0, message.count)
        self._window.replace(message.start, message.rows)
        self._first_rows_arrived(message.rows)
        self._check_window()

    @on(_PageFetched)
    def _on_page_fetched(self, message: _PageFetched) -> None:
        message.stop()
        if message.generation != self._generation or not self._window.take(message.request.request_id):
            return
        merged, count = self._window.merge(message.request, message.rows, self._count or 0)
        if not merged:
            self._check_window()  # the window moved since: fetch again
            return
        if count is not None and count != self._count:  # reached the real end, or rows were deleted under us
            self._count = max(0, count)
            self._count_changed()
        first, last = self._visible_range()
        self._window.trim(first, last, self.page_limit * 4)
        self._rows_arrived(message.rows)
        self._check_window()

    @on(_FetchFailed)
    def _on_fetch_failed(self, message: _FetchFailed) -> None:
        message.stop()
        if message.generation != self._generation or not self._window.take(message.request_id):
            return
        if message.request_id is None:
            self._loading = False
        self._error = f"{type(message.error).__name__}: {message.error}"
        self.log.error("PagedTable source failed", self._error)
        self.refresh()

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
        request = self._window.next_request(first, last, count, self.page_limit)
        if request is not None:
            self._fetch(self._generation, request, source)

    def _visible_row_count(self) -> int:
        """Data rows that fit under the header."""
        return max(0, self.scrollable_content_region.height - 1)

    def _visible_range(self) -> tuple[int, int]:
        """Row indices shown now: [first, last)."""
        first = max(0, int(self.scroll_offset.y))
        return first, min(self._count or 0, first + self._visible_row_count())

    # ------------------------------------------------------------------ events

    def _on_mount(self, event: events.Mount) -> None:
        if self._source is not None and self._count is None and not self._loading:
            self._reset(keep_position=False, start=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._schedule_check()
