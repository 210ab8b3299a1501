"""Pilot tests of the deal form's party fields: Tab takes the completion shown (Open -> OpenAI) or the
close name offered (Nvdia -> Nvidia); a known organisation of the reference list says so; the
new-organisation confirmation opens with "Back" focused and shows the close names beside each new one."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Input, Label

from tests.support.databases import on_db
from tests.support.terminal import fill_form, settle
from tracker.core.records.pages import count_deals
from tracker.ui.app import TrackerApp
from tracker.ui.screens.confirm import ConfirmScreen
from tracker.ui.screens.deal_form import DealFormScreen


async def open_form(pilot: Any) -> DealFormScreen:
    await pilot.press("a")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DealFormScreen)
    return screen


async def type_into(pilot: Any, form: DealFormScreen, column: str, text: str) -> Input:
    field = form.query_one(f"#f-{column}", Input)
    field.focus()
    await pilot.pause()
    await pilot.press(*text)
    await settle(pilot)
    return field


def hint(form: DealFormScreen, column: str) -> str:
    label = form.query_one(f"#hint-{column}", Label)
    return str(label.content) if label.display else ""


async def test_tab_takes_the_completion_shown(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_form(pilot)
        field = await type_into(pilot, form, "from_org", "Open")
        assert field.value == "Open"
        await pilot.press("tab")
        await pilot.pause()
        assert field.value == "OpenAI"  # not "Open", a new organisation
        assert app.focused is form.query_one("#f-to_org")  # and on to the next field
        to = await type_into(pilot, form, "to_org", "orac")
        await pilot.press("tab")
        await pilot.pause()
        assert to.value == "Oracle"  # any case


async def test_a_close_name_is_offered_and_tab_takes_it(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_form(pilot)
        field = await type_into(pilot, form, "to_org", "Nvdia")
        assert hint(form, "to_org") == "did you mean Nvidia? tab takes Nvidia"
        await pilot.press("tab")
        await pilot.pause()
        assert field.value == "Nvidia"
        assert hint(form, "to_org") == ""
        field = await type_into(pilot, form, "from_org", "Coreweave Inc")  # only in the reference list
        assert "did you mean CoreWeave?" in hint(form, "from_org")
        field.value = ""
        field = await type_into(pilot, form, "from_org", "NBIS")  # a known ticker: created from the reference list
        assert hint(form, "from_org") == "Nebius Group: a known organisation, created from the reference list on save"


async def test_the_new_organisation_confirmation_opens_on_back_and_shows_close_names(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_form(pilot)
        fill_form(form, date="2026-02", kind="purchase", from_org="Open AI", to_org="Nvdia", amount="$1B")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConfirmScreen)
        text = screen.question.plain
        assert "• Open AI  did you mean OpenAI?" in text
        assert "• Nvdia  did you mean Nvidia?" in text
        assert isinstance(app.focused, Button) and str(app.focused.label) == "Back"
        await pilot.press("enter")  # enter on Back: nothing is created, the form keeps what was typed
        await settle(pilot)
        assert app.screen is form
        assert on_db(db_path, count_deals) == 8
        assert form.query_one("#f-to_org", Input).value == "Nvdia"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")  # creating them stays one key away
        await settle(pilot)
        assert app.screen is app.main
        assert on_db(db_path, count_deals) == 9
