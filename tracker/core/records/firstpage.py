"""The newest deals of a SQLite file read with the standard library alone, for the app's first screen.

Importing SQLAlchemy and SQLModel costs about a second; this module reads the first page, the deal count
and the latest FX rates with ``sqlite3`` so that the app can show real rows while the core loads. It is
read-only (``mode=ro``) and answers ``None`` whenever it is not sure (a PostgreSQL URL, a missing file,
an older or newer schema, any SQLite error): the app then simply waits for the core.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from decimal import Decimal

from tracker.core.domain.rate_bounds import usable_rate
from tracker.core.domain.rows import DealRow
from tracker.core.domain.scaled import from_scaled
from tracker.core.storage.target import sqlite_path
from tracker.migrations import HEAD


@dataclass(frozen=True)
class QuickRate:
    rate: Decimal


@dataclass(frozen=True)
class QuickPage:
    rows: list[DealRow]
    count: int
    rates: dict[str, QuickRate]


def _decimal(scaled: int | None) -> Decimal | None:
    return None if scaled is None else from_scaled(scaled)


def first_page(target: str | None, limit: int = 100) -> QuickPage | None:
    """The ``limit`` newest deals (date, then id, descending), or None if not sure."""
    path = sqlite_path(target)
    if path is None or not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return None
    try:
        if con.execute("SELECT version_num FROM alembic_version").fetchone() != (HEAD,):
            return None
        # The page is taken from the (date, id) index first, then joined: with the deals and the organisations
        # joined first, SQLite may walk every organisation's deals and sort them (0.5 s at 1M deals).
        rows = con.execute(
            "SELECT d.id, d.date, d.date_precision, d.kind, f.name, t.name, d.amount, d.currency, d.qualifier,"
            " d.capacity_gw, d.status, d.description"
            " FROM (SELECT * FROM deal ORDER BY date DESC, id DESC LIMIT ?) d"
            " JOIN organization f ON f.id = d.from_org_id LEFT JOIN organization t ON t.id = d.to_org_id"
            " ORDER BY d.date DESC, d.id DESC",
            (limit,),
        ).fetchall()
        # the running sums (schema 0004) hold the count: no walk of an index of a million entries
        count = con.execute("SELECT coalesce(sum(deals), 0) FROM period_total").fetchone()[0]
        rates = con.execute(
            "SELECT currency, rate FROM fx_rate r WHERE as_of = (SELECT max(as_of) FROM fx_rate s"
            " WHERE s.currency = r.currency)"
        ).fetchall()
        page = [
            DealRow(i, day, p, k, f, t, _decimal(a), c, q, _decimal(g), s, desc, day)
            for i, d, p, k, f, t, a, c, q, g, s, desc in rows
            for day in (dt.date.fromisoformat(str(d)[:10]),)
        ]
        # a rate stored before rates were bounded is dropped, as the totals drop it (its deals: no USD figure)
        quick_rates = {c: QuickRate(v) for c, r in rates for v in (Decimal(r),) if usable_rate(v, c)}
        quick_rates.setdefault("USD", QuickRate(Decimal(1)))
        return QuickPage(page, count, quick_rates)
    except (sqlite3.Error, ValueError, ArithmeticError):
        return None
    finally:
        con.close()
