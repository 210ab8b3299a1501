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
and ``country`` (of the organisation) split each party's deals into sides: ``paid out`` (the ``from`` party
of an investment or purchase), ``committed spending`` (the ``from`` party of an infrastructure deal: a
capex plan, not money paid to anyone), ``received`` (the ``to`` party) and ``partnership`` (either party
of a partnership, which has no direction). ``kind``, ``year`` and ``alliance`` count each deal once per
row (deals outside every alliance form a ``(no alliance)`` row). The grand total counts each deal once
whatever the grouping, so it is not the sum of a party grouping's rows (:func:`total_note`).

Rates (``rates``): ``latest`` converts every deal at the rates in force at ``at`` (the latest by default);
``deal-date`` converts each deal at the rates in force on its own date (tracker/core/analysis/dated.py).
A figure with no amounts behind it is None for machine outputs, never 0; a figure of deals of amount
exactly 0 is 0 (tracker/core/analysis/behind.py finds them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

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

from tracker.core.analysis.behind import NO_ALLIANCE, PARTY_GROUPINGS, SIDES, UNKNOWN_COUNTRY, side_name, zero_marks
from tracker.core.analysis.bulk import no_gc
from tracker.core.analysis.dated import (
    DatedCell,
    RateHistory,
    alliance_source,
    epoch_day,
    outside_source,
    party_source,
    period_source,
    read_dated,
)
from tracker.core.analysis.figures import (
    Figures,
    TotalsError,
    converter,
    figures_of,
)
from tracker.core.analysis.parties import load_orgs, root_of
from tracker.core.analysis.running import Bounds, Cell, Scale, read_bounds, read_cells
from tracker.core.analysis.totals_model import Totals, TotalsRow, total_note
from tracker.core.domain.vocab import GROUPINGS, KINDS
from tracker.core.records.fx import unusable_rates
from tracker.core.storage.handles import ALLIANCE, ALLIANCE_DEAL, DEAL
from tracker.core.storage.sums import SPLIT, TABLES, amount_parts, filtered_sums
from tracker.core.storage.tables import REPORTING_CURRENCY

CONFIRMED_SQL = "deal.confidence = 'confirmed'"

__all__ = ["NO_ALLIANCE", "RATES", "SIDES", "UNKNOWN_COUNTRY", "Totals", "TotalsRow", "compute_totals", "total_note"]

RATES: tuple[str, ...] = ("latest", "deal-date")
"""How amounts are converted: the rates in force at one date (the latest by default), or at each deal's date."""

# --------------------------------------------------------------------------------------------
# SQL


def sum_columns() -> list[Any]:
    """COUNT(*), COUNT(amount) and the exact split sums of amount and capacity, for a GROUP BY."""
    a_hi, a_lo = (literal_column(part, BigInteger) for part in amount_parts(DEAL.name + ".amount"))
    gw = type_coerce(DEAL.c.capacity_gw, BigInteger)
    split: ColumnClause[Any] = literal_column(str(SPLIT))
    return [
        func.count().label("n"),
        func.count(DEAL.c.amount).label("disclosed"),
        func.sum(a_hi).label("a_hi"),
        func.sum(a_lo).label("a_lo"),
        func.sum(gw.op("/", return_type=BigInteger)(split)).label("g_hi"),
        func.sum(gw.op("%", return_type=BigInteger)(split)).label("g_lo"),
    ]


def _grouped(conn: Connection, keys: Sequence[ColumnElement[Any]], *where: Any, join: Any = None) -> Iterable[Any]:
    """GROUP BY ``keys``, currency, qualifier, capacity qualifier over the deals."""
    stmt = select(*keys, DEAL.c.currency, DEAL.c.qualifier, DEAL.c.capacity_qualifier, *sum_columns())
    stmt = stmt.select_from(join if join is not None else DEAL)
    if where:
        stmt = stmt.where(*where)
    stmt = stmt.group_by(*keys, DEAL.c.currency, DEAL.c.qualifier, DEAL.c.capacity_qualifier)
    return conn.execute(stmt)


# --------------------------------------------------------------------------------------------
# Totals


def compute_totals(
    conn: Connection,
    by: str = "org",
    currency: str = REPORTING_CURRENCY,
    at: dt.date | None = None,
    rates: str = "latest",
    confirmed: bool = False,
) -> Totals:
    """Totals of every deal grouped ``by`` one of ``vocab.GROUPINGS``, in ``currency``: at the rates in
    force at ``at`` (``rates="latest"``) or each deal at the rates of its date (``rates="deal-date"``);
    ``confirmed``: of the confirmed deals only (a filing or a party's press release: schema 0011)."""
    if by not in GROUPINGS:
        raise TotalsError(f"--by {by!r}: choose one of {', '.join(GROUPINGS)}")
    if rates not in RATES:
        raise TotalsError(f"--rates {rates!r}: choose one of {', '.join(RATES)}")
    if rates == "deal-date" and at is not None:
        raise TotalsError("--at and --rates deal-date: choose one (deal-date converts each deal at its own date)")
    if confirmed and rates == "deal-date":
        raise TotalsError("--confirmed and --rates deal-date: not together yet (use the latest rates or --at)")
    with no_gc():  # tens of thousands of rows and Decimals, none in a cycle: no collector passes over them
        if rates == "deal-date":
            return _dated_totals(conn, by, currency)
        return _compute_totals(conn, by, currency, at, confirmed)


def _compute_totals(conn: Connection, by: str, currency: str, at: dt.date | None, confirmed: bool = False) -> Totals:
    """Every grouping but ``alliance`` reads the running sums (tracker/core/storage/sums.py), never the deals;
    ``confirmed``: the same reads over the confirmed deals (:func:`filtered_sums`: the deals are read)."""
    sums = filtered_sums(conn.dialect.name, CONFIRMED_SQL) if confirmed else {t: t for t in TABLES}
    conv = converter(conn, currency, at)
    scale = conv.scale()
    bounds = read_bounds(conn)  # one look at period_total for every read below
    rows: list[tuple[Any, str, str | None, Cell]]
    if by in PARTY_GROUPINGS:
        party = read_cells(conn, sums["party_total"], ["org_id", "side", "infra"], scale, rekey=_party_key(conn, by),
                           bounds=bounds)  # fmt: skip
        rows = _party_rows(conn, by, party)
    elif by in ("kind", "year"):
        cells = read_cells(conn, sums["period_total"], [by], scale, bounds=bounds)
        rows = [(k[0], str(k[0]), None, c) for k, c in cells.items() if c.deals]
    else:
        rows = _alliance_rows(conn, scale, bounds, sums["period_total"], confirmed)
    total = read_cells(conn, sums["period_total"], [], scale, bounds=bounds).get((), Cell())
    used = {c for c in bounds[0] if c}  # the currencies of disclosed amounts
    rates = tuple(sorted((conv.rates[c] for c in used | {currency} if c in conv.rates), key=lambda r: r.currency))
    unrated = tuple(sorted((c, n) for c, (_a, n) in total.unrated.items()))
    ignored = unusable_rates(conn, at) if unrated else {}
    ignored_rates = tuple(ignored[c] for c, _n in unrated if c in ignored)
    rounded = scale.rounder()
    zeros = zero_marks(conn, by)
    figures = [(key, label, side, figures_of(cell, scale, rounded, _zero(zeros, key, side)), cell.rank())
               for key, label, side, cell in rows]  # fmt: skip
    figures.sort(key=_order(by, figures))
    return Totals(
        by=by,
        currency=currency,
        at=at,
        rates=rates,
        rows=tuple(TotalsRow(k, label, side, f) for k, label, side, f, _w in figures),
        total=figures_of(total, scale, zero=frozenset(zeros.get(None, ()))),
        unrated=unrated,
        ignored_rates=ignored_rates,
        confirmed=confirmed,
    )


def _zero(zeros: dict[Any, set[str]], key: Any, side: str | None) -> frozenset[str]:
    got = zeros.get((key, side)) if zeros else None
    return frozenset(got) if got else frozenset()


def _dated_totals(conn: Connection, by: str, currency: str) -> Totals:
    """Each deal converted at the rates of its own date: reads the deals (tracker/core/analysis/dated.py)."""
    converter(conn, currency)  # the reporting currency has a usable rate (or the same error as latest)
    history = RateHistory.load(conn)
    bounds = read_bounds(conn)
    dialect = conn.dialect.name
    day = epoch_day(history)
    rows: list[tuple[Any, str, str | None, DatedCell]]
    if by in PARTY_GROUPINGS:
        party = read_dated(conn, party_source(day), ["org_id", "side", "infra"], currency, history, bounds,
                           _party_key(conn, by))  # fmt: skip
        rows = _party_rows(conn, by, party)
    elif by in ("kind", "year"):
        cells = read_dated(conn, period_source(day, dialect), [by], currency, history, bounds)
        rows = [(k[0], str(k[0]), None, c) for k, c in cells.items() if c.deals]
    else:
        inside = read_dated(conn, alliance_source(day), ["alliance_id"], currency, history, bounds)
        names: dict[Any, str] = {i: n for i, n in conn.execute(select(ALLIANCE.c.id, ALLIANCE.c.name))}
        rows = [(k[0], names.get(k[0], f"#{k[0]}"), None, c) for k, c in inside.items()]
        outside = read_dated(conn, outside_source(day), [], currency, history, bounds).get(())
        if outside is not None and outside.deals:
            rows.append((None, NO_ALLIANCE, None, outside))
    total = read_dated(conn, period_source(day, dialect), [], currency, history, bounds).get((), DatedCell())
    unrated = tuple(sorted((c, n) for c, (_a, n) in total.unrated.items()))
    ignored = unusable_rates(conn) if unrated else {}
    zeros = zero_marks(conn, by)
    figures = [
        (key, label, side, cell.figures(_zero(zeros, key, side)), cell.rank()) for key, label, side, cell in rows
    ]
    figures.sort(key=_order(by, figures))
    return Totals(
        by=by,
        currency=currency,
        at=None,
        rates=tuple(sorted(total.used, key=lambda r: (r.currency, r.as_of))),
        rows=tuple(TotalsRow(k, label, side, f) for k, label, side, f, _w in figures),
        total=total.figures(frozenset(zeros.get(None, ()))),
        unrated=unrated,
        ignored_rates=tuple(ignored[c] for c, _n in unrated if c in ignored),
        rates_mode="deal-date",
        later_rate_deals=total.later,
    )


def _order(by: str, figures: Sequence[tuple[Any, str, str | None, Figures, int | Decimal]]) -> Any:
    """Years ascending; kinds in vocabulary order; parties and alliances biggest first (by
    :meth:`Cell.rank`, every row's in the same units)."""
    if by == "year":
        return lambda r: r[0]
    if by == "kind":
        return lambda r: (KINDS.index(r[0]) if r[0] in KINDS else len(KINDS), r[1])
    if by in PARTY_GROUPINGS:
        party: dict[Any, int | Decimal] = {}
        get = party.get
        for key, _label, _side, _f, rank in figures:
            party[key] = get(key, 0) + rank
        side_rank = {s: i for i, s in enumerate(SIDES)}
        return lambda r: (-party[r[0]], r[1].casefold(), side_rank.get(r[2] or "", 9))
    return lambda r: (r[1] == NO_ALLIANCE, -r[4], r[1].casefold())


def _party_key(conn: Connection, by: str) -> Callable[[tuple[Any, ...]], Any]:
    """(org_id, side code, infra) of ``party_total`` as the row's (organisation, parent or country, side name)."""
    if by == "org":

        def rekey(k: tuple[Any, ...]) -> Any:
            return (k[0], side_name(k[1], k[2]))
    elif by == "group":
        roots = root_of(load_orgs(conn))

        def rekey(k: tuple[Any, ...]) -> Any:
            return (roots.get(k[0], k[0]), side_name(k[1], k[2]))
    else:
        orgs = load_orgs(conn)

        def rekey(k: tuple[Any, ...]) -> Any:
            info = orgs.get(k[0])
            return ((info.country if info else None) or UNKNOWN_COUNTRY, side_name(k[1], k[2]))

    return rekey


def _party_rows(conn: Connection, by: str, cells: dict[Any, Any]) -> list[tuple[Any, str, str | None, Any]]:
    """Rows of organisations, parent groups or countries, by side, from cells keyed by :func:`_party_key`."""
    orgs = load_orgs(conn) if by != "country" else {}
    out = []
    for (key, side), cell in cells.items():
        if not cell.deals:
            continue
        label = key if by == "country" else orgs[key].name if key in orgs else f"#{key}"
        out.append((key, label, side, cell))
    return out


def _alliance_rows(conn: Connection, scale: Scale, bounds: Bounds, period: str = "period_total",
                   confirmed: bool = False) -> list[tuple[Any, str, str | None, Cell]]:  # fmt: skip
    """Rows of alliances and ``(no alliance)``: the deals outside every alliance are the grand total
    minus the deals in at least one alliance (exact), so no query tests 1M deals against ``alliance_deal``."""
    cells: dict[Any, Cell] = {}
    join = DEAL.join(ALLIANCE_DEAL, ALLIANCE_DEAL.c.deal_id == DEAL.c.id)
    only = [DEAL.c.confidence == "confirmed"] if confirmed else []
    for row in _grouped(conn, [ALLIANCE_DEAL.c.alliance_id], *only, join=join):
        _add_deal_row(cells.setdefault(row.alliance_id, Cell()), scale, row)
    outside = read_cells(conn, period, [], scale, bounds=bounds).get((), Cell())
    inside = Cell()
    for row in _grouped(conn, [], DEAL.c.id.in_(select(ALLIANCE_DEAL.c.deal_id)), *only):
        _add_deal_row(inside, scale, row)
    outside.merge(inside, -1)
    names: dict[Any, str] = {i: n for i, n in conn.execute(select(ALLIANCE.c.id, ALLIANCE.c.name))}
    rows: list[tuple[Any, str, str | None, Cell]] = [(k, names.get(k, f"#{k}"), None, c) for k, c in cells.items()]
    if outside.deals:
        rows.append((None, NO_ALLIANCE, None, outside))
    return rows


def _add_deal_row(cell: Cell, scale: Scale, row: Any) -> None:
    """Add a row of :func:`_grouped` (one currency, qualifier and capacity qualifier) to ``cell``."""
    cell.add_deals(scale, row.currency, row.qualifier, row.n, row.disclosed, _ints(row.a_hi, row.a_lo),
                   _ints(row.g_hi, row.g_lo), row.capacity_qualifier)  # fmt: skip


def _ints(hi: Any, lo: Any) -> int | None:
    return None if hi is None and lo is None else int(hi or 0) * SPLIT + int(lo or 0)
