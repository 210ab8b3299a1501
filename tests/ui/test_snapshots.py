"""SVG snapshots (pytest-textual-snapshot) of the main screen, the form with an error and the detail
pane. The database lives at a fixed path and holds only the seed, so the pictures are deterministic.
Update with `pytest tests/ui/test_snapshots.py --snapshot-update` and look at the SVGs before committing."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Select

from tests.support.terminal import settle
from tracker.ui.app import TrackerApp
from tracker.ui.widgets.detail_pane import DetailPane


def test_main_screen_80x24(snap_compare: Any, snapshot_db: str) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)

    assert snap_compare(TrackerApp(db_target=snapshot_db), terminal_size=(80, 24), run_before=run_before)


def test_main_screen_filtered_chinese(snap_compare: Any, snapshot_db: str) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("slash", *"英伟达")
        await settle(pilot)

    assert snap_compare(TrackerApp(db_target=snapshot_db), terminal_size=(100, 28), run_before=run_before)


def test_detail_pane_wide(snap_compare: Any, snapshot_db: str) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("down", "down", "down", "down")  # the "up to $100B" investment
        await settle(pilot)
        for _ in range(200):  # its detail is loaded by a worker whose answer may land after settle on a busy machine
            if "up to $100 billion" in pilot.app.screen.query_one(DetailPane).text:
                break
            await pilot.pause(0.02)

    assert snap_compare(TrackerApp(db_target=snapshot_db), terminal_size=(150, 36), run_before=run_before)


def test_form_with_errors(snap_compare: Any, snapshot_db: str) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        form.query_one("#f-date", Input).value = "2025-13"
        form.query_one("#f-kind", Select).value = "purchase"
        form.query_one("#f-from_org", Input).value = "OpenAI"
        form.query_one("#f-amount", Input).value = "up to 1000亿美元"
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(TrackerApp(db_target=snapshot_db), terminal_size=(80, 24), run_before=run_before)
