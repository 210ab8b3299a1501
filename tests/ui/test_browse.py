"""Pilot tests: browsing, sorting, filtering (English and Chinese), views, refresh, trouble."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from tests.support.databases import on_db
from tests.support.terminal import settle
from tracker.core.csvio.seed import load_seed
from tracker.core.domain.fields import parse_deal_fields
from tracker.core.records.changes import add_deal
from tracker.core.storage.opening import open_database
from tracker.ui.app import TrackerApp
from tracker.ui.screens.alliances import AlliancesScreen
from tracker.ui.screens.error import ErrorScreen
from tracker.ui.screens.help import HelpScreen
from tracker.ui.screens.organizations import OrganizationsScreen
from tracker.ui.widgets.paged_table import PagedTable


def rows(app: TrackerApp) -> list[tuple[str, ...]]:
    table = app.main.table
    return [table.get_row_at(i).cells for i in range(table.row_count) if table.get_row_at(i) is not None]


def column(app: TrackerApp, name: str) -> list[str]:
    index = [c.key for c in app.main.table.columns].index(name)
    return [cells[index] for cells in rows(app)]


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for char in text:
        await pilot.press(char)


async def test_browse_shows_seed_and_detail(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        assert app.main.table.row_count == 8
        assert "8 deals" in app.main.status.render_text().plain
        assert db_path in app.main.status.render_text().plain
        # newest first; the detail pane follows the cursor
        first = app.main.table.current_row
        assert first is not None
        assert f"#{first.id}" in app.main.detail.text
        await pilot.press("down", "j")
        await settle(pilot)
        third = app.main.table.current_row
        assert third is not None and third.id != first.id
        assert f"#{third.id}" in app.main.detail.text
        await pilot.press("k")
        await settle(pilot)
        assert app.main.table.cursor_row == 1
        # enter opens the deal on its own screen, escape goes back to the table on the same row
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "DealViewScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main and app.focused is app.main.table
        assert app.main.table.cursor_row == 1


async def test_detail_pane_shows_aliases_amount_links_and_source(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "100 billion")
        await pilot.press("enter")
        await settle(pilot)
        text = app.main.detail.text
        assert "Nvidia (NVIDIA Corporation, 英伟达)" in text
        assert "≤ $100B" in text and "as written: 高达1000亿美元" in text
        assert "up to" in text
        assert "has part: #" in text  # the 10 GW purchase is part of this investment
        assert "证券日报" in text
        assert "OpenAI–Nvidia–Oracle triangle" in text


async def test_sort_cycles_and_reverses(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        assert app.main.table.sort_column == "date" and app.main.table.sort_reverse
        await pilot.press("s")  # date -> kind (ascending)
        await settle(pilot)
        assert app.main.table.sort_column == "kind"
        kinds = column(app, "kind")
        assert kinds == sorted(kinds)
        await pilot.press("S")
        await settle(pilot)
        assert app.main.table.sort_reverse
        assert column(app, "kind") == sorted(kinds, reverse=True)
        await pilot.press("s")  # from
        await settle(pilot)
        names = column(app, "from")
        assert names == sorted(names, key=str.casefold)
        assert "sort: from ▲" in app.main.status.render_text().plain


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("nvidia", "Nvidia", "CNY 380B"),
        ("英伟达", "Nvidia", "CNY 380B"),
        ("阿里", "CNY 380B", "≤ $100B"),
    ],
)
async def test_filter_english_and_chinese(db_path: str, text: str, present: str, absent: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, text)
        await settle(pilot)
        shown = [" ".join(r) for r in rows(app)]
        assert shown and any(present in line for line in shown)
        assert not any(absent in line for line in shown)
        assert f"“{text}”" in app.main.status.render_text().plain
        # escape in the bar goes back to the table and keeps the filter; escape again clears it
        await pilot.press("escape")
        assert app.focused is app.main.table
        assert app.main.table.row_count == len(shown)
        await pilot.press("escape")
        await settle(pilot)
        assert app.main.table.row_count == 8
        assert "filter: none" in app.main.status.render_text().plain


async def test_a_slow_search_says_what_it_searches(db_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """While a query's first rows are on their way (seconds for a rare word at a million deals), the table
    says what it is doing: never "Opening database…" once the database is open."""
    import threading

    from tracker.ui.sources import deals as deal_source

    release = threading.Event()
    real_count = deal_source.DealSource.count

    def held_count(self: deal_source.DealSource) -> int:
        if self.query.spec.text.strip():
            release.wait(30)
        return real_count(self)

    monkeypatch.setattr(deal_source.DealSource, "count", held_count)
    app = TrackerApp(db_target=db_path)
    try:
        async with app.run_test(size=(140, 30)) as pilot:
            await settle(pilot)
            await pilot.press("slash")
            await type_text(pilot, "英伟达")
            await pilot.pause(0.3)
            table = app.main.table
            assert table.is_loading
            first_line = table.render_line(1).text
            assert "Searching “英伟达”…" in first_line, first_line
            release.set()
            await settle(pilot)
            assert table.row_count > 0
    finally:
        release.set()


async def test_filter_kind_dates_and_amounts(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        bar = app.main.filter_bar
        bar.query_one("#filter-kind").value = "infrastructure"
        await settle(pilot)
        assert app.main.table.row_count == 3
        bar.query_one("#filter-kind").value = bar.query_one("#filter-kind").NULL
        bar.query_one("#filter-min").value = "10B"
        await settle(pilot)
        assert sorted(column(app, "amount")) == sorted(["CNY 380B", "≤ $100B"])
        bar.query_one("#filter-max").value = "60B"
        await settle(pilot)
        assert column(app, "amount") == ["CNY 380B"]
        bar.query_one("#filter-min").value = ""
        bar.query_one("#filter-max").value = ""
        # a deal is kept when its period overlaps the range: six of 2025-09 and two of the whole of 2025
        bar.query_one("#filter-from").value = "2025-09-15"
        await settle(pilot)
        assert app.main.table.row_count == 8
        bar.query_one("#filter-from").value = "Oct 2025"
        await settle(pilot)
        assert app.main.table.row_count == 2  # the year deals only
        bar.query_one("#filter-from").value = ""
        bar.query_one("#filter-to").value = "2025-08"
        await settle(pilot)
        assert app.main.table.row_count == 2
        bar.query_one("#filter-to").value = "2025-09"  # to the end of September
        await settle(pilot)
        assert app.main.table.row_count == 8
        bar.query_one("#filter-from").value = "2025-09"
        bar.query_one("#filter-to").value = "not a date"
        await settle(pilot)
        assert "to date 'not a date'" in str(bar.query_one("#filter-error").content)
        assert app.main.table.row_count == 8  # the bad part is left out
        bar.query_one("#filter-to").value = "9/10/2025"
        await settle(pilot)
        assert "ambiguous" in str(bar.query_one("#filter-error").content)


async def test_organisations_view_filters_main_table(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OrganizationsScreen)
        await pilot.press("slash")
        await type_text(pilot, "英伟达")
        await settle(pilot)
        table = app.screen.query_one("#orgs", DataTable)
        assert table.row_count == 1
        await pilot.press("enter")  # search -> table
        await settle(pilot)
        detail = app.screen.query_one("#org-detail").text
        assert "Nvidia" in detail and "英伟达" in detail and "Deals in" in detail
        assert "OpenAI–Nvidia–Oracle triangle" in detail
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.deals and app.deals is not app.main  # opened above the list
        assert app.deals.table.row_count == 4
        assert "organisation Nvidia" in app.deals.status.render_text().plain
        await pilot.press("escape")  # back to the list, as it was
        await settle(pilot)
        assert isinstance(app.screen, OrganizationsScreen)
        assert app.screen.query_one("#org-search", Input).value == "英伟达"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main and app.main.table.row_count == 8


async def test_alliances_view_filters_main_table(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, AlliancesScreen)
        table = app.screen.query_one("#alliances", DataTable)
        assert table.row_count == 2
        detail = app.screen.query_one("#alliance-detail").text
        assert "Members" in detail and "Nvidia" in detail
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.deals and app.deals is not app.main
        assert 0 < app.deals.table.row_count < 8
        assert "alliance " in app.deals.status.render_text().plain
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AlliancesScreen)


async def test_help_lists_every_key(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        ids = {i for group in app.screen.groups for line in group.keys for i in line.id.split(", ")}
        for expected in ("main.filter", "main.add", "main.edit", "main.delete", "main.link", "main.sort",
                         "main.reverse", "main.back", "app.quit", "app.undo", "app.organisations",
                         "app.alliances", "app.map", "app.totals", "app.refresh", "app.help"):  # fmt: skip
            assert expected in ids
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main


async def test_refresh_shows_another_process_write(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        assert app.main.table.row_count == 8
        values, errors = parse_deal_fields(
            {"date": "2026-01-02", "kind": "investment", "from_org": "Nvidia", "to_org": "OpenAI", "amount": "$1B"}
        )
        assert not errors
        on_db(db_path, lambda conn: add_deal(conn, values), write=True)
        await pilot.press("r")
        await settle(pilot)
        assert app.main.table.row_count == 9
        assert column(app, "date")[0] == "2026-01-02"


async def test_map_and_totals_slots_open_and_close(db_path: str) -> None:
    from tracker.ui.widgets.ecosystem_map import EcosystemMap
    from tracker.ui.widgets.totals_view import TotalsView

    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for key, widget in (("m", EcosystemMap), ("t", TotalsView)):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is not app.main
            assert app.screen.query(widget)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is app.main


async def test_map_messages_drive_the_deals_table(db_path: str) -> None:
    from tracker.ui.widgets.ecosystem_map import EcosystemMap

    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        ids = (app.main.table.get_row_at(0).id, app.main.table.get_row_at(4).id)
        await pilot.press("m")
        await settle(pilot)
        the_map = app.screen.query_one(EcosystemMap)
        the_map.post_message(EcosystemMap.OpenDeals(ids, "Nvidia → OpenAI"))
        await settle(pilot)
        deals = app.deals
        assert app.screen is deals and deals is not app.main
        assert sorted(r.id for r in map(deals.table.get_row_at, range(2))) == sorted(ids)
        assert deals.table.row_count == 2
        assert "Nvidia → OpenAI" in deals.status.render_text().plain
        await pilot.press("m")  # the map is below: back to it
        await settle(pilot)
        assert app.screen.query_one(EcosystemMap) is the_map
        org_id = read_org_id(db_path, "英伟达")
        app.screen.query_one(EcosystemMap).post_message(EcosystemMap.ShowOrg(org_id))
        await settle(pilot)
        assert app.screen is app.deals
        assert app.deals.table.row_count == 4
        assert "organisation Nvidia" in app.deals.status.render_text().plain


def read_org_id(db_path: str, name: str) -> int:
    from tracker.core.records.orgs import find_org_id

    found = on_db(db_path, lambda conn: find_org_id(conn, name))
    assert found is not None
    return found


async def test_directory_as_database_shows_clean_error(tmp_path: Path) -> None:
    app = TrackerApp(db_target=str(tmp_path))
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "is a directory" in app.screen.message
        assert "Traceback" not in app.screen.message
        await pilot.press("escape")
        await pilot.pause()
        assert "No database" in str(app.main.status.content)
        await pilot.press("a", "o")  # a warning, no crash
        await pilot.press("q")
    assert app.return_code in (0, None)


async def test_paged_table_is_used(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.main.table, PagedTable)


async def test_text_filter_counts_capped_then_exactly(db_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.ui.sources import deals as deal_source

    monkeypatch.setattr(deal_source, "COUNT_CAP", 2)
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"nvidia")
        await settle(pilot)
        await pilot.pause(0.5)  # the exact count starts once typing pauses
        await settle(pilot)
        # Nvidia's four deals, and OpenAI → Oracle through its alliance, the "OpenAI–Nvidia–Oracle triangle"
        assert "5 deals" in app.main.status.render_text().plain
        assert app.main.table.row_count == 5


def test_a_text_filter_with_few_matches_pages_them_by_id(db_path: str) -> None:
    """Under the cap, the count's ids are every match: pages look them up instead of scanning again (at a
    million deals a rare word took 3 s a page), and show exactly what the scan would, in every sort."""
    import dataclasses

    from tracker.core.records.pages import page
    from tracker.ui.sources.deals import DealSource
    from tracker.ui.sources.query import DealQuery

    db = open_database(db_path, populate=load_seed)
    try:
        for sort in ("date", "amount", "from", "kind"):
            query = DealQuery(spec=dataclasses.replace(DealQuery().spec, text="nvidia"), sort=sort)
            source = DealSource(db, query)
            scanned = query.to_filter()
            n = source.count()
            assert 0 < n <= 8 and not source.capped
            assert source.page_filter.deal_ids is not None and len(source.page_filter.deal_ids) == n
            with db.read() as conn:
                expected = [r.id for r in page(conn, scanned, sort=sort, descending=True, limit=100)]
            assert [r.id for r in source.page_after(None, 100)] == expected
        # a deal edited after the count so that it no longer matches stays out
        values, errors = parse_deal_fields(
            {"date": "2025-10-01", "kind": "investment", "from_org": "Nvidia", "to_org": "OpenAI",
             "description": "zebra crossing"}
        )  # fmt: skip
        assert not errors
        with db.write() as conn:
            zebra, _ = add_deal(conn, values)
        source = DealSource(db, DealQuery(spec=dataclasses.replace(DealQuery().spec, text="zebra")))
        assert source.count() == 1 and [r.id for r in source.page_after(None, 100)] == [zebra]
        with db.write() as conn:
            conn.exec_driver_sql(f"UPDATE deal SET description = 'a horse' WHERE id = {zebra}")
        assert source.page_after(None, 100) == []
        # every reload counts again: a match added (or restored by undo) since shows up
        with db.write() as conn:
            conn.exec_driver_sql(f"UPDATE deal SET description = 'zebra again' WHERE id = {zebra}")
        assert source.count() == 1 and [r.id for r in source.page_after(None, 100)] == [zebra]
    finally:
        db.dispose()


@pytest.mark.parametrize(("few", "cap"), [(1, 100), (1, 2)])
def test_a_text_filter_past_the_first_reading_is_counted_then_read(
    db_path: str, monkeypatch: pytest.MonkeyPatch, few: int, cap: int
) -> None:
    """Past the first reading of FEW ids, the count decides: under the cap every id is read again (the pages
    look them up), over it none are (the pages walk the sort order); the figures are those of one reading."""
    import dataclasses

    from tracker.ui.sources import deals
    from tracker.ui.sources.query import DealQuery

    query = DealQuery(spec=dataclasses.replace(DealQuery().spec, text="nvidia"))
    db = open_database(db_path)
    try:
        alone = deals.DealSource(db, query)
        n = alone.count()
        assert n > 1 and alone.page_filter.deal_ids is not None
        monkeypatch.setattr(deals, "FEW", few)
        monkeypatch.setattr(deals, "COUNT_CAP", cap)
        source = deals.DealSource(db, query)
        if n <= cap:
            assert source.count() == n and not source.capped
            assert sorted(source.page_filter.deal_ids or ()) == sorted(alone.page_filter.deal_ids)
        else:
            assert source.count() == cap + 1 and source.capped and source.page_filter.deal_ids is None
        assert [r.id for r in source.page_after(None, 100)] == [r.id for r in alone.page_after(None, 100)]
    finally:
        db.dispose()
