"""The deals table's `PageSource`: keyset pages out of the core, formatted as plain text cells.

Imported only from thread workers once the database is open (it pulls in SQLAlchemy via the core).
Every call opens a short read transaction, so another process's writes show up on the next query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from tracker.core.domain.rows import DealRow
from tracker.core.records.alliances import deal_alliances
from tracker.core.records.fx import Rate, rates_at
from tracker.core.records.pages import DealFilter, count_deals, count_upto, matching_ids, page
from tracker.core.records.valuesort import page_by_value
from tracker.core.storage.handle import Database
from tracker.ui.sources.cells import cells_of, columns_for
from tracker.ui.sources.query import DealQuery
from tracker.ui.widgets.table_data import Column, Row

COUNT_CAP = 20_000
"""A text filter is counted up to this many deals first (from the search index: fast); the exact count follows
in the background. Over it a word is common (2% of a million deals): pages walk the sort order and stop soon."""

FEW = 5_000
"""A text filter first reads up to this many ids (one reading of the index): a rare word (most searches) is
then counted and known at once. Past it, the count (ids stay in SQLite) says whether to read the ids again."""


class DealSource:
    """Pages of deals under one `DealQuery` (a new query makes a new source)."""

    def __init__(self, db: Database, query: DealQuery) -> None:
        self.db = db
        self.query = query
        self.columns: Sequence[Column] = columns_for(query.columns)
        self._base = query.to_filter()
        self._filter = self._base
        """What pages are read with: `_base`, or `_base` narrowed to the ids the last count found."""
        self._rates: dict[str, Rate] | None = None
        self.exact_count: int | None = None
        self.exact_pending = False
        self.capped = False
        """True when `count()` returned COUNT_CAP + 1 and `count_exactly()` has not run yet."""

    @property
    def page_filter(self) -> DealFilter:
        """What pages are read with: the query's filter, or that filter narrowed to the ids the last count
        found (under the cap, every match is known)."""
        return self._filter

    def _convert(self, conn: Any, rows: list[DealRow]) -> list[Row]:
        if self._rates is None:
            self._rates = rates_at(conn)
        extra = self.query.columns
        alliances = deal_alliances(conn, [r.id for r in rows]) if "alliances" in extra and rows else None
        return [Row(key=r.key, id=r.id, cells=cells_of(r, self._rates, extra, alliances)) for r in rows]

    def _page(self, **where: Any) -> list[Row]:
        q = self.query
        with self.db.read() as conn:
            if q.sort == "value":
                rows = page_by_value(conn, self._filter, descending=q.descending, **where)
            else:
                rows = page(conn, self._filter, sort=q.sort, descending=q.descending, **where)
            return self._convert(conn, rows)

    def count(self) -> int:
        if self.exact_count is not None:
            return self.exact_count
        with self.db.read() as conn:
            if not self._base.text.strip():
                return count_deals(conn, self._base)
            ids = matching_ids(conn, self._base, FEW + 1)  # a rare word: every match in one reading of the index
            n = len(ids)
            if n > FEW:
                n = count_upto(conn, self._base, COUNT_CAP + 1)  # a common word stops here, ids never in Python
                ids = matching_ids(conn, self._base, COUNT_CAP) if n <= COUNT_CAP else []
        self.capped = n > COUNT_CAP
        # Under the cap every match is known: until the next count (every reload counts again), pages look
        # these deals up by id instead of walking a million rows in sort order to find a few, and compare
        # each again (a deal edited meanwhile to no longer match stays out). Over the cap the word is common:
        # pages walk the sort order comparing each deal, and stop soon.
        self._filter = replace(self._base, by_row=True, deal_ids=None if self.capped else tuple(ids))
        return n

    def count_exactly(self) -> int:
        """The exact count (slow for a text filter on a big database); later `count()` calls reuse it."""
        with self.db.read() as conn:
            self.exact_count = count_deals(conn, self._base)
        self.capped = False
        return self.exact_count

    def page_after(self, key: Any | None, limit: int) -> list[Row]:
        return self._page(after=key, limit=limit)

    def page_before(self, key: Any, limit: int) -> list[Row]:
        return self._page(before=key, limit=limit)

    def page_at(self, index: int, limit: int) -> list[Row]:
        return self._page(offset=index, limit=limit)
