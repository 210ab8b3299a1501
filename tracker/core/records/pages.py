"""Filters and pages of the deals table: what a filter matches, how many, and one keyset page in a sort order.

Pages are keyset queries (``WHERE (sort, id) > (:sort, :id) ORDER BY sort, id LIMIT n``), so the millionth
row costs what the first does; nothing here loads every deal into Python. Each sort but ``to`` walks an
index of schema 0005 (``tests/core/test_sort_indexes.py`` checks the plan of the SQL that :func:`page` runs).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Select,
    and_,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    tuple_,
)

from tracker.core.domain.dates import period_start
from tracker.core.domain.names import name_key
from tracker.core.domain.rows import DealRow
from tracker.core.domain.scaled import DIGITS, FACTOR, to_digits
from tracker.core.domain.search_text import MIN_TERM, index_patterns, search_terms
from tracker.core.domain.vocab import PRECISIONS, SORT_KEYS
from tracker.core.records.errors import DealError
from tracker.core.records.fx import rates_at
from tracker.core.records.orgs import escape_like, matching_org_ids
from tracker.core.storage.handles import ALLIANCE, ALLIANCE_DEAL, AMOUNT_DIGITS, AMOUNT_KEY, DEAL, FROM, TO
from tracker.core.storage.search import INDEX_TABLE, gap

_PAST_ANY_AMOUNT = 10**DIGITS - 1
"""At or above every stored amount (10^-SCALE units, DIGITS digits): where an amount bound is clamped."""


def _stored_bound(native: Decimal) -> str:
    """An amount bound as stored (tracker.core.domain.scaled: digits), clamped so that it compares with every
    stored amount as the bound itself would (a small rate makes a USD bound many native units); a negative
    bound is ``''``, below every stored amount."""
    with localcontext() as ctx:
        ctx.prec = 80
        value = int(native * FACTOR)
    return "" if value < 0 else to_digits(min(value, _PAST_ANY_AMOUNT))


@dataclass(frozen=True)
class DealFilter:
    """What the deals table shows. Amount bounds are in the reporting currency (USD), via FX rates."""

    text: str = ""
    kinds: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    org_id: int | None = None
    alliance_id: int | None = None
    deal_ids: tuple[int, ...] | None = None  # exactly these deals (the map's "open the deals of this edge")
    confidences: tuple[str, ...] = ()
    """Only deals of these confidences (confirmed, reported, rumored, unsourced)."""
    by_row: bool = False
    """Match the text deal by deal (SQLite: :func:`_scan_condition`, LIKE on the deal's own text and on a few
    thousand names) rather than through the whole index: for the pages of a common word, which stop after a
    few hundred deals. LIKE ignores the case of ASCII letters only (the index, of every letter)."""

    @property
    def active(self) -> bool:
        return self != DealFilter()

    def describe(self) -> str:
        parts = []
        if self.text:
            parts.append(f"“{self.text}”")
        if self.kinds:
            parts.append("kind " + "/".join(self.kinds))
        if self.date_from or self.date_to:
            parts.append(f"date {self.date_from or '…'}–{self.date_to or '…'} (periods overlapping)")
        if self.amount_min is not None or self.amount_max is not None:
            lo = "…" if self.amount_min is None else f"{self.amount_min:,}"
            hi = "…" if self.amount_max is None else f"{self.amount_max:,}"
            parts.append(f"USD {lo}–{hi}")
        if self.org_id is not None:
            parts.append(f"organisation #{self.org_id}")
        if self.alliance_id is not None:
            parts.append(f"alliance #{self.alliance_id}")
        if self.confidences:
            parts.append("confidence " + "/".join(self.confidences))
        return ", ".join(parts) if parts else "none"


SORTS: dict[str, Any] = {
    "date": DEAL.c.date,
    "kind": DEAL.c.kind,
    "from": FROM.c.name_key,
    "to": func.coalesce(TO.c.name_key, ""),
    "amount": AMOUNT_KEY,
    "status": DEAL.c.status,
    "confidence": DEAL.c.confidence,  # surest first ascending: the words sort in that order (ix_deal_confidence_id)
}
"""The SQL expression of each sort key, in the order of :data:`tracker.core.domain.vocab.SORT_KEYS`."""
if tuple(SORTS) != tuple(k for k in SORT_KEYS if k != "value"):  # value: tracker/core/records/valuesort.py
    raise RuntimeError(f"the deals table's sorts {tuple(SORTS)} are not vocab.SORT_KEYS {SORT_KEYS}")


SEARCH = table(INDEX_TABLE, column("rowid", BigInteger), column("deal_id", BigInteger), column("body"))
"""The search index of schema 0008 (tracker/core/storage/search.py): FTS5 on SQLite, pg_trgm on PostgreSQL."""


def _name_condition(term: str) -> ColumnElement[bool]:
    """A deal matches ``term`` through a party's name or alias, an alliance's name or its kind: what a term
    too short for the trigram index matches (the names are a few thousand rows, read whole)."""
    alliances = select(ALLIANCE.c.id).where(ALLIANCE.c.name_key.like(f"%{escape_like(name_key(term))}%", escape="\\"))
    return or_(
        DEAL.c.from_org_id.in_(matching_org_ids(term)),
        DEAL.c.to_org_id.in_(matching_org_ids(term)),
        DEAL.c.kind == term.casefold(),
        DEAL.c.id.in_(select(ALLIANCE_DEAL.c.deal_id).where(ALLIANCE_DEAL.c.alliance_id.in_(alliances))),
    )


def _scan_condition(term: str) -> ColumnElement[bool]:
    """What the index finds, by a scan: names, aliases, alliances, kind, description, source outlet and
    title containing ``term`` (for the deals of a bulk load not yet indexed)."""
    pattern = f"%{escape_like(term)}%"
    return or_(
        _name_condition(term),
        DEAL.c.kind.ilike(pattern, escape="\\"),
        DEAL.c.description.ilike(pattern, escape="\\"),
        DEAL.c.source_outlet.ilike(pattern, escape="\\"),
        DEAL.c.source_title.ilike(pattern, escape="\\"),
    )


def indexed_matches(conn: Connection, terms: list[str]) -> Select[Any]:
    """The ids of the deals whose indexed text holds every one of ``terms`` (each of MIN_TERM characters or
    more), from the index alone."""
    if conn.dialect.name == "sqlite":
        conds: list[ColumnElement[bool]] = []
        for raw, exact in map(index_patterns, terms):
            conds.append(SEARCH.c.body.like(raw))
            if exact is not None:
                conds.append(SEARCH.c.body.like(exact, escape="\\"))
        return select(SEARCH.c.rowid).where(*conds)
    return select(SEARCH.c.deal_id).where(*[SEARCH.c.body.ilike(f"%{escape_like(t)}%", escape="\\") for t in terms])


def text_conditions(conn: Connection, text: str, by_row: bool = False) -> list[ColumnElement[bool]]:
    """The conditions of a search: every term must match (words ANDed, quoted phrases whole). Terms of three
    characters or more are looked up in the search index; shorter ones (``AI``, ``阿里``) match names,
    aliases, alliances and kinds only (:func:`_name_condition`)."""
    terms = search_terms(text)
    long = [t for t in terms if len(t) >= MIN_TERM]
    conds = [_name_condition(t) for t in terms if len(t) < MIN_TERM]
    if long:
        if by_row and conn.dialect.name == "sqlite":  # a walk that stops early: each deal compared
            conds.extend(_scan_condition(t) for t in long)
            return conds
        found: ColumnElement[bool] = DEAL.c.id.in_(indexed_matches(conn, long))
        pending = gap(conn)
        if pending is not None:  # deals of a bulk load not indexed yet: scanned, so that no match is missed
            lo, hi = pending
            found = or_(found, and_(DEAL.c.id > lo, DEAL.c.id <= hi, *[_scan_condition(t) for t in long]))
        conds.append(found)
    return conds


def filter_conditions(conn: Connection, f: DealFilter) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the deals that ``f`` matches (on the deal table; an amount bound reads the
    latest FX rates through ``conn``)."""
    conds = text_conditions(conn, f.text, f.by_row)
    if f.kinds:
        conds.append(DEAL.c.kind.in_(f.kinds))
    if f.date_from is not None:  # a deal's period overlaps the range: a month deal of 2025-09 is on 09-15
        conds.append(
            or_(
                DEAL.c.date >= f.date_from,
                *(
                    and_(DEAL.c.date_precision == p, DEAL.c.date >= period_start(f.date_from, p))
                    for p in PRECISIONS
                    if p != "day"
                ),
            )
        )
    if f.date_to is not None:
        conds.append(DEAL.c.date <= f.date_to)
    if f.amount_min is not None or f.amount_max is not None:
        per_currency = []
        for currency, rate in rates_at(conn).items():
            bounds = [DEAL.c.currency == currency]
            amount = AMOUNT_DIGITS
            if f.amount_min is not None:
                bounds.append(amount >= _stored_bound(f.amount_min / rate.rate))
            if f.amount_max is not None:
                bounds.append(amount <= _stored_bound(f.amount_max / rate.rate))
            per_currency.append(and_(*bounds))
        conds.append(or_(*per_currency) if per_currency else literal(False))
    if f.org_id is not None:
        conds.append(or_(DEAL.c.from_org_id == f.org_id, DEAL.c.to_org_id == f.org_id))
    if f.alliance_id is not None:
        conds.append(DEAL.c.id.in_(select(ALLIANCE_DEAL.c.deal_id).where(ALLIANCE_DEAL.c.alliance_id == f.alliance_id)))
    if f.confidences:
        conds.append(DEAL.c.confidence.in_(f.confidences))
    if f.deal_ids is not None:
        if conn.dialect.name == "sqlite" and len(f.deal_ids) > 500:  # one parameter, not thousands to compile
            listed: Select[Any] = select(literal_column("value")).select_from(func.json_each(json.dumps(f.deal_ids)))
            conds.append(DEAL.c.id.in_(listed))
        else:
            conds.append(DEAL.c.id.in_(list(f.deal_ids)))
    return conds


def count_deals(conn: Connection, f: DealFilter = DealFilter()) -> int:
    """How many deals ``f`` matches."""
    stmt = select(func.count()).select_from(DEAL)
    conds = filter_conditions(conn, f)
    if conds:
        stmt = stmt.where(*conds)
    return conn.execute(stmt).scalar_one()


def _matching(conn: Connection, f: DealFilter) -> Select[Any]:
    """The ids of the deals matching ``f``; on SQLite a search reads the index first (it can stop early)."""
    terms = search_terms(f.text)
    long = [t for t in terms if len(t) >= MIN_TERM]
    if long and conn.dialect.name == "sqlite" and gap(conn) is None:
        short = " ".join(f'"{t}"' for t in terms if len(t) < MIN_TERM)
        conds = filter_conditions(conn, replace(f, text=short))  # the long terms: the join below
        if not conds:  # the index alone (every deal is in it, kept by triggers)
            return indexed_matches(conn, long)
        hits = indexed_matches(conn, long).subquery()
        return select(DEAL.c.id).select_from(hits.join(DEAL, DEAL.c.id == hits.c.rowid)).where(*conds)
    return select(DEAL.c.id).where(*filter_conditions(conn, f))


def matching_ids(conn: Connection, f: DealFilter, cap: int) -> list[int]:
    """The ids of the deals matching ``f``, no more than ``cap`` of them, in no particular order. On SQLite a
    search is read from the index and stops at ``cap``: a common word costs milliseconds, a rare one what
    its few matches cost. Under ``cap`` they are every match, and the table's pages are looked up by id;
    over it, pages walk the sort order and compare each deal (``by_row``)."""
    return list(conn.execute(_matching(conn, f).limit(cap)).scalars())


def count_upto(conn: Connection, f: DealFilter, cap: int) -> int:
    """How many deals ``f`` matches, counting no further than ``cap`` (as :func:`matching_ids` finds them,
    without carrying the ids into Python)."""
    return conn.execute(select(func.count()).select_from(_matching(conn, f).limit(cap).subquery())).scalar_one()


def _row_select(sort: str) -> Select[Any]:
    return (
        select(
            DEAL.c.id, DEAL.c.date, DEAL.c.date_precision, DEAL.c.kind, FROM.c.name, TO.c.name, DEAL.c.amount,
            DEAL.c.currency, DEAL.c.qualifier, DEAL.c.capacity_gw, DEAL.c.status, DEAL.c.description,
            SORTS[sort].label("sort_value"), DEAL.c.capacity_qualifier, DEAL.c.confidence,
        )
        .select_from(DEAL)
        .join(FROM, FROM.c.id == DEAL.c.from_org_id)
        .outerjoin(TO, TO.c.id == DEAL.c.to_org_id)
    )  # fmt: skip


def page(
    conn: Connection,
    f: DealFilter = DealFilter(),
    *,
    sort: str = "date",
    descending: bool = True,
    after: tuple[Any, int] | None = None,
    before: tuple[Any, int] | None = None,
    offset: int | None = None,
    limit: int = 100,
) -> list[DealRow]:
    """A page of deals in display order: after a key, before a key (returned in display order), or at
    an offset (for jumps only)."""
    if sort not in SORTS:
        raise DealError(f"sort {sort!r}: one of {', '.join(SORTS)}")
    col = SORTS[sort]
    stmt = _row_select(sort).where(*filter_conditions(conn, f))
    key = tuple_(col, DEAL.c.id)
    forward_desc = descending
    cursor = after
    if before is not None:
        forward_desc = not descending
        cursor = before
    if cursor is not None:
        stmt = stmt.where(key < tuple_(*cursor) if forward_desc else key > tuple_(*cursor))
    order = (col.desc(), DEAL.c.id.desc()) if forward_desc else (col.asc(), DEAL.c.id.asc())
    stmt = stmt.order_by(*order).limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    rows = [DealRow(*r) for r in conn.execute(stmt)]
    if before is not None:
        rows.reverse()
    return rows
