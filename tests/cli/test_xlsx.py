"""Excel workbooks (#16): `export deals.xlsx` and `import deals.xlsx`, through the real entry point."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.data import CIRCULAR_CSV


def _rows_without_derived(text: str) -> list[dict[str, str]]:
    """The deals CSV's rows without amount_usd (derived from the FX rates, which a workbook does not import)."""
    return [{k: v for k, v in row.items() if k != "amount_usd"} for row in csv.DictReader(io.StringIO(text))]


@pytest.mark.parametrize("data", ["seed", "real"])
def test_round_trip_through_a_workbook_keeps_every_value(run_cli, tmp_path: Path, data: str) -> None:  # type: ignore[no-untyped-def]
    if data == "real":
        assert run_cli("--empty", "import", str(CIRCULAR_CSV)).code == 0
    book = tmp_path / "deals.xlsx"
    exported = run_cli("export", str(book))
    assert exported.code == 0 and "(xlsx)" in exported.err
    before = run_cli("export").out
    other = str(tmp_path / "other.db")
    imported = run_cli("--empty", "import", str(book), db=other)
    assert imported.code == 0, imported.err
    assert "added" in imported.out
    after = run_cli("export", db=other).out
    assert _rows_without_derived(after) == _rows_without_derived(before)
    assert len(_rows_without_derived(before)) == (8 if data == "seed" else 91)


def test_the_workbook_is_made_for_excel(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("add", "--kind", "investment", "--from", "Nvidia", "--to", "OpenAI", "--amount", "12.5",
                   "--currency", "USD", "--date", "2025-10-02",
                   "--description", '=HYPERLINK("http://x","click")').code == 0  # fmt: skip
    book = tmp_path / "deals.xlsx"
    assert run_cli("export", "--format", "xlsx", str(book)).code == 0
    wb = load_workbook(book)
    assert wb.sheetnames == ["Deals", "Sources", "Totals", "Rates"]  # the seed's deals carry the article
    deals = wb["Deals"]
    assert deals.freeze_panes == "A2" and deals.auto_filter.ref is not None
    header = [c.value for c in deals[1]]
    assert header[:3] == ["id", "date", "date_precision"] and header[-1] == "amount_exact"
    rows = {r[header.index("id")]: r for r in deals.iter_rows(min_row=2, values_only=True)}
    alibaba = next(r for r in rows.values() if r[header.index("from_org")] == "Alibaba")
    assert alibaba[header.index("amount")] == 380_000_000_000  # a number Excel sums, in its currency's format
    assert (
        alibaba[header.index("date")] == dt.datetime(2025, 9, 1) and alibaba[header.index("date_precision")] == "month"
    )
    new = next(r for r in rows.values() if r[header.index("amount")] == 12.5)
    assert new[header.index("description")] == '=HYPERLINK("http://x","click")'
    column = deals.iter_rows(min_col=header.index("description") + 1, max_col=header.index("description") + 1)
    cell = next(c for (c,) in column if c.value == '=HYPERLINK("http://x","click")')
    assert cell.data_type == "s"  # text, never a formula
    amount_cell = deals.cell(row=2, column=header.index("amount") + 1)
    assert amount_cell.number_format.endswith('" CNY"') or amount_cell.number_format.endswith('" USD"')
    assert [c.value for c in wb["Rates"][1]] == ["currency", "1 unit in USD", "as of"]
    assert wb["Totals"].max_row > 1


def test_a_number_changed_in_excel_is_taken_and_a_bad_row_is_named(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    book = tmp_path / "deals.xlsx"
    assert run_cli("export", str(book)).code == 0
    wb = load_workbook(book)
    deals = wb["Deals"]
    header = [c.value for c in deals[1]]
    deals.cell(row=2, column=header.index("amount") + 1).value = 123.25  # someone edited the amount
    wb.save(book)
    other = str(tmp_path / "other.db")
    assert run_cli("--empty", "import", str(book), db=other).code == 0
    assert "123.25" in run_cli("export", db=other).out.splitlines()[1]
    deals.cell(row=3, column=header.index("kind") + 1).value = "bogus"
    wb.save(book)
    bad = run_cli("--empty", "import", str(book), db=str(tmp_path / "third.db"))
    assert bad.code == 1 and "nothing was written" in bad.err
    assert "line 3" in bad.err and "bogus" in bad.err


def test_a_file_that_is_not_a_workbook_gets_one_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "fake.xlsx"
    fake.write_text("id,date\n")
    proc = run_cli("import", str(fake))
    assert proc.code == 1 and "not an Excel workbook" in proc.err and "Traceback" not in proc.err
