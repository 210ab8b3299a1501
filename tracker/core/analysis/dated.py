"""Totals with each deal converted at the rate in force on its own date (``tracker totals --rates deal-date``).

The running sums hold no dates, so these totals read the deals themselves: one GROUP BY of the deals'
running-sums measures (``tracker.core.storage.sums.measure_exprs``) by the row's keys, currency and date,
summed exactly by :func:`tracker.core.analysis.running.read_cells` in native units (every currency at
"rate" 1), then converted here date by date: ``amount × rate(currency, date) / rate(reporting, date)``.

The rate in force on a date is the newest usable rate of that currency as of that date (the deal's stored
date: the first day of its month, quarter or year). Rates change only on the days rates were set, so the
deals are grouped by the period between two such days (:func:`epoch_day`: the period's first day), not by
their own dates: far fewer groups, the same exact sums. A deal dated before its currency's first rate is
converted at that first rate and counted in ``later``: the output says how many. A currency with no usable
rate at all is never converted and never dropped (``unrated``), as in the latest-rates totals.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any

from sqlalchemy import Connection

from tracker.core.analysis.figures import Figures, TotalsError
from tracker.core.analysis.running import NO_CURRENCY, Bounds, Scale, read_cells, round_figure, scaled_decimal
from tracker.core.domain.scaled import FACTOR
from tracker.core.records.fx import Rate, list_rates, usable_rate
from tracker.core.storage.sums import MEASURES, measure_exprs

DAWN = dt.date(1900, 1, 1)
"""Before every date a deal can have (dates.py: years 1900-2200)."""
_PREC = 90  # an amount has at most ~25 digits, a rate at most 40 characters: products and their sums are exact


class RateHistory:
    """Every usable rate of every currency, to find the one in force on a date."""

    def __init__(self, rates: Iterable[Rate]) -> None:
        self.days: dict[str, list[dt.date]] = {}
        self.rates: dict[str, list[Rate]] = {}
        for r in sorted(rates, key=lambda r: (r.currency, r.as_of)):
            if usable_rate(r.rate, r.currency):
                self.days.setdefault(r.currency, []).append(r.as_of)
                self.rates.setdefault(r.currency, []).append(r)
        dawn = DAWN  # USD is 1 on every date, whatever its stored as-of
        if not self.days.get("USD") or self.days["USD"][0] > dawn:
            self.days.setdefault("USD", []).insert(0, dawn)
            self.rates.setdefault("USD", []).insert(0, Rate("USD", Decimal(1), dawn))

    def boundaries(self) -> list[dt.date]:
        """Every day on which some currency's rate changed (the USD dawn left out)."""
        return sorted({d for days in self.days.values() for d in days} - {DAWN})

    @classmethod
    def load(cls, conn: Connection) -> RateHistory:
        return cls(list_rates(conn))

    def at(self, currency: str, day: dt.date) -> tuple[Rate | None, bool]:
        """The rate in force on ``day`` and False; the first rate and True when ``day`` is before it; (None,
        False) when the currency has no usable rate."""
        days = self.days.get(currency)
        if not days:
            return None, False
        i = bisect.bisect_right(days, day)
        if i == 0:
            return self.rates[currency][0], True
        return self.rates[currency][i - 1], False


@dataclass
class DatedCell:
    """The sums of a group of deals, each converted at its date's rates (unrounded, exact to ``_PREC`` digits)."""

    deals: int = 0
    undisclosed: int = 0
    gw: int = 0
    sums: list[Decimal] = field(default_factory=lambda: [Decimal(0)] * 4)
    unrated: dict[str, list[int]] = field(default_factory=dict)
    later: int = 0
    """Disclosed deals dated before their currency's (or the reporting currency's) first rate."""
    used: set[Rate] = field(default_factory=set)

    def rank(self) -> Decimal:
        """Every converted amount, whatever its qualifier: a ranking weight, never reported as a sum."""
        with localcontext() as ctx:
            ctx.prec = _PREC
            return self.sums[0] + self.sums[1] + self.sums[2] + self.sums[3]

    def figures(self, zero: frozenset[str] = frozenset()) -> Figures:
        return Figures(
            deals=self.deals,
            exact=round_figure(self.sums[0]),
            up_to=round_figure(self.sums[1]),
            at_least=round_figure(self.sums[2]),
            estimated=round_figure(self.sums[3]),
            undisclosed=self.undisclosed,
            capacity_gw=scaled_decimal(self.gw),
            unrated=tuple(sorted((c, scaled_decimal(a), n) for c, (a, n) in self.unrated.items())),
            zero=zero,
        )


def epoch_day(history: RateHistory) -> str:
    """SQL of the first day of the period of unchanged rates that holds ``deal.date`` (as ISO text): every
    deal of one period is converted at the same rates, so the deals are grouped by period, not by day."""
    days = history.boundaries()
    if not days:
        return f"'{DAWN.isoformat()}'"
    whens = " ".join(f"WHEN deal.date < '{d.isoformat()}' THEN '{(days[i - 1] if i else DAWN).isoformat()}'"
                     for i, d in enumerate(days))  # fmt: skip
    return f"CASE {whens} ELSE '{days[-1].isoformat()}' END"


def _source(day: str, select_keys: str, where: str = "TRUE", join: str = "") -> str:
    measures = ", ".join(f"{e} AS {n}" for e, n in zip(measure_exprs("deal", "", False), MEASURES, strict=True))
    return (
        f"SELECT {select_keys}, coalesce(deal.currency, '') AS currency, {day} AS date, {measures} "
        f"FROM deal{join} WHERE {where}"
    )


def party_source(day: str) -> str:
    """Per deal and party, as ``party_total`` keys it (``org_id``, ``side``, ``infra``), with its date."""
    infra = "CASE WHEN deal.kind = 'infrastructure' THEN 1 ELSE 0 END AS infra"
    side_from = (
        f"deal.from_org_id AS org_id, CASE WHEN deal.kind = 'partnership' THEN 'p' ELSE 'o' END AS side, {infra}"
    )
    side_to = f"deal.to_org_id AS org_id, CASE WHEN deal.kind = 'partnership' THEN 'p' ELSE 'i' END AS side, {infra}"
    both = f"{_source(day, side_from)} UNION ALL {_source(day, side_to, 'deal.to_org_id IS NOT NULL')}"
    return f"({both}) AS d"


def period_source(day: str, dialect: str) -> str:
    """Per deal, as ``period_total`` keys it (``kind``, ``year``), with its date."""
    year = (
        "CAST(substr(deal.date, 1, 4) AS INTEGER)"
        if dialect == "sqlite"
        else "CAST(EXTRACT(YEAR FROM deal.date) AS INTEGER)"
    )
    return f"({_source(day, f'deal.kind AS kind, {year} AS year')}) AS d"


def alliance_source(day: str) -> str:
    """Per deal and alliance it belongs to (``alliance_id``), with its date."""
    join = " JOIN alliance_deal ON alliance_deal.deal_id = deal.id"
    return f"({_source(day, 'alliance_deal.alliance_id AS alliance_id', join=join)}) AS d"


def outside_source(day: str) -> str:
    """The deals in no alliance (one key, ``outside``)."""
    where = "deal.id NOT IN (SELECT deal_id FROM alliance_deal)"
    return f"({_source(day, '1 AS outside', where)}) AS d"


def read_dated(conn: Connection, table: str, keys: list[str], reporting: str, history: RateHistory, bounds: Bounds,
               rekey: Callable[[tuple[Any, ...]], Any] | None = None) -> dict[Any, DatedCell]:  # fmt: skip
    """Cells of ``table`` (a source above) grouped by ``keys`` (or ``rekey(keys)``), each deal converted
    into ``reporting`` at the rates in force on its date."""
    present = [c for c in bounds[0] if c]
    if reporting not in history.rates:
        raise TotalsError(f"--currency {reporting!r}: no FX rate for {reporting}; add one with `tracker fx set`")
    unit = Scale.of({c: Decimal(1) for c in {*present, reporting}}, reporting)  # native sums, exactly
    cells = read_cells(conn, table, [*keys, "currency", "date"], unit, bounds=bounds)
    out: dict[Any, DatedCell] = {}
    nk = len(keys)
    with localcontext() as ctx:
        ctx.prec = _PREC
        for k, cell in cells.items():
            group = tuple(k[:nk])
            currency = k[nk]
            day = k[nk + 1]
            day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
            key = rekey(group) if rekey is not None else group
            target = out.get(key)
            if target is None:
                target = out[key] = DatedCell()
            target.deals += cell.deals
            target.undisclosed += cell.undisclosed
            target.gw += cell.gw
            for c, (a, n) in cell.unrated.items():
                got = target.unrated.setdefault(c, [0, 0])
                got[0] += a
                got[1] += n
            if not any(cell.nums):
                continue
            own, own_later = history.at(currency, day)
            rep, rep_later = history.at(reporting, day)
            disclosed = int(cell.deals - cell.undisclosed)
            if own is None or rep is None:
                got = target.unrated.setdefault(currency or NO_CURRENCY, [0, 0])
                got[0] += sum(int(num) for num in cell.nums)
                got[1] += disclosed
                continue
            if currency != reporting and (own_later or rep_later):
                target.later += disclosed
            target.used.update((own, rep) if currency != reporting else ())
            factor = Decimal(1) / FACTOR if currency == reporting else own.rate / rep.rate / FACTOR
            for i, num in enumerate(cell.nums):
                if num:
                    target.sums[i] += Decimal(num) * factor
    return out


def total_of(cells: Mapping[Any, DatedCell]) -> DatedCell:
    """All ``cells`` merged (each deal once when the cells share none)."""
    total = DatedCell()
    for cell in cells.values():
        total.deals += cell.deals
        total.undisclosed += cell.undisclosed
        total.gw += cell.gw
        total.later += cell.later
        total.used |= cell.used
        for i in range(4):
            total.sums[i] += cell.sums[i]
        for c, (a, n) in cell.unrated.items():
            got = total.unrated.setdefault(c, [0, 0])
            got[0] += a
            got[1] += n
    return total
