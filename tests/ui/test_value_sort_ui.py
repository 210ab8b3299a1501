"""The app's USD column sorts by value across currencies: `s` reaches it, a click on its header sorts by it."""

from __future__ import annotations

from pathlib import Path

from tests.support.terminal import settle
from tracker.core.csvio.seed import load_seed
from tracker.core.domain.fields import parse_deal_fields
from tracker.core.records.changes import add_deal
from tracker.core.storage.opening import open_database
from tracker.ui.app import TrackerApp
from tracker.ui.widgets.paged_table import PagedTable

BY_VALUE = ["KRW 450T", "CNY 1.5T", "≤ $100B", "CNY 380B"]  # ≈ $321B, $211B, $100B, $53B
BY_AMOUNT = ["KRW 450T", "CNY 1.5T", "CNY 380B", "≤ $100B"]  # raw numbers, whatever the currency


def _db(tmp_path: Path) -> str:
    path = str(tmp_path / "value.db")
    db = open_database(path, populate=load_seed)
    with db.write() as conn:
        for amount in ("450조원", "CNY 1.5T"):
            values, errors = parse_deal_fields(
                {"date": "2025-09", "kind": "investment", "from_org": "Samsung", "to_org": "OpenAI", "amount": amount}
            )
            assert not errors
            add_deal(conn, values, create_orgs=True)
    db.dispose()
    return path


def _amounts(app: TrackerApp) -> list[str]:
    table = app.main.table
    index = [c.key for c in table.columns].index("amount")
    return [table.get_row_at(i).cells[index] for i in range(4)]


async def test_s_reaches_the_usd_column_and_a_click_on_it_sorts(tmp_path: Path) -> None:
    app = TrackerApp(db_target=_db(tmp_path))
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        for _ in range(4):  # date -> kind -> from -> to -> amount
            await pilot.press("s")
            await settle(pilot)
        assert app.main.table.sort_column == "amount"
        assert _amounts(app) == BY_AMOUNT
        await pilot.press("s")  # -> value (USD), largest first
        await settle(pilot)
        assert app.main.table.sort_column == "value" and app.main.table.sort_reverse
        assert _amounts(app) == BY_VALUE
        assert "sort: value ▼" in app.main.status.render_text().plain
        await pilot.press("s")  # -> status; then a click on the USD header sorts by value again
        await settle(pilot)
        table = app.main.table
        keys = [c.key for c in table.columns]
        usd = next(
            x for x in range(table.size.width) if table.get_style_at(x, 0).meta.get("header") == keys.index("value")
        )
        await pilot.click(PagedTable, offset=(usd, 0))
        await settle(pilot)
        assert table.sort_column == "value" and table.sort_reverse
        assert _amounts(app) == BY_VALUE
