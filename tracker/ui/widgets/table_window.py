"""The cache window of a `PagedTable`: which rows it holds, what to fetch next, merging what comes back.

A table never holds all rows: it holds one window, a slice ``[start, start + len(rows))`` of the query's
rows, at most a few pages, and has at most one fetch in flight. Keyset pages (`page_after` / `page_before`)
extend the window for sequential scrolling; `page_at` (OFFSET) replaces it for big jumps. Plain Python:
the table runs `first_window` and `fetch` in thread workers and draws; this module decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from tracker.ui.widgets.table_data import PageSource, Row

__all__ = ["FetchKind", "Request", "RowWindow", "fetch", "first_window"]

FetchKind = Literal["after", "before", "at"]


@dataclass(frozen=True, slots=True)
class Request:
    """A window fetch in flight: ``limit`` rows after or before ``anchor`` (a row key), or at ``index``."""

    request_id: int
    kind: FetchKind
    index: int
    limit: int
    anchor: Any


def first_window(source: PageSource, index: int, limit: int) -> tuple[int, int, list[Row]]:
    """The row count, and the first window around ``index``: ``(count, start, rows)`` (blocking)."""
    count = source.count()
    start = max(0, min(index, count - limit))
    rows = list(source.page_after(None, limit) if start == 0 else source.page_at(start, limit))
    return count, start, rows


def fetch(source: PageSource, request: Request) -> list[Row]:
    """The page `request` asks for (blocking)."""
    if request.kind == "after":
        rows = source.page_after(request.anchor, request.limit)
    elif request.kind == "before":
        rows = source.page_before(request.anchor, request.limit)
    else:
        rows = source.page_at(request.index, request.limit)
    return list(rows)


class RowWindow:
    """The rows a table holds for its query (``start``: the index of ``rows[0]``) and the fetch in flight."""

    __slots__ = ("_requests", "pending", "rows", "start")

    def __init__(self) -> None:
        self.start = 0
        self.rows: list[Row] = []
        self.pending: Request | None = None
        """The one fetch in flight: a fast scrollbar drag does not pile up queries."""
        self._requests = 0

    def replace(self, start: int, rows: list[Row]) -> None:
        """Hold ``rows`` from index ``start`` (a new first window; ``[]`` from 0 empties it)."""
        self.start = start
        self.rows = rows

    def row_at(self, index: int) -> Row | None:
        """The row at `index` if it is in the window, else None."""
        offset = index - self.start
        if 0 <= offset < len(self.rows):
            return self.rows[offset]
        return None

    def index_of(self, row_id: int) -> int | None:
        """The index of the row with `row_id` if it is in the window."""
        for offset, row in enumerate(self.rows):
            if row.id == row_id:
                return self.start + offset
        return None

    def next_request(self, first: int, last: int, count: int, page: int) -> Request | None:
        """The fetch that the viewport ``[first, last)`` needs, plus half a ``page`` of margin each side, now
        pending; None when the window covers it or a fetch is in flight already (when that one lands, the
        table asks again)."""
        margin = page // 2
        start, end = self.start, self.start + len(self.rows)
        if self.pending is not None:
            return None
        if not self.rows or last <= start - page or first >= end + page:
            # A jump (scrollbar drag, End): reload around the viewport with OFFSET.
            limit = page + (last - first)
            return self._request("at", max(0, min(first - margin, count - limit)), limit, None)
        if end < count and last + margin > end:
            return self._request("after", end, page, self.rows[-1].key)
        if start > 0 and first - margin < start:
            return self._request("before", start, min(page, start), self.rows[0].key)
        return None

    def _request(self, kind: FetchKind, index: int, limit: int, anchor: Any) -> Request:
        self._requests += 1
        self.pending = Request(self._requests, kind, index, limit, anchor)
        return self.pending

    def take(self, request_id: int | None) -> bool:
        """True if ``request_id`` is the fetch in flight (no longer pending now); False for a stale one.
        None stands for the first window, which is not a window fetch: nothing is pending after it."""
        if request_id is not None and (self.pending is None or self.pending.request_id != request_id):
            return False
        self.pending = None
        return True

    def merge(self, request: Request, rows: list[Row], count: int) -> tuple[bool, int | None]:
        """Put the rows fetched for `request` into the window. Returns ``(merged, real_count)``: merged is
        False when the window moved since (fetch again); real_count is the row count learned on the way
        (the real end or beginning was reached, rows were deleted under us), else None."""
        if request.kind == "at":
            self.start = request.index
            self.rows = rows
            return True, request.index if not rows and request.index < count else None
        if request.kind == "after":
            if not self.rows or self.rows[-1].key != request.anchor:
                return False, None
            self.rows.extend(rows)
            return True, self.start + len(self.rows) if len(rows) < request.limit else None
        if not self.rows or self.rows[0].key != request.anchor:
            return False, None
        start = self.start - len(rows)
        if len(rows) < request.limit or start < 0:
            start = 0  # reached the real beginning
        self.rows[:0] = rows
        self.start = start
        return True, None

    def trim(self, first: int, last: int, max_rows: int) -> None:
        """Keep at most ``max_rows``, centred on the viewport ``[first, last)`` (memory stays flat)."""
        if len(self.rows) <= max_rows:
            return
        centre = (first + last) // 2
        end = self.start + len(self.rows)
        keep_from = max(self.start, min(centre - max_rows // 2, end - max_rows))
        offset = keep_from - self.start
        self.rows = self.rows[offset : offset + max_rows]
        self.start = keep_from
