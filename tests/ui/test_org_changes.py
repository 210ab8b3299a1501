"""Pilot tests of the organisations view (`o`): edit in a form (checked as typed, refusals under the field),
merge into another (typed, with matches; refused while deals would have one organisation on both sides),
delete (asked; refused with the count while it has deals), and `u` undoing each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.widgets import DataTable, Input, Label

from tests.support.databases import on_db
from tests.support.terminal import settle
from tracker.core.domain.fields import DealValues
from tracker.core.records.changes import add_deal
from tracker.core.records.orgs import OrgFields, create_org, find_org_id, org_summary
from tracker.ui.app import TrackerApp
from tracker.ui.screens.confirm import ConfirmScreen
from tracker.ui.screens.error import ErrorScreen
from tracker.ui.screens.org_form import OrgFormScreen
from tracker.ui.screens.org_merge import OrgMergeScreen
from tracker.ui.screens.organizations import OrganizationsScreen


def summary(db_path: str, name: str) -> Any:
    return on_db(db_path, lambda c: (lambda i: org_summary(c, i) if i else None)(find_org_id(c, name)))


async def open_orgs(pilot: Any, search: str = "") -> OrganizationsScreen:
    await settle(pilot)
    await pilot.press("o")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, OrganizationsScreen)
    if search:
        screen.query_one("#org-search", Input).value = search
        await settle(pilot)
        screen.query_one("#orgs", DataTable).focus()
    return screen


def first_row(screen: OrganizationsScreen) -> str:
    return str(screen.query_one("#orgs", DataTable).get_row_at(0)[0])


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Label).content)


async def test_edit_in_a_form_then_undo(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        orgs = await open_orgs(pilot, "nvidia")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, OrgFormScreen)
        assert form.query_one("#f-native_name", Input).value == "英伟达"
        form.query_one("#f-name", Input).value = "Tab\there"
        await pilot.pause()
        assert "control character (U+0009) at position 4" in text_of(form, "#e-name")  # as it is typed
        form.query_one("#f-name", Input).value = "oracle"
        form.query_one("#f-country", Input).value = "US"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused by the database, shown under the field, all typed kept
        assert text_of(form, "#e-name") == "name 'oracle': already the name of 'Oracle'"
        assert form.query_one("#f-country", Input).value == "US"
        form.query_one("#f-name", Input).value = "NVIDIA Corp"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is orgs
        saved = summary(db_path, "Nvidia")
        assert saved.name == "NVIDIA Corp" and saved.country == "US" and "Nvidia" in saved.aliases
        assert first_row(orgs) == "NVIDIA Corp"
        detail = orgs.query_one("#org-detail").text  # type: ignore[attr-defined]
        assert detail.startswith("NVIDIA Corp") and "Nvidia" in detail and "US" in detail
        await pilot.press("u")
        await settle(pilot)
        back = summary(db_path, "Nvidia")
        assert back.name == "Nvidia" and back.country == "United States" and "Nvidia" not in back.aliases
        assert first_row(orgs) == "Nvidia"
        assert orgs.query_one("#org-detail").text.startswith("Nvidia\n")  # type: ignore[attr-defined]


def add_nvdia(conn: Any) -> None:
    create_org(conn, OrgFields(name="Nvdia", notes="typed in a hurry"))
    add_deal(conn, DealValues(date=dt.date(2025, 2, 1), kind="investment", from_org="Nvdia", to_org="Microsoft"))


async def test_merge_into_another_by_typing_then_undo(db_path: str) -> None:
    on_db(db_path, add_nvdia, write=True)
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        orgs = await open_orgs(pilot, "nvdia")
        assert first_row(orgs) == "Nvdia"
        await pilot.press("M")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, OrgMergeScreen)
        await pilot.press(*"英伟")
        await pilot.pause()
        assert text_of(dialog, "#merge-matches") == "matches: 英伟达"
        await pilot.press("达", "enter")
        await settle(pilot)
        assert app.screen is orgs
        merged = summary(db_path, "Nvdia")
        assert merged.name == "Nvidia" and merged.deals_out == 2 and merged.notes == "typed in a hurry"
        assert first_row(orgs) == "Nvidia"  # found by its new alias
        assert orgs.query_one("#orgs", DataTable).row_count == 1
        await pilot.press("u")
        await settle(pilot)
        assert summary(db_path, "Nvdia").name == "Nvdia" and summary(db_path, "Nvidia").deals_out == 1
        assert first_row(orgs) == "Nvdia"


async def test_merge_refused_while_deals_would_have_one_organisation_on_both_sides(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_orgs(pilot, "openai")
        await pilot.press("M")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, OrgMergeScreen)
        dialog.query_one("#merge-into", Input).value = "Nvidia"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert "2 deals between them" in dialog.problem and "would have 'Nvidia' on both sides" in dialog.problem
        assert summary(db_path, "OpenAI").deals_out == 2
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrganizationsScreen)


async def test_delete_asks_is_refused_with_deals_and_undo_brings_it_back(db_path: str) -> None:
    on_db(db_path, lambda c: create_org(c, OrgFields(name="Zeta Labs"), ["ZL"]), write=True)
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        orgs = await open_orgs(pilot, "oracle")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "'Oracle': has 2 deals (1 from it, 1 to it); not deleted" in str(app.screen.message)
        await pilot.press("escape")
        await settle(pilot)
        orgs.query_one("#org-search", Input).value = "zeta"
        await settle(pilot)
        orgs.query_one("#orgs", DataTable).focus()
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is orgs and summary(db_path, "ZL") is None
        assert orgs.query_one("#orgs", DataTable).row_count == 0
        await pilot.press("u")
        await settle(pilot)
        assert summary(db_path, "ZL").name == "Zeta Labs"
        assert first_row(orgs) == "Zeta Labs"


async def test_the_form_edits_aliases_and_names_the_organisation_that_has_one(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        orgs = await open_orgs(pilot, "openai")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, OrgFormScreen)
        form.query_one("#f-aliases", Input).value = "Open AI; 甲骨文"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert text_of(form, "#e-aliases") == "alias '甲骨文': already an alias of 'Oracle'"
        assert "Not saved" in form.problem
        form.query_one("#f-aliases", Input).value = "Open AI;  ChatGPT maker "
        form.query_one("#f-parent", Input).value = "Microsoft"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is orgs
        saved = summary(db_path, "chatgpt maker")
        assert saved.name == "OpenAI" and saved.aliases == ("ChatGPT maker", "Open AI") and saved.parent == "Microsoft"
        await pilot.press("u")
        await settle(pilot)
        assert summary(db_path, "chatgpt maker") is None and summary(db_path, "OpenAI").parent is None
