"""Pilot tests of issue 12 in the whole app: the deal form reads the date live (as it reads the amount) and
a quarter is saved and shown at its precision; enter on a totals row shows the deals behind it in the deals
table."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable, Input

from tests.support.terminal import fill_form, settle
from tracker.ui.app import TrackerApp
from tracker.ui.screens.deal_form import DealFormScreen
from tracker.ui.screens.main import MainScreen
from tracker.ui.widgets.totals_view import TotalsView


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2025年第三季度", "= 2025-Q3 (Jul–Sep 2025)"),
        ("Q4 2025", "= 2025-Q4 (Oct–Dec 2025)"),
        ("Sep 2025", "= 2025-09 (September 2025)"),
        ("2025-09-29", "= 2025-09-29 (Mon, 29 Sep 2025)"),
        ("2025", "= 2025 (the whole year)"),
        ("9/10/2025", "ambiguous: 2025-10-09 (day first) or 2025-09-10 (month first); write it as YYYY-MM-DD"),
        ("2025-Q5", "not a date"),
    ],
)
async def test_the_form_reads_the_date_live(db_path: str, typed: str, said: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DealFormScreen)
        form.query_one("#f-date", Input).value = typed
        await pilot.pause()
        feedback = form.query_one("#date-feedback")
        assert said in str(feedback.content)
        assert feedback.has_class("-bad") == (not said.startswith("="))


async def test_a_quarter_saved_from_the_form_shows_at_its_precision(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DealFormScreen)
        fill_form(form, date="2025 Q4", kind="investment", from_org="阿里巴巴", to_org="英伟达", amount="约50亿元")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.main.table.get_row_at(0).cells[:4] == ("2025-Q4", "Alibaba", "Nvidia", "~ CNY 5B")
        assert "2025-Q4 (precision: quarter)" in app.main.detail.text


async def test_enter_on_a_totals_row_shows_its_deals_in_the_deals_table(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        view = app.screen.query_one(TotalsView)
        table: DataTable[Any] = app.screen.query_one("#totals-table", DataTable)
        row = next(
            i for i, r in enumerate(view.shown_rows) if r is not None and (r.label, r.side) == ("OpenAI", "paid out")
        )
        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        deals = app.screen  # the deals open on a deals screen above the totals (escape goes back to them)
        assert isinstance(deals, MainScreen) and deals is not app.main
        shown = [deals.table.get_row_at(i).cells[1] for i in range(deals.table.row_count)]
        assert shown == ["OpenAI", "OpenAI"]
        assert "OpenAI · paid out" in str(deals.status.render())
