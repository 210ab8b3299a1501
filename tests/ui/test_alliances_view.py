"""Pilot tests of the alliances view (`n`): create, rename, delete (asks) and members, each undone with `u`;
and the deal form's alliances field: completion by key, an equivalent name is the existing alliance, a new
one is confirmed first (Back focused)."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Input

from tests.support.databases import on_db
from tests.support.terminal import fill_form, settle
from tracker.core.domain.names import alliance_key
from tracker.core.records.alliances import find_alliance_id, get_alliance, list_alliances
from tracker.core.records.details import get_deal
from tracker.core.records.pages import count_deals
from tracker.ui.app import TrackerApp
from tracker.ui.screens.alliance_form import AllianceFormScreen
from tracker.ui.screens.alliances import AlliancesScreen
from tracker.ui.screens.confirm import ConfirmScreen
from tracker.ui.screens.deal_form import DealFormScreen
from tracker.ui.screens.new_alliances import NewAlliancesScreen
from tracker.ui.widgets.name_suggester import NameListSuggester

SEED = "OpenAI–Nvidia–Oracle triangle"


def names(db_path: str) -> list[str]:
    return on_db(db_path, lambda c: [a.name for a in list_alliances(c)])


def rows(screen: AlliancesScreen) -> list[str]:
    table = screen.query_one("#alliances", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def open_view(pilot: Any) -> AlliancesScreen:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AlliancesScreen)
    return screen


async def highlight(pilot: Any, screen: AlliancesScreen, name: str) -> None:
    table = screen.query_one("#alliances", DataTable)
    table.move_cursor(row=rows(screen).index(name))
    await pilot.pause()


async def fill_and_save(pilot: Any, **values: str) -> AllianceFormScreen:
    form = pilot.app.screen
    assert isinstance(form, AllianceFormScreen)
    for key, value in values.items():
        form.query_one(f"#p-{key}", Input).value = value
    await pilot.press("ctrl+s")
    await settle(pilot)
    return form


async def test_create_with_members_then_undo(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        view = await open_view(pilot)
        assert rows(view) == ["Alibaba Cloud–Nvidia Physical AI ecosystem", SEED]
        await pilot.press("a")
        await settle(pilot)
        await fill_and_save(pilot, name="Stargate", members="OpenAI; 甲骨文", description="US build-out")
        assert app.screen is view
        assert rows(view) == ["Alibaba Cloud–Nvidia Physical AI ecosystem", SEED, "Stargate"]
        made = on_db(db_path, lambda c: get_alliance(c, "stargate"))
        assert [n for _, n in made.members] == ["OpenAI", "Oracle"] and made.description == "US build-out"
        assert view.current() is not None and view.current().name == "Stargate"  # type: ignore[union-attr]
        await pilot.press("u")
        await settle(pilot)
        assert rows(view) == ["Alibaba Cloud–Nvidia Physical AI ecosystem", SEED]
        assert names(db_path) == ["Alibaba Cloud–Nvidia Physical AI ecosystem", SEED]


async def test_an_equivalent_name_keeps_the_dialog_open_with_the_error(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_view(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = await fill_and_save(pilot, name="openai-nvidia-oracle  triangle")
        assert app.screen is form
        assert form.problem == (
            "Not saved: alliance 'openai-nvidia-oracle triangle': exists already as 'OpenAI–Nvidia–Oracle triangle'"
        )
        assert form.query_one("#p-name", Input).value == "openai-nvidia-oracle  triangle"  # kept as typed
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is view and len(names(db_path)) == 2


async def test_rename_then_undo(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_view(pilot)
        await highlight(pilot, view, SEED)
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#p-name", Input).value == SEED
        await fill_and_save(pilot, name="The triangle")
        assert rows(view) == ["Alibaba Cloud–Nvidia Physical AI ecosystem", "The triangle"]
        assert on_db(db_path, lambda c: get_alliance(c, "the triangle").deal_count) == 3
        await pilot.press("u")
        await settle(pilot)
        assert rows(view) == ["Alibaba Cloud–Nvidia Physical AI ecosystem", SEED]


async def test_delete_asks_keeps_the_deals_and_undo_brings_it_back(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_view(pilot)
        await highlight(pilot, view, SEED)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "3 members, 3 deals" in app.screen.question.plain
        await pilot.press("n")
        await settle(pilot)
        assert len(names(db_path)) == 2
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert rows(view) == ["Alibaba Cloud–Nvidia Physical AI ecosystem"]
        assert names(db_path) == ["Alibaba Cloud–Nvidia Physical AI ecosystem"]
        assert on_db(db_path, count_deals) == 8  # the deals stay
        await pilot.press("u")
        await settle(pilot)
        assert rows(view) == ["Alibaba Cloud–Nvidia Physical AI ecosystem", SEED]
        back = on_db(db_path, lambda c: get_alliance(c, SEED))
        assert back.deal_count == 3 and len(back.members) == 3


async def test_members_added_and_removed_then_undone(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_view(pilot)
        await highlight(pilot, view, SEED)
        await pilot.press("plus")
        await settle(pilot)
        form = await fill_and_save(pilot, org="Nobody Inc")
        assert app.screen is form and "organisation 'Nobody Inc': no such organisation" in form.problem
        await fill_and_save(pilot, org="阿里巴巴")
        assert app.screen is view
        members = lambda: [n for _, n in on_db(db_path, lambda c: get_alliance(c, SEED)).members]  # noqa: E731
        assert members() == ["Alibaba", "Nvidia", "OpenAI", "Oracle"]
        await pilot.press("minus")
        await settle(pilot)
        await fill_and_save(pilot, org="oracle")
        assert members() == ["Alibaba", "Nvidia", "OpenAI"]
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert members() == ["Nvidia", "OpenAI", "Oracle"]


def test_the_suggester_completes_the_last_name_by_key() -> None:
    s = NameListSuggester(["Alibaba Cloud–Nvidia Physical AI ecosystem", SEED], key=alliance_key)
    assert s.suggest("openai-nv") == SEED
    assert s.suggest("Stargate; OpenAI - N") == "Stargate; " + SEED
    assert s.suggest("Stargate; ") is None and s.suggest("zzz") is None


async def test_deal_form_alliances_complete_resolve_and_confirm_new(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DealFormScreen)
        field = form.query_one("#f-alliances", Input)
        field.focus()
        await pilot.press(*"openai-nv")
        await settle(pilot)
        await pilot.press("right")  # accepts the completion drawn after the cursor
        assert field.value == SEED
        fill_form(form, date="2026-03", kind="purchase", from_org="OpenAI", to_org="Nvidia",
                  alliances="OpenAI-Nvidia-Oracle triangle; Stargate UAE")  # fmt: skip
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NewAlliancesScreen)
        assert "Stargate UAE" in dialog.question.plain and "triangle" not in dialog.question.plain
        assert dialog.focused is not None and dialog.focused.id == "no"  # Back has the focus
        await pilot.press("enter")  # Back: nothing saved, the form as typed
        await settle(pilot)
        assert app.screen is form and "Not saved: pick existing alliances" in form.problem
        assert (
            on_db(db_path, count_deals) == 8 and on_db(db_path, lambda c: find_alliance_id(c, "Stargate UAE")) is None
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NewAlliancesScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is app.main and on_db(db_path, count_deals) == 9
        assert names(db_path) == ["Alibaba Cloud–Nvidia Physical AI ecosystem", SEED, "Stargate UAE"]
        deal_id = max(on_db(db_path, lambda c: [d for d, _ in get_alliance_deals(c, "Stargate UAE")]))
        assert [n for _, n in on_db(db_path, lambda c: get_deal(c, deal_id)).alliances] == [SEED, "Stargate UAE"]


def get_alliance_deals(conn: Any, name: str) -> list[tuple[int, str]]:
    from tracker.core.records.alliances import alliance_deals

    return alliance_deals(conn, get_alliance(conn, name).id)
