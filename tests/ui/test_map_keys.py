"""Pilot tests of the map's keys on a map larger than its pane (the real data set at 80x24): the arrows and
h/j/k/l move the selection from node to node, and the pane scrolls to keep the selected node in view (the
scroll container no longer takes the arrows first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.containers import ScrollableContainer

from tests.support.databases import real_data
from tests.support.terminal import settle
from tracker.ui.app import TrackerApp
from tracker.ui.widgets.ecosystem_map import EcosystemMap
from tracker.ui.widgets.map_canvas import MapCanvas

SMALL = (80, 24)


@pytest.fixture
def real_db(tmp_path: Path) -> str:
    """The real data set (91 deals, 28 organisations) in a database of its own."""
    return real_data(tmp_path / "real.db")


def shown(start: int, size: int, offset: int, window: int) -> bool:
    """Whether a box from ``start`` (``size`` cells) shows as much of itself as a window fits, on one axis."""
    return min(start + size, offset + window) - max(start, offset) == min(size, window)


def in_view(app: TrackerApp, node: int) -> bool:
    """Whether ``node``'s box lies inside the map pane's visible part (as much of it as fits: at 80x24 the
    pane is 36 columns wide and Nvidia's box 42)."""
    pane = app.screen.query_one("#map-scroll", ScrollableContainer)
    state = app.screen.query_one(EcosystemMap).state
    assert state is not None
    x, y, w, h = state.layout.boxes[node]
    view = pane.scrollable_content_region.size
    return shown(x, w, pane.scroll_offset.x, view.width) and shown(y, h, pane.scroll_offset.y, view.height)


async def open_map(pilot: Any) -> tuple[MapCanvas, ScrollableContainer]:
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)
    canvas = pilot.app.screen.query_one(MapCanvas)
    pane = pilot.app.screen.query_one("#map-scroll", ScrollableContainer)
    assert canvas.has_focus
    assert pane.max_scroll_x > 0 and pane.max_scroll_y > 0  # the map is larger than its pane both ways
    assert canvas.selected is not None and in_view(pilot.app, canvas.selected)  # it opens on the selected node
    return canvas, pane


@pytest.mark.parametrize("keys", [("right", "left"), ("l", "h")])
async def test_left_and_right_walk_the_nodes_and_the_pane_follows(real_db: str, keys: tuple[str, str]) -> None:
    app = TrackerApp(db_target=real_db)
    async with app.run_test(size=SMALL) as pilot:
        canvas, pane = await open_map(pilot)
        state = app.screen.query_one(EcosystemMap).state
        assert state is not None
        order = [n for row in state.layout.layers for n in row]  # rows top to bottom, each left to right
        start = order.index(canvas.selected)  # type: ignore[arg-type]
        forward, back = keys
        seen = [canvas.selected]
        for _ in range(len(order) - 1 - start):
            await pilot.press(forward)
            await pilot.pause()
            seen.append(canvas.selected)
            assert canvas.selected is not None and in_view(app, canvas.selected)
        assert seen == order[start:]  # every node in turn, none skipped, wrapping into the next row
        assert pane.scroll_offset != (0, 0)  # the pane followed the selection
        for _ in range(len(order) - 1):
            await pilot.press(back)
            await pilot.pause()
            assert canvas.selected is not None and in_view(app, canvas.selected)
        assert canvas.selected == order[0]


@pytest.mark.parametrize(("down", "up"), [("down", "up"), ("j", "k")])
async def test_up_and_down_move_between_rows_and_the_pane_follows(real_db: str, down: str, up: str) -> None:
    app = TrackerApp(db_target=real_db)
    async with app.run_test(size=SMALL) as pilot:
        canvas, pane = await open_map(pilot)
        state = app.screen.query_one(EcosystemMap).state
        assert state is not None
        layers = state.layout.layers

        def row_of(node: int | None) -> int:
            return next(i for i, row in enumerate(layers) if node in row)

        first = row_of(canvas.selected)
        for i in range(first + 1, len(layers)):
            await pilot.press(down)
            await pilot.pause()
            assert row_of(canvas.selected) == i
            assert canvas.selected is not None and in_view(app, canvas.selected)
        lowest = pane.scroll_offset.y
        assert lowest > 0  # scrolled down with the selection
        for i in reversed(range(len(layers) - 1)):
            await pilot.press(up)
            await pilot.pause()
            assert row_of(canvas.selected) == i
            assert canvas.selected is not None and in_view(app, canvas.selected)
        assert pane.scroll_offset.y < lowest
