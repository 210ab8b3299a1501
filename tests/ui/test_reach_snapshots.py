"""SVG snapshots of #16's column chooser (id ticked) and of the deals table with the extra columns shown.
Update with `pytest tests/ui/test_reach_snapshots.py --snapshot-update` and look at the SVGs first."""

from __future__ import annotations

from typing import Any

from tests.support.terminal import settle
from tracker.ui.app import TrackerApp


def test_column_chooser_80x24(snap_compare: Any, snapshot_db: str) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("space")  # the id ticked
        await settle(pilot)

    assert snap_compare(TrackerApp(db_target=snapshot_db), terminal_size=(80, 24), run_before=run_before)


def test_deals_table_with_every_extra_column_120x30(snap_compare: Any, snapshot_db: str) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("c", "space", "tab", "space", "tab", "space", "tab", "space", "ctrl+s")
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)

    assert snap_compare(TrackerApp(db_target=snapshot_db), terminal_size=(120, 30), run_before=run_before)
