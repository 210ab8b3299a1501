"""The one-process SQLite export: SQLite makes each deal's CSV line (the query of
tracker/core/csvio/linesql.py), and Python writes them a batch at a time; a line SQLite cannot make
exactly is made again by the general path (tracker/core/csvio/general.py).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import IO

from sqlalchemy import Connection

from tracker.core.csvio.cells import BROKEN, ExportFunctions
from tracker.core.csvio.general import counted, remake_lines
from tracker.core.csvio.linesql import line_sql, unclean_orgs

_FETCH = 2000


def export_sqlite_lines(conn: Connection, out: IO[str], rates: dict[str, Decimal],
                        progress: Callable[[int], None] | None, binary: IO[bytes] | None = None) -> int:  # fmt: skip
    """Write every deal's line as SQLite makes it (after the header, already written to ``out``); returns
    the number of rows. ``binary``: the file under ``out`` (see ``export_deals``), to which the lines go
    as bytes."""
    if binary is not None:
        out.flush()  # the header, written as text
    driver = conn.connection.driver_connection
    assert driver is not None
    functions = ExportFunctions(rates)
    functions.register(driver)
    broken = functions.broken
    cursor = driver.cursor()
    text_factory = driver.text_factory
    count = 0
    try:
        sql, params = line_sql(rates, unclean_orgs(cursor))
        cursor.execute(sql, params)
        fetch = cursor.fetchmany
        write = out.write
        while True:
            # the lines as bytes, decoded once per batch (a str per row costs more)
            driver.text_factory = bytes
            try:
                rows = fetch(_FETCH)
            finally:
                driver.text_factory = text_factory
            if not rows:
                break
            blob = b"".join([row[0] for row in rows])
            try:
                text = blob.decode()  # checked even when the bytes are written: the general path would raise
            except UnicodeDecodeError:  # the general path reports it
                text = None
            if text is None or broken or BROKEN in text:
                text = remake_lines(conn, [row[0] for row in rows], rates, broken, every=text is None)
                blob = text.encode()
            if binary is not None:
                binary.write(blob)
            else:
                write(text)
            count = counted(progress, count, len(rows))
    finally:
        driver.text_factory = text_factory
        cursor.close()
    return count
