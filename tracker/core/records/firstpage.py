"""The newest deals of a SQLite file read with the standard library alone, for the app's first screen.

Importing SQLAlchemy and SQLModel costs about a second; this module reads the first page, the deal count
and the latest FX rates with ``sqlite3`` so that the app can show real rows while the core loads. It is
read-only (``mode=ro``) and answers ``None`` whenever it is not sure (a PostgreSQL URL, a missing file,
an older or newer schema, any SQLite error): the app then simply waits for the core.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tracker.core.domain.rate_bounds import usable_rate
from tracker.core.domain.rows import DealRow
from tracker.core.domain.scaled import from_scaled
from tracker.core.domain.search_text import index_where, indexed_terms, like_pattern, search_terms
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
    more: bool = False
    """The count is a floor (a common word: more matches than were counted)."""


_ROWS = (
    "SELECT d.id, d.date, d.date_precision, d.kind, f.name, t.name, d.amount, d.currency, d.qualifier,"
    " d.capacity_gw, d.status, d.description, d.confidence FROM ({inner}) d"
    " JOIN organization f ON f.id = d.from_org_id LEFT JOIN organization t ON t.id = d.to_org_id"
    " ORDER BY d.date DESC, d.id DESC"
)
# A search's deals, newest first: taken from the index's ids when there are few, otherwise by walking the date
# index and comparing each deal's indexed text (as tracker/core/records/pages.py does with its own conditions).
_FEW = "SELECT * FROM deal WHERE id IN (SELECT value FROM json_each(?)) ORDER BY date DESC, id DESC LIMIT ?"
_MANY = "SELECT * FROM deal WHERE {likes} ORDER BY date DESC, id DESC LIMIT :limit"
_ONE = (
    "description LIKE :{n} ESCAPE '\\' OR source_outlet LIKE :{n} ESCAPE '\\' OR source_title LIKE :{n} ESCAPE '\\'"
    " OR kind LIKE :{n} ESCAPE '\\' OR from_org_id IN ({orgs}) OR to_org_id IN ({orgs}) OR id IN (SELECT ad.deal_id"
    " FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id WHERE l.name LIKE :{n} ESCAPE '\\')"
)
_ORGS = (
    "SELECT id FROM organization WHERE name LIKE :{n} ESCAPE '\\' UNION SELECT org_id FROM org_alias"
    " WHERE alias LIKE :{n} ESCAPE '\\'"
)


def _like(n: str) -> str:
    """A deal compared with one term (the pattern ``:n``), as tracker/core/records/pages.py's scan does."""
    return "(" + _ONE.format(n=n, orgs=_ORGS.format(n=n)) + ")"


def _decimal(scaled: int | str | None) -> Decimal | None:
    return None if scaled is None else from_scaled(scaled)


def _connect(target: str | None) -> sqlite3.Connection | None:
    """A read-only connection to an up-to-date SQLite database, or None."""
    path = sqlite_path(target)
    if path is None or not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return None
    try:
        if con.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,):
            return con
    except sqlite3.Error:
        pass
    con.close()
    return None


def _deal_rows(rows: list[tuple[Any, ...]]) -> list[DealRow]:
    return [
        DealRow(i, day, p, k, f, t, _decimal(a), c, q, _decimal(g), s, desc, day, None, conf)
        for i, d, p, k, f, t, a, c, q, g, s, desc, conf in rows
        for day in (dt.date.fromisoformat(str(d)[:10]),)
    ]


def _rates(con: sqlite3.Connection) -> dict[str, QuickRate]:
    rates = con.execute(
        "SELECT currency, rate FROM fx_rate r WHERE as_of = (SELECT max(as_of) FROM fx_rate s"
        " WHERE s.currency = r.currency)"
    ).fetchall()
    # a rate stored before rates were bounded is dropped, as the totals drop it (its deals: no USD figure)
    quick_rates = {c: QuickRate(v) for c, r in rates for v in (Decimal(r),) if usable_rate(v, c)}
    quick_rates.setdefault("USD", QuickRate(Decimal(1)))
    return quick_rates


def quick_search(target: str | None, text: str, limit: int = 100, cap: int = 20_000) -> QuickPage | None:
    """The ``limit`` newest deals matching the search ``text`` and how many match (up to ``cap``, then
    ``more``), from the search index, or None if not sure (a term under three characters, deals not yet
    indexed, anything this module does not read exactly as the core does)."""
    terms = search_terms(text)
    if not terms or indexed_terms(terms) != terms:
        return None
    con = _connect(target)
    if con is None:
        return None
    try:
        if con.execute("SELECT 1 FROM deal_search_gap WHERE lo < hi").fetchone() is not None:
            return None
        where, patterns = index_where(terms)
        ids = [r[0] for r in con.execute(f"SELECT rowid FROM deal_search WHERE {where} LIMIT ?", (*patterns, cap + 1))]
        if len(ids) <= cap:
            rows = con.execute(_ROWS.format(inner=_FEW), (json.dumps(ids), limit)).fetchall()
        else:
            inner = _MANY.format(likes=" AND ".join(_like(f"t{i}") for i in range(len(terms))))
            params = {f"t{i}": like_pattern(t) for i, t in enumerate(terms)}
            rows = con.execute(_ROWS.format(inner=inner), {**params, "limit": limit}).fetchall()
        return QuickPage(_deal_rows(rows), min(len(ids), cap), _rates(con), more=len(ids) > cap)
    except (sqlite3.Error, ValueError, ArithmeticError):
        return None
    finally:
        con.close()


def first_page(target: str | None, limit: int = 100) -> QuickPage | None:
    """The ``limit`` newest deals (date, then id, descending), or None if not sure."""
    con = _connect(target)
    if con is None:
        return None
    try:
        # The page is taken from the (date, id) index first, then joined: with the deals and the organisations
        # joined first, SQLite may walk every organisation's deals and sort them (0.5 s at 1M deals).
        rows = con.execute(
            "SELECT d.id, d.date, d.date_precision, d.kind, f.name, t.name, d.amount, d.currency, d.qualifier,"
            " d.capacity_gw, d.status, d.description, d.confidence"
            " FROM (SELECT * FROM deal ORDER BY date DESC, id DESC LIMIT ?) d"
            " JOIN organization f ON f.id = d.from_org_id LEFT JOIN organization t ON t.id = d.to_org_id"
            " ORDER BY d.date DESC, d.id DESC",
            (limit,),
        ).fetchall()
        # the running sums (schema 0004) hold the count: no walk of an index of a million entries
        count = con.execute("SELECT coalesce(sum(deals), 0) FROM period_total").fetchone()[0]
        return QuickPage(_deal_rows(rows), count, _rates(con))
    except (sqlite3.Error, ValueError, ArithmeticError):
        return None
    finally:
        con.close()
