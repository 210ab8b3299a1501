"""The batches pass two writes: new deal rows (one bulk insert per batch) and alliance links.

New rows go in with :func:`tracker.core.storage.dialect.insert_rows` (``executemany`` on SQLite, ``COPY``
on PostgreSQL), :data:`BATCH` at a time; during a bulk load their running sums are added up as they go
(:attr:`DealBatches.sums`), the triggers being off.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert

from tracker.core.csvio.stored import STORED
from tracker.core.storage.dialect import insert_rows
from tracker.core.storage.handles import ALLIANCE_DEAL
from tracker.core.storage.sums import Accumulator

BATCH = 5000
"""New deal rows per bulk insert."""
COLUMNS = ("id", *STORED)
"""The columns of a pending row."""


class DealBatches:
    """Batches of new rows and alliance links inside the import's transaction.

    :meth:`add` a row (``id`` then the ``STORED`` values), :meth:`link` an alliance to a deal, and
    :meth:`flush` before anything reads the deal table back (and at the end).
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pending: list[tuple[Any, ...]] = []  # (id, *STORED)
        self.links: list[dict[str, int]] = []
        self.sums: Accumulator | None = None  # set for a bulk load with the running-sums triggers off

    def add(self, row: tuple[Any, ...]) -> None:
        self.pending.append(row)
        if len(self.pending) >= BATCH:
            self.flush()

    def link(self, alliance_id: int, deal_id: int) -> None:
        self.links.append({"alliance_id": alliance_id, "deal_id": deal_id})

    def flush(self) -> None:
        if self.pending:
            if self.sums is not None:  # (id, date, precision, kind, from, to, amount, currency, qualifier, text, gw,
                # gw qualifier, ...)
                self.sums.add_many((r[1], r[3], r[4], r[5], r[6], r[7], r[8], r[10], r[11]) for r in self.pending)
            insert_rows(self.conn, "deal", COLUMNS, self.pending)
            self.pending.clear()
        if self.links:
            self.conn.execute(insert(ALLIANCE_DEAL), self.links)
            self.links.clear()
