"""FX rates: 1 unit of a currency = ``rate`` units of the reporting currency (USD), from ``as_of`` on.

:func:`parse_rate` is the one reading of a rate typed by a person (``tracker fx set`` and the totals pane's
rate form both call it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import Connection, func, select

from tracker.core.domain.errors import TrackerError
from tracker.core.storage.handles import FX
from tracker.core.storage.tables import REPORTING_CURRENCY


class RateError(TrackerError, ValueError):
    """A rate that is not a positive number; the message names the field and the text."""


def parse_rate(text: str, *, label: str = "rate") -> Decimal:
    """The rate typed as ``text`` (surrounding spaces ignored): a finite number above zero, kept exact.

    Anything else raises :class:`RateError` "``<label> '<text>': must be a positive number such as 0.14``";
    ``label`` names the field as the user knows it (``RATE``, the CLI's argument; ``rate``, the form's).
    """
    try:
        value = Decimal(text.strip())
        if not value.is_finite() or value <= 0:
            raise InvalidOperation
    except InvalidOperation:
        raise RateError(f"{label} {text!r}: must be a positive number such as 0.14") from None
    return value


@dataclass(frozen=True)
class Rate:
    """The rate of a currency from a day on."""

    currency: str
    rate: Decimal
    as_of: dt.date


def rates_at(conn: Connection, at: dt.date | None = None) -> dict[str, Rate]:
    """The rate of each currency in force on ``at`` (the latest when None); USD is always 1."""
    q = select(FX.c.currency, func.max(FX.c.as_of).label("as_of")).group_by(FX.c.currency)
    if at is not None:
        q = q.where(FX.c.as_of <= at)
    latest = q.subquery()
    rows = conn.execute(
        select(FX.c.currency, FX.c.rate, FX.c.as_of).join(
            latest, (latest.c.currency == FX.c.currency) & (latest.c.as_of == FX.c.as_of)
        )
    )
    out = {c: Rate(c, r, d) for c, r, d in rows}
    if REPORTING_CURRENCY not in out:
        out[REPORTING_CURRENCY] = Rate(REPORTING_CURRENCY, Decimal(1), dt.date(1970, 1, 1))
    return out


def latest_rates(conn: Connection) -> dict[str, Decimal]:
    """The latest rate of each currency (USD always 1)."""
    return {c: r.rate for c, r in rates_at(conn).items()}


def set_rate(conn: Connection, currency: str, rate: Decimal, as_of: dt.date) -> bool:
    """Insert or replace the rate of ``currency`` as of ``as_of``; True if it was new."""
    existing = conn.execute(select(FX.c.id).where(FX.c.currency == currency, FX.c.as_of == as_of)).scalar()
    if existing is None:
        conn.execute(FX.insert().values(currency=currency, rate=rate, as_of=as_of))
        return True
    conn.execute(FX.update().where(FX.c.id == existing).values(rate=rate))
    return False


def list_rates(conn: Connection) -> list[Rate]:
    """Every rate, by currency then date."""
    rows = conn.execute(select(FX.c.currency, FX.c.rate, FX.c.as_of).order_by(FX.c.currency, FX.c.as_of))
    return [Rate(c, r, d) for c, r, d in rows]
