"""The workbook of a database: its deals CSV, its sources, its totals by organisation and its rates, written by
tracker/core/csvio/xlsx.py; and a workbook's deals imported through the CSV importer."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from sqlalchemy import select

from tracker.core.analysis.totals import compute_totals
from tracker.core.csvio.export import export_deals
from tracker.core.csvio.importer import import_deals
from tracker.core.csvio.output import atomic_file, refuse_database
from tracker.core.csvio.report import ImportReport
from tracker.core.csvio.xlsx import deals_csv_from_workbook, write_workbook
from tracker.core.domain.source_fields import SOURCE_FIELDS
from tracker.core.records.fx import rates_at
from tracker.core.storage.handle import Database
from tracker.core.storage.handles import SOURCE

__all__ = ["export_workbook", "import_workbook", "is_workbook"]

TOTALS_HEADER = ["organisation", "side", "deals", "exact USD", "up to USD", "at least USD", "estimated USD",
                 "undisclosed deals", "GW"]  # fmt: skip


def is_workbook(name: str) -> bool:
    return name.casefold().endswith(".xlsx")


def export_workbook(db: Database, target: str | os.PathLike[str]) -> int:
    """Write the database's workbook to ``target`` (whole or not at all, as every export); the number of
    deals."""
    refuse_database(db, target)
    with db.read() as conn, tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as deals:
        export_deals(db, deals, conn=conn)
        deals.seek(0)
        totals = compute_totals(conn, "org")
        totals_rows: list[list[Any]] = [TOTALS_HEADER]
        for row in totals.rows:
            f = row.figures
            # a figure with no amounts behind it is an empty cell, never 0 (issue 12)
            totals_rows.append([row.label, row.side or "", f.deals, f.figure("exact"), f.figure("up to"),
                                f.figure("at least"), f.figure("estimated"), f.undisclosed, f.gw()])  # fmt: skip
        columns = [SOURCE.c.deal_id, SOURCE.c.position, *(SOURCE.c[f] for f in SOURCE_FIELDS)]
        sources: list[list[Any]] = [["deal", "position", *SOURCE_FIELDS]]
        sources += [list(r) for r in conn.execute(select(*columns).order_by(SOURCE.c.deal_id, SOURCE.c.position))]
        rates: list[list[Any]] = [["currency", "1 unit in USD", "as of"]]
        rates += [[r.currency, r.rate, r.as_of] for r in sorted(rates_at(conn).values(), key=lambda r: r.currency)]
        with atomic_file(target) as out:
            out.flush()
            return write_workbook(deals, out.buffer, totals=totals_rows, rates=rates, sources=sources)


def import_workbook(db: Database, path: str, *, dry_run: bool = False, strict_names: bool = False) -> ImportReport:
    """Import the Deals sheet of the workbook ``path`` with every rule of the CSV importer."""
    text = deals_csv_from_workbook(path)
    fd, name = tempfile.mkstemp(prefix="tracker-xlsx-", suffix=".csv")
    try:
        with open(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return import_deals(db, name, dry_run=dry_run, strict_names=strict_names)
    finally:
        os.unlink(name)
