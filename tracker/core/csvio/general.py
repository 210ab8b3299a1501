"""The general export path, the reference every faster path matches byte for byte: each deal's columns
fetched into Python, its cells made in Python and written by ``csv.writer``.

It runs on PostgreSQL (and on SQLite with ``export_deals(..., fast=False)``), and it makes again, in the
exporting process, the lines SQLite cannot make exactly (:func:`remake_lines`). Its public face also holds
what every path shares: the file's header (:data:`EXPORT_HEADER`, :func:`write_header`), the tables'
handles, and the progress calls (:func:`counted`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from sqlalchemy import BigInteger, Connection, String, cast, func, select, type_coerce

from tracker.core.csvio.cells import BROKEN, plain, usd_scaled
from tracker.core.domain.dates import QUARTER, format_date
from tracker.core.domain.fields import DEAL_COLUMNS, EXTRA_COLUMNS
from tracker.core.domain.formula import DEFUSE_FIRST, defuse
from tracker.core.domain.namelist import join_names
from tracker.core.domain.names import name_key
from tracker.core.domain.scaled import FACTOR
from tracker.core.storage.handles import ALLIANCE, ALLIANCE_DEAL, AMOUNT_DIGITS, DEAL, ORG, SOURCE

EXPORT_HEADER: tuple[str, ...] = DEAL_COLUMNS + EXTRA_COLUMNS
"""The header of a deals CSV, and the order of every line's cells."""
PROGRESS_EVERY = 10_000
"""Every path calls ``progress(n)`` once ``n`` rows, a multiple of this, are written."""


def write_header(out: IO[str]) -> None:
    """The header line, as csv.writer writes it."""
    csv.writer(out, lineterminator="\r\n").writerow(EXPORT_HEADER)


def write_general(conn: Connection, out: IO[str], rates: dict[str, Decimal],
                  progress: Callable[[int], None] | None) -> int:  # fmt: skip
    """Write every deal's line by the general path (after the header); returns the number of rows."""
    count = [0]
    csv.writer(out, lineterminator="\r\n").writerows(_export_lines(_export_rows(conn), rates, progress, count))
    return count[0]


def counted(progress: Callable[[int], None] | None, before: int, rows: int) -> int:
    """``before + rows``, calling ``progress`` at every multiple of :data:`PROGRESS_EVERY` reached (as the
    general path does, row by row)."""
    count = before + rows
    if progress is not None:
        for n in range(before - before % PROGRESS_EVERY + PROGRESS_EVERY, count + 1, PROGRESS_EVERY):
            progress(n)
    return count


def _alliance_names_by_deal(conn: Connection, ids: Sequence[int] | None = None) -> Any:
    """(deal_id, 'a\x1fb') for deals in alliances (only the deals ``ids`` when given)."""
    agg = (
        func.group_concat(ALLIANCE.c.name, "\x1f")
        if conn.dialect.name == "sqlite"
        else func.string_agg(ALLIANCE.c.name, "\x1f")
    )
    stmt = select(ALLIANCE_DEAL.c.deal_id, agg.label("names")).join(
        ALLIANCE, ALLIANCE.c.id == ALLIANCE_DEAL.c.alliance_id
    )
    if ids is not None:
        stmt = stmt.where(ALLIANCE_DEAL.c.deal_id.in_(ids))
    return stmt.group_by(ALLIANCE_DEAL.c.deal_id).subquery()


def _export_statement(conn: Connection, ids: Sequence[int] | None = None) -> Any:
    """Every deal's export columns in id order (only the deals ``ids`` when given)."""
    frm = ORG.alias("f")
    to = ORG.alias("t")
    names = _alliance_names_by_deal(conn, ids)
    first = SOURCE.alias("s")
    other = SOURCE.alias("x")
    count = select(func.count()).where(other.c.deal_id == DEAL.c.id).scalar_subquery()
    stmt = (
        select(
            DEAL.c.id, cast(DEAL.c.date, String), DEAL.c.date_precision, DEAL.c.kind, frm.c.name, to.c.name,
            AMOUNT_DIGITS, DEAL.c.currency, DEAL.c.qualifier,
            type_coerce(DEAL.c.capacity_gw, BigInteger), DEAL.c.status, names.c.names, DEAL.c.description,
            DEAL.c.source_outlet, DEAL.c.source_title, DEAL.c.source_url, DEAL.c.source_date, DEAL.c.ref,
            DEAL.c.amount_text, DEAL.c.source_author, DEAL.c.capacity_qualifier, first.c.kind, first.c.excerpt,
            first.c.lang, first.c.retrieved, DEAL.c.confidence, count,
        )
        .join(frm, frm.c.id == DEAL.c.from_org_id)
        .outerjoin(first, (first.c.deal_id == DEAL.c.id) & (first.c.position == 0))
        .outerjoin(to, to.c.id == DEAL.c.to_org_id)
        .outerjoin(names, names.c.deal_id == DEAL.c.id)
        .order_by(DEAL.c.id)
    )  # fmt: skip
    return stmt if ids is None else stmt.where(DEAL.c.id.in_(ids))


def _export_rows(conn: Connection) -> Iterator[Sequence[Any]]:
    stmt = _export_statement(conn)
    if conn.dialect.name == "sqlite":
        # The driver's cursor streams rows without SQLAlchemy's per-row processing (the columns are
        # plain integers and text); same statement, compiled once.
        sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.arraysize = 1000
        try:
            yield from cursor.execute(sql)
        finally:
            cursor.close()
        return
    yield from conn.execution_options(yield_per=10_000).execute(stmt)


_DATE_CHARS = {
    "day": 10,
    "month": 7,
    "year": 4,
}  # format_date, inlined for the million-row loop (a quarter: format_date; anything else: KeyError)


def _export_lines(rows: Iterator[Sequence[Any]], rates: dict[str, Decimal],
                  progress: Callable[[int], None] | None, count: list[int]) -> Iterator[tuple[Any, ...]]:  # fmt: skip
    """The CSV cells of each deal. ``None`` is written as an empty cell by csv.writer."""
    usd_rate: dict[str, Decimal | None] = {}
    first = DEFUSE_FIRST  # first characters after which defuse() may change a cell; any other is written as it is
    factor = FACTOR
    every = PROGRESS_EVERY
    for n, (deal_id, date, precision, kind, from_name, to_name, amount, currency, qualifier, capacity, status,
         alliances, description, outlet, title, url, source_date, ref, amount_text, author, capacity_q,
         source_kind, excerpt, lang, retrieved, confidence, sources,
         ) in enumerate(rows, 1):  # fmt: skip
        amount_usd = ""
        if amount is None:
            plain_amount = ""
        else:
            amount = int(amount)  # the stored digits (tracker.core.domain.scaled)
            plain_amount = str(amount // factor) if amount % factor == 0 else plain(amount)
            if currency:
                if currency in usd_rate:
                    rate = usd_rate[currency]
                else:
                    rate = usd_rate[currency] = rates.get(currency)
                if rate is not None:
                    amount_usd = plain_amount if rate == 1 else plain(usd_scaled(amount, rate))
        yield (
            deal_id, format_date(date, precision) if precision == QUARTER
            else (date if type(date) is str else str(date))[: _DATE_CHARS[precision]], kind,
            defuse(from_name) if from_name and from_name[0] in first else from_name,
            defuse(to_name) if to_name and to_name[0] in first else to_name,
            plain_amount, currency, qualifier, plain(capacity) if capacity is not None else "", status,
            defuse(join_names(sorted(alliances.split("\x1f"), key=name_key))) if alliances else "",
            defuse(description) if description and description[0] in first else description,
            defuse(outlet) if outlet and outlet[0] in first else outlet,
            defuse(title) if title and title[0] in first else title,
            defuse(url) if url and url[0] in first else url,
            source_date,
            defuse(ref) if ref and ref[0] in first else ref,
            defuse(amount_text) if amount_text and amount_text[0] in first else amount_text,
            defuse(author) if author and author[0] in first else author,
            amount_usd,
            capacity_q,
            source_kind,
            defuse(excerpt) if excerpt and excerpt[0] in first else excerpt,
            defuse(lang) if lang and lang[0] in first else lang,
            retrieved,
            confidence,
            sources,
        )  # fmt: skip
        count[0] = n
        if progress is not None and n % every == 0:
            progress(n)


def lines_of(conn: Connection, ids: Sequence[int], rates: dict[str, Decimal]) -> dict[int, str]:
    """The export line (its ``\\r\\n`` included) of each deal of ``ids`` that exists, by id: the bytes
    ``tracker export`` writes for it (a filtered export, the app's copy to the clipboard)."""
    if not ids:
        return {}
    rows = list(conn.execute(_export_statement(conn, ids)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines: dict[int, str] = {}
    for row, cells in zip(rows, _export_lines(iter(rows), rates, None, [0]), strict=True):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        lines[row[0]] = buffer.getvalue()
    return lines


# ---------------------------------------------------------------------------------------------
# Lines made again


def remake_lines(conn: Connection, lines: list[bytes], rates: dict[str, Decimal], broken: set[int], *,
                 every: bool) -> str:  # fmt: skip
    """A batch of SQLite-made ``lines`` (bytes, each beginning with its deal's id and a comma) with the
    line of every deal in ``broken`` or holding a NUL (:data:`~tracker.core.csvio.cells.BROKEN`), or
    ``every`` line, made again by the general path (the ids of ``broken`` found here are removed from it)."""
    return _remake_broken_lines(conn, [line.decode(errors="replace") for line in lines], rates, broken, every=every)


def _deal_id(line: str) -> int:
    return int(line[: line.index(",")])


def _remake_broken_lines(conn: Connection, lines: list[str], rates: dict[str, Decimal], broken: set[int], *,
                         every: bool = False) -> str:  # fmt: skip
    ids = [i for i in map(_deal_id, lines) if every or i in broken]
    ids += [_deal_id(line) for line in lines if BROKEN in line]
    if not ids:
        return "".join(lines)
    sql = str(_export_statement(conn, ids).compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        rows = cursor.execute(sql).fetchall()
    finally:
        cursor.close()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    remade: dict[int, str] = {}
    for row, cells in zip(rows, _export_lines(iter(rows), rates, None, [0]), strict=True):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        remade[row[0]] = buffer.getvalue()
    broken.difference_update(remade)
    return "".join([remade.get(_deal_id(line), line) for line in lines])
