"""SVG snapshots of the totals screen, the deals table and the map with CJK and emoji names, at 80x24 and 120x36
(issue 12): compact figures, every qualifier in the chart, dates at their precision (a quarter shows as
2025-Q3), columns aligned by terminal cells. The database lives at a fixed path (the status line shows it).
Update with `pytest tests/ui/test_figures_snapshots.py --snapshot-update` and look at the SVGs first."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.terminal import settle
from tracker.core.csvio.seed import load_seed
from tracker.core.domain.fields import parse_deal_fields
from tracker.core.records.changes import add_deal
from tracker.core.storage.opening import open_database
from tracker.ui.app import TrackerApp

FIXED = Path("/tmp/tracker-ui-figures-snapshot-db")
# Made-up CJK names: real ones (腾讯, 月之暗面, 삼성전자) are on the reference list and come in by their
# English names (Tencent, Moonshot AI, Samsung Electronics).
DEALS = (
    {"date": "2025年三季度", "kind": "investment", "from_org": "星辰算力", "to_org": "月影智能", "amount": "约50亿元"},
    {"date": "2025-Q4", "kind": "purchase", "from_org": "🚀 Rocket AI", "to_org": "英伟达", "amount": "at least $2B"},
    {"date": "Sep 2025", "kind": "infrastructure", "from_org": "한빛전자", "amount": "4500억원", "capacity_gw": "1"},
    {"date": "2025-09-30", "kind": "partnership", "from_org": "智谱AI 👩‍💻", "to_org": "🚀 Rocket AI"},
)


@pytest.fixture
def cjk_db() -> Iterator[str]:
    shutil.rmtree(FIXED, ignore_errors=True)
    FIXED.mkdir(parents=True)

    def populate(db: Any) -> None:
        load_seed(db)
        with db.write() as conn:
            for row in DEALS:
                values, errors = parse_deal_fields(row)
                assert not errors, errors
                add_deal(conn, values, create_orgs=True)

    db = open_database(FIXED / "deals.db", populate=populate)
    db.dispose()
    yield str(FIXED / "deals.db")
    shutil.rmtree(FIXED, ignore_errors=True)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_totals_screen_cjk_emoji(snap_compare: Any, cjk_db: str, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)

    assert snap_compare(TrackerApp(db_target=cjk_db), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_deals_table_cjk_emoji(snap_compare: Any, cjk_db: str, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)

    assert snap_compare(TrackerApp(db_target=cjk_db), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_map_cjk_emoji(snap_compare: Any, cjk_db: str, size: tuple[int, int]) -> None:
    """The map with 月之暗面, 英伟达 and emoji names: every box as wide on screen as its border."""

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)

    assert snap_compare(TrackerApp(db_target=cjk_db), terminal_size=size, run_before=run_before)
