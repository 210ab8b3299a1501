"""Pilot tests of the map and totals panes on the seed, and SVG snapshots of both (120x36 terminal)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input, OptionList

from tracker.core.analysis.figures import QUALIFIED
from tracker.core.csvio.seed import load_seed
from tracker.core.records.fx import rates_at
from tracker.core.records.orgs import find_org_id
from tracker.core.records.pages import count_deals
from tracker.core.storage.handle import Database
from tracker.core.storage.opening import open_database
from tracker.ui.messages import ShowDeals
from tracker.ui.screens.rate import RateModal
from tracker.ui.widgets.ecosystem_map import EcosystemMap
from tracker.ui.widgets.map_canvas import MapCanvas
from tracker.ui.widgets.totals_sort import COLUMNS
from tracker.ui.widgets.totals_view import TotalsView

SIZE = (120, 36)


@pytest.fixture
def _db(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "seed.db", populate=load_seed)
    yield db
    db.dispose()


class Host(App[None]):
    """A bare app around one pane; it records what the pane asks the deals table to show."""

    def __init__(self, widget_factory: Any) -> None:
        super().__init__()
        self.factory = widget_factory
        self.messages: list[Any] = []

    def compose(self) -> ComposeResult:
        yield self.factory()

    def on_ecosystem_map_open_deals(self, message: EcosystemMap.OpenDeals) -> None:
        self.messages.append(message)

    def on_ecosystem_map_show_org(self, message: EcosystemMap.ShowOrg) -> None:
        self.messages.append(message)

    def notify(self, message: str, **kwargs: Any) -> None:  # type: ignore[override]
        self.messages.append(message)

    def on_show_deals(self, message: ShowDeals) -> None:
        self.messages.append(message)


async def settle(app: App[Any], pilot: Any) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_map_navigate_open_edge_and_show_org(_db: Database) -> None:
    app = Host(lambda: EcosystemMap(_db))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        widget = app.query_one(EcosystemMap)
        canvas = app.query_one(MapCanvas)
        assert widget.state is not None
        drawn = "\n".join(widget.state.layout.lines())
        for name in ("OpenAI", "Oracle", "Nvidia", "Alibaba Cloud"):
            assert name in drawn
        with _db.read() as conn:
            openai = find_org_id(conn, "OpenAI")
            nvidia = find_org_id(conn, "Nvidia")
        assert canvas.selected == nvidia  # the busiest first (most deals, then most volume)
        await _select(pilot, canvas, openai)
        await _select(pilot, canvas, nvidia)
        await pilot.press("e")
        assert canvas.selected_edge is not None and nvidia in canvas.selected_edge[:2]
        for _ in range(5):  # step to the Nvidia → OpenAI investment
            if canvas.selected_edge == (nvidia, openai, True):
                break
            await pilot.press("e")
        assert canvas.selected_edge == (nvidia, openai, True)
        await pilot.press("enter")
        await settle(app, pilot)
        opened = [m for m in app.messages if isinstance(m, EcosystemMap.OpenDeals)]
        assert opened and opened[-1].title == "Nvidia → OpenAI" and len(opened[-1].deal_ids) == 1
        await pilot.press("o")
        await pilot.pause()
        assert any(isinstance(m, EcosystemMap.ShowOrg) and m.org_id == nvidia for m in app.messages)


async def test_map_pick_a_cycle_highlights_it(_db: Database) -> None:
    app = Host(lambda: EcosystemMap(_db))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        canvas = app.query_one(MapCanvas)
        options = app.query_one("#map-cycles", OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels == ["OpenAI → Nvidia → OpenAI", "OpenAI → Oracle → Nvidia → OpenAI"]
        await pilot.press("c")
        assert app.focused is options
        await pilot.press("down")
        await pilot.pause()
        if canvas.cycle is None or len(canvas.cycle.nodes) != 3:
            await pilot.press("down")
            await pilot.pause()
        assert canvas.cycle is not None and canvas.cycle.label == "OpenAI → Oracle → Nvidia → OpenAI"
        await pilot.press("enter")
        await pilot.pause()
        opened = [m for m in app.messages if isinstance(m, EcosystemMap.OpenDeals)]
        assert opened[-1].title == "OpenAI → Oracle → Nvidia → OpenAI" and len(opened[-1].deal_ids) == 3


async def test_map_focus_and_group(_db: Database) -> None:
    app = Host(lambda: EcosystemMap(_db))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        widget = app.query_one(EcosystemMap)
        with _db.read() as conn:
            openai = find_org_id(conn, "OpenAI")
        await _select(pilot, app.query_one(MapCanvas), openai)
        await pilot.press("f")  # focus on OpenAI, 1 hop: Alibaba Cloud is 2 hops away
        await settle(app, pilot)
        assert widget.state is not None
        assert "Alibaba Cloud" not in [n.name for n in widget.state.graph.nodes.values()]
        await pilot.press("f", "g")  # the whole map again, rolled up into parents
        await settle(app, pilot)
        assert widget.state is not None and "Alibaba" in [n.name for n in widget.state.graph.nodes.values()]


async def _select(pilot: Any, canvas: MapCanvas, node: int | None) -> None:
    """Move the selection to ``node`` with the arrow keys, as a person would (the layout decides the way)."""
    for _ in range(12):
        if canvas.selected == node:
            return
        for key in ("right", "down", "left", "up"):
            await pilot.press(key)
            if canvas.selected == node:
                return
    raise AssertionError(f"the arrow keys never reached node {node}")


def _cell(table: DataTable[Any], row: int, col: int) -> str:
    return str(table.get_cell_at((row, col)))


async def test_totals_switch_grouping_and_edit_a_rate(_db: Database) -> None:
    app = Host(lambda: TotalsView(_db))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view = app.query_one(TotalsView)
        table = app.query_one(DataTable)
        assert view.totals is not None and view.by == "org"
        assert "1 CNY = 0.1404 USD (as of 2025-09-29)" in str(app.query_one("#totals-rates").render())
        await pilot.press("K")  # k moves up, as in every list
        await settle(app, pilot)
        assert view.by == "kind"
        labels = [_cell(table, i, 0) for i in range(table.row_count)]
        assert labels == ["investment", "purchase", "infrastructure", "partnership", "TOTAL (all deals)"]
        assert _cell(table, 2, 2) == "$53.35B"  # 380 bn CNY × 0.1404, exact column, compact
        assert _cell(table, 0, 3) == "≤ $100B"  # up to, in its own column
        await pilot.press("e")  # every digit
        assert _cell(table, 2, 2) == "53,352,000,000"
        await pilot.press("x")  # edit the CNY rate in the pane: the totals follow
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, RateModal)
        modal.query_one("#rate-currency", Input).value = "CNY"
        modal.query_one("#rate-value", Input).value = "0.2"
        modal.query_one("#rate-as-of", Input).value = "2025-10-01"
        modal.query_one("#rate-value", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert _cell(table, 2, 2) == "76,000,000,000"
        assert "1 CNY = 0.2 USD (as of 2025-10-01)" in str(app.query_one("#totals-rates").render())
        with _db.read() as conn:
            assert rates_at(conn)["CNY"].rate == Decimal("0.2")
            assert rates_at(conn, dt.date(2025, 9, 30))["CNY"].rate == Decimal("0.1404")


async def test_rate_modal_rejects_a_bad_rate(_db: Database) -> None:
    app = Host(lambda: TotalsView(_db))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        modal = app.screen
        modal.query_one("#rate-value", Input).value = "-3"
        modal.query_one("#rate-value", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RateModal)
        assert "rate '-3': must be a positive number" in str(modal.query_one("#rate-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RateModal)


@pytest.mark.parametrize("which", ["map", "totals"])
def test_snapshot(snap_compare: Any, tmp_path: Path, which: str) -> None:
    db = open_database(tmp_path / "snap.db", populate=load_seed)
    app = Host((lambda: EcosystemMap(db)) if which == "map" else (lambda: TotalsView(db)))

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_of_the_real_data_set(snap_compare: Any, tmp_path: Path) -> None:
    """Issue 13: the real data set's map (91 deals, 28 organisations, 73 edges) at 120x36 starts from the
    busiest organisation (NVIDIA: most deals), selected and in view, boxes whole and apart."""
    from tests.support.data import CIRCULAR_CSV
    from tracker.core.csvio.importer import import_deals

    db = open_database(tmp_path / "real.db")
    import_deals(db, CIRCULAR_CSV)
    app = Host(lambda: EcosystemMap(db))

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        canvas = pilot.app.query_one(MapCanvas)
        with db.read() as conn:
            assert canvas.selected == find_org_id(conn, "NVIDIA")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_w_names_the_organisations_the_cut_left_out(_db: Database) -> None:
    """Issue 13: "N not drawn" never said which; `w` names them, busiest first."""
    app = Host(lambda: EcosystemMap(_db, top=2))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("w")
        await pilot.pause()
        assert app.messages[-1] == "not drawn: Oracle, Alibaba Cloud"


def _row_of(table: DataTable[Any], label: str, side: str | None = None) -> int:
    for i in range(table.row_count):
        if _cell(table, i, 0) == label and (side is None or _cell(table, i, 1) == side):
            return i
    raise AssertionError(f"no row {label!r} {side!r}")


async def test_totals_enter_on_a_row_opens_the_deals_behind_it(_db: Database) -> None:
    """Issue 12: enter on a totals row opens exactly the deals behind it (the deals table filtered to them)."""
    from tracker.core.records.pages import DealFilter, page

    app = Host(lambda: TotalsView(_db))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.query_one(DataTable)
        table.move_cursor(row=_row_of(table, "OpenAI", "paid out"))
        await pilot.press("enter")
        await settle(app, pilot)
        opened = [m for m in app.messages if isinstance(m, ShowDeals)]
        assert len(opened) == 1 and opened[0].title == "totals: OpenAI · paid out"
        with _db.read() as conn:
            deals = page(conn, DealFilter(deal_ids=opened[0].deal_ids))
        assert len(deals) == 2 and all(d.from_org == "OpenAI" and d.kind in ("investment", "purchase") for d in deals)
        table.move_cursor(row=_row_of(table, "Alibaba", "committed spending"))  # a capex plan: its own side
        await pilot.press("enter")
        await settle(app, pilot)
        with _db.read() as conn:
            capex = page(conn, DealFilter(deal_ids=app.messages[-1].deal_ids))
        assert [(d.from_org, d.kind) for d in capex] == [("Alibaba", "infrastructure")]
        await pilot.press("y")  # by year; the TOTAL row opens every deal
        await settle(app, pilot)
        table.move_cursor(row=table.row_count - 1)
        await pilot.press("enter")
        await settle(app, pilot)
        with _db.read() as conn:
            assert len(app.messages[-1].deal_ids) == count_deals(conn) == 8


async def test_totals_sort_rows_by_any_column_total_stays_last(_db: Database) -> None:
    app = Host(lambda: TotalsView(_db))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view = app.query_one(TotalsView)
        table = app.query_one(DataTable)
        await pilot.press("s")  # by name, A to Z
        names = [_cell(table, i, 0) for i in range(table.row_count)]
        assert names[:-1] == sorted(names[:-1], key=str.casefold) and names[-1] == "TOTAL (each deal once)"
        while view.sort_column is None or COLUMNS[view.sort_column] != "undisclosed":
            await pilot.press("s")
        counts = [int(_cell(table, i, 7)) for i in range(table.row_count - 1)]
        assert counts == sorted(counts, reverse=True)
        await pilot.press("S")  # reversed
        counts = [int(_cell(table, i, 7)) for i in range(table.row_count - 1)]
        assert counts == sorted(counts) and _cell(table, table.row_count - 1, 0).startswith("TOTAL")
        await pilot.click("#totals-table", offset=(60, 0))  # a click on a header sorts by that column
        await pilot.pause()
        assert view.sort_column is not None and COLUMNS[view.sort_column] in QUALIFIED


async def test_totals_exact_toggle_and_every_qualifier_in_the_chart(_db: Database) -> None:
    app = Host(lambda: TotalsView(_db))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.query_one(DataTable)
        row = _row_of(table, "Nvidia", "paid out")
        assert _cell(table, row, 4) == "≤ $100B"
        await pilot.press("e")
        assert _cell(table, row, 4) == "100,000,000,000"
        await pilot.press("e")
        assert _cell(table, row, 4) == "≤ $100B"
        chart = str(app.query_one("#totals-chart").render())
        assert "█ exact" in chart and "▒ up to" in chart and "▓ at least" in chart and "░ estimated" in chart
        assert "▒" * 10 in chart and "≤ $100B" in chart  # Nvidia's up-to, not left out for being no exact
        assert "█" * 10 in chart and "$53.35B" in chart  # Alibaba's exact plan
        await pilot.press("b")  # exact only
        chart = str(app.query_one("#totals-chart").render())
        assert "$53.35B" in chart and "≤ $100B" not in chart
