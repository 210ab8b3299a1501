"""What differs between SQLite and PostgreSQL when many rows go in at once: the one bulk insert.

SQLite takes the driver's ``executemany`` (one prepared statement, no SQLAlchemy per row); PostgreSQL takes
``COPY ... FROM STDIN`` through psycopg, several times faster than any INSERT. Rows are tuples in
``columns`` order, already in the stored form (integers for money, ISO text or dates for dates).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection


def insert_rows(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` into ``table`` inside the caller's transaction, the fastest way the backend has."""
    dbapi: Any = conn.connection.driver_connection
    names = ", ".join(columns)
    if conn.dialect.name == "sqlite":
        marks = ", ".join("?" for _ in columns)
        dbapi.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        return
    with dbapi.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
