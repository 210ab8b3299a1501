"""What totals are: a row per organisation (and side), country, kind, year or alliance, and the whole
(:class:`Totals`, computed by tracker/core/analysis/totals.py), with their JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from tracker.core.analysis.behind import PARTY_GROUPINGS
from tracker.core.analysis.figures import Converter, Figures, plain
from tracker.core.analysis.running import round_figure
from tracker.core.records.fx import Rate


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
    rates_mode: str = "latest"
    """``latest`` (the rates in force at ``at``) or ``deal-date`` (each deal at the rates of its date)."""
    later_rate_deals: int = 0
    confirmed: bool = False
    """Of the confirmed deals only (``totals --confirmed``)."""
    """With ``deal-date``: disclosed deals dated before their currency's first rate, converted at that rate."""

    @property
    def rates_text(self) -> str:
        """Which rates converted the amounts, in words."""
        if self.rates_mode == "deal-date":
            text = "each deal at the rates in force on its date"
            if self.later_rate_deals:
                n = self.later_rate_deals
                text += f" ({n} deal{'s' if n != 1 else ''} dated before the first rate of {'their' if n != 1 else 'its'} currency: at that rate)"
            return text
        return f"rates in force on {self.at.isoformat()}" if self.at else "latest rates"

    @property
    def total_label(self) -> str:
        """The TOTAL row's name: what it adds."""
        return "TOTAL (all deals)" if self.by in ("kind", "year") else "TOTAL (each deal once)"

    def rate_in_reporting(self, currency: str) -> Decimal | None:
        conv = Converter(self.currency, {r.currency: r for r in self.rates})
        return conv.factor(currency)

    def as_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "currency": self.currency,
            "at": self.at.isoformat() if self.at else None,
            "rates_mode": self.rates_mode,
            "confirmed_only": self.confirmed,
            "rates_note": self.rates_text,
            "later_rate_deals": self.later_rate_deals,
            "rates": [
                {
                    "currency": r.currency,
                    "usd_rate": plain(r.rate),
                    "rate": None
                    if self.rates_mode == "deal-date"
                    else _rate_or_none(self.rate_in_reporting(r.currency)),
                    "as_of": r.as_of.isoformat(),
                }
                for r in self.rates
            ],
            "total_label": self.total_label,
            "total_note": total_note(self.by),
            "rows": [r.as_json() for r in self.rows],
            "total": self.total.as_json(),
            "unrated": [{"currency": c, "deals": n} for c, n in self.unrated],
            "ignored_rates": [
                {"currency": r.currency, "usd_rate": plain(r.rate), "as_of": r.as_of.isoformat()}
                for r in self.ignored_rates
            ],
        }


def _rate_or_none(value: Decimal | None) -> str | None:
    return None if value is None else plain(round_figure(value))


def total_note(by: str) -> str:
    """What the TOTAL row adds, in words."""
    if by in PARTY_GROUPINGS:
        return "TOTAL counts each deal once, so it is not the sum of the rows: paid out and received are not one sum"
    if by == "alliance":
        return "TOTAL counts each deal once; a deal in two alliances is in both their rows"
    return "TOTAL counts each deal once; the rows add up to it"
