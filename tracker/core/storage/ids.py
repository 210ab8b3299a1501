"""Ids that are never given twice (schema 0006), on both backends.

SQLite's plain rowid gives a new row the highest id in the table plus one, so the id of the last deal
deleted comes back for the next one added; and undo, restoring the deleted deal by its id, would overwrite
that new deal. Schema 0006 makes every id column ``INTEGER PRIMARY KEY AUTOINCREMENT``: SQLite keeps the
highest id ever given in ``sqlite_sequence`` and never goes below it. On PostgreSQL ids come from a BIGINT
sequence, which never goes back unless told to (``setval``).

Code that picks ids itself (a bulk import numbering its new rows, a copy carrying ids over) asks
:func:`highest_id` where to start and moves the counter with :func:`reserve_ids_above`, which never moves
it back.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

ID_TABLES: tuple[str, ...] = ("organization", "org_alias", "alliance", "deal", "fx_rate", "deal_source", "change_log")
"""The tables with an ``id`` of their own (the others are keyed by the ids of these)."""


def _check(table: str) -> str:
    if table not in ID_TABLES:
        raise ValueError(f"{table!r} has no id of its own")
    return table


def _max_id(conn: Connection, name: str) -> int:
    return int(conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {name}")).scalar_one())


def _counter(conn: Connection, name: str) -> int:
    """The id counter alone: the highest id the table has handed out by itself (0 for none)."""
    if conn.dialect.name == "sqlite":
        seq = conn.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": name}).scalar()
    else:
        seq = conn.execute(
            text(f"SELECT pg_sequence_last_value(pg_get_serial_sequence('{name}', 'id')::regclass)")
        ).scalar()
    return int(seq or 0)


def highest_id(conn: Connection, table: str) -> int:
    """The highest id ``table`` has ever given, deleted rows included (0 for none): new ids go above it."""
    name = _check(table)
    return max(_max_id(conn, name), _counter(conn, name))


def reserve_ids_above(conn: Connection, table: str, floor: int) -> None:
    """Make every id ``table`` gives from now on greater than ``floor`` and than every id it holds (rows
    inserted with their ids do not move PostgreSQL's sequence); a counter already past both stays."""
    name = _check(table)
    floor = max(floor, _max_id(conn, name))
    if floor <= 0 or _counter(conn, name) >= floor:
        return
    if conn.dialect.name == "sqlite":
        updated = conn.execute(text("UPDATE sqlite_sequence SET seq = :f WHERE name = :t"), {"f": floor, "t": name})
        if not updated.rowcount:
            conn.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :f)"), {"f": floor, "t": name})
        return
    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), :f, true)"), {"f": floor})
