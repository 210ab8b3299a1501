"""Natural matching: the existing deal a row without an id or ref stands for, if any.

Two deals are the same when date, kind, both parties, amount and currency agree; the lowest id wins.
On SQLite one prepared statement runs on the driver (this is per row, in a re-import of a big file);
elsewhere a SQLAlchemy query.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Connection, select, type_coerce

from tracker.core.csvio.stored import RAW_COLUMNS, STORED, raw_row
from tracker.core.storage.handles import DEAL


class NaturalMatcher:
    """``matcher(stored)``: an existing deal with the same date, kind, parties, amount and currency (the
    lowest id) as the :data:`~tracker.core.csvio.stored.STORED` values ``stored``, as a raw row, or None."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        if self.sqlite:  # one prepared statement; ``IS`` is SQLite's null-safe equality
            cols = ", ".join(f"CAST({c} AS VARCHAR)" if c == "date" else c for c in ("id", *STORED))
            self.sql = (
                f"SELECT {cols} FROM deal WHERE date = ? AND kind = ? AND from_org_id = ? AND to_org_id IS ? "
                "AND amount IS ? AND currency IS ? ORDER BY id LIMIT 1"
            )

    def __call__(self, stored: tuple[Any, ...]) -> dict[str, Any] | None:
        if self.sqlite:
            dbapi: Any = self.conn.connection.driver_connection
            row = dbapi.execute(self.sql, (*stored[0:1], stored[2], *stored[3:6], stored[6])).fetchone()
            return raw_row(row) if row is not None else None
        return match_natural(self.conn, dict(zip(STORED, stored, strict=True)))


def match_natural(conn: Connection, new: dict[str, Any]) -> dict[str, Any] | None:
    """An existing deal with the same date, kind, parties, amount and currency as ``new`` (stored values)."""

    def eq(col: Any, value: Any) -> Any:
        return col.is_(None) if value is None else col == value

    stmt = (
        select(*RAW_COLUMNS)
        .where(
            DEAL.c.date == dt.date.fromisoformat(new["date"]),
            DEAL.c.kind == new["kind"],
            DEAL.c.from_org_id == new["from_org_id"],
            eq(DEAL.c.to_org_id, new["to_org_id"]),
            eq(type_coerce(DEAL.c.amount, BigInteger), new["amount"]),
            eq(DEAL.c.currency, new["currency"]),
        )
        .order_by(DEAL.c.id)
        .limit(1)
    )
    row = conn.execute(stmt).first()
    return raw_row(row) if row is not None else None
