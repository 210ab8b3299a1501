"""Pilot tests of the form's issue-18 items: escape asks before discarding changes, `U`/ctrl+r redo what `u`
undid (and a new change clears the redo), a new deal that looks like a stored one is shown and asked about,
and the link form finds the other deal by typing, a refused link keeping the dialog open."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Input, OptionList

from tests.support.databases import on_db
from tests.support.terminal import fill_form, settle
from tracker.core.records.changes import delete_deal
from tracker.core.records.details import get_deal
from tracker.core.records.pages import count_deals
from tracker.ui.app import TrackerApp
from tracker.ui.screens.careful import CarefulScreen
from tracker.ui.screens.deal_form import DealFormScreen
from tracker.ui.screens.link import LinkScreen


def count(db_path: str) -> int:
    return int(on_db(db_path, count_deals))


async def open_form(pilot: Any, key: str) -> DealFormScreen:
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, DealFormScreen)
    return pilot.app.screen


async def test_escape_closes_an_untouched_form_and_asks_when_something_changed(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_form(pilot, "e")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main  # nothing changed: nothing to ask
        form = await open_form(pilot, "e")
        fill_form(form, description="a better description")
        await pilot.press("escape")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, CarefulScreen) and question.title_text == "Discard changes?"
        assert isinstance(app.focused, Button) and str(app.focused.label) == "Keep editing"
        await pilot.press("enter")  # the focused answer keeps the form and what was typed
        await pilot.pause()
        assert app.screen is form and form.query_one("#f-description", Input).value == "a better description"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert app.screen is app.main


async def test_redo_after_undo_and_a_new_change_clears_it(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "a")
        fill_form(form, date="2026-03-01", kind="investment", from_org="Nvidia", to_org="Oracle", amount="$1B")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count(db_path) == 9
        deal_id = app.undo_stack[-1].deal_id
        await pilot.press("u")
        await settle(pilot)
        assert count(db_path) == 8 and len(app.redo_stack) == 1
        await pilot.press("U")
        await settle(pilot)
        assert count(db_path) == 9 and app.redo_stack == []
        assert on_db(db_path, lambda c: get_deal(c, deal_id)).to_party.name == "Oracle"  # the same deal, same id
        await pilot.press("u")
        await settle(pilot)
        assert count(db_path) == 8
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert count(db_path) == 9
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("d")  # a new change (delete another deal) ...
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert count(db_path) == 7 and app.redo_stack == []  # ... leaves nothing to redo
        await pilot.press("U")
        await settle(pilot)
        assert count(db_path) == 7


async def test_a_seed_deal_entered_again_is_shown_and_asked_about(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "a")
        fill_form(form, date="2025-09-29", kind="investment", from_org="英伟达", to_org="OpenAI", amount="up to $100B")
        await pilot.press("ctrl+s")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, CarefulScreen) and question.title_text == "Likely duplicate"
        assert "2025-09 investment Nvidia → OpenAI up to 100000000000 USD" in question.question.plain
        assert isinstance(app.focused, Button) and str(app.focused.label) == "Back"
        await pilot.press("enter")  # back
        await settle(pilot)
        assert app.screen is form and "Not saved: it looks like deal #" in form.problem
        assert count(db_path) == 8
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CarefulScreen)
        await pilot.press("y")  # save anyway
        await settle(pilot)
        assert app.screen is app.main and count(db_path) == 9


async def test_link_finds_the_other_deal_by_typing_and_a_refusal_stays_inline(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        deal_id = app.main.table.current_row.id
        await pilot.press("l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LinkScreen)
        screen.query_one("#link-kind").value = "deal-deal"  # type: ignore[attr-defined]
        await pilot.pause()
        search = screen.query_one("#link-deal", Input)
        search.focus()
        await pilot.press(*"alibaba 380")  # the party and a word of the description
        await settle(pilot)
        choices = screen.query_one("#link-deal-choices", OptionList)
        assert choices.option_count == 1
        assert "infrastructure Alibaba" in str(choices.get_option_at_index(0).prompt)
        await pilot.press("down", "enter")  # into the matches, pick one
        await pilot.pause()
        assert screen.other is not None
        other = screen.other[0]
        assert "infrastructure Alibaba" in str(screen.query_one("#link-deal-chosen").content)
        on_db(db_path, lambda c: delete_deal(c, other), write=True)  # another writer deletes it meanwhile
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # the dialog stays, the error inline
        assert f"Not linked: deal {other}: no such deal" in str(screen.query_one("#link-problem").content)
        search.focus()
        search.value = ""
        await pilot.press(*"oracle nvidia 2025-09")
        await settle(pilot)
        await pilot.press("enter")  # enter in the field picks its highlighted match
        await pilot.pause()
        assert screen.other is not None
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.main
        links = on_db(db_path, lambda c: get_deal(c, deal_id).links)
        assert [x.id for x in links] == [screen.other[0]]
