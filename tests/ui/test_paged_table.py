"""Pilot tests for PagedTable over a fake in-memory source of 100,000 rows."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult

from tracker.ui.widgets.paged_table import PagedTable
from tracker.ui.widgets.table_data import Column, Row

pytestmark = pytest.mark.asyncio

COLUMNS = (
    Column("name", "Name"),
    Column("company", "Company", width=14),
    Column("amount", "Amount", width=8, align="right"),
)


class FakeSource:
    """Rows `0..size-1`; counts how many rows the table asked for."""

    def __init__(
        self,
        size: int = 100_000,
        prefix: str = "Deal",
        special: dict[int, tuple[str, ...]] | None = None,
    ) -> None:
        self.columns: Sequence[Column] = COLUMNS
        self.size = size
        self.prefix = prefix
        self.special = special or {}
        self.fetched = 0
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def _row(self, index: int) -> Row:
        cells = self.special.get(index) or (
            f"{self.prefix} {index}",
            f"Co {index % 97}",
            f"${index % 1000}M",
        )
        return Row(key=index, id=index, cells=cells)

    def _rows(self, start: int, stop: int, call: str) -> list[Row]:
        start, stop = max(0, start), min(self.size, stop)
        rows = [self._row(index) for index in range(start, stop)]
        with self._lock:
            self.fetched += len(rows)
            self.calls.append(call)
        return rows

    def count(self) -> int:
        return self.size

    def page_after(self, key: Any | None, limit: int) -> list[Row]:
        start = 0 if key is None else key + 1
        return self._rows(start, start + limit, "after")

    def page_before(self, key: Any, limit: int) -> list[Row]:
        return self._rows(key - limit, key, "before")

    def page_at(self, index: int, limit: int) -> list[Row]:
        return self._rows(index, index + limit, "at")


class SlowSource(FakeSource):
    """Blocks in count() until released (an earlier, slow query)."""

    def __init__(self) -> None:
        super().__init__(size=50, prefix="Slow")
        self.release = threading.Event()
        self.finished = threading.Event()

    def count(self) -> int:
        self.release.wait(10)
        self.finished.set()
        return self.size


class TableApp(App[None]):
    def __init__(self, source: FakeSource | None = None) -> None:
        super().__init__()
        self.source = source
        self.selected: list[PagedTable.RowSelected] = []
        self.highlighted: list[PagedTable.RowHighlighted] = []

    def compose(self) -> ComposeResult:
        yield PagedTable(self.source, id="table", empty_text="Nothing here")

    def on_paged_table_row_selected(self, message: PagedTable.RowSelected) -> None:
        self.selected.append(message)

    def on_paged_table_row_highlighted(self, message: PagedTable.RowHighlighted) -> None:
        self.highlighted.append(message)


async def settle(pilot: Any, table: PagedTable) -> None:
    """Wait until the table has no database work in flight and messages are handled."""
    for _ in range(200):
        await pilot.pause()
        if not table.is_busy:
            await pilot.pause()
            if not table.is_busy:
                return
        await pilot.pause(0.01)
    raise AssertionError("table never settled")


def screenshot_text(app: App[None]) -> str:
    """The exported SVG screenshot with its non-breaking spaces made plain."""
    return app.export_screenshot().replace("&#160;", " ")


def screen_lines(table: PagedTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_first_page_renders_visible_rows() -> None:
    source = FakeSource()
    app = TableApp(source)
    async with app.run_test() as pilot:
        table = app.query_one(PagedTable)
        await settle(pilot, table)
        assert table.row_count == 100_000
        assert table.virtual_size.height == 100_001  # header + rows: honest scrollbar
        lines = screen_lines(table)
        assert "Name" in lines[0] and "Amount" in lines[0]
        assert "Deal 0" in lines[1] and "Co 0" in lines[1] and "$0M" in lines[1]
        assert "Deal 5" in lines[6]
        assert table.current_row is not None and table.current_row.id == 0
        assert source.fetched < 1_000
        assert "Deal 3 " in screenshot_text(app)
        assert app.highlighted and app.highlighted[-1].row is not None
        assert app.highlighted[-1].row.id == 0


async def test_page_down_pages_rows_without_loading_everything() -> None:
    source = FakeSource()
    app = TableApp(source)
    async with app.run_test() as pilot:
        table = app.query_one(PagedTable)
        table.focus()
        await settle(pilot, table)
        page = table.size.height - 1
        for _ in range(3):
            await pilot.press("pagedown")
            await pilot.pause()
        await settle(pilot, table)
        assert abs(table.cursor_row - 3 * page) <= 3
        assert table.current_row is not None
        assert table.current_row.id == table.cursor_row
        text = "\n".join(screen_lines(table))
        assert f"Deal {table.cursor_row}" in text
        assert "…" not in text
        assert source.fetched < 2_000
        # Scroll down steadily: keyset pages, and the cache window stays bounded.
        for _ in range(20):
            await pilot.press("pagedown")
        await settle(pilot, table)
        assert "after" in source.calls
        assert len(table.loaded_rows) <= table.page_limit * 4
        await pilot.press("j", "j", "k")
        await pilot.pause()
        assert table.current_row is not None
        assert table.current_row.id == table.cursor_row


async def test_end_and_home_jump() -> None:
    source = FakeSource()
    app = TableApp(source)
    async with app.run_test() as pilot:
        table = app.query_one(PagedTable)
        table.focus()
        await settle(pilot, table)
        await pilot.press("end")
        await settle(pilot, table)
        assert table.cursor_row == 99_999
        lines = screen_lines(table)
        assert "Deal 99999" in lines[-1] or "Deal 99999" in lines[-2]
        assert table.current_row is not None and table.current_row.id == 99_999
        assert source.fetched < 2_000
        # Scrolling up from the end uses keyset page_before.
        for _ in range(5):
            await pilot.press("pageup")
        await settle(pilot, table)
        assert "before" in source.calls
        assert table.current_row is not None
        assert table.current_row.id == table.cursor_row
        await pilot.press("g")
        await settle(pilot, table)
        assert table.cursor_row == 0
        assert "Deal 0" in screen_lines(table)[1]
        await pilot.press("G")
        await settle(pilot, table)
        assert table.cursor_row == 99_999


async def test_scrollbar_jump_fetches_around_the_viewport() -> None:
    source = FakeSource()
    app = TableApp(source)
    async with app.run_test() as pilot:
        table = app.query_one(PagedTable)
        await settle(pilot, table)
        table.scroll_to(y=50_000, animate=False)  # as a scrollbar drag or wheel does
        await pilot.pause()
        await settle(pilot, table)
        assert "at" in source.calls
        lines = screen_lines(table)
        assert "Deal 50000" in lines[1]
        assert "…" not in "\n".join(lines)
        assert table.cursor_row == 0  # scrolling does not move the cursor
        assert source.fetched < 2_000
        # A fast drag: many positions, at most one query in flight, the last one wins.
        calls = len(source.calls)
        for y in range(10_000, 90_000, 4_000):
            table.scroll_to(y=y, animate=False)
            await pilot.pause()
        table.scroll_to(y=77_777, animate=False)
        await settle(pilot, table)
        assert "Deal 77777" in screen_lines(table)[1]
        assert len(source.calls) - calls <= 22
        await pilot.press("down")  # the cursor comes back into view
        await settle(pilot, table)
        assert "Deal 1 " in screen_lines(table)[1]


async def test_enter_posts_row_selected() -> None:
    app = TableApp(FakeSource())
    async with app.run_test() as pilot:
        table = app.query_one(PagedTable)
        table.focus()
        await settle(pilot, table)
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        assert len(app.selected) == 1
        assert app.selected[0].row.id == 3
        assert app.selected[0].row.cells[0] == "Deal 3"
        assert app.selected[0].control is table
        assert app.highlighted[-1].row is not None
        assert app.highlighted[-1].row.id == 3


async def test_click_moves_cursor() -> None:
    app = TableApp(FakeSource())
    async with app.run_test() as pilot:
        table = app.query_one(PagedTable)
        await settle(pilot, table)
        await pilot.click(PagedTable, offset=(3, 5))  # screen line 5 = row 4
        await pilot.pause()
        assert table.cursor_row == 4
        await pilot.click(PagedTable, offset=(3, 5))  # clicking it again selects
        await pilot.pause()
        assert [message.row.id for message in app.selected] == [4]


async def test_markup_and_wide_characters_render_literally_and_aligned() -> None:
    special = {
        0: ("[bold]Acme", "英伟达", "$5B"),
        1: ("Plain", "Nvidia", "$5B"),
        2: ("[red]x[/red] 英伟达英伟达英伟达英伟达英伟达英伟达", "Co", "$1M"),
    }
    source = FakeSource(size=10, special=special)
    app = TableApp(source)
    async with app.run_test() as pilot:
        table = app.query_one(PagedTable)
        await settle(pilot, table)
        lines = screen_lines(table)
        assert "[bold]Acme" in lines[1]
        assert "英伟达" in lines[1]
        assert "[red]x[/red]" in lines[3]

        def cells_before(line: str, needle: str) -> int:
            return cell_len(line[: line.index(needle)])

        # The column after the CJK name starts at the same cell offset in both rows.
        assert cells_before(lines[1], "$5B") == cells_before(lines[2], "$5B")
        assert cells_before(lines[1], "英伟达") == cells_before(lines[2], "Nvidia")
        assert cells_before(lines[3], "$1M") == cells_before(lines[2], "$5B") + 0
        assert cell_len(lines[1]) == cell_len(lines[2]) == cell_len(lines[3])
        assert "[bold]Acme" in screenshot_text(app)


async def test_stale_generation_is_dropped() -> None:
    slow = SlowSource()
    fast = FakeSource(size=1_000)
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(PagedTable)
        try:
            table.set_source(slow)
            await pilot.pause()
            table.set_source(fast)
            await settle(pilot, table)
            assert table.row_count == 1_000
            assert "Deal 0" in screen_lines(table)[1]
        finally:
            slow.release.set()
        assert slow.finished.wait(5)
        for _ in range(5):
            await pilot.pause(0.02)
        assert table.row_count == 1_000
        text = "\n".join(screen_lines(table))
        assert "Slow" not in text
        assert "Deal 0" in text
        assert slow.fetched == 0 or all(row.cells[0].startswith("Deal") for row in table.loaded_rows)


async def test_loading_and_empty_states() -> None:
    slow = SlowSource()
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(PagedTable)
        try:
            table.set_source(slow)
            await pilot.pause()
            assert table.is_loading
            assert "Loading" in screen_lines(table)[1]
            assert table.current_row is None
        finally:
            slow.release.set()
        await settle(pilot, table)
        assert not table.is_loading
        table.set_source(FakeSource(size=0))
        await settle(pilot, table)
        assert table.row_count == 0
        assert "Nothing here" in screen_lines(table)[1]
        assert table.current_row is None
        await pilot.press("down", "end", "enter")
        await pilot.pause()
        assert app.selected == []


async def test_sort_mark_and_move_cursor_to_id() -> None:
    app = TableApp(FakeSource())
    async with app.run_test() as pilot:
        table = app.query_one(PagedTable)
        await settle(pilot, table)
        table.sort_column = "amount"
        table.sort_reverse = True
        await pilot.pause()
        assert "Amount ▼" in screen_lines(table)[0]
        assert table.move_cursor_to_id(42)
        await settle(pilot, table)
        assert table.cursor_row == 42
        assert "Deal 42" in "\n".join(screen_lines(table))
        assert not table.move_cursor_to_id(90_000)  # not cached: best effort only


async def test_refresh_data_keeps_position() -> None:
    source = FakeSource()
    app = TableApp(source)
    async with app.run_test() as pilot:
        table = app.query_one(PagedTable)
        table.focus()
        await settle(pilot, table)
        await pilot.press("pagedown", "pagedown")
        await settle(pilot, table)
        cursor = table.cursor_row
        source.size = 50_000
        table.refresh_data()
        assert not table.is_loading  # the old rows stay on screen meanwhile
        assert f"Deal {cursor}" in "\n".join(screen_lines(table))
        await settle(pilot, table)
        assert table.row_count == 50_000
        assert table.cursor_row == cursor
        assert table.current_row is not None and table.current_row.id == cursor


class BrokenSource(FakeSource):
    def count(self) -> int:
        raise RuntimeError("database is locked")


async def test_source_error_is_shown_not_raised() -> None:
    app = TableApp(BrokenSource())
    async with app.run_test() as pilot:
        table = app.query_one(PagedTable)
        await settle(pilot, table)
        assert table.error is not None and "database is locked" in table.error
        assert "database is locked" in screen_lines(table)[1]
        assert not table.is_loading
        table.set_source(FakeSource(size=5))
        await settle(pilot, table)
        assert table.error is None and table.row_count == 5
