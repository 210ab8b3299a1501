"""Settling checked rows against the database: which are new, which update a deal, which change nothing.

A row names its deal by ``id`` (an integer), by outside key (``ref``), or, in a table that already has
deals, by its natural key (tracker/core/csvio/matching.py). An update writes only the columns the file
has (:func:`changed_fields`); a row that changes nothing counts as unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, select, text

from tracker.core.csvio.batches import DealBatches
from tracker.core.csvio.matching import NaturalMatcher
from tracker.core.csvio.report import ImportReport
from tracker.core.csvio.stored import COLUMN_FIELDS, RAW_COLUMNS, STORED, raw_row
from tracker.core.domain.names import name_key
from tracker.core.storage.handles import ALLIANCE_DEAL, DEAL

SettleBatch = list[tuple[tuple[Any, ...], tuple[Any, ...]]]
"""(spooled row, its STORED values) pairs."""


class Settler:
    """``settler(batch)`` settles a batch of (spooled row, stored values): new rows go to ``writer``,
    updates are written at once, and ``report`` counts added / updated / unchanged."""

    def __init__(self, conn: Connection, writer: DealBatches, next_id: Callable[[], int], alliance_ids: dict[str, int],
                 report: ImportReport, present: frozenset[str], check_existing: bool) -> None:  # fmt: skip
        self.conn, self.writer, self.next_id, self.alliance_ids = conn, writer, next_id, alliance_ids
        self.report, self.present, self.check_existing = report, present, check_existing
        self.match = NaturalMatcher(conn) if check_existing else None

    def __call__(self, batch: SettleBatch) -> None:
        if not batch:
            return
        conn, writer, report, alliance_ids = self.conn, self.writer, self.report, self.alliance_ids
        by_id: dict[int, dict[str, Any]] = {}
        by_ref: dict[str, dict[str, Any]] = {}
        ids = [t[1] for t, _ in batch if t[1] is not None]
        refs = [t[2] for t, _ in batch if t[2] is not None]
        if ids or refs or self.check_existing:
            writer.flush()  # rows of earlier batches must be visible to the look-ups below
        if ids:
            for row in conn.execute(select(*RAW_COLUMNS).where(DEAL.c.id.in_(ids))):
                by_id[row[0]] = raw_row(row)
        if refs:
            for row in conn.execute(select(*RAW_COLUMNS).where(DEAL.c.ref.in_(refs))):
                r = raw_row(row)
                by_ref[r["ref"]] = r
        for t, stored in batch:
            deal_id, ref, alliances = t[1], t[2], t[3]
            old = None
            if deal_id is not None:
                old = by_id.get(deal_id)
            elif ref is not None:
                old = by_ref.get(ref)
            elif self.match is not None:
                old = self.match(stored)
            if old is None:
                if deal_id is None:
                    deal_id = self.next_id()
                writer.add((deal_id, *stored))
                if alliances:
                    for a in alliances:
                        writer.link(alliance_ids[name_key(a)], deal_id)
                report.added += 1
                continue
            new = dict(zip(STORED, stored, strict=True))
            changed = changed_fields(self.present, ref, old, new)
            links_changed = False
            if alliances is not None:
                wanted = {alliance_ids[name_key(a)] for a in alliances}
                have = set(
                    conn.execute(
                        select(ALLIANCE_DEAL.c.alliance_id).where(ALLIANCE_DEAL.c.deal_id == old["id"])
                    ).scalars()
                )
                if wanted != have:
                    links_changed = True
                    conn.execute(ALLIANCE_DEAL.delete().where(ALLIANCE_DEAL.c.deal_id == old["id"]))
                    for a_id in wanted:
                        writer.link(a_id, old["id"])
            if changed:
                sets = ", ".join(f"{c} = :{c}" for c in changed)
                conn.execute(
                    text(f"UPDATE deal SET {sets} WHERE id = :id"), {**{c: new[c] for c in changed}, "id": old["id"]}
                )
            if changed or links_changed:
                report.updated += 1
            else:
                report.unchanged += 1


def changed_fields(present: frozenset[str], ref: str | None, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The stored fields that differ between ``old`` and ``new``, among those the file's columns
    (``present``) decide; a row without an outside key (``ref``) leaves the deal's one alone."""
    fields: list[str] = []
    for column in present:
        for f in COLUMN_FIELDS.get(column, ()):
            if f not in fields:
                fields.append(f)
    for f in ("date", "kind", "from_org_id"):  # required columns are always present
        if f not in fields:
            fields.append(f)
    if "date" in fields and "date_precision" not in fields:
        fields.append("date_precision")
    if ref is None and "ref" in fields:
        fields.remove("ref")  # an integer id does not clear an outside key
    return [f for f in fields if old.get(f) != new.get(f)]
