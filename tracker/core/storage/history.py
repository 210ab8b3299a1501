"""The history of every change (schema 0012): ``change_log``, append-only, kept by database triggers.

Every insert, update and delete of a recorded table (:data:`RECORDED`) adds one row to ``change_log``
whoever writes it (the app, the CLI, undo, an import, another process, a hand-written statement): the time
(UTC, ``YYYY-MM-DD HH:MM:SS.mmm``), the actor, the database role (PostgreSQL's ``current_user``), the
command or screen, the table, the operation, the row's key, the deal it belongs to, and the row's images
before (``old``) and after (``new``) as JSON text of the stored values. An update that changes nothing but
a deal's ``version`` is not recorded. ``baseline`` rows hold what a database held when it was upgraded to
schema 0012; an ``import`` row (no table) holds one import's file name and counts.

The actor and command come from the writing transaction (:func:`apply_context`, called by every write
transaction of :class:`tracker.core.storage.handle.Database`): on PostgreSQL ``set_config('tracker.actor',
..., true)`` (transaction-local) read by the trigger with ``current_setting``; on SQLite the one row of
``change_context``, written at the start of the transaction and deleted before its commit (SQLite writers
take turns, so the row is the running transaction's). A writer that sets none records no actor (SQLite) or
its session's role (PostgreSQL).

A bulk load (:func:`tracker.core.storage.sums.bulk_load`) switches the triggers of :data:`BULK` off and
records the loaded rows afterwards with one ``INSERT ... SELECT`` per table (:func:`record_loaded`); a copy
switches them all off and copies the history as it is.

A table joins the history with one line in :data:`RECORDED` (and the same line in the migration that adds
it, which creates its trigger: see schema 0012's ``RECORDED``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

LOG = "change_log"
CONTEXT_TABLE = "change_context"
RECORDED: dict[str, tuple[tuple[str, ...], str | None]] = {
    "organization": (("id",), None),
    "org_alias": (("id",), None),
    "alliance": (("id",), None),
    "alliance_member": (("alliance_id", "org_id"), None),
    "deal": (("id",), "id"),
    "alliance_deal": (("alliance_id", "deal_id"), "deal_id"),
    "deal_link": (("from_deal_id", "to_deal_id"), "from_deal_id"),
    "dismissed_pair": (("low_id", "high_id"), "low_id"),
    "fx_rate": (("id",), None),
    "deal_source": (("id",), "deal_id"),
}
"""Recorded table → (its key columns, the column naming its deal or None). Order: parents first."""
BULK: tuple[str, ...] = ("deal", "alliance_deal", "deal_source")
"""Tables a bulk load fills with the triggers off (their rows recorded set-based after the load): the deals,
their alliances, and the first sources an import derives from its rows (with each deal's confidence)."""
IGNORED = ("version",)
"""Columns whose change alone is not a change (raised by a trigger of its own)."""
PG_FUNCTION = "change_log_record"
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
PG_NOW = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')"
COLUMNS = "at, actor, role, command, tbl, op, row_key, deal_id, old, new"


@dataclass
class Context:
    """Who writes and with what command, applied to every write transaction of this process."""

    actor: str | None = None
    command: str | None = None


CONTEXT = Context()


def set_context(*, actor: str | None = None, command: str | None = None) -> None:
    """Set this process's actor and/or command (None leaves each as it is)."""
    if actor is not None:
        CONTEXT.actor = actor
    if command is not None:
        CONTEXT.command = command


# --------------------------------------------------------------------------------------------
# SQL


def sqlite_columns(conn: Connection, table: str) -> list[str]:
    return [row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table})")]


def _key_sql(rec: str, keys: tuple[str, ...]) -> str:
    return " || '/' || ".join(f"CAST({rec}.{k} AS TEXT)" for k in keys)


def _sqlite_image(rec: str, columns: list[str]) -> str:
    return "json_object(" + ", ".join(f"'{c}', {rec}.{c}" for c in columns) + ")"


def _context_sql(field: str) -> str:
    return f"(SELECT {field} FROM {CONTEXT_TABLE} WHERE id = 1)"


def sqlite_trigger_ddl(table: str, columns: list[str]) -> list[str]:
    """The three SQLite triggers recording ``table`` (whose columns are ``columns``)."""
    keys, deal = RECORDED[table]

    def insert(op: str, rec: str, old: str, new: str) -> str:
        deal_sql = f"{rec}.{deal}" if deal else "NULL"
        return (
            f"INSERT INTO {LOG} ({COLUMNS}) VALUES ({SQLITE_NOW}, {_context_sql('actor')}, NULL, "
            f"{_context_sql('command')}, '{table}', '{op}', {_key_sql(rec, keys)}, {deal_sql}, {old}, {new});"
        )

    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns if c not in IGNORED)
    old, new = _sqlite_image("OLD", columns), _sqlite_image("NEW", columns)
    return [
        f"CREATE TRIGGER history_{table}_insert AFTER INSERT ON {table} BEGIN {insert('insert', 'NEW', 'NULL', new)} END",
        f"CREATE TRIGGER history_{table}_update AFTER UPDATE ON {table} WHEN {changed} "
        f"BEGIN {insert('update', 'NEW', old, new)} END",
        f"CREATE TRIGGER history_{table}_delete AFTER DELETE ON {table} BEGIN {insert('delete', 'OLD', old, 'NULL')} END",
    ]


def sqlite_trigger_names(table: str) -> list[str]:
    return [f"history_{table}_{op}" for op in ("insert", "update", "delete")]


def pg_trigger_name(table: str) -> str:
    return f"history_{table}"


def snapshot_sql(conn: Connection, table: str, op: str, *, images: bool = True) -> str:
    """``INSERT ... SELECT`` recording every row of ``table`` as ``op`` with this transaction's context;
    ``images=False``: without the row's image (a bulk load: the rows are as loaded until their next entry,
    whose ``old`` image holds them, tracker/core/records/asof.py; 5x cheaper than writing each as JSON)."""
    keys, deal = RECORDED[table]
    deal_sql = f"t.{deal}" if deal else "NULL"
    if conn.dialect.name == "sqlite":
        image = _sqlite_image("t", sqlite_columns(conn, table)) if images else "NULL"
        now, actor, role, command = SQLITE_NOW, _context_sql("actor"), "NULL", _context_sql("command")
    else:
        image = "to_jsonb(t)::text" if images else "NULL"
        now, role = PG_NOW, "current_user"
        actor = "coalesce(nullif(current_setting('tracker.actor', true), ''), session_user)"
        command = "nullif(current_setting('tracker.command', true), '')"
    return (
        f"INSERT INTO {LOG} ({COLUMNS}) SELECT {now}, {actor}, {role}, {command}, '{table}', '{op}', "
        f"{_key_sql('t', keys)}, {deal_sql}, NULL, {image} FROM {table} t"
    )


# --------------------------------------------------------------------------------------------
# Runtime


def apply_context(conn: Connection) -> None:
    """Make this process's context the running write transaction's (SQLite; PostgreSQL's goes with the
    write lock: :func:`pg_context_params`)."""
    dbapi: Any = conn.connection.driver_connection
    try:
        dbapi.execute(
            f"INSERT OR REPLACE INTO {CONTEXT_TABLE} (id, actor, command) VALUES (1, ?, ?)",
            (CONTEXT.actor, CONTEXT.command),
        )
    except Exception as exc:  # a schema older than 0012 (being upgraded): nothing to record yet
        if "no such table" not in str(exc):
            raise


def clear_context(conn: Connection) -> None:
    """Before a SQLite write transaction commits: the next writer (perhaps another program) finds none."""
    dbapi: Any = conn.connection.driver_connection
    try:
        dbapi.execute(f"DELETE FROM {CONTEXT_TABLE}")
    except Exception as exc:
        if "no such table" not in str(exc):
            raise


PG_CONTEXT_SQL = "set_config('tracker.actor', :actor, true), set_config('tracker.command', :command, true)"


def pg_context_params() -> dict[str, str]:
    return {"actor": CONTEXT.actor or "", "command": CONTEXT.command or ""}


def has_history(conn: Connection) -> bool:
    from sqlalchemy import inspect

    return bool(inspect(conn).has_table(LOG))


def suspend(conn: Connection, tables: tuple[str, ...] = BULK) -> None:
    """Switch the history triggers of ``tables`` off, inside the caller's transaction."""
    for table in tables:
        if conn.dialect.name == "sqlite":
            for name in sqlite_trigger_names(table):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        elif _pg_has_trigger(conn, table):
            conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER {pg_trigger_name(table)}")


def resume(conn: Connection, tables: tuple[str, ...] = BULK) -> None:
    """Switch the history triggers of ``tables`` on again."""
    for table in tables:
        if conn.dialect.name == "sqlite":
            for stmt in sqlite_trigger_ddl(table, sqlite_columns(conn, table)):
                conn.exec_driver_sql(stmt)
        elif _pg_has_trigger(conn, table):
            conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER {pg_trigger_name(table)}")


def _pg_has_trigger(conn: Connection, table: str) -> bool:
    row = conn.exec_driver_sql(
        "SELECT 1 FROM pg_trigger WHERE tgname = %(name)s AND tgrelid = to_regclass(%(table)s)",
        {"name": pg_trigger_name(table), "table": table},
    ).first()
    return row is not None


def record_loaded(conn: Connection, tables: tuple[str, ...] = BULK) -> None:
    """Record every row of ``tables`` as added (after a bulk load into an empty deal table: all are new),
    without their images (see :func:`snapshot_sql`)."""
    for table in tables:
        sql = snapshot_sql(conn, table, "insert", images=False)
        conn.exec_driver_sql(sql if conn.dialect.name == "sqlite" else sql.replace("%", "%%"))


def record_event(conn: Connection, op: str, detail: dict[str, Any]) -> None:
    """One entry of its own (an import: its file and counts), with this transaction's context."""
    from sqlalchemy import text

    data = json.dumps(detail, ensure_ascii=False, sort_keys=True)
    if conn.dialect.name == "sqlite":
        sql = (
            f"INSERT INTO {LOG} ({COLUMNS}) VALUES ({SQLITE_NOW}, {_context_sql('actor')}, NULL, "
            f"{_context_sql('command')}, '', :op, NULL, NULL, NULL, :data)"
        )
    else:
        sql = (
            f"INSERT INTO {LOG} ({COLUMNS}) VALUES ({PG_NOW}, "
            "coalesce(nullif(current_setting('tracker.actor', true), ''), session_user), current_user, "
            "nullif(current_setting('tracker.command', true), ''), '', :op, NULL, NULL, NULL, :data)"
        )
    conn.execute(text(sql), {"op": op, "data": data})
