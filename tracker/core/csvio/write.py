"""Pass two of the import: write the checked rows, all in the caller's transaction (all or nothing).

Organisations and alliances first (tracker/core/csvio/parties.py), then the rows block by block: each
settled (new, update, unchanged: tracker/core/csvio/settle.py), new ones batched. A bulk load into an
empty deal table drops the table's plain indexes and turns the running-sums triggers off
(:func:`tracker.core.storage.sums.bulk_load`), adding the sums up in Python, and builds the indexes once
at the end; inside the transaction, so a failure rolls the switch back too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import nullcontext
from typing import IO, Any

from sqlalchemy import Connection, func, select

from tracker.core.csvio.batches import DealBatches
from tracker.core.csvio.check import Plan
from tracker.core.csvio.matching import NaturalMatcher
from tracker.core.csvio.parties import NewNames, create_parties, create_planned
from tracker.core.csvio.report import ImportFailed, ImportReport
from tracker.core.csvio.settle import NextId, Settler
from tracker.core.csvio.spool import SPOOL_BATCH, spooled_blocks
from tracker.core.csvio.stored import stored_tuple
from tracker.core.domain.fields import MAX_ID
from tracker.core.records.confidence import refresh_confidence
from tracker.core.records.source_add import set_first_extras
from tracker.core.records.source_mirror import sources_from_deals
from tracker.core.storage import history
from tracker.core.storage.handle import Database
from tracker.core.storage.handles import DEAL
from tracker.core.storage.ids import highest_id, reserve_ids_above
from tracker.core.storage.sums import TABLES, Accumulator, bulk_load

BULK_REBUILD_INDEXES = 50_000
"""Rows added to an empty table above which the load is a bulk load (indexes rebuilt after, triggers off)."""

WriteProgress = Callable[[int, int], None]
"""Told (rows written so far, rows in all)."""


def deal_indexes(conn: Connection, is_sqlite: bool) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the deal table's plain indexes (not those behind constraints)."""
    if is_sqlite:
        rows = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deal' AND sql IS NOT NULL "
            "ORDER BY name"
        )
    else:
        rows = conn.exec_driver_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'deal' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname"
        )
    return [(name, sql) for name, sql in rows]


def _id_allocator(conn: Connection, is_sqlite: bool, file_max_id: int) -> NextId:
    """The ids of new rows without one (None once past :data:`MAX_ID`), above every id the table ever gave
    (tracker/core/storage/ids.py: a deleted deal's id is never given again) and above the file's ids: counted
    here on SQLite (AUTOINCREMENT's counter follows the inserted ids), from the sequence on PostgreSQL (moved
    past the file's largest id first)."""
    if is_sqlite:
        counter = iter(range(max(highest_id(conn, "deal"), file_max_id) + 1, MAX_ID + 1))
        return lambda: next(counter, None)
    reserve_ids_above(conn, "deal", file_max_id)
    seq = "pg_get_serial_sequence('deal', 'id')"
    pool: list[int] = []

    def next_pooled() -> int | None:
        if not pool:
            last, top = conn.exec_driver_sql(
                f"SELECT coalesce(pg_sequence_last_value({seq}::regclass), s.seqstart - 1), s.seqmax "
                f"FROM pg_sequence s WHERE s.seqrelid = {seq}::regclass"
            ).one()
            n = min(1000, min(top, MAX_ID) - last)
            if n <= 0:
                return None
            got = conn.exec_driver_sql(f"SELECT nextval({seq}) FROM generate_series(1, %s)", (n,)).scalars()
            pool.extend(reversed(list(got)))
        return pool.pop()

    return next_pooled


def write_checked(db: Database, conn: Connection, spool: IO[bytes] | None, plan: Plan, report: ImportReport,
                  write_progress: WriteProgress | None = None, *,
                  blocks: Iterator[list[tuple[Any, ...]]] | None = None, label: str = "") -> None:  # fmt: skip
    """Pass two: the rows of ``spool`` (as checked into ``plan``), counted into ``report``. ``blocks``, when
    given, replaces the spool: checked rows still arriving from a checking process
    (tracker/core/csvio/pipeline.py) into an empty table; their organisations and alliances are created as
    they first appear, and the load is a bulk load. ``label`` names the file in the history's entry of the
    import (tracker/core/storage/history.py)."""
    index, alliance_ids = create_planned(conn, plan, report)
    existing_count = conn.execute(select(func.count()).select_from(DEAL)).scalar_one()
    max_existing = conn.execute(select(func.max(DEAL.c.id))).scalar() or 0
    next_id = _id_allocator(conn, db.is_sqlite, plan.max_id)

    # Bulk load into an empty table: drop the deal indexes, build them once at the end (inside the same
    # transaction, so a failure rolls the drop back too). Index maintenance row by row costs 5-8x.
    rebuild = existing_count == 0 and (blocks is not None or plan.rows >= BULK_REBUILD_INDEXES) and not report.dry_run
    indexes = deal_indexes(conn, db.is_sqlite) if rebuild else []
    for name, _sql in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    # ... and the triggers that keep the running sums (tracker/core/storage/sums.py): 3 upserts per row would
    # cost more than the load itself; the sums are added up in Python as the rows go by instead
    with bulk_load(conn) if rebuild else nullcontext():
        if rebuild:
            for table in TABLES:
                conn.exec_driver_sql(f"DELETE FROM {table}")
        if db.is_sqlite:
            conn.exec_driver_sql("PRAGMA cache_size = -65536")  # 64 MiB of page cache for this connection
        writer = DealBatches(conn)
        if rebuild:
            writer.sums = Accumulator()
        matcher = None
        if existing_count > 0 and plan.natural:
            matcher = NaturalMatcher(conn, max_existing, plan.named_ids, plan.named_refs)
        mixed = plan.has_ids and plan.has_refs
        settle = Settler(conn, writer, next_id, alliance_ids, report, plan.present, matcher, mixed)
        done = 0
        if blocks is None:
            assert spool is not None
            blocks = spooled_blocks(spool)
            arriving = False
        else:
            arriving = True
        names = NewNames(report)
        for batch in blocks:
            if arriving:
                create_parties(conn, batch, index, alliance_ids, report, names)
            settle([(t, stored_tuple(t, index)) for t in batch])
            if len(batch) < SPOOL_BATCH:  # a block cut by its size: big rows, so write them out now
                writer.flush()
            if write_progress is not None:
                done += len(batch)
                write_progress(done, max(plan.rows, done))
        if not report.ok:
            raise ImportFailed(report)  # what only the database could tell (settle.py): roll back
        writer.flush()
        for _name, sql in indexes:
            conn.exec_driver_sql(sql)
        if writer.sums is not None:
            writer.sums.write(conn)
        if rebuild:  # inside the bulk load: 1M sources and confidences recorded in one statement, not row by row
            _settle_sources(conn, settle, report)
    if not rebuild:
        _settle_sources(conn, settle, report)
    if not report.dry_run:
        history.record_event(conn, "import", {"file": label, "rows": report.added + report.updated + report.unchanged,
                                              "added": report.added, "updated": report.updated,
                                              "unchanged": report.unchanged})  # fmt: skip
    if report.added:
        note_duplicates(conn, max_existing, report)
    if report.added + report.updated > 10_000:
        if db.is_sqlite:  # sampled statistics: enough for the planner, seconds cheaper than a full ANALYZE at 1M
            conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
        conn.exec_driver_sql("ANALYZE")


def _settle_sources(conn: Connection, settle: Settler, report: ImportReport) -> None:
    """Each touched deal's first source as its row says, and its confidence."""
    if settle.touched and not report.dry_run:
        sources_from_deals(conn, settle.touched)
        set_first_extras(conn, settle.extras)
        refresh_confidence(conn, settle.touched)


DUPLICATES_LISTED = 20
"""Likely duplicate pairs an import's summary lists one by one; the rest are counted."""


def note_duplicates(conn: Connection, since_id: int, report: ImportReport) -> None:
    """List in ``report`` the likely duplicates among the deals added (ids above ``since_id``): pairs within
    the file and pairs with a deal stored before. Deals matched and updated or unchanged are not new."""
    from tracker.core.records.duplicates import duplicate_pairs, label_of

    pairs = duplicate_pairs(conn, since_id=since_id)
    report.duplicate_count = len(pairs)
    report.duplicates = [
        f"#{p.first} and #{p.second}: {label_of(conn, p.second).split(' ', 1)[1]} ({p.reason})"
        for p in pairs[:DUPLICATES_LISTED]
    ]
