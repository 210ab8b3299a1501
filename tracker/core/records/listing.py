"""``tracker list``: deals newest first as a table, CSV or JSON, streamed page by page."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import Connection, select

from tracker.core.domain.amount_format import format_amount, format_plain
from tracker.core.domain.dates import format_date
from tracker.core.domain.rows import DealRow
from tracker.core.records.pages import DealFilter, page
from tracker.core.storage.handles import DEAL

LIST_FIELDS = (
    "id", "date", "kind", "from_org", "to_org", "amount", "currency", "qualifier", "capacity_gw", "status",
    "description", "source_outlet", "source_author", "source_title", "source_url", "source_date",
)  # fmt: skip


def iter_deals(conn: Connection, *, search: str = "", limit: int | None = None) -> Iterator[DealRow]:
    f = DealFilter(text=search)
    after = None
    left = limit
    while left is None or left > 0:
        size = 1000 if left is None else min(1000, left)
        rows = page(conn, f, sort="date", descending=True, after=after, limit=size)
        yield from rows
        if len(rows) < size:
            return
        after = rows[-1].key
        if left is not None:
            left -= len(rows)


def _sources(conn: Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    cols = [DEAL.c.id, DEAL.c.source_outlet, DEAL.c.source_author, DEAL.c.source_title, DEAL.c.source_url,
            DEAL.c.source_date]  # fmt: skip
    return {r["id"]: dict(r) for r in conn.execute(select(*cols).where(DEAL.c.id.in_(ids))).mappings()}


def _record(row: DealRow, source: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "date": format_date(row.date, row.date_precision),
        "date_precision": row.date_precision,
        "kind": row.kind,
        "from_org": row.from_org,
        "to_org": row.to_org,
        "amount": format_plain(row.amount) if row.amount is not None else None,
        "currency": row.currency,
        "qualifier": row.qualifier,
        "capacity_gw": format_plain(row.capacity_gw) if row.capacity_gw is not None else None,
        "status": row.status,
        "description": row.description,
        **{k: source.get(k) for k in ("source_outlet", "source_author", "source_title", "source_url", "source_date")},
    }


def _chunks(rows: Iterator[DealRow], n: int = 1000) -> Iterator[list[DealRow]]:
    chunk: list[DealRow] = []
    for r in rows:
        chunk.append(r)
        if len(chunk) == n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_deals(conn: Connection, rows: Iterator[DealRow], out: IO[str], fmt: str) -> int:
    n = 0
    if fmt == "json":
        out.write("[")
        for chunk in _chunks(rows):
            sources = _sources(conn, [r.id for r in chunk])
            for r in chunk:
                out.write(("\n  " if n == 0 else ",\n  ") + json.dumps(_record(r, sources[r.id]), ensure_ascii=False))
                n += 1
        out.write("\n]\n" if n else "]\n")
        return n
    if fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(LIST_FIELDS)
        for chunk in _chunks(rows):
            sources = _sources(conn, [r.id for r in chunk])
            for r in chunk:
                rec = _record(r, sources[r.id])
                w.writerow(["" if rec[k] is None else rec[k] for k in LIST_FIELDS])
                n += 1
        return n
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    for label, justify in (("id", "right"), ("date", "left"), ("kind", "left"), ("from", "left"), ("to", "left"),
                           ("amount", "right"), ("GW", "right"), ("status", "left")):  # fmt: skip
        table.add_column(label, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        table.add_row(
            str(r.id), format_date(r.date, r.date_precision), r.kind, Text(r.from_org), Text(r.to_org or "—"),
            format_amount(r.amount, r.currency, r.qualifier), format_plain(r.capacity_gw) if r.capacity_gw else "",
            r.status,
        )  # fmt: skip
        n += 1
    console = Console(file=out, soft_wrap=False)
    if n:
        console.print(table)
    else:
        console.print("no deals")
    return n
