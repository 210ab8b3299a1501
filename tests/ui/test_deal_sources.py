"""The deal view's sources (issue 14): add one with the form, its confidence shown; open and copy its URL;
change it; remove it; each change undone by `u` and redone by `U`. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Input, OptionList, Select, Static

from tests.support.terminal import settle
from tracker.core.csvio.seed import load_seed
from tracker.core.storage.opening import open_database
from tracker.ui.app import TrackerApp
from tracker.ui.screens.deal_view import DealViewScreen
from tracker.ui.screens.source_form import SourceForm


@pytest.fixture
def seeded(db_target: str) -> str:
    open_database(db_target, populate=load_seed).dispose()
    return db_target


def _sources(view: DealViewScreen) -> list[str]:
    listed = view.query_one("#deal-sources", OptionList)
    return [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]


def _title(view: DealViewScreen) -> str:
    return str(view.query_one("#deal-sources-title", Static).content)


async def test_add_open_copy_change_remove_a_source_each_undone(seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    app = TrackerApp(db_target=seeded)
    opened: list[str] = []
    copied: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"100 billion", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, DealViewScreen)
        assert len(_sources(view)) == 1 and "证券日报" in _sources(view)[0] and "前不久" in _sources(view)[0]
        assert _title(view).startswith("Sources — reported (1 outlet)")

        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SourceForm)
        form.query_one("#source-kind", Select).value = "press-release"
        form.query_one("#source-outlet", Input).value = "NVIDIA"
        form.query_one("#source-published", Input).value = "someday"
        form.query_one("#source-url", Input).value = "https://nvidianews.nvidia.com/openai"
        await pilot.press("enter")  # a bad date: one line naming it, nothing saved
        await settle(pilot)
        assert app.screen is form
        assert "published 'someday'" in str(form.query_one("#source-error", Static).content)
        form.query_one("#source-published", Input).value = "2025-09-22"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is view
        assert len(_sources(view)) == 2 and "NVIDIA" in _sources(view)[1]
        assert _title(view).startswith("Sources — confirmed")  # a press release by a party

        view.query_one("#deal-sources", OptionList).highlighted = 1
        await pilot.press("w", "y")
        assert opened == ["https://nvidianews.nvidia.com/openai"] and copied == opened

        await pilot.press("u")  # undo the add
        await settle(pilot)
        assert len(_sources(view)) == 1 and _title(view).startswith("Sources — reported")
        await pilot.press("U")  # redo it
        await settle(pilot)
        assert len(_sources(view)) == 2 and _title(view).startswith("Sources — confirmed")

        view.query_one("#deal-sources", OptionList).highlighted = 1
        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SourceForm) and form.query_one("#source-outlet", Input).value == "NVIDIA"
        form.query_one("#source-kind", Select).value = "rumor"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is view and _sources(view)[1].startswith("rumor") and "reported" in _title(view)
        await pilot.press("u")  # the edit undone
        await settle(pilot)
        assert _sources(view)[1].startswith("press-release")

        view.query_one("#deal-sources", OptionList).highlighted = 0
        await pilot.press("x")  # the article removed: NVIDIA's release is the first source now
        await settle(pilot)
        assert len(_sources(view)) == 1 and "NVIDIA" in _sources(view)[0]
        assert "NVIDIA" in view.text  # the deal's source fields show its first source
        await pilot.press("u")
        await settle(pilot)
        assert len(_sources(view)) == 2 and "证券日报" in _sources(view)[0]


async def test_confidence_column_filter_sort_and_totals_confirmed_only(seeded: str) -> None:
    from textual.widgets import DataTable

    from tracker.core.domain.source_fields import SourceValues
    from tracker.core.records.sources import add_source
    from tracker.ui.widgets.totals_view import TotalsView

    db = open_database(seeded)
    with db.write() as conn:
        add_source(conn, 2, SourceValues(kind="filing", outlet="SEC", url="https://sec.gov/x"))
    db.dispose()
    app = TrackerApp(db_target=seeded)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = app.main.table

        def loaded() -> list[tuple[int, str]]:
            at = [c.key for c in table.columns].index("confidence")
            found = [table.get_row_at(i) for i in range(table.row_count)]
            return [(r.id, r.cells[at]) for r in found if r is not None]

        assert sorted(c for _, c in loaded()) == ["confirmed", *["reported"] * 7]
        await pilot.press("slash")
        bar = app.main.filter_bar
        bar.query_one("#filter-confidence", Select).value = "confirmed"
        await settle(pilot)
        assert loaded() == [(2, "confirmed")]
        bar.query_one("#filter-confidence", Select).value = Select.NULL
        await settle(pilot)
        await pilot.press("escape")
        app.main.apply_query(replace(app.main.deal_query, sort="confidence", descending=False))
        await settle(pilot)
        assert loaded()[0] == (2, "confirmed")  # surest first
        await pilot.press("t")
        await settle(pilot)
        view = app.screen.query_one(TotalsView)
        totals = view.query_one(DataTable)
        before = totals.row_count
        await pilot.press("C")
        await settle(pilot)
        assert view.totals is not None and view.totals.confirmed and view.totals.total.deals == 1
        assert str(view.query_one("#totals-status", Static).content).startswith("Confirmed deals only")
        assert totals.row_count < before
        await pilot.press("C")
        await settle(pilot)
        assert view.totals is not None and not view.totals.confirmed and view.totals.total.deals == 8
