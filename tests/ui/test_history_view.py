"""The app's history and as-of mode: the deal view lists the deal's changes newest first (who, which command,
each field before and after); `@` shows the database as recorded at a time, says so in the status line and
refuses changes; an empty time comes back to now."""

from __future__ import annotations

import time
from decimal import Decimal

from sqlalchemy import text
from textual.widgets import Input

from tests.support.terminal import settle
from tracker.core.records import undo
from tracker.core.records.changes import values_of
from tracker.core.storage.history import set_context
from tracker.core.storage.opening import open_database
from tracker.ui.app import TrackerApp
from tracker.ui.screens.as_of import AsOfModal
from tracker.ui.screens.deal_view import DealViewScreen


def _change_after_seed(path: str) -> str:
    """Edit deal 1's amount as carol, then delete deal 2; the recorded time before both."""
    db = open_database(path)
    try:
        with db.read() as conn:
            before = str(conn.execute(text("SELECT max(at) FROM change_log")).scalar_one()).replace(" ", "T")
        time.sleep(0.01)
        set_context(actor="carol", command="tracker edit")
        with db.write() as conn:
            values = values_of(conn, 1)
            undo.edit(conn, 1, values.__class__(**{**values.__dict__, "amount": Decimal(123_000_000)}), False)
        with db.write() as conn:
            undo.delete(conn, 2)
    finally:
        db.dispose()
    return before


async def test_deal_view_shows_history_and_as_of_mode_refuses_changes(db_path: str) -> None:
    before = _change_after_seed(db_path)
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert app.main.status.count == 7
        app.open_deal_view(1)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DealViewScreen)
        body = screen.text
        assert "History (newest first" in body
        history = body.split("History (newest first", 1)[1]
        assert "carol · tracker edit  deal 1 edited" in history
        assert "amount: " in history and "→ 123000000" in history
        # newest first: the edit before the deal's addition
        assert history.index("deal 1 edited") < history.index("deal 1 added")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("at")
        await settle(pilot)
        assert isinstance(app.screen, AsOfModal)
        app.screen.query_one(Input).value = before
        await pilot.press("enter")
        await settle(pilot)
        status = app.main.status.render_text().plain
        assert status.startswith("as of " + before.replace("T", " ")[:19] + " UTC")
        assert app.main.status.count == 8  # deal 2, deleted since, is back
        said: list[str] = []
        notify = app.notify
        app.notify = lambda message, **kw: (said.append(str(message)), notify(message, **kw))[1]  # type: ignore[method-assign]
        await pilot.press("d")  # delete the highlighted deal: refused in the as-of mode
        await settle(pilot)
        assert any("changes are refused" in line for line in said), said
        assert app.main.status.count == 8

        await pilot.press("at")
        await settle(pilot)
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await settle(pilot)
        assert not app.main.status.render_text().plain.startswith("as of")
        assert app.main.status.count == 7
