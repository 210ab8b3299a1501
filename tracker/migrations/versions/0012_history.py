"""the history of every change: change_log, append-only, kept by triggers

``change_log`` gets one row per insert, update (that changes more than a deal's ``version``) and delete of
each recorded table (``RECORDED``), whoever writes: time (UTC), actor, database role (PostgreSQL), command,
table, operation, the row's key and deal, and the row's images before and after (JSON text). SQLite's
triggers read the running transaction's actor and command from the one row of ``change_context``;
PostgreSQL's function reads ``current_setting('tracker.actor')`` and ``('tracker.command')``, set per
transaction. UPDATE and DELETE of ``change_log`` are refused (append-only). Every row held at the upgrade
is recorded as a ``baseline`` entry, so that the database's state at any time from now on can be rebuilt.

The SQL mirrors tracker/core/storage/history.py (frozen here: a migration imports nothing from tracker).
A table added later joins with one line in ``RECORDED`` here (if its migration comes before this one) and
in tracker/core/storage/history.py; the triggers are made for the tables that exist.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

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
IGNORED = ("version",)
LOG = "change_log"
COLUMNS = "at, actor, role, command, tbl, op, row_key, deal_id, old, new"
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
PG_NOW = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')"
PG_ACTOR = "coalesce(nullif(current_setting('tracker.actor', true), ''), session_user)"
PG_COMMAND = "nullif(current_setting('tracker.command', true), '')"

PG_FUNCTION = f"""CREATE OR REPLACE FUNCTION change_log_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o jsonb;
  n jsonb;
  img jsonb;
  k text;
BEGIN
  IF TG_OP <> 'INSERT' THEN o := to_jsonb(OLD); END IF;
  IF TG_OP <> 'DELETE' THEN n := to_jsonb(NEW); END IF;
  IF TG_OP = 'UPDATE' AND (o - 'version') = (n - 'version') THEN RETURN NULL; END IF;
  img := coalesce(n, o);
  k := array_to_string(ARRAY(SELECT img ->> u.c FROM unnest(string_to_array(TG_ARGV[0], ',')) WITH ORDINALITY
                             AS u(c, i) ORDER BY u.i), '/');
  INSERT INTO {LOG} ({COLUMNS}) VALUES ({PG_NOW}, {PG_ACTOR}, current_user, {PG_COMMAND}, TG_TABLE_NAME,
    lower(TG_OP), k, CASE WHEN TG_ARGV[1] = '' THEN NULL ELSE (img ->> TG_ARGV[1])::bigint END, o::text, n::text);
  RETURN NULL;
END
$$"""
PG_APPEND_ONLY = """CREATE OR REPLACE FUNCTION change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the history (change_log) is append-only';
END
$$"""


def _key_sql(rec: str, keys: tuple[str, ...]) -> str:
    return " || '/' || ".join(f"CAST({rec}.{k} AS TEXT)" for k in keys)


def _sqlite_image(rec: str, columns: list[str]) -> str:
    return "json_object(" + ", ".join(f"'{c}', {rec}.{c}" for c in columns) + ")"


def _context_sql(field: str) -> str:
    return f"(SELECT {field} FROM change_context WHERE id = 1)"


def _sqlite_triggers(table: str, columns: list[str]) -> list[str]:
    keys, deal = RECORDED[table]

    def insert(op_: str, rec: str, old: str, new: str) -> str:
        deal_sql = f"{rec}.{deal}" if deal else "NULL"
        return (
            f"INSERT INTO {LOG} ({COLUMNS}) VALUES ({SQLITE_NOW}, {_context_sql('actor')}, NULL, "
            f"{_context_sql('command')}, '{table}', '{op_}', {_key_sql(rec, keys)}, {deal_sql}, {old}, {new});"
        )

    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns if c not in IGNORED)
    old, new = _sqlite_image("OLD", columns), _sqlite_image("NEW", columns)
    return [
        f"CREATE TRIGGER history_{table}_insert AFTER INSERT ON {table} BEGIN {insert('insert', 'NEW', 'NULL', new)} END",
        f"CREATE TRIGGER history_{table}_update AFTER UPDATE ON {table} WHEN {changed} "
        f"BEGIN {insert('update', 'NEW', old, new)} END",
        f"CREATE TRIGGER history_{table}_delete AFTER DELETE ON {table} BEGIN {insert('delete', 'OLD', old, 'NULL')} END",
    ]


def _baseline(table: str, image: str, now: str, actor: str, role: str) -> str:
    keys, deal = RECORDED[table]
    deal_sql = f"t.{deal}" if deal else "NULL"
    return (
        f"INSERT INTO {LOG} ({COLUMNS}) SELECT {now}, {actor}, {role}, 'upgrade to schema 0012', '{table}', "
        f"'baseline', {_key_sql('t', keys)}, {deal_sql}, NULL, {image} FROM {table} t"
    )


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.create_table(
        LOG,
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(23), nullable=False),
        sa.Column("actor", sa.String(200)),
        sa.Column("role", sa.String(200)),
        sa.Column("command", sa.String(200)),
        sa.Column("tbl", sa.String(40), nullable=False),
        sa.Column("op", sa.String(10), nullable=False),
        sa.Column("row_key", sa.String(100)),
        sa.Column("deal_id", ID),
        sa.Column("old", sa.Text()),
        sa.Column("new", sa.Text()),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_change_log_deal", LOG, ["deal_id", "id"], unique=False)
    op.create_table(
        "change_context",
        sa.Column("id", ID, primary_key=True, autoincrement=False),
        sa.Column("actor", sa.String(200)),
        sa.Column("command", sa.String(200)),
    )
    tables = set(sa.inspect(bind).get_table_names())
    if sqlite:
        bind.exec_driver_sql(
            f"CREATE TRIGGER change_log_no_update BEFORE UPDATE ON {LOG} "
            "BEGIN SELECT RAISE(ABORT, 'the history (change_log) is append-only'); END"
        )
        bind.exec_driver_sql(
            f"CREATE TRIGGER change_log_no_delete BEFORE DELETE ON {LOG} "
            "BEGIN SELECT RAISE(ABORT, 'the history (change_log) is append-only'); END"
        )
    else:
        bind.exec_driver_sql(PG_FUNCTION)
        bind.exec_driver_sql(PG_APPEND_ONLY)
        bind.exec_driver_sql(
            f"CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON {LOG} "
            "FOR EACH ROW EXECUTE FUNCTION change_log_append_only()"
        )
    for table, (keys, deal) in RECORDED.items():
        if table not in tables:
            continue
        if sqlite:
            columns = [row[1] for row in bind.exec_driver_sql(f"PRAGMA table_info({table})")]
            bind.exec_driver_sql(_baseline(table, _sqlite_image("t", columns), SQLITE_NOW, "NULL", "NULL"))
            for stmt in _sqlite_triggers(table, columns):
                bind.exec_driver_sql(stmt)
        else:
            sql = _baseline(table, "to_jsonb(t)::text", PG_NOW, "session_user", "current_user")
            bind.exec_driver_sql(sql.replace("%", "%%"))
            bind.exec_driver_sql(
                f"CREATE TRIGGER history_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} FOR EACH ROW "
                f"EXECUTE FUNCTION change_log_record('{','.join(keys)}', '{deal or ''}')"
            )


def downgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    for table in RECORDED:
        if sqlite:
            for op_ in ("insert", "update", "delete"):
                bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS history_{table}_{op_}")
        else:
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS history_{table} ON {table}")
    if not sqlite:
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS change_log_record()")
    op.drop_table("change_context")
    op.drop_table(LOG)
    if not sqlite:
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS change_log_append_only()")
