"""A search typed before the database is open (the first second after start) shows its deals at once, read
from the search index with the standard library; the real source takes over when the database opens."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tracker.core.storage import opening
from tracker.ui.app import TrackerApp


async def test_a_search_typed_before_the_database_opens_shows_its_deals(
    db_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_open = opening.open_database

    def slow_open(*args: Any, **kwargs: Any) -> Any:  # the core still loading: held until the test says
        release.wait(30)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(opening, "open_database", slow_open)
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(140, 30)) as pilot:
        for _ in range(100):  # the first page (standard library) is up
            await pilot.pause(0.05)
            if app.main.table.row_count == 8:
                break
        await pilot.press("slash", *"oracle nvidia")
        ids: list[int] = []
        for _ in range(200):
            await pilot.pause(0.05)
            table = app.main.table
            ids = [r.id for i in range(table.row_count) if (r := table.get_row_at(i)) is not None]
            if len(ids) == 3:
                break
        assert app.db is None  # still not open
        assert ids == [5, 4, 2]  # newest first, as the core pages them
        release.set()
        for _ in range(200):
            await pilot.pause(0.05)
            if app.db is not None and "3 deals" in app.main.status.render_text().plain:
                break
        assert "3 deals" in app.main.status.render_text().plain
        table = app.main.table
        shown = [r.id for i in range(table.row_count) if (r := table.get_row_at(i)) is not None]
        assert shown == [5, 4, 2]
