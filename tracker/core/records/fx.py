"""FX rates: 1 unit of a currency = ``rate`` units of the reporting currency (USD), from ``as_of`` on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, func, select

from tracker.core.storage.tables import REPORTING_CURRENCY, FxRate

FX = FxRate.__table__


@dataclass(frozen=True)
class Rate:
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
    rows = conn.execute(select(FX.c.currency, FX.c.rate, FX.c.as_of).order_by(FX.c.currency, FX.c.as_of))
    return [Rate(c, r, d) for c, r, d in rows]
