"""The first screen: the newest deals are drawn before the database (and SQLAlchemy) is open, in the very
first frame when the quick read (tracker/ui/preview.py) finished while Textual was loading, else as soon as
it does. Then the real source replaces them without a change a user could see."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import Future

import pytest

import tracker.core.storage.opening as core_db
from tests.support.terminal import settle
from tracker.core.records.firstpage import QuickPage, first_page
from tracker.ui.app import TrackerApp
from tracker.ui.preview import start_first_page
from tracker.ui.sources.cells import PreviewSource


@pytest.fixture
def opening_held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The database does not open until the test sets the event (as when SQLAlchemy is still loading)."""
    release = threading.Event()
    real_open = core_db.open_database

    def held_open(*args: object, **kwargs: object) -> object:
        release.wait(30)
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(core_db, "open_database", held_open)
    yield release
    release.set()


def visible_text(app: TrackerApp) -> str:
    table = app.main.table
    return "\n".join(line.text for line in (table.render_line(y) for y in range(table.size.height)))


async def test_a_page_read_while_textual_loaded_is_in_the_first_frame(
    db_path: str, opening_held: threading.Event
) -> None:
    preview = start_first_page(db_path)
    page = preview.result(timeout=30)
    assert page is not None and page.count == 8
    app = TrackerApp(db_target=db_path, preview=preview)
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.main.table
        # no pause yet: only mounting has happened, and the rows are already the table's
        assert isinstance(table.source, PreviewSource)
        await pilot.pause()
        assert app.db is None
        assert table.row_count == 8
        assert page.rows[0].from_org in visible_text(app)
        opening_held.set()
        await settle(pilot)
        assert app.db is not None
        assert not isinstance(table.source, PreviewSource)  # the real source took over
        assert table.row_count == 8
        assert table.current_row is not None and table.current_row.id == page.rows[0].id


async def test_a_page_read_after_the_first_frame_is_shown_when_it_arrives(
    db_path: str, opening_held: threading.Event
) -> None:
    preview: Future[QuickPage | None] = Future()
    app = TrackerApp(db_target=db_path, preview=preview)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.main.table
        assert table.source is None and table.row_count == 0  # "Opening database…"
        page = first_page(db_path)
        assert page is not None
        preview.set_result(page)
        for _ in range(1000):  # up to 10 s on a loaded machine; a few ms usually
            await pilot.pause(0.01)
            if table.row_count:
                break
        assert app.db is None
        assert table.row_count == 8
        assert page.rows[0].from_org in visible_text(app)
        opening_held.set()
        await settle(pilot)
        assert app.db is not None and table.row_count == 8


async def test_a_failed_quick_read_only_waits_for_the_database(db_path: str) -> None:
    preview: Future[QuickPage | None] = Future()
    preview.set_exception(OSError("disk on fire"))
    app = TrackerApp(db_target=db_path, preview=preview)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert app.db is not None
        assert app.main.table.row_count == 8
