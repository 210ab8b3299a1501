"""Pilot tests of the dedupe screen (from the command palette): merge (undoable, redoable), keep both
(remembered in the database: not asked again, hidden from `tracker dedupe`), skip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.databases import on_db, real_data
from tests.support.terminal import settle
from tracker.core.records.duplicates import duplicate_pairs
from tracker.core.records.pages import count_deals
from tracker.ui.app import TrackerApp
from tracker.ui.screens.dedupe import DedupeScreen


@pytest.fixture
def dup_path(tmp_path: Path) -> str:
    """The seed and the real data set: three likely duplicate pairs (Amazon → Anthropic among them)."""
    return real_data(tmp_path / "d.db", seed=True)


def pairs(db_path: str, dismissed: bool = False) -> list[tuple[int, int]]:
    return [(p.first, p.second) for p in on_db(db_path, lambda c: duplicate_pairs(c, dismissed=dismissed))]


async def open_dedupe(pilot: Any) -> DedupeScreen:
    await settle(pilot)
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"duplicate")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DedupeScreen)
    return screen


def shown(screen: DedupeScreen) -> str:
    left = screen.query_one("#dedupe-left")
    right = screen.query_one("#dedupe-right")
    reason = str(screen.query_one("#dedupe-reason").content)  # type: ignore[attr-defined]
    return "\n".join([str(screen.query_one("#dedupe-title").content), reason, left.text, right.text])  # type: ignore[attr-defined]


async def test_merge_from_the_palette_then_undo_and_redo(dup_path: str) -> None:
    before = pairs(dup_path)
    assert len(before) == 3
    app = TrackerApp(db_target=dup_path)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        screen = await open_dedupe(pilot)
        text = shown(screen)
        keep, drop = before[0]
        assert "3 pairs left" in text and "Why: same kind, the same parties" in text
        assert f"KEEP #{keep}" in text and f"MERGE INTO #{keep} AND DELETE #{drop}" in text
        deals = on_db(dup_path, count_deals)
        await pilot.press("m")
        await settle(pilot)
        assert on_db(dup_path, count_deals) == deals - 1
        assert pairs(dup_path) == before[1:]
        assert "2 pairs left" in shown(screen)
        assert app.undo_stack[-1].label == f"merge of deal #{drop} into #{keep}"
        await pilot.press("u")
        await settle(pilot)
        assert on_db(dup_path, count_deals) == deals and pairs(dup_path) == before
        await pilot.press("U")
        await settle(pilot)
        assert on_db(dup_path, count_deals) == deals - 1 and pairs(dup_path) == before[1:]


async def test_keep_both_is_remembered_and_skip_asks_again_next_time(dup_path: str) -> None:
    before = pairs(dup_path)
    app = TrackerApp(db_target=dup_path)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_dedupe(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert pairs(dup_path) == before[1:]
        assert pairs(dup_path, dismissed=True) == before  # remembered, not deleted
        first = before[1][0]
        assert f"KEEP #{first}" in shown(screen)
        await pilot.press("s")
        await settle(pilot)
        assert f"KEEP #{before[2][0]}" in shown(screen) and "1 pair left" in shown(screen)
        await pilot.press("w")  # swap: the other deal is kept
        await pilot.pause()
        assert f"KEEP #{before[2][1]}" in shown(screen)
        await pilot.press("s")
        await settle(pilot)
        assert "none left" in shown(screen) and "some skipped" in shown(screen)
        assert pairs(dup_path) == before[1:]  # skipping writes nothing
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main
    app = TrackerApp(db_target=dup_path)
    async with app.run_test(size=(160, 50)) as pilot:  # the next time: the kept pair is not asked again
        screen = await open_dedupe(pilot)
        assert "2 pairs left" in shown(screen) and f"KEEP #{before[1][0]}" in shown(screen)
