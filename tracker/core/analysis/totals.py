"""Totals of deal amounts by a grouping, aggregated in SQL and converted through the FX table. No UI here.

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
  half-even to 4 decimal places (the storage scale) once, after summing (:mod:`.figures`, :mod:`.running`).
- Speed (1M deals): each grouping is an ordered walk of a covering index (schema 0003), never a sort of
  the deals: ``org``/``country``/``group`` walk the two party indexes, ``kind`` the kind index, ``year``
  one range of the kind index per (kind, currency, qualifier, year); the grand total is rolled up from
  those rows instead of being queried again.

Groupings (``vocab.GROUPINGS``): ``org`` and ``group`` (organisations rolled up into their top parent)
and ``country`` (of the organisation) split each party's deals into sides: ``paid out`` (the ``from``
party of an investment, purchase or infrastructure deal), ``received`` (the ``to`` party of an investment
or purchase) and ``partnership`` (either party of a partnership, which has no direction). ``kind``,
``year`` and ``alliance`` count each deal once (deals outside every alliance form a ``(no alliance)`` row).
The grand total counts each deal once whatever the grouping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    ColumnClause,
    ColumnElement,
    Connection,
    func,
    literal_column,
    select,
    type_coerce,
)

from tracker.core.analysis.bulk import no_gc
from tracker.core.analysis.figures import (
    Converter,
    Figures,
    TotalsError,
    converter,
    figures_of,
    plain,
)
from tracker.core.analysis.parties import load_orgs, root_of
from tracker.core.analysis.running import Bounds, Cell, Scale, read_bounds, read_cells, round_figure
from tracker.core.domain.vocab import GROUPINGS, KINDS
from tracker.core.records.fx import Rate, unusable_rates
from tracker.core.storage.handles import ALLIANCE, ALLIANCE_DEAL, DEAL
from tracker.core.storage.sums import SPLIT
from tracker.core.storage.tables import REPORTING_CURRENCY

SIDE_NAMES: dict[str, str] = {"o": "paid out", "i": "received", "p": "partnership"}
"""The running sums' side codes (tracker/core/storage/sums.py) as the rows name them."""
SIDES: tuple[str, ...] = tuple(SIDE_NAMES.values())
"""A party's sides, in the order its rows come."""
NO_ALLIANCE = "(no alliance)"
UNKNOWN_COUNTRY = "(unknown)"

# --------------------------------------------------------------------------------------------
# SQL


def sum_columns() -> list[Any]:
    """COUNT(*), COUNT(amount) and the exact split sums of amount and capacity, for a GROUP BY."""
    amount = type_coerce(DEAL.c.amount, BigInteger)
    gw = type_coerce(DEAL.c.capacity_gw, BigInteger)
    split: ColumnClause[Any] = literal_column(str(SPLIT))
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
    ignored_rates: tuple[Rate, ...] = ()
    """Rates in force for currencies of ``unrated`` but not used: stored outside the bounds of
    tracker/core/records/fx.py (before they existed); say so beside "no rate"."""

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
                    "usd_rate": plain(r.rate),
                    "rate": plain(round_figure(self.rate_in_reporting(r.currency) or Decimal(0))),
                    "as_of": r.as_of.isoformat(),
                }
                for r in self.rates
            ],
            "rows": [r.as_json() for r in self.rows],
            "total": self.total.as_json(),
            "unrated": [{"currency": c, "deals": n} for c, n in self.unrated],
            "ignored_rates": [
                {"currency": r.currency, "usd_rate": plain(r.rate), "as_of": r.as_of.isoformat()}
                for r in self.ignored_rates
            ],
        }


def compute_totals(
    conn: Connection, by: str = "org", currency: str = REPORTING_CURRENCY, at: dt.date | None = None
) -> Totals:
    """Totals of every deal grouped ``by`` one of ``vocab.GROUPINGS``, in ``currency`` at ``at``."""
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
    ignored = unusable_rates(conn, at) if unrated else {}
    ignored_rates = tuple(ignored[c] for c, _n in unrated if c in ignored)
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
        ignored_rates=ignored_rates,
    )


def _order(by: str, figures: list[tuple[Any, str, str | None, Figures, int | Decimal]]) -> Any:
    """Years ascending; kinds in vocabulary order; parties and alliances biggest first (by
    :meth:`Cell.rank`, every row's in the same units)."""
    if by == "year":
        return lambda r: r[0]
    if by == "kind":
        return lambda r: (KINDS.index(r[0]) if r[0] in KINDS else len(KINDS), r[1])
    if by in ("org", "group", "country"):
        party: dict[Any, int | Decimal] = {}
        get = party.get
        for key, _label, _side, _f, rank in figures:
            party[key] = get(key, 0) + rank
        side_rank = {s: i for i, s in enumerate(SIDES)}
        return lambda r: (-party[r[0]], r[1].casefold(), side_rank.get(r[2] or "", 9))
    return lambda r: (r[1] == NO_ALLIANCE, -r[4], r[1].casefold())


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
