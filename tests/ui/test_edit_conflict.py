"""The edit form's lost update (issue 17: 9): a deal saved by another writer while its form is open is never
silently reverted. The save stops, both versions are shown field by field, and nothing is written until
the user chooses: save mine over theirs, take theirs into the form, or go back to editing."""

from __future__ import annotations

import sqlite3
from typing import Any

from rich.console import Console
from textual.widgets import Input, Select

from tests.support.terminal import fill_form, settle
from tracker.ui.app import TrackerApp
from tracker.ui.screens.deal_form import DealFormScreen
from tracker.ui.screens.edit_conflict import EditConflictScreen

THEIRS = "their description [/x] \x1b[2J"
"""Another writer's text: markup-like brackets and an escape sequence, shown as text, never obeyed."""


def _other_writer(db_path: str, deal_id: int, **values: str) -> None:
    """Another process saves the deal (a plain UPDATE: the database raises its version)."""
    con = sqlite3.connect(db_path)
    try:
        sets = ", ".join(f"{k} = ?" for k in values)
        con.execute(f"UPDATE deal SET {sets} WHERE id = ?", (*values.values(), deal_id))
        con.commit()
    finally:
        con.close()


def _stored(db_path: str, deal_id: int) -> tuple[Any, ...]:
    con = sqlite3.connect(db_path)
    try:
        return tuple(con.execute("SELECT status, description FROM deal WHERE id = ?", (deal_id,)).fetchone())
    finally:
        con.close()


async def _edit_the_100_billion_deal(pilot: Any) -> tuple[int, DealFormScreen]:
    await settle(pilot)
    await pilot.press("slash", *"100 billion", "enter")
    await settle(pilot)
    deal_id = pilot.app.main.table.current_row.id
    await pilot.press("e")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, DealFormScreen)
    return deal_id, form


def _shown(screen: EditConflictScreen) -> str:
    console = Console(width=140, record=True, color_system=None)
    console.print(screen.table())
    return console.export_text()


async def test_a_deal_changed_meanwhile_shows_both_versions_and_saves_nothing_until_asked(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(150, 50), notifications=True) as pilot:
        deal_id, form = await _edit_the_100_billion_deal(pilot)
        _other_writer(db_path, deal_id, status="completed", description=THEIRS)
        fill_form(form, status="agreed", description="my description")
        await pilot.press("ctrl+s")
        await settle(pilot)
        conflict = app.screen
        assert isinstance(conflict, EditConflictScreen)  # before saving anything
        assert _stored(db_path, deal_id) == ("completed", THEIRS)
        assert conflict.changed == ["Status", "Description"]
        assert (conflict.who("status"), conflict.who("description")) == ("both", "both")
        shown = _shown(conflict)
        assert "my description" in shown and "their description [/x] \\x1b[2J" in shown  # both, as text
        assert "agreed" in shown and "completed" in shown
        await pilot.press("escape")  # back to editing: still nothing saved, what was typed is kept
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#f-description", Input).value == "my description"
        assert "changed by someone else" in form.problem
        assert _stored(db_path, deal_id) == ("completed", THEIRS)
        await pilot.press("ctrl+s")  # saving again shows the conflict again
        await settle(pilot)
        assert isinstance(app.screen, EditConflictScreen)
        await pilot.press("t")  # take theirs into the form
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#f-description", Input).value == THEIRS
        assert form.query_one("#f-status", Select).value == "completed"
        assert _stored(db_path, deal_id) == ("completed", THEIRS)
        fill_form(form, description="merged by hand")
        await pilot.press("ctrl+s")  # from their version now: saved
        await settle(pilot)
        assert app.screen is app.main
        assert _stored(db_path, deal_id) == ("completed", "merged by hand")


async def test_saving_mine_over_theirs_is_a_choice_and_undo_gives_theirs_back(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(150, 50), notifications=True) as pilot:
        deal_id, form = await _edit_the_100_billion_deal(pilot)
        _other_writer(db_path, deal_id, description=THEIRS)
        fill_form(form, status="agreed")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EditConflictScreen)
        assert app.screen.changed == ["Status", "Description"]
        assert (app.screen.who("status"), app.screen.who("description")) == ("you", "they")
        assert _stored(db_path, deal_id) == ("announced", THEIRS)
        await pilot.press("m")  # save mine over theirs, knowingly
        await settle(pilot)
        assert app.screen is app.main
        assert _stored(db_path, deal_id)[0] == "agreed"
        assert _stored(db_path, deal_id)[1] != THEIRS
        await pilot.press("u")  # undo gives back what was stored before my save: theirs
        await settle(pilot)
        assert _stored(db_path, deal_id) == ("announced", THEIRS)


async def test_an_undo_refused_because_the_deal_changed_since_is_dropped_not_retried(db_path: str) -> None:
    """My edit, then another writer's: undoing mine would overwrite theirs, so it is refused, says so, and
    leaves the stack (pressing u again does not meet the same refusal forever)."""
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(150, 50), notifications=True) as pilot:
        deal_id, form = await _edit_the_100_billion_deal(pilot)
        fill_form(form, status="agreed")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.main and len(app.undo_stack) == 1
        _other_writer(db_path, deal_id, description=THEIRS)
        await pilot.press("u")
        await settle(pilot)
        assert _stored(db_path, deal_id) == ("agreed", THEIRS)  # theirs kept, mine kept: nothing undone
        assert app.undo_stack == []
        assert "dropped" in " ".join(str(w.render()) for w in app.screen.query("Static"))
        await pilot.press("escape", "u")
        await settle(pilot)
        assert _stored(db_path, deal_id) == ("agreed", THEIRS)
