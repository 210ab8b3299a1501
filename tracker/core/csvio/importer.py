"""Streaming CSV import of deals, headless (no UI), in bounded memory: the entry.

Import works in two passes. The first (tracker/core/csvio/check.py) reads and checks every row without
holding any lock and stops at nothing (every bad row is reported, up to 20, then a count), spooling each
checked row to a temporary file (tracker/core/csvio/spool.py); only a clean file gets the second pass
(tracker/core/csvio/write.py), which reads the spool back (the CSV is parsed and checked once, and cannot
change between the passes) and writes everything in one transaction (all or nothing) with the driver's
``executemany`` in batches (``COPY`` on PostgreSQL), organisation ids resolved from an in-memory map.
Standard input, a pipe (``<(...)``) or a FIFO is read once, into a temporary file (tracker/core/csvio/source.py).
A big file into an empty SQLite database overlaps the two passes (tracker/core/csvio/pipeline.py).

Ctrl-C (KeyboardInterrupt) is let through, never caught: the write transaction is rolled back on the way
out (nothing was written), temporary files are removed, and the overlapped import's checking process,
which ignores SIGINT, is killed; the command line says "interrupted" (tracker/cli/common.py).
"""

from __future__ import annotations

import os
import tempfile
from typing import BinaryIO

from sqlalchemy import Connection

from tracker.core.csvio.check import check_rows
from tracker.core.csvio.report import ImportFailed, ImportReport
from tracker.core.csvio.source import CsvSource, Progress, open_source, sniff
from tracker.core.csvio.write import WriteProgress, write_checked
from tracker.core.records.orgs import load_name_index
from tracker.core.storage.handle import Database


def import_deals(db: Database, name: str | os.PathLike[str], *, encoding: str | None = None,
                 dry_run: bool = False, strict_names: bool = False, progress: Progress | None = None,
                 write_progress: WriteProgress | None = None,
                 stdin: BinaryIO | None = None, conn: Connection | None = None) -> ImportReport:  # fmt: skip
    """Import a deals CSV. Raises CsvError (unreadable file) or ImportFailed (bad rows, nothing written).
    ``strict_names``: a new organisation named close to a stored or reference one (tracker/core/csvio/
    parties.py) is a bad row."""
    with open_source(name, encoding, stdin) as source:
        return import_source(db, source, dry_run=dry_run, strict_names=strict_names, progress=progress,
                             write_progress=write_progress, conn=conn)  # fmt: skip


def import_source(db: Database, source: CsvSource, *, dry_run: bool = False, strict_names: bool = False,
                  progress: Progress | None = None, write_progress: WriteProgress | None = None,
                  conn: Connection | None = None) -> ImportReport:  # fmt: skip
    """Import an opened source; with ``conn``, inside the caller's transaction (no overlapped import)."""
    sniff(source)
    report = ImportReport(dry_run=dry_run, strict_names=strict_names)
    if conn is None:
        with db.read() as rconn:
            index = load_name_index(rconn)
    else:
        index = load_name_index(conn)
    if conn is None:
        # imported here: multiprocessing only for an import that may overlap
        from tracker.core.csvio.pipeline import import_pipelined, pipeline_applies

        if not strict_names and pipeline_applies(db, source, dry_run):  # strict: every close name, then refuse
            return import_pipelined(db, source, index, report, progress, write_progress)
    with tempfile.TemporaryFile() as spool:
        plan = check_rows(source, index, report, progress, spool)
        report.rows = plan.rows
        if not report.ok:
            raise ImportFailed(report)
        if conn is not None:
            write_checked(db, conn, spool, plan, report, write_progress, label=source.label)
            return report
        with db.write(checked_keys=True) as wconn:
            write_checked(db, wconn, spool, plan, report, write_progress, label=source.label)
            if dry_run:
                wconn.rollback()
    return report
