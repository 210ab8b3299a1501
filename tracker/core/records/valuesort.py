"""The deals in order of their value in the reporting currency (USD) at the latest rates, in keyset pages.

A deal's value is ``amount × rate(currency)``, exact (an amount has at most 24 digits, a rate 40 characters).
No index can hold that order, since a rate change reorders the deals of two currencies against each other.
But within one currency the value order is the amount order, and schema 0007's ``ix_deal_currency_amount``
(currency, amount, id) holds it. So a page is a k-way merge: one keyset walk of that index per currency with
a rate (k queries of at most ``limit`` rows each), the cursor's value turned into each currency's own
amount bound exactly, then the rows merged by value in Python. A page costs the same at the millionth
deal as at the first, whatever the rates, and a new rate re-ranks the very next page.

Deals without a value (undisclosed, no currency, a currency without a usable rate) come after every valued
deal (descending, as the amount sort puts undisclosed lowest), newest id first; they are read only once the
valued deals of the page run out. Ties of value go by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Context, Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, or_, select

from tracker.core.domain.rows import DealRow
from tracker.core.domain.scaled import DIGITS, FACTOR, to_digits
from tracker.core.records.fx import rates_at
from tracker.core.records.pages import DealFilter, count_deals, filter_conditions
from tracker.core.storage.handles import AMOUNT_KEY, DEAL, FROM, TO

Key = tuple[Decimal | None, int]
"""A row's place in the value order: (its value in USD, or None without one; its id)."""
_EXACT = Context(prec=80)
_TOP = 10**DIGITS - 1


def _select() -> Any:
    return (
        select(
            DEAL.c.id, DEAL.c.date, DEAL.c.date_precision, DEAL.c.kind, FROM.c.name, TO.c.name, DEAL.c.amount,
            DEAL.c.currency, DEAL.c.qualifier, DEAL.c.capacity_gw, DEAL.c.status, DEAL.c.description,
            DEAL.c.capacity_qualifier, DEAL.c.confidence,
        )
        .select_from(DEAL)
        .join(FROM, FROM.c.id == DEAL.c.from_org_id)
        .outerjoin(TO, TO.c.id == DEAL.c.to_org_id)
    )  # fmt: skip


def _order(key: Key) -> tuple[int, Decimal, int]:
    value, deal_id = key
    return (0, Decimal(0), deal_id) if value is None else (1, value, deal_id)


def _amount_bound(value: Decimal, rate: Decimal) -> Fraction:
    """The cursor's value as an amount of the currency of ``rate``, in stored units (exact)."""
    return Fraction(value) * FACTOR / Fraction(rate)


def _past(cursor: Key, rate: Decimal, descending: bool) -> ColumnElement[bool] | None:
    """The condition on one currency's index walk: the rows after ``cursor`` (whose value is not None)."""
    value, deal_id = cursor
    assert value is not None
    bound = _amount_bound(value, rate)
    whole = bound.numerator // bound.denominator
    if bound.denominator == 1 and whole <= _TOP:  # a tie of value is possible: the id decides
        # (a range on the amount, then the id: SQLite seeks the index for a range, not for a row value)
        at = to_digits(whole)
        if descending:
            return and_(at >= AMOUNT_KEY, or_(at > AMOUNT_KEY, DEAL.c.id < deal_id))
        return and_(at <= AMOUNT_KEY, or_(at < AMOUNT_KEY, DEAL.c.id > deal_id))
    if descending:
        return to_digits(min(whole, _TOP)) >= AMOUNT_KEY if whole >= 0 else None
    return to_digits(min(whole, _TOP)) < AMOUNT_KEY


def _rows(conn: Connection, stmt: Any, rates: dict[str, Decimal]) -> list[DealRow]:
    out = []
    for r in conn.execute(stmt):
        deal_id, date, precision, kind, from_org, to_org, amount, currency, qualifier, gw, status, desc, gw_q, conf = r
        rate = rates.get(currency) if amount is not None and currency else None
        value = None if rate is None else _EXACT.multiply(amount, rate)
        out.append(DealRow(deal_id, date, precision, kind, from_org, to_org, amount, currency, qualifier, gw, status,
                           desc, value, gw_q, conf))  # fmt: skip
    return out


def _walk(conn: Connection, conds: Sequence[ColumnElement[bool]], rates: dict[str, Decimal], descending: bool,
          cursor: Key | None, limit: int) -> list[DealRow]:  # fmt: skip
    """The ``limit`` rows after ``cursor`` (None: from the start) in value order (``descending`` or not)."""
    valued: list[DealRow] = []
    in_nulls = cursor is not None and cursor[0] is None
    walk_valued = not (descending and in_nulls)  # descending, the valueless come last
    walk_nulls = descending or cursor is None or in_nulls  # ascending, they come first
    nulls: list[DealRow] = []
    if walk_nulls and not descending:
        nulls = _nulls(conn, conds, rates, descending, cursor if in_nulls else None, limit)
        if len(nulls) >= limit:
            return nulls[:limit]
    if walk_valued:
        for currency, rate in sorted(rates.items()):
            stmt = _select().where(*conds, DEAL.c.currency == currency)
            if cursor is not None and cursor[0] is not None:
                cond = _past(cursor, rate, descending)
                if cond is None:
                    continue
                # one lower bound only: SQLite seeks the index by the first one it meets
                stmt = stmt.where(cond, AMOUNT_KEY > "") if descending else stmt.where(cond)
            else:
                stmt = stmt.where(AMOUNT_KEY > "")
            order = (AMOUNT_KEY.desc(), DEAL.c.id.desc()) if descending else (AMOUNT_KEY.asc(), DEAL.c.id.asc())
            valued.extend(_rows(conn, stmt.order_by(*order).limit(limit), rates))
        valued.sort(key=lambda r: _order(r.key), reverse=descending)
    if descending:
        rows = valued[:limit]
        if len(rows) < limit and walk_nulls:
            rows += _nulls(conn, conds, rates, descending, cursor if in_nulls else None, limit - len(rows))
        return rows
    return (nulls + valued)[:limit]


def _nulls(conn: Connection, conds: Sequence[ColumnElement[bool]], rates: dict[str, Decimal], descending: bool,
           cursor: Key | None, limit: int) -> list[DealRow]:  # fmt: skip
    """The deals without a value, by id."""
    valueless = or_(DEAL.c.amount.is_(None), DEAL.c.currency.is_(None), DEAL.c.currency.not_in(list(rates)))
    stmt = _select().where(*conds, valueless)
    if cursor is not None:
        stmt = stmt.where(DEAL.c.id < cursor[1] if descending else DEAL.c.id > cursor[1])
    stmt = stmt.order_by(DEAL.c.id.desc() if descending else DEAL.c.id.asc()).limit(limit)
    return _rows(conn, stmt, rates)


def page_by_value(
    conn: Connection,
    f: DealFilter | None = None,
    *,
    descending: bool = True,
    after: Key | None = None,
    before: Key | None = None,
    offset: int | None = None,
    limit: int = 100,
) -> list[DealRow]:
    """A page of deals in value order, as :func:`tracker.core.records.pages.page` gives one in another order:
    after a key, before a key (returned in display order), or at an offset (a jump: it walks from the nearer
    end, so its cost grows with the distance from that end)."""
    f = f or DealFilter()
    rates = {c: r.rate for c, r in rates_at(conn).items()}
    conds = filter_conditions(conn, f)
    if before is not None:
        rows = _walk(conn, conds, rates, not descending, before, limit)
        rows.reverse()
        return rows
    if not offset:
        return _walk(conn, conds, rates, descending, after, limit)
    count = count_deals(conn, f)
    if offset + limit <= count - offset:
        return _walk(conn, conds, rates, descending, None, offset + limit)[offset:]
    end = max(0, count - offset)
    rows = _walk(conn, conds, rates, not descending, None, end)[max(0, end - limit) : end]
    rows.reverse()
    return rows
