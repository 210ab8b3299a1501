"""Streaming export of every deal as a deals CSV, headless: :func:`export_deals`, which picks the path.

Every path writes the same bytes:
- the general one (tracker/core/csvio/general.py) fetches each deal's columns into Python and writes them
  with ``csv.writer``; it is used on PostgreSQL, and it is the reference;
- on SQLite, SQLite builds each CSV line (quoting, formula defusing, plain amounts) with the query of
  tracker/core/csvio/linesql.py, so Python only fetches one string per deal and writes it
  (tracker/core/csvio/sqlitelines.py); any line SQLite cannot make exactly is made by the general path;
- a big SQLite database is exported by two worker processes running that query
  (tracker/core/csvio/parallel.py, tracker/core/csvio/worker.py).
``tests/core/test_csvexport_fast.py`` and ``test_csvexport_parallel.py`` compare them on hostile values.

:func:`export_file` writes a file whole or not at all, and never onto the database
(tracker/core/csvio/output.py); every path writes through its one file object.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO

from sqlalchemy import Connection

from tracker.core.csvio.general import (
    write_general,
    write_header,
)
from tracker.core.csvio.output import atomic_file, refuse_database
from tracker.core.csvio.sqlitelines import export_sqlite_lines
from tracker.core.records.fx import latest_rates
from tracker.core.storage.handle import Database


def export_deals(db: Database, out: IO[str], *, progress: Callable[[int], None] | None = None,
                 conn: Connection | None = None, fast: bool = True, parallel: bool = True,
                 binary: IO[bytes] | None = None) -> int:  # fmt: skip
    """Write every deal as a deals CSV, streaming; returns the number of rows. ``progress(n)`` is called
    at every 10,000 rows written.

    ``conn``: read in the caller's transaction (never in parallel, which reads in transactions of its own).
    ``fast=False`` takes the general path on SQLite too (the reference the fast path is tested against);
    ``parallel=False`` keeps a big SQLite export in this process (tracker/core/csvio/parallel.py).
    ``binary``: the binary file under ``out`` when ``out`` encodes UTF-8 with no newline translation; the
    SQLite paths then write the lines SQLite made as bytes, without decoding and encoding them again."""
    if conn is None:
        # The parallel path reads in transactions of its own: only when the caller has none to honour.
        if fast and parallel:
            # imported here: its processes and pipes cost nothing to an export that never needs them
            from tracker.core.csvio import parallel as parallel_export

            if parallel_export.parallel_applies(db):
                n = parallel_export.export_parallel(db, out, progress, binary=binary)
                if n is not None:
                    return n
        with db.read() as rconn:
            return export_deals(db, out, progress=progress, conn=rconn, fast=fast, binary=binary)
    rates = latest_rates(conn)
    write_header(out)
    if fast and conn.dialect.name == "sqlite":
        return export_sqlite_lines(conn, out, rates, progress, binary)
    return write_general(conn, out, rates, progress)


def export_file(db: Database, target: str | os.PathLike[str], *,
                progress: Callable[[int], None] | None = None) -> int:  # fmt: skip
    """Export every deal to the file ``target``: refused if it is the database (or a file beside it),
    written to a temporary file and renamed onto ``target`` only when whole; returns the number of rows."""
    refuse_database(db, target)
    with atomic_file(target) as out:
        return export_deals(db, out, progress=progress, binary=out.buffer)
