"""Pilot tests of `r` in the organisations (`o`) and alliances (`n`) lists: another process's writes appear,
and the highlighted row stays highlighted where it still exists (wherever the new rows put it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.widgets import DataTable

from tests.support.databases import on_db
from tests.support.terminal import settle
from tracker.core.domain.fields import DealValues
from tracker.core.records.alliance_edits import create_alliance
from tracker.core.records.changes import add_deal
from tracker.core.records.org_edit import delete_org
from tracker.core.records.orgs import OrgFields, create_org, find_org_id
from tracker.ui.app import TrackerApp
from tracker.ui.screens.alliances import AlliancesScreen
from tracker.ui.screens.organizations import OrganizationsScreen
from tracker.ui.widgets.detail_pane import DetailPane


def column(table: DataTable[Any]) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def highlighted(table: DataTable[Any]) -> str:
    return str(table.get_row_at(table.cursor_row)[0])


def busy_newcomer(conn: Any) -> None:
    """A new organisation with more deals than any other: the list puts it first."""
    create_org(conn, OrgFields(name="Zeta Labs", country="FR"))
    for day in range(1, 10):
        to = ("Oracle", "Microsoft", "Google")[day % 3]
        add_deal(conn, DealValues(date=dt.date(2025, 3, day), kind="investment", from_org="Zeta Labs", to_org=to))


async def test_r_rereads_the_organisations_keeping_the_highlighted_one(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrganizationsScreen)
        table = screen.query_one("#orgs", DataTable)
        await pilot.press("j", "j", "j")
        await settle(pilot)
        before, row_before = highlighted(table), table.cursor_row
        assert "Zeta Labs" not in column(table)

        on_db(db_path, busy_newcomer, write=True)
        await settle(pilot)
        assert "Zeta Labs" not in column(table)  # nothing re-read on its own

        await pilot.press("r")
        await settle(pilot)
        assert column(table)[0] == "Zeta Labs"
        assert highlighted(table) == before  # the same organisation, rows lower now
        assert table.cursor_row > row_before

        await pilot.press("g")
        await settle(pilot)
        detail = screen.query_one("#org-detail", DetailPane)
        assert detail.text.startswith("Zeta Labs\n")
        assert "Deals out 9" in detail.text

        one_more = DealValues(date=dt.date(2025, 4, 1), kind="investment", from_org="Zeta Labs", to_org="Nvidia")
        on_db(db_path, lambda c: add_deal(c, one_more), write=True)
        await pilot.press("r")
        await settle(pilot)
        assert "Deals out 10" in detail.text  # the figures re-read, the cursor where it was


async def test_r_in_the_organisations_moves_to_the_next_row_when_the_highlighted_one_is_gone(db_path: str) -> None:
    on_db(db_path, lambda c: create_org(c, OrgFields(name="Zeta Labs")), write=True)
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        table = app.screen.query_one("#orgs", DataTable)
        names = column(table)
        at = names.index("Zeta Labs")
        table.move_cursor(row=at)
        await settle(pilot)
        on_db(db_path, lambda c: delete_org(c, find_org_id(c, "Zeta Labs")), write=True)
        await pilot.press("r")
        await settle(pilot)
        assert "Zeta Labs" not in column(table)
        assert table.cursor_row == min(at, table.row_count - 1)


async def test_r_rereads_the_alliances_keeping_the_highlighted_one(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AlliancesScreen)
        table = screen.query_one("#alliances", DataTable)
        await pilot.press("G")
        await settle(pilot)
        before, row_before = highlighted(table), table.cursor_row

        on_db(db_path, lambda c: create_alliance(c, "Aardvark pact", ["Oracle", "Nvidia"]), write=True)
        await settle(pilot)
        assert "Aardvark pact" not in column(table)

        await pilot.press("r")
        await settle(pilot)
        assert column(table)[0] == "Aardvark pact"  # alphabetical: first
        assert highlighted(table) == before
        assert table.cursor_row == row_before + 1
        assert screen.query_one("#alliance-detail", DetailPane).text.startswith(before + "\n")
