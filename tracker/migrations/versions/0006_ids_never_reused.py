"""ids never reused, BIGINT ids on PostgreSQL, a row version on deals

Three changes, one transaction:

- SQLite gave a new row the highest id plus one, so the id of the last deal deleted came back for the next
  one added, and undo (restoring the deleted deal by its id) overwrote that new deal. Every table with an
  id of its own is rebuilt with ``INTEGER PRIMARY KEY AUTOINCREMENT`` (SQLite's documented twelve-step
  rebuild: new table, rows copied with their ids, old table dropped, new one renamed, indexes and triggers
  made again), keeping every row and every id. Foreign keys must be off while it runs (the caller turns
  them off outside the transaction, as SQLite requires); they are checked before the end.
- PostgreSQL ids were int4 while the importer accepts ids up to 2^62: every id column, and every column
  holding one, becomes BIGINT, and the id sequences ``AS bigint``.
- ``deal.version``: a row version, raised by a trigger on every UPDATE, so that a form saving an edit can
  tell that another writer changed the deal since it was opened.

The running-sums triggers of 0004 go with SQLite's old deal table (and must be off while PostgreSQL changes
the types of the columns they watch): they are made again from the SQL frozen in 0004. The version trigger's
SQL is frozen here (``tests/trust/test_ids_and_versions.py`` checks it is what
tracker/core/storage/versions.py generates).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

VERSION_TRIGGER: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE TRIGGER deal_version AFTER UPDATE ON deal FOR EACH ROW WHEN NEW.version <= OLD.version "
        "BEGIN UPDATE deal SET version = OLD.version + 1 WHERE id = NEW.id; END",
    ),
    "postgresql": (
        """CREATE OR REPLACE FUNCTION deal_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.version <= OLD.version THEN
    NEW.version := OLD.version + 1;
  END IF;
  RETURN NEW;
END
$$""",
        "CREATE TRIGGER deal_version BEFORE UPDATE ON deal FOR EACH ROW EXECUTE FUNCTION deal_version_bump()",
    ),
}
DROP_VERSION_TRIGGER: dict[str, tuple[str, ...]] = {
    "sqlite": ("DROP TRIGGER IF EXISTS deal_version",),
    "postgresql": ("DROP TRIGGER IF EXISTS deal_version ON deal", "DROP FUNCTION IF EXISTS deal_version_bump()"),
}

# SQLite: each rebuilt table as (its columns after the id, its constraints, its indexes), as of this schema.
SQLITE_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "alliance": (
        ("name VARCHAR(200) NOT NULL", "name_key VARCHAR(200) NOT NULL", "description TEXT"),
        ("UNIQUE (name_key)",),
        (),
    ),
    "fx_rate": (
        ("currency VARCHAR(3) NOT NULL", "rate VARCHAR(40) NOT NULL", "as_of DATE NOT NULL"),
        ("CONSTRAINT uq_fx_currency_as_of UNIQUE (currency, as_of)",),
        (),
    ),
    "organization": (
        (
            "name VARCHAR(200) NOT NULL", "name_key VARCHAR(200) NOT NULL", "native_name VARCHAR(200)",
            "country VARCHAR(100)", "sector VARCHAR(100)", "parent_id INTEGER", "notes TEXT",
        ),
        ("UNIQUE (name_key)", "FOREIGN KEY(parent_id) REFERENCES organization (id) ON DELETE SET NULL"),
        ("CREATE INDEX ix_organization_parent_id ON organization (parent_id)",),
    ),
    "org_alias": (
        ("org_id INTEGER NOT NULL", "alias VARCHAR(200) NOT NULL", "alias_key VARCHAR(200) NOT NULL"),
        ("FOREIGN KEY(org_id) REFERENCES organization (id) ON DELETE CASCADE", "UNIQUE (alias_key)"),
        ("CREATE INDEX ix_org_alias_org_id ON org_alias (org_id)",),
    ),
    "deal": (
        (
            "ref VARCHAR(200)", "date DATE NOT NULL", "date_precision VARCHAR(5) DEFAULT 'day' NOT NULL",
            "kind VARCHAR(20) NOT NULL", "from_org_id INTEGER NOT NULL", "to_org_id INTEGER", "amount BIGINT",
            "currency VARCHAR(3)", "qualifier VARCHAR(12) DEFAULT 'undisclosed' NOT NULL",
            "amount_text VARCHAR(200)", "capacity_gw BIGINT", "status VARCHAR(10) DEFAULT 'announced' NOT NULL",
            "description TEXT", "source_outlet VARCHAR(200)", "source_author VARCHAR(200)", "source_title TEXT",
            "source_date VARCHAR(10)", "source_url TEXT",
        ),
        (
            "UNIQUE (ref)",
            "FOREIGN KEY(from_org_id) REFERENCES organization (id) ON DELETE RESTRICT",
            "FOREIGN KEY(to_org_id) REFERENCES organization (id) ON DELETE RESTRICT",
        ),
        (
            "CREATE INDEX ix_deal_date_id ON deal (date, id)",
            "CREATE INDEX ix_deal_from_org ON deal (from_org_id, date, to_org_id, kind)",
            "CREATE INDEX ix_deal_to_org ON deal (to_org_id, date)",
            "CREATE INDEX ix_deal_kind_id ON deal (kind, id)",
            "CREATE INDEX ix_deal_status_id ON deal (status, id)",
            "CREATE INDEX ix_deal_amount_id ON deal (coalesce(amount, -1), id)",
        ),
    ),
}  # fmt: skip
DEAL_VERSION = "version INTEGER DEFAULT '1' NOT NULL"

# PostgreSQL: the columns that hold an id, by table; the tables whose id comes from a sequence.
PG_ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "organization": ("id", "parent_id"),
    "org_alias": ("id", "org_id"),
    "alliance": ("id",),
    "alliance_member": ("alliance_id", "org_id"),
    "deal": ("id", "from_org_id", "to_org_id"),
    "alliance_deal": ("alliance_id", "deal_id"),
    "deal_link": ("from_deal_id", "to_deal_id"),
    "fx_rate": ("id",),
    "party_total": ("org_id",),
}
PG_SEQUENCED = ("organization", "org_alias", "alliance", "deal", "fx_rate")


def _migration_0004() -> ModuleType:
    """0004, whose frozen running-sums SQL is made again here (0004 never changes: it is history)."""
    path = Path(__file__).with_name("0004_running_totals.py")
    spec = importlib.util.spec_from_file_location("tracker_migration_0004", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _dialect() -> str:
    return "sqlite" if op.get_bind().dialect.name == "sqlite" else "postgresql"


def _sqlite_create(table: str, temp: str, autoincrement: bool) -> str:
    columns, constraints, _indexes = SQLITE_TABLES[table]
    extra = (DEAL_VERSION,) if table == "deal" and autoincrement else ()
    if autoincrement:
        parts = ["id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT", *columns, *extra, *constraints]
    else:
        parts = ["id INTEGER NOT NULL", *columns, "PRIMARY KEY (id)", *constraints]
    return f"CREATE TABLE {temp} (\n\t" + ", \n\t".join(parts) + "\n)"


def _sqlite_rebuild(autoincrement: bool) -> None:
    """SQLite's twelve-step rebuild of every table with an id, rows and ids kept (foreign keys off)."""
    bind = op.get_bind()
    held = [t for t in SQLITE_TABLES if bind.exec_driver_sql(f"SELECT EXISTS (SELECT 1 FROM {t})").scalar()]
    if held and bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        # with foreign keys on, dropping a table deletes its rows first, cascading into the tables that
        # refer to it (aliases, memberships): refuse rather than lose them
        raise RuntimeError("schema 0006 rebuilds tables: run it with PRAGMA foreign_keys = OFF")
    m0004 = _migration_0004()
    for stmt in m0004.DROP_TRIGGERS["sqlite"]:
        op.execute(stmt)
    for stmt in DROP_VERSION_TRIGGER["sqlite"]:
        op.execute(stmt)
    for table, (columns, _constraints, indexes) in SQLITE_TABLES.items():
        names = ", ".join(["id", *(c.split(" ", 1)[0] for c in columns)])
        temp = f"{table}_0006_new"
        op.execute(_sqlite_create(table, temp, autoincrement))
        op.execute(f"INSERT INTO {temp} ({names}) SELECT {names} FROM {table}")
        op.execute(f"DROP TABLE {table}")
        op.execute(f"ALTER TABLE {temp} RENAME TO {table}")
        for stmt in indexes:
            op.execute(stmt)
    for stmt in m0004.TRIGGERS["sqlite"]:
        op.execute(stmt)
    if autoincrement:
        for stmt in VERSION_TRIGGER["sqlite"]:
            op.execute(stmt)
    broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"schema 0006: {len(broken)} rows refer to rows that do not exist, e.g. {broken[0]}")
    op.execute("PRAGMA analysis_limit = 1000")
    op.execute("ANALYZE")


def _pg_retype(kind: str) -> None:
    """Every id column to ``kind`` (BIGINT, or INTEGER back), the running-sums trigger off meanwhile
    (PostgreSQL cannot change the type of a column a trigger watches)."""
    bind = op.get_bind()
    m0004 = _migration_0004()
    for stmt in m0004.DROP_TRIGGERS["postgresql"]:
        op.execute(stmt)
    for table, columns in PG_ID_COLUMNS.items():
        op.execute(f"ALTER TABLE {table} " + ", ".join(f"ALTER COLUMN {c} TYPE {kind}" for c in columns))
    for table in PG_SEQUENCED:
        seq = bind.exec_driver_sql(f"SELECT pg_get_serial_sequence('{table}', 'id')").scalar()
        op.execute(f"ALTER SEQUENCE {seq} AS {kind}")
    for stmt in m0004.TRIGGERS["postgresql"]:
        op.execute(stmt)


def upgrade() -> None:
    if _dialect() == "sqlite":
        _sqlite_rebuild(autoincrement=True)
        return
    _pg_retype("BIGINT")
    op.execute(f"ALTER TABLE deal ADD COLUMN {DEAL_VERSION}")
    for stmt in VERSION_TRIGGER["postgresql"]:
        op.execute(stmt)
    op.execute("ANALYZE")


def downgrade() -> None:
    if _dialect() == "sqlite":
        _sqlite_rebuild(autoincrement=False)  # ids and rows kept; the version column goes
        op.execute("DELETE FROM sqlite_sequence")
        return
    for stmt in DROP_VERSION_TRIGGER["postgresql"]:
        op.execute(stmt)
    op.execute("ALTER TABLE deal DROP COLUMN version")
    _pg_retype("INTEGER")
