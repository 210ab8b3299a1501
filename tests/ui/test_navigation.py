"""Pilot tests of finding your way (#13): `?` per screen from its bindings, the footer at 80 columns, the back
stack with each view's state, the deal view, list keys, counts and widths after every change, the empty
database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, OptionList
from textual.widgets._footer import FooterKey

from tests.support import databases
from tests.support.terminal import settle
from tracker.core.domain.fields import parse_deal_fields
from tracker.core.records.changes import add_deal
from tracker.ui.app import TrackerApp
from tracker.ui.screens.alliances import AlliancesScreen
from tracker.ui.screens.deal_form import DealFormScreen
from tracker.ui.screens.deal_view import DealViewScreen
from tracker.ui.screens.help import HelpScreen
from tracker.ui.screens.main import MainScreen
from tracker.ui.screens.organizations import OrganizationsScreen
from tracker.ui.widgets.ecosystem_map import EcosystemMap
from tracker.ui.widgets.footer import TrackerFooter


@pytest.fixture
def seeded(db_target: str) -> str:
    """The seed on every backend (SQLite; PostgreSQL when TRACKER_TEST_POSTGRES_URL is set)."""
    return databases.seeded(db_target)


def footer(app: TrackerApp) -> list[str]:
    """The footer's items as shown: "key description"."""
    return [f"{k.key_display} {k.description}".strip() for k in app.screen.query_one(TrackerFooter).query(FooterKey)]


async def help_of(pilot: Any) -> dict[str, list[tuple[str, str, str]]]:
    """Press `?` and read the help: group title -> [(keys, description, id)]; closes it again."""
    app = pilot.app
    await pilot.press("question_mark")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    groups = {g.title: [(k.keys, k.description, k.id) for k in g.keys] for g in screen.groups}
    await pilot.press("escape")
    await pilot.pause()
    return groups


def keys_in(groups: dict[str, list[tuple[str, str, str]]]) -> list[str]:
    return [key for lines in groups.values() for keys, _, _ in lines for key in keys.split(", ")]


def assert_clean(groups: dict[str, list[tuple[str, str, str]]]) -> None:
    """Keys as people write them, each once."""
    keys = keys_in(groups)
    assert len(keys) == len(set(keys)), keys
    for raw in ("question_mark", "shift+", "slash", "plus", "minus", "^"):
        assert not any(raw in k for k in keys), (raw, keys)


async def test_help_shows_the_keys_of_each_screen(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        deals = await help_of(pilot)
        assert_clean(deals)
        assert ("S", "Reverse", "main.reverse") in deals["Deals"]
        assert ("/", "Filter", "main.filter") in deals["Deals"]
        assert ("?, f1", "Keys", "app.help, app.help_anywhere") in deals["Everywhere"]
        assert ("ctrl+p", "palette", "command_palette") in deals["Everywhere"]
        assert ("↑, k", "Up", "paged-table.cursor-up, paged-table.cursor-up-vim") in deals["Moving in the list"]
        assert ("n", "Alliances", "app.alliances") in deals["Everywhere"]

        await pilot.press("m")
        await settle(pilot)
        the_map = await help_of(pilot)
        assert_clean(the_map)
        map_keys = {line[2]: line[0] for line in the_map["Map"]}
        for binding_id, key in (("map.left", "h"), ("map.right", "l"), ("map.edge", "e"), ("map.focus", "f"),
                                ("map.hops_up", "+, ="), ("map.hops_down", "-"), ("map.top", "n"),
                                ("map.group", "g"), ("map.cycles", "c")):  # fmt: skip
            assert key in map_keys[binding_id].split(", ") or map_keys[binding_id] == key
        assert ("n", "Top N", "map.top") in the_map["Map"]
        assert not any("app.alliances" in line[2] for line in the_map["Everywhere"])  # n is Top N here
        assert ("escape", "Back", "slot.back") in the_map["This screen"]

        await pilot.press("t")
        await settle(pilot)
        totals = await help_of(pilot)
        assert_clean(totals)
        assert ("K", "Kind", "totals.kind") in totals["Totals"]
        assert ("↓, j", "Down", "list.down") in totals["Moving in the list"]

        app.action_deals()  # o and n are groupings on the totals
        await settle(pilot)
        for key, screen_type, title in (
            ("o", OrganizationsScreen, "Organisations"),
            ("n", AlliancesScreen, "Alliances"),
        ):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen_type)
            groups = await help_of(pilot)
            assert_clean(groups)
            assert title in groups
            assert ("End, G", "Last", "list.last") in groups["Moving in the list"]
            assert ("Home, g", "First", "list.first") in groups["Moving in the list"]

        app.action_deals()
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DealViewScreen)
        deal = await help_of(pilot)
        assert_clean(deal)
        assert {line[2] for line in deal["Deal"]} >= {"deal.edit", "deal.source", "deal.back"}

        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, DealFormScreen)
        await pilot.press("f1")  # ? types a question mark in a field
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        form = {g.title: [k.id for k in g.keys] for g in app.screen.groups}
        assert {"form.save", "form.cancel", "form.help"} <= set(form["Deal form"])
        await pilot.press("f1")  # closes it
        await pilot.pause()
        assert isinstance(app.screen, DealFormScreen)

        await pilot.press("escape")
        await settle(pilot)
        app.action_deals()
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("x")  # the FX rate form: f1 works in every form
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen.title_text == "Rate"
        assert [k.id for g in app.screen.groups for k in g.keys] == ["rate.cancel"]


async def test_footer_at_80_columns_shows_the_most_used_keys_and_quit(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = footer(app)
        assert shown[:5] == ["enter Open", "/ Filter", "a Add", "e Edit", "d Delete"]
        assert shown[-3:] == ["? Keys", "q Quit", "ctrl+p palette"]
        assert sum(len(item) + 2 for item in shown) <= 80  # every item whole (one space each side)
        await pilot.press("m")
        await settle(pilot)
        shown = footer(app)
        assert shown[0] == "enter Deals" and "f Focus" in shown and shown[-3:-1] == ["? Keys", "q Quit"]
        await pilot.press("t")
        await settle(pilot)
        assert footer(app)[:2] == ["o Organisation", "c Country"] and "q Quit" in footer(app)
    async with TrackerApp(db_target=db_path).run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        wide = footer(pilot.app)  # type: ignore[arg-type]
        assert "m Map" in wide and "t Totals" in wide and "u Undo" in wide


async def test_back_stack_keeps_the_map_as_it_was(seeded: str) -> None:
    app = TrackerApp(db_target=seeded)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")  # the deals screen's own state
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        the_map = app.screen.query_one(EcosystemMap)
        await pilot.press("l", "f", "plus", "g")  # a node, focused on it, 2 hops, grouped by parents
        await settle(pilot)
        selected = the_map.canvas.selected
        state = (the_map.focus_org, the_map.hops, the_map.group_parents)
        assert state[0] is not None and state[1:] == (2, True)
        await pilot.press("enter")  # the deals behind the node's first edge
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.screen is not app.main
        assert 0 < app.deals.table.row_count < 8
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one(EcosystemMap) is the_map
        assert (the_map.focus_org, the_map.hops, the_map.group_parents, the_map.canvas.selected) == (*state, selected)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main and app.main.table.cursor_row == 2
        await pilot.press("m")  # reopened: as it was left
        await settle(pilot)
        assert app.screen.query_one(EcosystemMap) is the_map
        assert (the_map.focus_org, the_map.hops, the_map.group_parents, the_map.canvas.selected) == (*state, selected)


async def test_organisations_keep_search_and_row_behind_their_deals(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        table = app.screen.query_one("#orgs", DataTable)
        await pilot.press("j", "j", "j")
        assert table.cursor_row == 3
        await pilot.press("k")
        assert table.cursor_row == 2
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home", "pagedown")
        assert table.cursor_row > 0
        await pilot.press("pageup", "j")
        assert table.cursor_row == 1
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.deals and app.deals is not app.main
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrganizationsScreen) and table.cursor_row == 1


async def test_alliances_list_keys(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        table = app.screen.query_one("#alliances", DataTable)
        assert table.row_count == 2
        await pilot.press("j")
        assert table.cursor_row == 1
        await pilot.press("k")
        assert table.cursor_row == 0
        await pilot.press("G")
        assert table.cursor_row == 1
        await pilot.press("g")
        assert table.cursor_row == 0


async def test_deal_view_fields_links_source_and_edit(seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    app = TrackerApp(db_target=seeded)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"100 billion", "enter")
        await settle(pilot)
        deal_id = app.main.table.current_row.id
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, DealViewScreen) and view.deal_id == deal_id
        text = view.text
        for field in ("Nvidia (NVIDIA Corporation, 英伟达)", "OpenAI", "as written: 高达1000亿美元", "up to",
                      "Status", "Date", "OpenAI–Nvidia–Oracle triangle", "证券日报", "Title"):  # fmt: skip
            assert field in text, field
        links = view.query_one("#deal-links", OptionList)
        assert links.option_count >= 1 and "has part: #" in str(links.get_option_at_index(0).prompt)
        await pilot.press("w")  # no URL in this source: nothing opened, and said
        assert not opened
        await pilot.press("enter")  # the linked deal
        await settle(pilot)
        linked = app.screen
        assert isinstance(linked, DealViewScreen) and linked.deal_id != deal_id
        assert any(link.id == deal_id for link in linked.detail.links)  # type: ignore[union-attr]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is view
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DealFormScreen)
        form.query_one("#f-amount", Input).value = "up to $90B"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is view
        await settle(pilot)
        assert "$90B" in view.text  # read again after the change
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main and "$90B" in " ".join(app.main.table.current_row.cells)


def add_elsewhere(target: str, **fields: str) -> None:
    """A deal added by another process's connection (the app sees it after `r`)."""
    values, errors = parse_deal_fields(fields)
    assert not errors
    databases.on_db(target, lambda conn: add_deal(conn, values, create_orgs=True), write=True)


async def test_counts_and_widths_follow_refresh_delete_and_undo(seeded: str) -> None:
    long_name = "Broadcom Semiconductor Holdings"
    app = TrackerApp(db_target=seeded)
    async with app.run_test(size=(140, 30), notifications=True) as pilot:
        await settle(pilot)
        table = app.main.table
        narrow = table.widths
        assert "8 deals" in app.main.status.render_text().plain
        add_elsewhere(seeded, date="2026-06-01", kind="purchase", from_org=long_name, to_org="OpenAI", amount="$2B")
        await pilot.press("r")
        await settle(pilot)
        assert "9 deals" in app.main.status.render_text().plain
        assert table.widths[1] == len(long_name) > narrow[1]
        assert table.current_row.cells[1] == long_name  # newest first: the cursor is on it
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert "8 deals" in app.main.status.render_text().plain
        assert table.widths == narrow
        await pilot.press("u")
        await settle(pilot)
        assert "9 deals" in app.main.status.render_text().plain
        assert table.widths[1] == len(long_name)


async def test_counts_follow_an_add_in_the_form(seeded: str) -> None:
    from tests.support.terminal import fill_form

    app = TrackerApp(db_target=seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        fill_form(app.screen, date="2001-03-01", kind="investment", from_org="Nvidia", to_org="OpenAI", amount="$5B")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "9 deals" in app.main.status.render_text().plain  # the cursor's row did not change: the count did
        assert app.main.table.cursor_row == 0 and app.main.table.current_row.cells[0] != "2001-03-01"


async def test_empty_database_says_how_to_add_or_import(tmp_path: Path) -> None:
    app = TrackerApp(db_target=str(tmp_path / "empty.db"), empty=True)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        assert app.main.table.row_count == 0
        assert app.main.table.empty_text.startswith("No deals yet: a adds one, or run  tracker import FILE")
        assert "0 deals" in app.main.status.render_text().plain
        await pilot.press("slash", *"nothing")
        await settle(pilot)
        assert app.main.table.empty_text.startswith("No deals match")


async def test_every_view_is_in_the_command_palette() -> None:
    from tracker.ui.commands import COMMANDS

    actions = {action for _, _, action in COMMANDS}
    assert {"deals", "main:open_deal", "map", "totals", "organizations", "alliances", "help"} <= actions


async def test_deal_view_opens_the_source_url(seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    url = "https://example.com/news/broadcom-openai"
    add_elsewhere(seeded, date="2026-06-01", kind="purchase", from_org="OpenAI", to_org="Nvidia", amount="$2B",
                  source_outlet="WSJ", source_url=url)  # fmt: skip
    app = TrackerApp(db_target=seeded)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda link, **_: opened.append(link))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the newest: the one just added
        await settle(pilot)
        assert isinstance(app.screen, DealViewScreen)
        assert url in app.screen.text and "WSJ" in app.screen.text
        assert "w Source URL" in footer(app)
        await pilot.press("w")
        assert opened == [url]


async def test_a_kept_map_follows_a_change(seeded: str) -> None:
    app = TrackerApp(db_target=seeded)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        the_map = app.screen.query_one(EcosystemMap)
        assert the_map.state is not None
        edges = len(the_map.state.graph.edges)
        await pilot.press("escape")
        await settle(pilot)
        add_elsewhere(seeded, date="2026-06-01", kind="investment", from_org="Microsoft", to_org="Oracle", amount="$1B")
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert app.screen.query_one(EcosystemMap) is the_map
        assert len(the_map.state.graph.edges) == edges + 1
