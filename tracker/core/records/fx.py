"""FX rates: 1 unit of a currency = ``rate`` units of the reporting currency (USD), from ``as_of`` on.

:func:`parse_rate` is the one reading of a rate typed by a person or read from a file (``tracker fx set``,
the totals pane's rate form, ``import --all``'s fx_rates.csv): a number from :data:`MIN_RATE` to
:data:`MAX_RATE` (tracker/core/domain/rate_bounds.py) that fits the rate column written out (:data:`MAX_TEXT` characters), and 1 for USD.

The bounds are what the totals' exact arithmetic supports (tracker/core/analysis/running.py and figures.py):
an amount is at most 10^18 units (schema 0007); a converted figure, ``Σ amount × rate / rate(reporting)``, is rounded
with 60 significant digits to 4 decimal places, so the ratio of two rates (at most 10^18 here) times a
sum of amounts must stay well under 10^56; a rate shown with 6 decimals in the default context (28 digits)
needs the ratio under 10^22; the app's USD column multiplies an amount by a rate in 28 digits
(10^18 × 10^9 = 10^27, whole dollars). The rate column holds 40 characters (PostgreSQL refuses more, SQLite would keep
them): a rate of up to 40 digits stays exact on the totals' Decimal path (200 digits), and on the fast SQL
path up to 18 decimals (``MAX_RATE_DECIMALS``). Real rates sit far inside: the rial near 10^-6, gold near
4·10^3.

A rate already stored outside the bounds (written before they existed) is not used: :func:`rates_at`
leaves it out, so its currency is reported apart, unconverted ("no rate"), instead of failing every totals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import Connection, func, select

from tracker.core.domain.errors import TrackerError
from tracker.core.domain.rate_bounds import MAX_RATE, MIN_RATE, usable_rate
from tracker.core.storage.handles import FX
from tracker.core.storage.tables import REPORTING_CURRENCY

MAX_TEXT = 40
"""The longest rate written out in full (``format(rate, "f")``, as the rate column stores it: 40 characters)."""


class RateError(TrackerError, ValueError):
    """A rate that is not a positive number in bounds; the message names the field and the text."""


def parse_rate(text: str, *, label: str = "rate", currency: str | None = None) -> Decimal:
    """The rate typed as ``text`` (surrounding spaces ignored): a finite number above zero, kept exact.

    Anything else raises :class:`RateError` "``<label> '<text>': must be a positive number such as 0.14``";
    a number outside MIN_RATE..MAX_RATE or longer than MAX_TEXT characters written out is refused saying so;
    with ``currency`` given, the reporting currency's rate must be 1. ``label`` names the field as the user
    knows it (``RATE``, the CLI's argument; ``rate``, the form's; ``rate`` of a file's line).
    """
    try:
        value = Decimal(text.strip())
        if not value.is_finite() or value <= 0:
            raise InvalidOperation
    except InvalidOperation:
        raise RateError(f"{label} {text!r}: must be a positive number such as 0.14") from None
    check_rate(value, label=label, text=text, currency=currency)
    return value


def check_rate(value: Decimal, *, label: str = "rate", text: str | None = None, currency: str | None = None) -> None:
    """Raise :class:`RateError` unless ``value`` is a rate :func:`parse_rate` accepts (for rates that arrive
    as Decimals; ``text``: how the user wrote it, for the message)."""
    shown = repr(text) if text is not None else repr(str(value))
    if not value.is_finite() or value <= 0:
        raise RateError(f"{label} {shown}: must be a positive number such as 0.14")
    if not MIN_RATE <= value <= MAX_RATE:
        raise RateError(
            f"{label} {shown}: must be between {MIN_RATE:f} and {MAX_RATE:f} ({REPORTING_CURRENCY} per unit)"
        )
    if len(format(value, "f")) > MAX_TEXT:
        raise RateError(f"{label} {shown}: too precise (at most {MAX_TEXT} characters written out in full)")
    if currency == REPORTING_CURRENCY and value != 1:
        raise RateError(f"{label} {shown}: {REPORTING_CURRENCY} is the reporting currency; its rate is 1")


@dataclass(frozen=True)
class Rate:
    """The rate of a currency from a day on."""

    currency: str
    rate: Decimal
    as_of: dt.date


def _in_force(conn: Connection, at: dt.date | None) -> list[tuple[str, Decimal, dt.date]]:
    """(currency, rate, as_of) of the rate in force on ``at`` for each currency stored."""
    q = select(FX.c.currency, func.max(FX.c.as_of).label("as_of")).group_by(FX.c.currency)
    if at is not None:
        q = q.where(FX.c.as_of <= at)
    latest = q.subquery()
    rows = conn.execute(
        select(FX.c.currency, FX.c.rate, FX.c.as_of).join(
            latest, (latest.c.currency == FX.c.currency) & (latest.c.as_of == FX.c.as_of)
        )
    )
    return [(c, r, d) for c, r, d in rows]


def _usable(currency: str, rate: Decimal) -> bool:
    return usable_rate(rate, currency)


def rates_at(conn: Connection, at: dt.date | None = None) -> dict[str, Rate]:
    """The rate of each currency in force on ``at`` (the latest when None); USD is always 1. A currency whose
    rate in force is not usable (stored before the bounds, outside them; a USD rate other than 1) has none:
    :func:`unusable_rates` lists those."""
    out = {c: Rate(c, r, d) for c, r, d in _in_force(conn, at) if _usable(c, r)}
    if REPORTING_CURRENCY not in out:
        out[REPORTING_CURRENCY] = Rate(REPORTING_CURRENCY, Decimal(1), dt.date(1970, 1, 1))
    return out


def unusable_rates(conn: Connection, at: dt.date | None = None) -> dict[str, Rate]:
    """The rates in force on ``at`` that :func:`rates_at` leaves out (outside MIN_RATE..MAX_RATE, or a USD
    rate other than 1), to say why a currency has no rate."""
    return {c: Rate(c, r, d) for c, r, d in _in_force(conn, at) if not _usable(c, r)}


def latest_rates(conn: Connection) -> dict[str, Decimal]:
    """The latest rate of each currency (USD always 1)."""
    return {c: r.rate for c, r in rates_at(conn).items()}


def set_rate(conn: Connection, currency: str, rate: Decimal, as_of: dt.date) -> bool:
    """Insert or replace the rate of ``currency`` as of ``as_of``; True if it was new. A rate that
    :func:`parse_rate` would refuse raises :class:`RateError` (nothing is written)."""
    check_rate(rate, currency=currency)
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
