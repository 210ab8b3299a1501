"""Deals CSV of some deals, in a view's order: ``tracker export --view`` and the app's copy (``y``, ``Y``).

Each line is the one ``tracker export`` writes for that deal (made by the general path,
:func:`tracker.core.csvio.general.lines_of`), so a copied or filtered line equals the full export's line.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from sqlalchemy import Connection

from tracker.core.csvio.general import lines_of, write_header
from tracker.core.records.fx import latest_rates
from tracker.core.records.listing import iter_deals
from tracker.core.records.pages import DealFilter

__all__ = ["CopiedDeals", "deal_line", "deals_csv", "write_deals_csv"]

CHUNK = 1000


def _lines(conn: Connection, f: DealFilter, sort: str, descending: bool, limit: int | None) -> Iterator[str]:
    rates = latest_rates(conn)
    chunk: list[int] = []
    for row in iter_deals(conn, f, sort=sort, descending=descending, limit=limit):
        chunk.append(row.id)
        if len(chunk) == CHUNK:
            lines = lines_of(conn, chunk, rates)
            yield from (lines[i] for i in chunk if i in lines)
            chunk = []
    lines = lines_of(conn, chunk, rates)
    yield from (lines[i] for i in chunk if i in lines)


def write_deals_csv(conn: Connection, out: IO[str], f: DealFilter, *, sort: str = "date", descending: bool = True,
                    limit: int | None = None, progress: Callable[[int], None] | None = None) -> int:  # fmt: skip
    """Write the export's header and the line of each deal ``f`` matches, in the order of ``sort``; returns how
    many (at most ``limit``). ``progress(n)`` is called every 10,000 rows."""
    write_header(out)
    n = 0
    for n, line in enumerate(_lines(conn, f, sort, descending, limit), 1):
        out.write(line)
        if progress is not None and n % 10_000 == 0:
            progress(n)
    return n


@dataclass(frozen=True)
class CopiedDeals:
    """The text of a copy: the header and ``copied`` lines, of ``total`` deals matching."""

    text: str
    copied: int
    total: int


def deals_csv(conn: Connection, f: DealFilter, *, sort: str, descending: bool, limit: int) -> CopiedDeals:
    """The header and the first ``limit`` deals' lines of a filtered view, with how many match in all."""
    from tracker.core.records.pages import count_deals

    out = io.StringIO()
    copied = write_deals_csv(conn, out, f, sort=sort, descending=descending, limit=limit)
    total = copied if copied < limit else count_deals(conn, f)
    return CopiedDeals(out.getvalue(), copied, total)


def deal_line(conn: Connection, deal_id: int) -> str | None:
    """One deal's export line without its line end (None: no such deal)."""
    line = lines_of(conn, [deal_id], latest_rates(conn)).get(deal_id)
    return None if line is None else line.removesuffix("\r\n")
