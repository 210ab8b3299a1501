"""Likely duplicate deals: the one rule, the search for one new deal, the pairs across the database, and the
pairs a user kept both of.

Two deals are likely duplicates when they have the same kind and the same parties (either way round for a
partnership, which is undirected), the same amount in the same currency or both undisclosed, and dates
within :data:`WINDOW_DAYS` of each other, taking their precision into account: a date is the period it names
(``2025-09`` is 1 to 30 September, ``2025`` the whole year), and two periods are within the window when the
gap between them is at most that many days (overlapping periods have no gap).

The search for one deal (``tracker add``, the form) is one indexed query (``ix_deal_from_org``: the from
party, then the date range that can hold a match) per direction; the pairs across the database
(``tracker dedupe``, the import's summary) group the deals by kind, parties, amount and currency in SQL, and
only groups of two or more come back to be paired by date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, delete, func, insert, literal, or_, select, tuple_

from tracker.core.domain.dates import format_date, period_end, period_start
from tracker.core.records.errors import DealError
from tracker.core.records.orgs import find_org_id
from tracker.core.storage.handles import DEAL, DISMISSED, FROM, TO

WINDOW_DAYS = 31
"""How far apart (in days, between the periods the dates name) two dates of one deal can be."""
_LONGEST_PERIOD = 366
"""The most days a stored date's period can cover (a leap year): how far before a date a match can start."""


@dataclass(frozen=True)
class DealKey:
    """What the rule compares: kind, parties (organisation ids), amount (None: undisclosed), currency, date."""

    kind: str
    from_id: int
    to_id: int | None
    amount: Decimal | None
    currency: str | None
    date: dt.date
    precision: str


def days_apart(a: DealKey, b: DealKey) -> int:
    """Days between the periods of two dates (0 when they overlap): ``2025-09`` and ``2025-10-20`` are 20."""
    a0, a1 = period_start(a.date, a.precision), period_end(a.date, a.precision)
    b0, b1 = period_start(b.date, b.precision), period_end(b.date, b.precision)
    return max(0, (b0 - a1).days, (a0 - b1).days)


def same_parties(a: DealKey, b: DealKey) -> bool:
    if (a.from_id, a.to_id) == (b.from_id, b.to_id):
        return True
    return a.kind == "partnership" and (a.from_id, a.to_id) == (b.to_id, b.from_id)


def same_amount(a: DealKey, b: DealKey) -> bool:
    if a.amount is None or b.amount is None:
        return a.amount is None and b.amount is None
    return a.amount == b.amount and (a.currency or "") == (b.currency or "")


def likely_duplicates(a: DealKey, b: DealKey) -> bool:
    """The rule (see the module's text)."""
    return a.kind == b.kind and same_parties(a, b) and same_amount(a, b) and days_apart(a, b) <= WINDOW_DAYS


def reason(a: DealKey, b: DealKey) -> str:
    """Why two deals look alike, as a user reads it."""
    amount = "both undisclosed" if a.amount is None else "the same amount"
    gap = days_apart(a, b)
    when = "dates overlap" if gap == 0 else f"dates {gap} day{'s' if gap != 1 else ''} apart"
    parties = "the same parties" if (a.from_id, a.to_id) == (b.from_id, b.to_id) else "the same parties, reversed"
    return f"same kind, {parties}, {amount}, {when}"


_KEY_COLUMNS = (DEAL.c.kind, DEAL.c.from_org_id, DEAL.c.to_org_id, DEAL.c.amount, DEAL.c.currency, DEAL.c.date,
                DEAL.c.date_precision)  # fmt: skip


def _key(row: Sequence[Any]) -> DealKey:
    return DealKey(row[0], row[1], row[2], row[3], row[4] if row[3] is not None else None, row[5], row[6])


def _to_is(to_id: int | None) -> ColumnElement[bool]:
    """The counterparty is ``to_id`` (None: none), written so that the planner walks ``ix_deal_from_org`` (by the
    from party) rather than ``ix_deal_to_org``, which for "no counterparty" holds every infrastructure deal."""
    return func.coalesce(DEAL.c.to_org_id, 0) == (to_id or 0)  # ids start at 1


@dataclass(frozen=True)
class Candidate:
    """A stored deal that a deal looks like, with a label (``#7 2025-09 investment Nvidia → OpenAI``) and why."""

    deal_id: int
    label: str
    reason: str


def key_of(conn: Connection, values: Any) -> DealKey | None:
    """The key of a checked deal (``DealValues``); None if a party is not an organisation yet (a deal with a
    new organisation cannot duplicate a stored one)."""
    if values.date is None or not values.kind or not values.from_org:
        return None
    from_id = find_org_id(conn, values.from_org)
    to_id = find_org_id(conn, values.to_org) if values.to_org else None
    if from_id is None or (values.to_org and to_id is None):
        return None
    start = period_start(values.date, values.date_precision)
    currency = values.currency if values.amount is not None else None
    return DealKey(values.kind, from_id, to_id, values.amount, currency, start, values.date_precision)


def find_duplicates(conn: Connection, key: DealKey, *, exclude: int | None = None) -> list[Candidate]:
    """Stored deals that ``key`` looks like, oldest id first (indexed: one query per direction)."""
    low = period_start(key.date, key.precision) - dt.timedelta(days=WINDOW_DAYS + _LONGEST_PERIOD)
    high = period_end(key.date, key.precision) + dt.timedelta(days=WINDOW_DAYS)
    directions = [(key.from_id, key.to_id)]
    if key.kind == "partnership" and key.to_id is not None:
        directions.append((key.to_id, key.from_id))
    found: dict[int, Candidate] = {}
    for from_id, to_id in directions:
        conditions = [DEAL.c.from_org_id == from_id, DEAL.c.date.between(low, high), _to_is(to_id),
                      DEAL.c.kind == key.kind]  # fmt: skip
        if exclude is not None:
            conditions.append(DEAL.c.id != exclude)
        stmt = select(DEAL.c.id, *_KEY_COLUMNS).where(*conditions)
        for row in conn.execute(stmt):
            other = _key(row[1:])
            if likely_duplicates(key, other):
                found[row[0]] = Candidate(row[0], label_of(conn, row[0]), reason(key, other))
    return [found[i] for i in sorted(found)]


def label_of(conn: Connection, deal_id: int) -> str:
    """``#7 2025-09 investment Nvidia → OpenAI up to 100000000000 USD: description`` (plain text, not escaped)."""
    row = conn.execute(
        select(
            DEAL.c.date,
            DEAL.c.date_precision,
            DEAL.c.kind,
            FROM.c.name,
            TO.c.name,
            DEAL.c.amount,
            DEAL.c.currency,
            DEAL.c.qualifier,
            DEAL.c.description,
        )
        .join(FROM, FROM.c.id == DEAL.c.from_org_id)
        .outerjoin(TO, TO.c.id == DEAL.c.to_org_id)
        .where(DEAL.c.id == deal_id)
    ).first()
    if row is None:
        return f"#{deal_id}"
    date, precision, kind, from_name, to_name, amount, currency, qualifier, description = row
    text = f"#{deal_id} {format_date(date, precision)} {kind} {from_name}"
    if to_name:
        text += f" → {to_name}"
    if amount is not None and qualifier != "undisclosed":
        from tracker.core.domain.amount_format import format_plain

        text += f" {'' if qualifier == 'exact' else qualifier + ' '}{format_plain(amount)} {currency or ''}".rstrip()
    else:
        text += " undisclosed"
    if description:
        text += f": {description}"
    return text


# -------------------------------------------------------------------------------- pairs across the database


@dataclass(frozen=True)
class DuplicatePair:
    """Two deals that look alike: ``first`` the lower id."""

    first: int
    second: int
    reason: str


def _group_keys() -> tuple[Any, ...]:
    """The SQL grouping key of the rule: kind, parties (a partnership's in id order), amount, currency."""
    swap = and_(DEAL.c.kind == "partnership", DEAL.c.to_org_id < DEAL.c.from_org_id)
    low = case((swap, DEAL.c.to_org_id), else_=DEAL.c.from_org_id)
    high = case((swap, DEAL.c.from_org_id), else_=DEAL.c.to_org_id)
    currency = case((DEAL.c.amount.is_(None), literal(None)), else_=DEAL.c.currency)
    return DEAL.c.kind, low, high, DEAL.c.amount, currency


def duplicate_pairs(conn: Connection, *, since_id: int | None = None, dismissed: bool = False) -> list[DuplicatePair]:
    """Every pair of likely duplicates, in id order. ``since_id``: only pairs with a deal of a higher id (what
    an import added); ``dismissed``: include the pairs a user kept both of."""
    keys = _group_keys()
    # one pass (GROUP BY); a group of two (most of them) is its lowest and highest id, read by primary key
    groups = select(*keys, func.count(), func.min(DEAL.c.id), func.max(DEAL.c.id)).group_by(*keys)
    groups = groups.having(func.count() > 1)
    if since_id is not None:
        groups = groups.having(func.max(DEAL.c.id) > since_id)
    hidden = set() if dismissed else dismissed_pairs(conn)
    pairs: list[DuplicatePair] = []
    twos: list[tuple[int, int]] = []
    for group in conn.execute(groups).all():
        if group[5] == 2:
            twos.append((group[6], group[7]))
            continue
        members = [(row[0], _key(row[1:])) for row in conn.execute(_members(*group[:5]))]
        pairs.extend(_pair_group(members, since_id, hidden))
    for start in range(0, len(twos), 500):
        chunk = twos[start : start + 500]
        ids = [i for pair in chunk for i in pair]
        keys_of = {
            row[0]: _key(row[1:]) for row in conn.execute(select(DEAL.c.id, *_KEY_COLUMNS).where(DEAL.c.id.in_(ids)))
        }
        for a, b in chunk:
            ka, kb = keys_of[a], keys_of[b]
            members = sorted([(a, ka), (b, kb)], key=lambda m: (m[1].date, m[0]))
            pairs.extend(_pair_group(members, since_id, hidden))
    return sorted(pairs, key=lambda p: (p.first, p.second))


def _members(kind: str, low: int, high: int | None, amount: Decimal | None, currency: str | None) -> Any:
    """The deals of one group, in date order (indexed: ``ix_deal_from_org`` by the from party)."""
    directions = [(low, high)] + ([(high, low)] if kind == "partnership" and high is not None else [])
    parties = [and_(DEAL.c.from_org_id == f, _to_is(t)) for f, t in directions]
    money: ColumnElement[bool] = DEAL.c.amount.is_(None)
    if amount is not None:
        money = and_(DEAL.c.amount == amount, DEAL.c.currency.is_not_distinct_from(currency))
    return (
        select(DEAL.c.id, *_KEY_COLUMNS)
        .where(or_(*parties), DEAL.c.kind == kind, money)
        .order_by(DEAL.c.date, DEAL.c.id)
    )


def _pair_group(group: list[tuple[int, DealKey]], since_id: int | None,
                hidden: set[tuple[int, int]]) -> Iterator[DuplicatePair]:  # fmt: skip
    """The pairs of one group (same kind, parties and amount), its deals in date order: each deal against the
    later ones until they start more than the window after it ends."""
    for i, (a_id, a) in enumerate(group):
        a_end = period_end(a.date, a.precision)
        for b_id, b in group[i + 1 :]:
            if (b.date - a_end).days > WINDOW_DAYS:
                break
            if since_id is not None and max(a_id, b_id) <= since_id:
                continue
            pair = (min(a_id, b_id), max(a_id, b_id))
            if pair not in hidden and days_apart(a, b) <= WINDOW_DAYS:
                yield DuplicatePair(pair[0], pair[1], reason(a, b))


# -------------------------------------------------------------------------------- keep both


def dismissed_pairs(conn: Connection) -> set[tuple[int, int]]:
    return {(a, b) for a, b in conn.execute(select(DISMISSED.c.low_id, DISMISSED.c.high_id))}


def dismiss(conn: Connection, a: int, b: int) -> bool:
    """Remember that deals ``a`` and ``b`` are both kept (not duplicates); False if it was remembered already."""
    if a == b:
        raise DealError(f"deal #{a}: a deal is not a duplicate of itself")
    low, high = min(a, b), max(a, b)
    found = conn.execute(select(func.count()).select_from(DEAL).where(DEAL.c.id.in_((low, high)))).scalar_one()
    if found < 2:
        raise DealError(f"deals #{low} and #{high}: no such deal (deleted meanwhile?)")
    pair = tuple_(DISMISSED.c.low_id, DISMISSED.c.high_id) == (low, high)
    if conn.execute(select(func.count()).select_from(DISMISSED).where(pair)).scalar_one():
        return False
    conn.execute(insert(DISMISSED).values(low_id=low, high_id=high))
    return True


def undismiss(conn: Connection, a: int, b: int) -> None:
    low, high = min(a, b), max(a, b)
    conn.execute(delete(DISMISSED).where(DISMISSED.c.low_id == low, DISMISSED.c.high_id == high))


class DuplicateDeal(DealError):
    """A deal being added looks like stored ones (``candidates``); nothing was written."""

    def __init__(self, candidates: list[Candidate]) -> None:
        first = candidates[0]
        more = f" (and {len(candidates) - 1} more)" if len(candidates) > 1 else ""
        super().__init__(
            f"likely a duplicate of deal #{first.deal_id}{more}: {first.label} ({first.reason}); "
            "not added (--allow-duplicate adds it anyway)"
        )
        self.candidates = candidates


def candidates_for(conn: Connection, values: Any, *, exclude: int | None = None) -> list[Candidate]:
    """The stored deals that the checked deal ``values`` (``DealValues``) looks like."""
    key = key_of(conn, values)
    return [] if key is None else find_duplicates(conn, key, exclude=exclude)


def refuse_duplicate(conn: Connection, values: Any, *, exclude: int | None = None) -> None:
    """Raise :class:`DuplicateDeal` if the checked deal ``values`` looks like a stored one."""
    found = candidates_for(conn, values, exclude=exclude)
    if found:
        raise DuplicateDeal(found)
