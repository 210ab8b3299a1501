"""Deals to and from Excel workbooks (openpyxl): ``export deals.xlsx`` and ``import deals.xlsx``.

The workbook is the deals CSV made readable in Excel, and comes back through the CSV importer:
- **Deals**: every column of the deals CSV in its order; amounts, USD amounts and GW as numbers in their
  currency's format; dates as Excel dates (the period's first day) with the precision in the column after
  (``date_precision``: day, month, quarter or year), so ``2025-09`` stays a month; the header frozen and
  filters on. Excel numbers are doubles (15 significant digits), so ``amount_exact`` keeps the amount as
  text: import takes it while the number still equals it, and the number once someone changed it. Text is
  always a text cell: ``=HYPERLINK(…)`` in a description is never a formula.
- **Sources** (every source of every deal, by deal id and position: 0 is the first, the Deals sheet's
  ``source_*`` columns), **Totals** (by organisation, in USD, the rates in force today) and **Rates** (each
  rate and its date).
Import reads the Deals sheet back into a deals CSV (the helper columns dropped) and imports it with every
rule of the CSV importer; a row's line in its messages is the sheet's row number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from tracker.core.domain.errors import TrackerError
from tracker.core.domain.formula import defuse, restore

__all__ = ["EXCEL_MAX_ROWS", "XlsxError", "deals_csv_from_workbook", "write_workbook"]

EXCEL_MAX_ROWS = 1_048_576
"""Excel's rows per sheet, the header included."""
NUMBERS = ("amount", "amount_usd", "capacity_gw")
DATES = ("date", "source_date")
EXACT = "amount_exact"
_PRECISION = "_precision"
_DATE_FORMATS = {"day": "yyyy-mm-dd", "month": "yyyy-mm", "quarter": "yyyy-mm", "year": "yyyy"}
_DATE_TEXT = [
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "day"),
    (re.compile(r"(\d{4})-Q([1-4])"), "quarter"),
    (re.compile(r"(\d{4})-(\d{2})"), "month"),
    (re.compile(r"(\d{4})"), "year"),
]


class XlsxError(TrackerError):
    """A workbook that cannot be read as deals, or deals that do not fit a sheet."""


def _date_cell(text: str) -> tuple[dt.date, str] | None:
    """A deals-CSV date (``2025-09-29``, ``2025-09``, ``2025-Q3``, ``2025``) as its period's first day and
    its precision, or None for any other text (kept as text)."""
    for pattern, precision in _DATE_TEXT:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        year = int(m.group(1))
        if precision == "day":
            return dt.date(year, int(m.group(2)), int(m.group(3))), precision
        if precision == "quarter":
            return dt.date(year, 3 * int(m.group(2)) - 2, 1), precision
        if precision == "month":
            return dt.date(year, int(m.group(2)), 1), precision
        return dt.date(year, 1, 1), precision
    return None


def _date_text(value: dt.date, precision: str) -> str:
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "quarter":
        return f"{value.year:04d}-Q{(value.month - 1) // 3 + 1}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def _text(ws: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # never a formula, whatever the text begins with
    return cell


def _number(ws: Any, text: str, fmt: str) -> WriteOnlyCell:
    value = Decimal(text)
    cell = WriteOnlyCell(ws, value=int(value) if value == value.to_integral_value() else float(value))
    cell.number_format = fmt
    return cell


def _currency_format(code: str) -> str:
    return f'#,##0.####" {code}"' if re.fullmatch(r"[A-Z]{3}", code) else "#,##0.####"


def write_workbook(deals_csv: IO[str], out: IO[bytes], *, totals: list[list[Any]], rates: list[list[Any]],
                   sources: list[list[Any]] | None = None) -> int:  # fmt: skip
    """Write the workbook from a deals CSV (header first) to ``out``; returns the number of deals.
    ``sources``, ``totals`` and ``rates``: rows for their sheets, a header first."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Deals")
    reader = csv.reader(deals_csv)
    header = next(reader)
    columns = []
    for name in header:
        columns.append(name)
        if name in DATES:
            columns.append(name + _PRECISION)
    columns.append(EXACT)
    ws.freeze_panes = "A2"
    ws.append([_text(ws, c) for c in columns])
    where = {name: i for i, name in enumerate(header)}
    n = 0
    for row in reader:
        n += 1
        if n + 1 > EXCEL_MAX_ROWS:
            raise XlsxError(f"{n:,}+ deals do not fit one Excel sheet ({EXCEL_MAX_ROWS - 1:,} rows at most): "
                            "export CSV instead")  # fmt: skip
        cells: list[Any] = []
        for name, value in zip(header, row, strict=True):
            if value == "":
                cells.append(None)
            elif name == "id" and value.isdigit():
                cells.append(int(value))
            elif name in NUMBERS:
                code = row[where["currency"]] if name == "amount" and "currency" in where else "USD"
                cells.append(_number(ws, value, _currency_format(code) if name != "capacity_gw" else '0.####" GW"'))
            elif name in DATES and (parsed := _date_cell(value)) is not None:
                cell = WriteOnlyCell(ws, value=parsed[0])
                cell.number_format = _DATE_FORMATS[parsed[1]]
                cells.append(cell)
            else:
                cells.append(_text(ws, restore(value)))  # the CSV's defusing quote: a text cell needs none
            if name in DATES:
                parsed_date = _date_cell(value) if value else None
                cells.append(_text(ws, parsed_date[1]) if parsed_date else None)
        amount = row[where["amount"]] if "amount" in where else ""
        cells.append(_text(ws, amount) if amount else None)
        ws.append(cells)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"
    for title, rows in (("Sources", sources or []), ("Totals", totals), ("Rates", rates)):
        sheet = wb.create_sheet(title)
        sheet.freeze_panes = "A2"
        for i, values in enumerate(rows):
            sheet.append([_text(sheet, v) if isinstance(v, str) or i == 0 else v for v in values])
    wb.save(out)
    return n


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        d = Decimal(repr(value))
        return str(int(d)) if d == d.to_integral_value() else format(d.normalize(), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _rows(path: str) -> Iterator[tuple[Any, ...]]:
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise XlsxError(f"{path}: not an Excel workbook (.xlsx) openpyxl can read: {exc}") from None
    try:
        if "Deals" not in wb.sheetnames:
            raise XlsxError(f"{path}: no sheet named Deals (sheets: {', '.join(wb.sheetnames)})")
        yield from wb["Deals"].iter_rows(values_only=True)
    finally:
        wb.close()


def deals_csv_from_workbook(path: str) -> str:
    """The Deals sheet of ``path`` as deals-CSV text: dates written at their precision, the exact amount
    where the number was left as exported, the helper columns dropped."""
    rows = _rows(path)
    header_row = next(rows, None)
    if header_row is None:
        raise XlsxError(f"{path}: the Deals sheet is empty")
    header = [_cell_text(v) for v in header_row]
    keep = [i for i, name in enumerate(header) if not name.endswith(_PRECISION) and name != EXACT]
    at = {name: i for i, name in enumerate(header)}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([header[i] for i in keep])
    for row in rows:
        values = list(row) + [None] * (len(header) - len(row))
        if all(v is None for v in values):
            continue
        out = []
        for i in keep:
            name, value = header[i], values[i]
            precision = values[at[name + _PRECISION]] if name + _PRECISION in at else None
            if isinstance(value, dt.date) and precision in _DATE_FORMATS:
                day = value.date() if isinstance(value, dt.datetime) else value
                out.append(_date_text(day, str(precision)))
            elif name == "amount" and EXACT in at and values[at[EXACT]] not in (None, ""):
                out.append(_exact_or_number(value, str(values[at[EXACT]])))
            elif isinstance(value, str):
                out.append(defuse(value))  # as the CSV export writes text, which the importer reads back
            else:
                out.append(_cell_text(value))
        writer.writerow(out)
    return buf.getvalue()


def _exact_or_number(number: Any, exact: str) -> str:
    """The exact amount while the sheet's number still equals it (as a double), else what the sheet says."""
    try:
        if isinstance(number, int | float) and float(Decimal(exact)) == float(number):
            return exact
    except (InvalidOperation, ValueError):
        pass
    return _cell_text(number)
