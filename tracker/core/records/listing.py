"""``tracker list``: deals newest first as a table, CSV or JSON, streamed page by page.

Every output is safe to write: CSV cells are defused against spreadsheet formulas the same way as the
export (tracker.core.domain.formula.defuse: its text columns, not its numbers and dates); the table shows
control characters from the data escaped (tracker.core.domain.text.visible), and so does CSV written to a
terminal; JSON writes them as ``\\u`` escapes (:func:`json_text`), which is the same data.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import Connection, select

from tracker.core.domain.amount_format import format_amount, format_plain
from tracker.core.domain.dates import FORMS, DateError, format_date, parse_date, period_end
from tracker.core.domain.formula import defuse
from tracker.core.domain.rows import DealRow
from tracker.core.domain.text import visible
from tracker.core.domain.vocab import CONFIDENCES, DESCENDING_FIRST, KINDS, SORT_KEYS
from tracker.core.records.errors import DealError
from tracker.core.records.orgs import find_org_id
from tracker.core.records.pages import DealFilter, page
from tracker.core.records.sources import source_counts
from tracker.core.records.valuesort import page_by_value
from tracker.core.storage.handles import ALLIANCE, ALLIANCE_DEAL, DEAL

LIST_FIELDS = (
    "id", "date", "kind", "from_org", "to_org", "amount", "currency", "qualifier", "capacity_gw",
    "capacity_qualifier", "status", "description", "source_outlet", "source_author", "source_title", "source_url",
    "source_date", "confidence", "sources",
)  # fmt: skip
CSV_TEXT_FIELDS = frozenset(LIST_FIELDS) - {
    "id",
    "date",
    "amount",
    "capacity_gw",
    "source_date",
    "confidence",
    "sources",
}
"""The columns defused in CSV (as the export defuses its text columns; numbers and dates never need it)."""
# What json.dumps(ensure_ascii=False) leaves raw and a terminal may obey: DEL, C1, bidirectional overrides
_JSON_RAW = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_text(text: str) -> str:
    """JSON text (from ``json.dumps``) with the characters a terminal may obey written as ``\\u`` escapes."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True)
class ListOptions:
    """``tracker list``'s options as typed; :meth:`check` refuses a bad one in one line naming it."""

    search: str = ""
    kinds: tuple[str, ...] = ()
    org: str | None = None
    since: str | None = None
    until: str | None = None
    sort: str = "date"
    reverse: bool = False
    confidences: tuple[str, ...] = ()

    @property
    def descending(self) -> bool:
        """Dates and amounts newest and biggest first, names A to Z (as the app's table); ``reverse`` flips."""
        return (self.sort.strip().lower() in DESCENDING_FIRST) != self.reverse

    def check(self) -> None:
        for kind in self.kinds:
            if kind.strip().lower() not in KINDS:
                raise DealError(f"--kind {kind!r}: one of {', '.join(KINDS)}")
        for level in self.confidences:
            if level.strip().lower() not in CONFIDENCES:
                raise DealError(f"--confidence {level!r}: one of {', '.join(CONFIDENCES)}")
        if self.sort.strip().lower() not in SORT_KEYS:
            raise DealError(f"--sort {self.sort!r}: one of {', '.join(SORT_KEYS)}")
        for flag, value in (("--since", self.since), ("--until", self.until)):
            if value is not None:
                try:
                    parse_date(value)
                except DateError:
                    raise DealError(f"{flag} {value!r}: use {FORMS}") from None
        if self.org is not None and not self.org.strip():
            raise DealError("--org '': give an organisation's name or alias")


def list_filter(conn: Connection, options: ListOptions) -> DealFilter:
    """The filter of checked ``options``; an organisation that is not there is refused, naming it."""
    org_id = None
    if options.org is not None:
        org_id = find_org_id(conn, options.org)
        if org_id is None:
            raise DealError(f"--org {options.org!r}: no organisation has this name or alias")
    since = parse_date(options.since)[0] if options.since else None
    until = period_end(*parse_date(options.until)) if options.until else None
    kinds = tuple(dict.fromkeys(k.strip().lower() for k in options.kinds))
    levels = tuple(dict.fromkeys(c.strip().lower() for c in options.confidences))
    return DealFilter(
        text=options.search, kinds=kinds, date_from=since, date_to=until, org_id=org_id, confidences=levels
    )


def iter_deals(
    conn: Connection,
    f: DealFilter | None = None,
    *,
    sort: str = "date",
    descending: bool = True,
    limit: int | None = None,
) -> Iterator[DealRow]:
    """The deals ``f`` matches (every deal when None) in the table's order, read page by page (keyset)."""
    f = f or DealFilter()
    after = None
    left = limit
    while left is None or left > 0:
        size = 1000 if left is None else min(1000, left)
        if sort == "value":  # the amount in USD at the latest rates (tracker/core/records/valuesort.py)
            rows = page_by_value(conn, f, descending=descending, after=after, limit=size)
        else:
            rows = page(conn, f, sort=sort, descending=descending, after=after, limit=size)
        yield from rows
        if len(rows) < size:
            return
        after = rows[-1].key
        if left is not None:
            left -= len(rows)


def _alliances(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    """Each deal's alliances, by name."""
    out: dict[int, list[str]] = {}
    stmt = (
        select(ALLIANCE_DEAL.c.deal_id, ALLIANCE.c.name)
        .join(ALLIANCE, ALLIANCE.c.id == ALLIANCE_DEAL.c.alliance_id)
        .where(ALLIANCE_DEAL.c.deal_id.in_(ids))
        .order_by(ALLIANCE.c.name_key)
    )
    for deal_id, name in conn.execute(stmt):
        out.setdefault(deal_id, []).append(name)
    return out


def _sources(conn: Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each deal's first source (its source_* columns) and how many sources it has (``sources``)."""
    cols = [DEAL.c.id, DEAL.c.source_outlet, DEAL.c.source_author, DEAL.c.source_title, DEAL.c.source_url,
            DEAL.c.source_date]  # fmt: skip
    found = {r["id"]: dict(r) for r in conn.execute(select(*cols).where(DEAL.c.id.in_(ids))).mappings()}
    for deal_id, n in source_counts(conn, ids).items():
        found[deal_id]["sources"] = n
    return found


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
        "capacity_qualifier": row.capacity_qualifier,
        "status": row.status,
        "description": row.description,
        **{k: source.get(k) for k in ("source_outlet", "source_author", "source_title", "source_url", "source_date")},
        "confidence": row.confidence,
        "sources": source.get("sources", 0),
    }


def _csv_cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return defuse(text) if column in CSV_TEXT_FIELDS else text


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
    """Write ``rows`` to ``out`` as ``fmt`` (table, csv or json); returns how many."""
    n = 0
    if fmt == "json":
        out.write("[")
        for chunk in _chunks(rows):
            sources = _sources(conn, [r.id for r in chunk])
            alliances = _alliances(conn, [r.id for r in chunk])
            for r in chunk:
                fields = {**_record(r, sources[r.id]), "alliances": alliances.get(r.id, [])}
                record = json_text(json.dumps(fields, ensure_ascii=False))
                out.write(("\n  " if n == 0 else ",\n  ") + record)
                n += 1
        out.write("\n]\n" if n else "]\n")
        return n
    if fmt == "csv":
        terminal = out.isatty()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(LIST_FIELDS)
        for chunk in _chunks(rows):
            sources = _sources(conn, [r.id for r in chunk])
            for r in chunk:
                rec = _record(r, sources[r.id])
                cells = [_csv_cell(k, rec[k]) for k in LIST_FIELDS]
                w.writerow([visible(c) for c in cells] if terminal else cells)
                n += 1
        return n
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    for label, justify in (("id", "right"), ("date", "left"), ("kind", "left"), ("from", "left"), ("to", "left"),
                           ("amount", "right"), ("GW", "right"), ("status", "left"), ("confidence", "left")):  # fmt: skip
        table.add_column(label, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        table.add_row(
            str(r.id), format_date(r.date, r.date_precision), Text(visible(r.kind)), Text(visible(r.from_org)),
            Text(visible(r.to_org or "—")), Text(visible(format_amount(r.amount, r.currency, r.qualifier))),
            format_plain(r.capacity_gw) if r.capacity_gw else "", Text(visible(r.status)), r.confidence,
        )  # fmt: skip
        n += 1
    console = Console(file=out, soft_wrap=False)
    if n:
        console.print(table)
    else:
        console.print("no deals")
    return n
