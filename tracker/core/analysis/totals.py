"""Totals of deal amounts, aggregated in SQL and converted through the FX table. No UI here.

Honest sums:

- ``exact``, ``up to`` (ceilings), ``at least`` (floors) and ``estimated`` amounts are summed in separate
  columns and never added together; undisclosed deals are counted, never summed as 0.
- Compute capacity (GW) has its own total.
- Amounts are converted into the reporting currency with the rate of each currency in force at a date
  (the latest rate by default): ``amount × rate(currency) / rate(reporting)``, rates being "1 unit = rate
  USD". A currency without a rate is never dropped: its native sums are reported apart (``unrated``).
- ``Decimal`` end to end. SQL sums raw scaled integers exactly: a plain SUM first, and when SQLite's 64-bit
  SUM overflows ("integer overflow") the query runs again with each amount split into high and low parts,
  which cannot overflow; conversion runs with 60 significant digits and each reported figure is rounded
  half-even to 4 decimal places (the storage scale) once, after summing.
- Speed (1M deals): each grouping is an ordered walk of a covering index (schema 0003), never a sort of
  the deals: ``org``/``country``/``group`` walk the two party indexes, ``kind`` the kind index, ``year``
  one range of the kind index per (kind, currency, qualifier, year); the grand total is rolled up from
  those rows instead of being queried again.

Groupings (:data:`GROUPINGS`): ``org`` and ``group`` (organisations rolled up into their top parent)
and ``country`` (of the organisation) split each party's deals into sides: ``paid out`` (the ``from``
party of an investment, purchase or infrastructure deal), ``received`` (the ``to`` party of an investment
or purchase) and ``partnership`` (either party of a partnership, which has no direction). ``kind``,
``year`` and ``alliance`` count each deal once (deals outside every alliance form a ``(no alliance)`` row).
The grand total counts each deal once whatever the grouping.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, ColumnElement, Connection, func, literal_column, select, type_coerce

from tracker.core.analysis.running import (
    Bounds,
    Cell,
    Scale,
    fetch_all,
    read_bounds,
    read_cells,
    round_figure,
    scaled_decimal,
)
from tracker.core.domain.errors import TrackerError
from tracker.core.records.fx import Rate, rates_at
from tracker.core.storage.sums import SPLIT
from tracker.core.storage.tables import REPORTING_CURRENCY, Alliance, AllianceDeal, Deal, Organization

DEAL = Deal.__table__
ORG = Organization.__table__
ALLIANCE = Alliance.__table__
ALLIANCE_DEAL = AllianceDeal.__table__

GROUPINGS: tuple[str, ...] = ("org", "country", "kind", "year", "alliance", "group")
QUALIFIED: tuple[str, ...] = ("exact", "up to", "at least", "estimated")
"""The qualifiers whose amounts are summed, each in its own column."""
SIDES: tuple[str, ...] = ("paid out", "received", "partnership")
NO_ALLIANCE = "(no alliance)"
UNKNOWN_COUNTRY = "(unknown)"


class TotalsError(TrackerError, ValueError):
    """A totals request that cannot be answered (an unknown grouping, no rate for the reporting currency)."""


# --------------------------------------------------------------------------------------------
# Conversion


@dataclass(frozen=True)
class Converter:
    """Converts native amounts into ``currency`` with USD-based ``rates`` (1 unit = rate USD)."""

    currency: str
    rates: Mapping[str, Rate]

    def factor(self, currency: str) -> Decimal | None:
        """1 unit of ``currency`` in the reporting currency, or None when either rate is missing."""
        cache: dict[str, Decimal | None] = self.__dict__.setdefault("_factors", {})
        if currency not in cache:
            cache[currency] = self._factor(currency)
        return cache[currency]

    def _factor(self, currency: str) -> Decimal | None:
        own = self.rates.get(currency)
        target = self.rates.get(self.currency)
        if own is None or target is None:
            return None
        if currency == self.currency:
            return Decimal(1)
        with localcontext() as ctx:
            ctx.prec = 60
            return own.rate / target.rate

    def scale(self) -> Scale:
        """How :mod:`tracker.core.analysis.running` converts into this currency with these rates."""
        return Scale.of({c: r.rate for c, r in self.rates.items()}, self.currency)

    def has(self, currency: str) -> bool:
        return currency == self.currency or self.factor(currency) is not None


def converter(conn: Connection, currency: str = REPORTING_CURRENCY, at: dt.date | None = None) -> Converter:
    """The rates in force at ``at`` (latest when None); raises TotalsError when ``currency`` has no rate."""
    rates = rates_at(conn, at)
    if currency not in rates:
        when = f" on or before {at.isoformat()}" if at else ""
        raise TotalsError(f"--currency {currency!r}: no FX rate for {currency}{when}; add one with `tracker fx set`")
    return Converter(currency, rates)


class Figures(NamedTuple):
    """What a totals row shows, in the reporting currency. ``unrated``: (currency, native sum, deals).

    A named tuple, not a dataclass: tens of thousands are built per totals (a frozen dataclass's
    ``__init__`` costs three times as much)."""

    deals: int
    exact: Decimal
    up_to: Decimal
    at_least: Decimal
    estimated: Decimal
    undisclosed: int
    capacity_gw: Decimal
    unrated: tuple[tuple[str, Decimal, int], ...] = ()

    def by_qualifier(self) -> dict[str, Decimal]:
        return {"exact": self.exact, "up to": self.up_to, "at least": self.at_least, "estimated": self.estimated}

    def as_json(self) -> dict[str, Any]:
        return {
            "deals": self.deals,
            "exact": _plain(self.exact),
            "up_to": _plain(self.up_to),
            "at_least": _plain(self.at_least),
            "estimated": _plain(self.estimated),
            "undisclosed": self.undisclosed,
            "capacity_gw": _plain(self.capacity_gw),
            "unrated": [{"currency": c, "amount": _plain(a), "deals": n} for c, a, n in self.unrated],
        }


def _plain(value: Decimal) -> str:
    return format(value, "f")


# --------------------------------------------------------------------------------------------
# SQL


def sum_columns() -> list[Any]:
    """COUNT(*), COUNT(amount) and the exact split sums of amount and capacity, for a GROUP BY."""
    amount = type_coerce(DEAL.c.amount, BigInteger)
    gw = type_coerce(DEAL.c.capacity_gw, BigInteger)
    split = literal_column(str(SPLIT))
    return [
        func.count().label("n"),
        func.count(DEAL.c.amount).label("disclosed"),
        func.sum(amount.op("/", return_type=BigInteger)(split)).label("a_hi"),
        func.sum(amount.op("%", return_type=BigInteger)(split)).label("a_lo"),
        func.sum(gw.op("/", return_type=BigInteger)(split)).label("g_hi"),
        func.sum(gw.op("%", return_type=BigInteger)(split)).label("g_lo"),
    ]


def _grouped(conn: Connection, keys: Sequence[ColumnElement[Any]], *where: Any, join: Any = None) -> Iterable[Any]:
    """GROUP BY ``keys``, currency, qualifier over the deals."""
    stmt = select(*keys, DEAL.c.currency, DEAL.c.qualifier, *sum_columns())
    stmt = stmt.select_from(join if join is not None else DEAL)
    if where:
        stmt = stmt.where(*where)
    stmt = stmt.group_by(*keys, DEAL.c.currency, DEAL.c.qualifier)
    return conn.execute(stmt)


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of result tuples are built (none of
    them can form a cycle); each collection would otherwise walk every live object again (~1 s at 1M)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class OrgInfo(NamedTuple):
    """One organisation as the analysis needs it (a tuple: thousands are built per totals)."""

    id: int
    name: str
    country: str | None
    parent_id: int | None


def load_orgs(conn: Connection) -> dict[int, OrgInfo]:
    """Every organisation (a few thousand at most): id, name, country, parent."""
    rows = fetch_all(conn, f"SELECT id, name, country, parent_id FROM {ORG.name}")
    return {r[0]: OrgInfo._make(r) for r in rows}


def root_of(orgs: Mapping[int, OrgInfo]) -> dict[int, int]:
    """Each organisation's top parent (itself when it has none); parent cycles are cut."""
    out: dict[int, int] = {}
    for org_id in orgs:
        seen = {org_id}
        current = org_id
        while True:
            parent = orgs[current].parent_id
            if parent is None or parent not in orgs or parent in seen:
                break
            seen.add(parent)
            current = parent
        out[org_id] = current
    return out


# --------------------------------------------------------------------------------------------
# Totals


class TotalsRow(NamedTuple):
    """One row of totals (a named tuple: one per organisation and side)."""

    key: Any
    label: str
    side: str | None
    figures: Figures

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "side": self.side, **self.figures.as_json()}


@dataclass(frozen=True)
class Totals:
    by: str
    currency: str
    at: dt.date | None
    rates: tuple[Rate, ...]
    """The rate (1 unit = rate USD) and as-of date of every currency the deals use, plus the reporting one."""
    rows: tuple[TotalsRow, ...]
    total: Figures
    unrated: tuple[tuple[str, int], ...]
    """Currencies with no rate at ``at``: (currency, disclosed deals), never converted, never dropped."""

    def rate_in_reporting(self, currency: str) -> Decimal | None:
        conv = Converter(self.currency, {r.currency: r for r in self.rates})
        return conv.factor(currency)

    def as_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "currency": self.currency,
            "at": self.at.isoformat() if self.at else None,
            "rates": [
                {
                    "currency": r.currency,
                    "usd_rate": _plain(r.rate),
                    "rate": _plain(round_figure(self.rate_in_reporting(r.currency) or Decimal(0))),
                    "as_of": r.as_of.isoformat(),
                }
                for r in self.rates
            ],
            "rows": [r.as_json() for r in self.rows],
            "total": self.total.as_json(),
            "unrated": [{"currency": c, "deals": n} for c, n in self.unrated],
        }


def compute_totals(
    conn: Connection, by: str = "org", currency: str = REPORTING_CURRENCY, at: dt.date | None = None
) -> Totals:
    """Totals of every deal grouped ``by`` one of :data:`GROUPINGS`, in ``currency`` at ``at``."""
    with no_gc():  # tens of thousands of rows and Decimals, none in a cycle: no collector passes over them
        return _compute_totals(conn, by, currency, at)


def _compute_totals(conn: Connection, by: str, currency: str, at: dt.date | None) -> Totals:
    """Every grouping but ``alliance`` reads the running sums (tracker/core/storage/sums.py), never the deals."""
    if by not in GROUPINGS:
        raise TotalsError(f"--by {by!r}: choose one of {', '.join(GROUPINGS)}")
    conv = converter(conn, currency, at)
    scale = conv.scale()
    bounds = read_bounds(conn)  # one look at period_total for every read below
    rows: list[tuple[Any, str, str | None, Cell]]
    if by in ("org", "group", "country"):
        rows = _party_rows(conn, by, scale, bounds)
    elif by in ("kind", "year"):
        cells = read_cells(conn, "period_total", [by], scale, bounds=bounds)
        rows = [(k[0], str(k[0]), None, c) for k, c in cells.items() if c.deals]
    else:
        rows = _alliance_rows(conn, scale, bounds)
    total = read_cells(conn, "period_total", [], scale, bounds=bounds).get((), Cell())
    used = {c for c in bounds[0] if c}  # the currencies of disclosed amounts
    rates = tuple(sorted((conv.rates[c] for c in used | {currency} if c in conv.rates), key=lambda r: r.currency))
    unrated = tuple(sorted((c, n) for c, (_a, n) in total.unrated.items()))
    rounded = scale.rounder()
    figures = [(key, label, side, figures_of(cell, scale, rounded), cell.rank()) for key, label, side, cell in rows]
    figures.sort(key=_order(by, figures))
    return Totals(
        by=by,
        currency=currency,
        at=at,
        rates=rates,
        rows=tuple(TotalsRow(k, label, side, f) for k, label, side, f, _w in figures),
        total=figures_of(total, scale),
        unrated=unrated,
    )


def figures_of(cell: Cell, scale: Scale, rounded: Callable[[int | Decimal], Decimal] | None = None) -> Figures:
    """What a totals row shows for ``cell``, rounded once (``rounded``: ``scale.rounder()``, bound once by a
    caller that makes many)."""
    if rounded is None:
        rounded = scale.rounder()
    nums = cell.nums
    unrated = cell.unrated
    return Figures(
        deals=cell.deals,
        exact=rounded(nums[0]),
        up_to=rounded(nums[1]),
        at_least=rounded(nums[2]),
        estimated=rounded(nums[3]),
        undisclosed=cell.undisclosed,
        capacity_gw=scaled_decimal(cell.gw),
        unrated=tuple(sorted((c, scaled_decimal(a), n) for c, (a, n) in unrated.items())) if unrated else (),
    )


def _order(by: str, figures: list[tuple[Any, str, str | None, Figures, int | Decimal]]) -> Any:
    """Years ascending; kinds in vocabulary order; parties and alliances biggest first (by
    :meth:`Cell.rank`, every row's in the same units)."""
    if by == "year":
        return lambda r: r[0]
    if by == "kind":
        kinds = ("investment", "purchase", "infrastructure", "partnership")
        return lambda r: (kinds.index(r[0]) if r[0] in kinds else len(kinds), r[1])
    if by in ("org", "group", "country"):
        party: dict[Any, int | Decimal] = {}
        get = party.get
        for key, _label, _side, _f, rank in figures:
            party[key] = get(key, 0) + rank
        side_rank = {s: i for i, s in enumerate(SIDES)}
        return lambda r: (-party[r[0]], r[1].casefold(), side_rank.get(r[2] or "", 9))
    return lambda r: (r[1] == NO_ALLIANCE, -r[4], r[1].casefold())


SIDE_NAMES = {"o": "paid out", "i": "received", "p": "partnership"}


def _party_rows(conn: Connection, by: str, scale: Scale, bounds: Bounds) -> list[tuple[Any, str, str | None, Cell]]:
    """Rows of organisations, parent groups or countries, by side: one GROUP BY over ``party_total``."""
    orgs = load_orgs(conn)
    rekey: Callable[[tuple[Any, ...]], Any] | None
    if by == "org":
        rekey = None  # (org_id, side) as it comes
    elif by == "group":
        roots = root_of(orgs)

        def rekey(k: tuple[Any, ...]) -> Any:
            return (roots.get(k[0], k[0]), k[1])
    else:

        def rekey(k: tuple[Any, ...]) -> Any:
            info = orgs.get(k[0])
            return ((info.country if info else None) or UNKNOWN_COUNTRY, k[1])

    cells = read_cells(conn, "party_total", ["org_id", "side"], scale, rekey=rekey, bounds=bounds)
    out = []
    for (key, side), cell in cells.items():
        if not cell.deals:
            continue
        label = key if by == "country" else orgs[key].name if key in orgs else f"#{key}"
        out.append((key, label, SIDE_NAMES.get(side, side), cell))
    return out


def _alliance_rows(conn: Connection, scale: Scale, bounds: Bounds) -> list[tuple[Any, str, str | None, Cell]]:
    """Rows of alliances and ``(no alliance)``: the deals outside every alliance are the grand total
    minus the deals in at least one alliance (exact), so no query tests 1M deals against ``alliance_deal``."""
    cells: dict[Any, Cell] = {}
    join = DEAL.join(ALLIANCE_DEAL, ALLIANCE_DEAL.c.deal_id == DEAL.c.id)
    for row in _grouped(conn, [ALLIANCE_DEAL.c.alliance_id], join=join):
        _add_deal_row(cells.setdefault(row.alliance_id, Cell()), scale, row)
    outside = read_cells(conn, "period_total", [], scale, bounds=bounds).get((), Cell())
    inside = Cell()
    for row in _grouped(conn, [], DEAL.c.id.in_(select(ALLIANCE_DEAL.c.deal_id))):
        _add_deal_row(inside, scale, row)
    outside.merge(inside, -1)
    names: dict[Any, str] = {i: n for i, n in conn.execute(select(ALLIANCE.c.id, ALLIANCE.c.name))}
    rows: list[tuple[Any, str, str | None, Cell]] = [(k, names.get(k, f"#{k}"), None, c) for k, c in cells.items()]
    if outside.deals:
        rows.append((None, NO_ALLIANCE, None, outside))
    return rows


def _add_deal_row(cell: Cell, scale: Scale, row: Any) -> None:
    """Add a row of :func:`_grouped` (one currency and qualifier) to ``cell``."""
    cell.add_deals(scale, row.currency, row.qualifier, row.n, row.disclosed, _ints(row.a_hi, row.a_lo),
                   _ints(row.g_hi, row.g_lo))  # fmt: skip


def _ints(hi: Any, lo: Any) -> int | None:
    return None if hi is None and lo is None else int(hi or 0) * SPLIT + int(lo or 0)
