"""Settling checked rows against the database: which are new, which update a deal, which change nothing.

A row names its deal by ``id`` (an integer), by outside key (``ref``), or, in a table that already has
deals, by its natural key (tracker/core/csvio/matching.py: one to one, in sets). An update writes only the
columns the file has (:func:`changed_fields`); a row that changes nothing counts as unchanged.

What only the database can tell is checked here, inside the import's transaction, and reported like a
bad row of pass one (the caller raises ImportFailed: nothing is written): a ``ref`` that another deal
holds (a ref names one deal; it may be taken over only from a deal this file gave another ref earlier),
two rows naming the same deal in different ways (an id and a ref), and a row left without a deal id
because the largest one (:data:`~tracker.core.domain.fields.MAX_ID`) is taken.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, select, text

from tracker.core.csvio.batches import DealBatches
from tracker.core.csvio.matching import NaturalMatcher, natural_key
from tracker.core.csvio.report import ImportReport, RowError
from tracker.core.csvio.stored import COLUMN_FIELDS, RAW_COLUMNS, STORED, raw_row
from tracker.core.domain.names import alliance_key
from tracker.core.records.source_add import SOURCE_COLUMNS, add_new_source
from tracker.core.storage.handles import ALLIANCE_DEAL, DEAL

SettleBatch = list[tuple[tuple[Any, ...], tuple[Any, ...]]]
"""(spooled row, its STORED values) pairs."""
NextId = Callable[[], "int | None"]
"""The id of the next new row without one, or None when none is left."""


class Settler:
    """``settler(batch)`` settles a batch of (spooled row, stored values): new rows go to ``writer``,
    updates are written at once, and ``report`` counts added / updated / unchanged (and the rows that
    cannot be written, as errors).

    ``matcher``: natural matching, for a table that already had deals; ``mixed``: the file names deals in
    more than one way (ids, refs, natural keys), so each deal it reaches is remembered, to refuse a second
    row reaching it again.
    """

    def __init__(self, conn: Connection, writer: DealBatches, next_id: NextId, alliance_ids: dict[str, int],
                 report: ImportReport, present: frozenset[str], matcher: NaturalMatcher | None,
                 mixed: bool = False) -> None:  # fmt: skip
        self.conn, self.writer, self.next_id, self.alliance_ids = conn, writer, next_id, alliance_ids
        self.report, self.present, self.match = report, present, matcher
        self.reached: dict[int, int] | None = {} if mixed else None  # deal id -> line of the row reaching it
        self.released: set[str] = set()  # refs a deal of this import gave up (for another)
        self.touched: list[int] = []  # deals added or updated: their first source and confidence settled after
        self.extras: dict[int, tuple[str | None, ...]] = {}  # deal id -> the rest of its first source (t[-1])

    def __call__(self, batch: SettleBatch) -> None:
        if not batch:
            return
        conn, writer = self.conn, self.writer
        by_id: dict[int, dict[str, Any]] = {}
        by_ref: dict[str, dict[str, Any]] = {}
        ids = [t[1] for t, _ in batch if t[1] is not None]
        refs = [t[2] for t, _ in batch if t[2] is not None]
        if ids or refs or self.match is not None:
            writer.flush()  # rows of earlier batches must be visible to the look-ups below
        if ids:
            for row in conn.execute(select(*RAW_COLUMNS).where(DEAL.c.id.in_(ids))):
                by_id[row[0]] = raw_row(row)
        if refs:
            for row in conn.execute(select(*RAW_COLUMNS).where(DEAL.c.ref.in_(refs))):
                r = raw_row(row)
                by_ref[r["ref"]] = r
        natural: list[dict[str, Any] | None] = []
        if self.match is not None:
            natural = self.match.match([natural_key(s) for t, s in batch if t[1] is None and t[2] is None])
        olds: list[dict[str, Any] | None] = []
        n = 0
        for t, _stored in batch:
            deal_id, ref = t[1], t[2]
            if deal_id is not None:
                olds.append(by_id.get(deal_id))
            elif ref is not None:
                olds.append(by_ref.get(ref))
            elif self.match is not None:
                olds.append(natural[n])
                n += 1
            else:
                olds.append(None)
        links = self._links(
            [o["id"] for (t, _), o in zip(batch, olds, strict=True) if o is not None and t[3] is not None]
        )
        for (t, stored), old in zip(batch, olds, strict=True):
            if t[1] is None and t[2] in self.released:
                old = None  # its deal gave this ref up, on an earlier line: it is free for a new deal
            if self._refused(t, old, by_ref):
                continue
            if old is None:
                self._add(t, stored)
            else:
                self._update(t, stored, old, links.get(old["id"], set()))

    def _links(self, deal_ids: list[int]) -> dict[int, set[int]]:
        """The alliances linked to each of ``deal_ids`` (one query)."""
        out: dict[int, set[int]] = {}
        for i in range(0, len(deal_ids), 1000):
            rows = self.conn.execute(
                select(ALLIANCE_DEAL.c.deal_id, ALLIANCE_DEAL.c.alliance_id).where(
                    ALLIANCE_DEAL.c.deal_id.in_(deal_ids[i : i + 1000])
                )
            )
            for deal_id, alliance_id in rows:
                out.setdefault(deal_id, set()).add(alliance_id)
        return out

    def _refused(self, t: tuple[Any, ...], old: dict[str, Any] | None, by_ref: dict[str, dict[str, Any]]) -> bool:
        """Whether the row ``t`` cannot be written as it stands (an error noted in the report)."""
        line, deal_id, ref = t[0], t[1], t[2]
        if ref is not None and deal_id is not None:
            holder = by_ref.get(ref)
            if holder is not None and holder["id"] != deal_id and ref not in self.released:
                self.report.add_error(RowError(
                    line, "ref", ref, f"is deal {holder['id']}'s ref (a ref names one deal; give that deal "
                                      f"another ref first, on an earlier line or in an earlier import)",
                ))  # fmt: skip
                return True
        if self.reached is not None and old is not None:
            earlier = self.reached.get(old["id"])
            if earlier is not None:
                self.report.add_error(RowError(
                    line, "id", str(deal_id if deal_id is not None else ref or ""),
                    f"names deal {old['id']}, which line {earlier} already names (by id or ref)",
                ))  # fmt: skip
                return True
            self.reached[old["id"]] = line
        return False

    def _add(self, t: tuple[Any, ...], stored: tuple[Any, ...]) -> None:
        deal_id, alliances = t[1], t[3]
        if deal_id is None:
            deal_id = self.next_id()
            if deal_id is None:
                self.report.add_error(RowError(
                    t[0], "", "", "no deal id is left for this row: the largest, 9223372036854775807, is taken "
                                    "(give the row an id of a deal to update)",
                ))  # fmt: skip
                return
        if self.report.error_count:
            return  # nothing will be written: do not write on
        self.writer.add((deal_id, *stored))
        self.touched.append(deal_id)
        if t[-1] is not None:
            self.extras[deal_id] = t[-1]
        for a in alliances or ():
            self.writer.link(self.alliance_ids[alliance_key(a)], deal_id)
        if t[2] is not None:
            self.released.discard(t[2])
        self.report.added += 1

    def _update(self, t: tuple[Any, ...], stored: tuple[Any, ...], old: dict[str, Any], have: set[int]) -> None:
        ref, alliances = t[2], t[3]
        new = dict(zip(STORED, stored, strict=True))
        changed = changed_fields(self.present, ref, old, new)
        if self.report.error_count:
            return
        added_source = False
        if (
            any(c in SOURCE_COLUMNS for c in changed)
            and old["source_url"] != new["source_url"]
            and any(old[c] is not None for c in SOURCE_COLUMNS)
        ):  # another source of a deal that has one: added to its sources, its first source kept
            changed = [c for c in changed if c not in SOURCE_COLUMNS]
            added_source = add_new_source(self.conn, old["id"], new, t[-1])
            self.report.sources_added += added_source
        elif t[-1] is not None:
            self.extras[old["id"]] = t[-1]
            self.touched.append(old["id"])
        links_changed = False
        if alliances is not None:
            wanted = {self.alliance_ids[alliance_key(a)] for a in alliances}
            if wanted != have:
                links_changed = True
                self.conn.execute(ALLIANCE_DEAL.delete().where(ALLIANCE_DEAL.c.deal_id == old["id"]))
                for a_id in wanted:
                    self.writer.link(a_id, old["id"])
        if changed:
            if "ref" in changed and old["ref"] is not None:
                self.released.add(old["ref"])
            if ref is not None:
                self.released.discard(ref)
            sets = ", ".join(f"{c} = :{c}" for c in changed)
            self.conn.execute(
                text(f"UPDATE deal SET {sets} WHERE id = :id"), {**{c: new[c] for c in changed}, "id": old["id"]}
            )
        if changed or links_changed:
            self.report.updated += 1
            self.touched.append(old["id"])
        elif not added_source:
            self.report.unchanged += 1


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
