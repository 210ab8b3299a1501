"""Streaming export of every deal as a deals CSV (the header of :data:`EXPORT_HEADER`), headless."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from sqlalchemy import BigInteger, Connection, String, cast, func, select, type_coerce

from tracker.core.db import Database
from tracker.core.dealrow import DEAL_COLUMNS, EXTRA_COLUMNS, FORMULA_CHARS, defuse
from tracker.core.models import SCALE, Alliance, AllianceDeal, Deal, Organization
from tracker.core.orgs import name_key

DEAL = Deal.__table__
ORG = Organization.__table__
ALLIANCE = Alliance.__table__
ALLIANCE_DEAL = AllianceDeal.__table__
_FACTOR = 10**SCALE


# ---------------------------------------------------------------------------------------------
# Export


def _plain(scaled: int | None) -> str:
    """A stored integer of 10^-4 units as a plain decimal number."""
    if scaled is None:
        return ""
    whole, frac = divmod(int(scaled), _FACTOR)
    if not frac:
        return str(whole)
    return f"{whole}.{frac:0{SCALE}d}".rstrip("0")


def _alliance_names_by_deal(conn: Connection) -> Any:
    """(deal_id, 'a;b') for deals in alliances, ordered by deal id."""
    agg = (
        func.group_concat(ALLIANCE.c.name, "\x1f")
        if conn.dialect.name == "sqlite"
        else func.string_agg(ALLIANCE.c.name, "\x1f")
    )
    return (
        select(ALLIANCE_DEAL.c.deal_id, agg.label("names"))
        .join(ALLIANCE, ALLIANCE.c.id == ALLIANCE_DEAL.c.alliance_id)
        .group_by(ALLIANCE_DEAL.c.deal_id)
        .subquery()
    )


EXPORT_HEADER: tuple[str, ...] = DEAL_COLUMNS + EXTRA_COLUMNS
# first characters after which defuse() may change a cell; any other cell is written as it is
_DEFUSE_FIRST = frozenset("'" + "".join(FORMULA_CHARS))


def _export_statement(conn: Connection) -> Any:
    frm = ORG.alias("f")
    to = ORG.alias("t")
    names = _alliance_names_by_deal(conn)
    return (
        select(
            DEAL.c.id, cast(DEAL.c.date, String), DEAL.c.date_precision, DEAL.c.kind, frm.c.name, to.c.name,
            type_coerce(DEAL.c.amount, BigInteger), DEAL.c.currency, DEAL.c.qualifier,
            type_coerce(DEAL.c.capacity_gw, BigInteger), DEAL.c.status, names.c.names, DEAL.c.description,
            DEAL.c.source_outlet, DEAL.c.source_title, DEAL.c.source_url, DEAL.c.source_date, DEAL.c.ref,
            DEAL.c.amount_text, DEAL.c.source_author,
        )
        .join(frm, frm.c.id == DEAL.c.from_org_id)
        .outerjoin(to, to.c.id == DEAL.c.to_org_id)
        .outerjoin(names, names.c.deal_id == DEAL.c.id)
        .order_by(DEAL.c.id)
    )  # fmt: skip


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


def export_deals(db: Database, out: IO[str], *, progress: Callable[[int], None] | None = None,
                 conn: Connection | None = None) -> int:  # fmt: skip
    """Write every deal as a deals CSV, streaming; returns the number of rows."""
    if conn is None:
        with db.read() as rconn:
            return export_deals(db, out, progress=progress, conn=rconn)
    from tracker.core.fx import latest_rates

    rates = latest_rates(conn)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    count = [0]
    writer.writerows(_export_lines(_export_rows(conn), rates, progress, count))
    return count[0]


_DATE_CHARS = {"day": 10, "month": 7, "year": 4}  # format_date, inlined for the million-row loop


def _export_lines(rows: Iterator[Sequence[Any]], rates: dict[str, Decimal],
                  progress: Callable[[int], None] | None, count: list[int]) -> Iterator[tuple[Any, ...]]:  # fmt: skip
    """The CSV cells of each deal. ``None`` is written as an empty cell by csv.writer."""
    usd_rate: dict[str, Decimal | None] = {}
    first = _DEFUSE_FIRST
    factor = _FACTOR
    for n, (deal_id, date, precision, kind, from_name, to_name, amount, currency, qualifier, capacity, status,
         alliances, description, outlet, title, url, source_date, ref, amount_text, author) in enumerate(rows, 1):  # fmt: skip
        amount_usd = ""
        if amount is None:
            plain_amount = ""
        else:
            plain_amount = str(amount // factor) if amount % factor == 0 else _plain(amount)
            if currency:
                if currency in usd_rate:
                    rate = usd_rate[currency]
                else:
                    rate = usd_rate[currency] = rates.get(currency)
                if rate is not None:
                    amount_usd = plain_amount if rate == 1 else _plain(int(Decimal(amount) * rate))
        yield (
            deal_id, (date if type(date) is str else str(date))[: _DATE_CHARS[precision]], kind,
            defuse(from_name) if from_name and from_name[0] in first else from_name,
            defuse(to_name) if to_name and to_name[0] in first else to_name,
            plain_amount, currency, qualifier, _plain(capacity) if capacity is not None else "", status,
            defuse(";".join(sorted(alliances.split("\x1f"), key=name_key))) if alliances else "",
            defuse(description) if description and description[0] in first else description,
            defuse(outlet) if outlet and outlet[0] in first else outlet,
            defuse(title) if title and title[0] in first else title,
            defuse(url) if url and url[0] in first else url,
            source_date,
            defuse(ref) if ref and ref[0] in first else ref,
            defuse(amount_text) if amount_text and amount_text[0] in first else amount_text,
            defuse(author) if author and author[0] in first else author,
            amount_usd,
        )  # fmt: skip
        count[0] = n
        if progress is not None and n % 10_000 == 0:
            progress(n)
