"""What a sum shows: the rates in force (:class:`Converter`) and the :class:`Figures` of a running-sum cell,
rounded once. Shared by the totals, the graph's edges and the cycles.

Each qualifier keeps its own figure (exact, up to, at least, estimated: never added together); undisclosed
deals are counted, never summed as 0; a currency without a rate is reported apart in its own units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext
from typing import Any, NamedTuple

from sqlalchemy import Connection

from tracker.core.analysis.running import Cell, Scale, scaled_decimal
from tracker.core.domain.errors import TrackerError
from tracker.core.domain.vocab import QUALIFIERS
from tracker.core.records.fx import MAX_RATE, MIN_RATE, Rate, rates_at, unusable_rates
from tracker.core.storage.tables import REPORTING_CURRENCY

QUALIFIED: tuple[str, ...] = tuple(q for q in QUALIFIERS if q != "undisclosed")
"""The qualifiers whose amounts are summed, each in its own column (exact, up to, at least, estimated)."""


class TotalsError(TrackerError, ValueError):
    """A totals request that cannot be answered (an unknown grouping, no rate for the reporting currency)."""


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


def converter(conn: Connection, currency: str = REPORTING_CURRENCY, at: dt.date | None = None) -> Converter:
    """The rates in force at ``at`` (latest when None); raises TotalsError when ``currency`` has no rate.
    A rate stored outside the bounds of tracker/core/records/fx.py is not used (its currency is unrated)."""
    rates = rates_at(conn, at)
    if currency not in rates:
        when = f" on or before {at.isoformat()}" if at else ""
        bad = unusable_rates(conn, at).get(currency)
        if bad is not None:  # stored before rates were bounded: say so rather than "no rate"
            raise TotalsError(
                f"--currency {currency!r}: its FX rate {bad.rate.normalize(Context(prec=60))} (as of {bad.as_of.isoformat()}) is outside "
                f"{MIN_RATE:f}..{MAX_RATE:f}; set a usable one with `tracker fx set`"
            )
        raise TotalsError(f"--currency {currency!r}: no FX rate for {currency}{when}; add one with `tracker fx set`")
    return Converter(currency, rates)


class Figures(NamedTuple):
    """What a totals row shows, in the reporting currency. ``unrated``: (currency, native sum, deals);
    ``zero``: the qualifiers whose figure is an exact zero (deals of amount 0), not an absent one.

    A figure of 0 means "no such amounts" unless its qualifier is in ``zero``: :meth:`figure` is None then,
    and machine outputs write it empty/null, never 0 (an exact zero is written 0).

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
    zero: frozenset[str] = frozenset()
    capacity_up_to: Decimal = Decimal(0)
    """Capacity (GW) known only as a ceiling, a floor or an estimate: apart from the exact ``capacity_gw``."""
    capacity_at_least: Decimal = Decimal(0)
    capacity_estimated: Decimal = Decimal(0)

    def capacity_by_qualifier(self) -> dict[str, Decimal]:
        return {"exact": self.capacity_gw, "up to": self.capacity_up_to, "at least": self.capacity_at_least,
                "estimated": self.capacity_estimated}  # fmt: skip

    def by_qualifier(self) -> dict[str, Decimal]:
        return {"exact": self.exact, "up to": self.up_to, "at least": self.at_least, "estimated": self.estimated}

    def figure(self, qualifier: str) -> Decimal | None:
        """The sum of ``qualifier`` (exact, up to, at least, estimated), or None when there is none."""
        value = self.by_qualifier()[qualifier]
        return value if value or qualifier in self.zero else None

    def gw(self) -> Decimal | None:
        """The capacity, or None when no deal gives one (a capacity of exactly 0 GW is not told apart)."""
        return self.capacity_gw or None

    def as_json(self) -> dict[str, Any]:
        """Every figure as plain digits; a figure with no amounts behind it is null, never 0."""
        return {
            "deals": self.deals,
            **{q.replace(" ", "_"): _plain_or_none(self.figure(q)) for q in QUALIFIED},
            "undisclosed": self.undisclosed,
            "capacity_gw": _plain_or_none(self.gw()),
            "capacity_up_to_gw": _plain_or_none(self.capacity_up_to or None),
            "capacity_at_least_gw": _plain_or_none(self.capacity_at_least or None),
            "capacity_estimated_gw": _plain_or_none(self.capacity_estimated or None),
            "unrated": [{"currency": c, "amount": plain(a), "deals": n} for c, a, n in self.unrated],
        }


def _plain_or_none(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


_GW_MARKS: dict[str, str] = {"exact": "", "up to": "≤ ", "at least": "≥ ", "estimated": "~ "}


def capacity_text(f: Figures) -> str:
    """Capacity (GW) for people, each qualifier apart and never added, as amounts are: ``10``, ``≥ 10``,
    ``12 · ≥ 10``; ``-`` for none."""
    parts = [_GW_MARKS[q] + format(v, "f") for q, v in f.capacity_by_qualifier().items() if v]
    return " · ".join(parts) or "-"


def plain(value: Decimal) -> str:
    """A figure as JSON shows it: plain digits, never an exponent (``100000000000``, ``12.5``)."""
    return format(value, "f")


def figures_of(cell: Cell, scale: Scale, rounded: Callable[[int | Decimal], Decimal] | None = None,
               zero: frozenset[str] = frozenset()) -> Figures:  # fmt: skip
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
        zero=zero,
        capacity_up_to=scaled_decimal(cell.gw_other[0]),
        capacity_at_least=scaled_decimal(cell.gw_other[1]),
        capacity_estimated=scaled_decimal(cell.gw_other[2]),
    )
