"""SVG snapshots of the screens #13 added or changed the look of: the deal view, the help of the map and the
footer at 80 columns on the map. The database is the seed at a fixed path (deterministic pictures)."""

from __future__ import annotations

from typing import Any

from tests.support.terminal import settle
from tracker.ui.app import TrackerApp


def test_deal_view(snap_compare: Any, snapshot_db: str) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("down", "down", "down", "down", "enter")  # the "up to $100B" investment, linked
        await settle(pilot)
        await pilot.press("h")  # its history hidden: the times it holds differ at every run
        await settle(pilot)

    assert snap_compare(TrackerApp(db_target=snapshot_db), terminal_size=(100, 30), run_before=run_before)


def test_map_help_80x24(snap_compare: Any, snapshot_db: str) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(TrackerApp(db_target=snapshot_db), terminal_size=(80, 24), run_before=run_before)
