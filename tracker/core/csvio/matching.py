"""Natural matching: the existing deal a row without an id or ref stands for, if any, one to one.

A row's natural key is its date, kind, both parties, amount and currency. The rule, whatever the batch
size and whatever the database holds:

- Each row of a file is its own deal. Identical rows of one file are several deals (two plants bought on
  the same day for the same amount are two deals), never one deal updated twice.
- Rows are matched only to deals that existed before the import began, and never to a deal that another
  row of the same file names by id or ``ref`` (that row settles it).
- The rows with a given natural key, in file order, take the stored deals with that key, in id order, one
  each; rows left over are new deals. So an import of a file into an empty database gives one deal per
  row, and importing the same file again matches every row to the deal it made: nothing changes.

Matching is done in sets, not a query a row: per batch, one query for the candidates of the batch's keys
(on the index of ``from_org_id, date``; compared in full in Python) and one for the rows they take. A
key's candidates left over are remembered for later batches (up to :data:`CACHE_KEYS` keys).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, String, cast, select, tuple_

from tracker.core.csvio.stored import RAW_COLUMNS, STORED, raw_row
from tracker.core.storage.handles import AMOUNT_DIGITS, DEAL

NaturalKey = tuple[Any, ...]
"""(date as ISO text, kind, from_org_id, to_org_id, amount as stored, currency)."""
QUERY_ROWS = 500
"""Natural keys per query (3 parameters each)."""
CACHE_KEYS = 100_000
"""Natural keys whose remaining candidates are remembered between batches (then forgotten and asked again:
the deals already taken are skipped either way)."""
_SQLITE_CANDIDATES = (
    "SELECT d.id, d.ref, d.date, d.kind, d.from_org_id, d.to_org_id, d.amount, d.currency "
    "FROM (VALUES {}) AS v CROSS JOIN deal AS d ON d.from_org_id = v.column1 AND d.date = v.column2"
)
"""The candidates of (from_org_id, date) pairs on SQLite, where the date is ISO text and amounts their digits."""
_SQLITE_ROWS = f"SELECT {', '.join(('id', *STORED))} FROM deal WHERE id IN ({{}})"
"""The raw rows (tracker/core/csvio/stored.py: RAW_COLUMNS) of some deals on SQLite."""
_KEY_COLUMNS = (DEAL.c.id, DEAL.c.ref, cast(DEAL.c.date, String), DEAL.c.kind, DEAL.c.from_org_id, DEAL.c.to_org_id,
                AMOUNT_DIGITS, DEAL.c.currency)  # fmt: skip


def natural_key(stored: Sequence[Any]) -> NaturalKey:
    """The natural key of the :data:`~tracker.core.csvio.stored.STORED` values ``stored``."""
    return (stored[0], stored[2], stored[3], stored[4], stored[5], stored[6])


class NaturalMatcher:
    """``matcher.match(keys)``: for each natural key of a batch (in file order) the stored deal it takes
    (a raw row), or None for a new deal; see the module's docstring for the rule.

    ``before``: the largest deal id when the import began (later ids are the import's own); ``named_ids`` /
    ``named_refs``: the deals other rows of the file name.
    """

    def __init__(self, conn: Connection, before: int, named_ids: frozenset[int] = frozenset(),
                 named_refs: frozenset[str] = frozenset()) -> None:  # fmt: skip
        self.conn, self.before = conn, before
        self.sqlite = conn.dialect.name == "sqlite"
        self.named_ids, self.named_refs = named_ids, named_refs
        self.taken: set[int] = set()  # deals already matched by an earlier row
        self.remaining: dict[NaturalKey, list[int]] = {}  # key -> its candidates' ids, highest first

    def match(self, keys: list[NaturalKey]) -> list[dict[str, Any] | None]:
        if not keys:
            return []
        remaining, taken = self.remaining, self.taken
        if len(remaining) > CACHE_KEYS:
            remaining.clear()
        self._ask([k for k in dict.fromkeys(keys) if k not in remaining])
        chosen: list[int | None] = []
        for key in keys:
            ids = remaining[key]
            while ids and ids[-1] in taken:
                ids.pop()
            if ids:
                deal_id = ids.pop()
                taken.add(deal_id)
                chosen.append(deal_id)
            else:
                chosen.append(None)
        rows = self._rows([i for i in chosen if i is not None])
        return [rows[i] if i is not None else None for i in chosen]

    def _rows(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        """The raw rows of the deals ``ids``."""
        rows: dict[int, dict[str, Any]] = {}
        for i in range(0, len(ids), QUERY_ROWS * 2):
            chunk = ids[i : i + QUERY_ROWS * 2]
            if self.sqlite:  # on the driver: SQLAlchemy's expanding IN costs more than the query here
                found: Any = self.conn.exec_driver_sql(_SQLITE_ROWS.format(", ".join("?" * len(chunk))), tuple(chunk))
            else:
                found = self.conn.execute(select(*RAW_COLUMNS).where(DEAL.c.id.in_(chunk)))
            for r in found:
                row = raw_row(r)
                rows[row["id"]] = row
        return rows

    def _ask(self, keys: list[NaturalKey]) -> None:
        """Note the candidates of ``keys``: stored deals of the import's start with that key, not named by
        another row of the file."""
        asked: dict[NaturalKey, list[int]] = {key: [] for key in keys}
        probes = sorted({(k[2], k[0]) for k in keys})  # (from_org_id, date): the index's first two columns
        cols = tuple_(DEAL.c.from_org_id, DEAL.c.date)
        for i in range(0, len(probes), QUERY_ROWS):
            chunk = probes[i : i + QUERY_ROWS]
            found: Any
            if self.sqlite:  # a join on VALUES: SQLite looks each pair up in the index (a row-value IN scans)
                values = ", ".join("(?, ?)" for _ in chunk)
                found = self.conn.exec_driver_sql(_SQLITE_CANDIDATES.format(values), tuple(x for p in chunk for x in p))
            else:
                found = self.conn.execute(
                    select(*_KEY_COLUMNS).where(cols.in_([(f, dt.date.fromisoformat(d)) for f, d in chunk]))
                )
            for deal_id, ref, date, kind, from_id, to_id, amount, currency in found:
                ids = asked.get((str(date)[:10], kind, from_id, to_id, amount, currency))
                if (ids is not None and deal_id <= self.before and deal_id not in self.named_ids
                        and ref not in self.named_refs):  # fmt: skip
                    ids.append(deal_id)
        for ids in asked.values():
            ids.sort(reverse=True)
        self.remaining.update(asked)
