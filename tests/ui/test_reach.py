"""Clipboard, links, saved views and the column chooser in the app (#16): what the clipboard holds, the URL
opened, a view saved and applied by key and from the palette, deleted once confirmed, columns shown."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from tests.support.terminal import settle
from tracker.core.config.settings import load_config
from tracker.core.csvio.export import export_deals
from tracker.core.domain.columns import DEFAULT_COLUMNS
from tracker.core.records.views import CONFIDENCE_APPLIES, SavedView, list_views, save_view
from tracker.core.storage.opening import open_database
from tracker.ui.app import TrackerApp
from tracker.ui.keys import help_groups
from tracker.ui.screens import deal_copy
from tracker.ui.screens.main import MainScreen
from tracker.ui.sources.cells import columns_for


class Recording(TrackerApp):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes: list[str] = []
        self.opened: list[str] = []

    def notify(self, message: str, **kwargs: Any) -> None:  # type: ignore[override]
        self.notes.append(message)
        super().notify(message, **kwargs)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.opened.append(url)


def export_lines(db_path: str) -> list[str]:
    db = open_database(db_path)
    out = io.StringIO(newline="")
    export_deals(db, out, fast=False)
    db.dispose()
    return out.getvalue().split("\r\n")


def app_for(db_path: str, tmp_path: Path) -> Recording:
    return Recording(db_target=db_path, config=load_config(tmp_path / "config.toml", env={}))


async def ready(app: TrackerApp, pilot: Any) -> None:
    await settle(pilot)
    await app.workers.wait_for_complete()
    await settle(pilot)


async def test_y_copies_the_highlighted_deal_as_the_export_line(db_path: str, tmp_path: Path) -> None:
    lines = export_lines(db_path)
    app = app_for(db_path, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        row = app.main.table.current_row
        assert row is not None
        await pilot.press("y")
        await ready(app, pilot)
        line = next(x for x in lines[1:] if x.startswith(f"{row.id},"))
        assert app.clipboard == line  # the export's line, no header, no line end
        assert f"Copied deal #{row.id} as a CSV line" in app.notes[-1]


async def test_Y_copies_the_filtered_view_with_the_header_and_says_the_bound(
    db_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = export_lines(db_path)
    app = app_for(db_path, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash")
        await pilot.press(*"oracle")
        await pilot.press("enter")
        await ready(app, pilot)
        await pilot.press("Y")
        await ready(app, pilot)
        copied = app.clipboard.split("\r\n")
        assert copied[0] == lines[0] and copied[-1] == ""
        assert len(copied) - 2 == app.main.table.row_count == 3
        assert all(line in lines for line in copied[1:-1]) and all("Oracle" in line for line in copied[1:-1])
        assert app.notes[-1] == "Copied 3 deals as CSV, with the header."
        monkeypatch.setattr(deal_copy, "COPY_LIMIT", 2)  # the bound, as a user over 1,000 deals meets it
        await pilot.press("Y")
        await ready(app, pilot)
        assert len(app.clipboard.split("\r\n")) == 1 + 2 + 1
        assert app.notes[-1].startswith("Copied 2 of 3 deals as CSV (the first 2: the clipboard limit;")


async def test_w_opens_the_source_url_or_says_there_is_none(db_path: str, tmp_path: Path) -> None:
    db = open_database(db_path)
    with db.write() as conn:
        from sqlalchemy import update

        from tracker.core.storage.handles import DEAL

        conn.execute(update(DEAL).values(source_url=None))
        first = conn.execute(DEAL.select().order_by(DEAL.c.date.desc(), DEAL.c.id.desc())).first()
        assert first is not None
    db.dispose()
    app = app_for(db_path, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        row = app.main.table.current_row
        assert row is not None
        await pilot.press("w")
        await ready(app, pilot)
        assert app.opened == [] and app.notes[-1] == f"Deal #{row.id} has no source URL."
        db = open_database(db_path)
        with db.write() as conn:
            conn.execute(update(DEAL).where(DEAL.c.id == row.id).values(source_url="https://example.com/a?b=1"))
        db.dispose()
        await pilot.press("w")
        await ready(app, pilot)
        assert app.opened == ["https://example.com/a?b=1"]


async def test_save_a_view_then_apply_it_by_key_and_from_the_palette(db_path: str, tmp_path: Path) -> None:
    app = app_for(db_path, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash", *"nvidia", "enter")
        await pilot.press("s")  # sort by kind
        await ready(app, pilot)
        await pilot.press("v")
        await ready(app, pilot)
        await pilot.press(*"Nvidia deals", "enter")
        await ready(app, pilot)
        db = open_database(db_path)
        with db.read() as conn:
            views = list_views(conn)
        db.dispose()
        assert [(v.name, v.search, v.sort, v.reverse) for v in views] == [("Nvidia deals", "nvidia", "kind", False)]
        nvidia_rows = app.main.table.row_count
        await pilot.press("escape")  # the filter cleared: every deal
        await ready(app, pilot)
        assert app.main.table.row_count == 8
        await pilot.press("1")
        await ready(app, pilot)
        q = app.main.deal_query
        assert (q.spec.text, q.sort, app.main.table.row_count) == ("nvidia", "kind", nvidia_rows)
        help_text = [(k.keys, k.description) for g in help_groups(app.screen) for k in g.keys]
        assert ("1", "View: Nvidia deals") in help_text
        await pilot.press("escape")
        await ready(app, pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"View: Nvi")
        await settle(pilot, 400)
        await pilot.press("enter")
        await ready(app, pilot)
        assert app.main.deal_query.spec.text == "nvidia" and app.main.table.row_count == nvidia_rows


async def test_delete_a_view_from_the_palette_asks_first(db_path: str, tmp_path: Path) -> None:
    db = open_database(db_path)
    with db.write() as conn:
        save_view(conn, SavedView(name="Big", sort="amount"), user="test")
    db.dispose()
    app = app_for(db_path, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        assert [v.name for v in app.saved_views] == ["Big"]
        for answer, left in (("n", ["Big"]), ("y", [])):
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*"Delete view: Big")
            await settle(pilot, 400)
            await pilot.press("enter")
            await ready(app, pilot)
            assert type(app.screen).__name__ == "ConfirmScreen"
            await pilot.press(answer)
            await ready(app, pilot)
            db = open_database(db_path)
            with db.read() as conn:
                assert [v.name for v in list_views(conn)] == left
            db.dispose()
        assert app.saved_views == ()


async def test_column_chooser_shows_columns_and_keeps_the_choice(db_path: str, tmp_path: Path) -> None:
    app = app_for(db_path, tmp_path)
    async with app.run_test(size=(160, 36)) as pilot:
        await ready(app, pilot)
        assert app.main.table.columns == columns_for(DEFAULT_COLUMNS)
        await pilot.press("c")
        await ready(app, pilot)
        await pilot.press("space")  # the id
        await pilot.press("tab", "tab", "space")  # alliances
        if "confidence" in DEFAULT_COLUMNS:  # shown by default where deals carry one: hidden here
            await pilot.press("tab", "tab", "space")
        await pilot.press("ctrl+s")
        await ready(app, pilot)
        assert isinstance(app.screen, MainScreen)
        table = app.main.table
        assert table.columns[0].key == "id" and table.columns[-1].key == "alliances"
        row = table.current_row
        assert row is not None and row.cells[0] == str(row.id)
        assert table.move_cursor_to_id(2)  # Nvidia's investment in OpenAI, in the seed's triangle
        await ready(app, pilot)
        row = table.current_row
        assert row is not None and row.cells[-1] == "OpenAI–Nvidia–Oracle triangle"
    assert 'columns = "id,alliances"' in (tmp_path / "config.toml").read_text()
    again = app_for(db_path, tmp_path)  # the next start opens with them
    async with again.run_test(size=(160, 36)) as pilot:
        await ready(again, pilot)
        assert again.main.table.columns[0].key == "id"


async def test_a_view_brings_its_columns_and_its_organisation(db_path: str, tmp_path: Path) -> None:
    db = open_database(db_path)
    with db.write() as conn:
        save_view(conn, SavedView(name="b", kinds=("purchase",)), user="test")
        save_view(conn, SavedView(name="a", org="英伟达", sort="from", columns=("id", "capacity")), user="test")
    db.dispose()
    app = app_for(db_path, tmp_path)
    async with app.run_test(size=(160, 36)) as pilot:
        await ready(app, pilot)
        await pilot.press("1")  # "a": the first by name
        await ready(app, pilot)
        table = app.main.table
        assert [c.key for c in table.columns][:2] == ["id", "date"] and table.columns[-1].key == "capacity"
        q = app.main.deal_query
        assert (q.org_id is not None, q.scope_label, q.sort, table.row_count) == (
            True,
            "organisation 英伟达",
            "from",
            4,
        )
        await pilot.press("2")  # "b": no columns of its own, so the table keeps them
        await ready(app, pilot)
        assert table.columns[0].key == "id" and app.main.deal_query.org_id is None and table.row_count == 3
        await pilot.press("3")  # no third view: the key is not active (nothing happens)
        await ready(app, pilot)
        assert table.row_count == 3


@pytest.mark.skipif(not CONFIDENCE_APPLIES, reason="deals carry a confidence from schema 0011 (the sources work)")
async def test_a_view_brings_its_confidence_filter(db_path: str, tmp_path: Path) -> None:
    db = open_database(db_path)
    with db.write() as conn:
        save_view(conn, SavedView(name="sure", confidences=("confirmed",)), user="test")
    db.dispose()
    app = app_for(db_path, tmp_path)
    async with app.run_test(size=(160, 36)) as pilot:
        await ready(app, pilot)
        await pilot.press("1")
        await ready(app, pilot)
        assert getattr(app.main.deal_query.spec, "confidence", None) == "confirmed"
        assert app.main.table.row_count == 0  # the seed's deals are reported (the article), none confirmed
