"""the search index: one text per deal, kept by triggers (FTS5 trigram on SQLite, pg_trgm on PostgreSQL)

A deal's searchable text (description, source outlet and title, kind, both parties' names and aliases, its
alliances' names) goes into ``deal_search``: on SQLite an FTS5 table with the trigram tokenizer, on
PostgreSQL a table with a ``pg_trgm`` GIN index (the extension is created if missing). Triggers on ``deal``,
``organization``, ``org_alias``, ``alliance`` and ``alliance_deal`` keep it in sync for every writer. The SQL
is frozen here (``tests/core/test_search_index.py`` checks that tracker/core/storage/search.py still
generates exactly this).

Existing deals are indexed here, except on SQLite above 50,000 deals: those are recorded in
``deal_search_gap`` and indexed afterwards in small transactions (tracker/core/storage/searchbuild.py, which
the app starts); searches scan the deals not yet indexed meanwhile, so they stay exact.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-07 19:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None

INLINE_BUILD = 50000

TABLES: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE VIRTUAL TABLE deal_search USING fts5(body, tokenize = 'trigram')",
        "CREATE TABLE deal_search_gap (id INTEGER PRIMARY KEY CHECK (id = 1), lo BIGINT NOT NULL, hi BIGINT NOT NULL)",
    ),
    "postgresql": (
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE TABLE deal_search (deal_id BIGINT PRIMARY KEY, body TEXT NOT NULL)",
        "CREATE INDEX ix_deal_search_body ON deal_search USING gin (body gin_trgm_ops)",
    ),
}

TRIGGERS: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE TRIGGER deal_search_deal_insert AFTER INSERT ON deal BEGIN DELETE FROM deal_search WHERE rowid IN (SELECT NEW.id); INSERT INTO deal_search(rowid, body) SELECT d.id, coalesce(d.description, '') || char(10) || coalesce(d.source_outlet, '') || char(10) || coalesce(d.source_title, '') || char(10) || d.kind || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.from_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.from_org_id), '') || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(l.name, char(10)) FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id WHERE ad.deal_id = d.id), '') FROM deal d WHERE d.id IN (SELECT NEW.id); END",
        "CREATE TRIGGER deal_search_deal_update AFTER UPDATE OF description, source_outlet, source_title, kind, from_org_id, to_org_id ON deal BEGIN DELETE FROM deal_search WHERE rowid = OLD.id; DELETE FROM deal_search WHERE rowid IN (SELECT NEW.id); INSERT INTO deal_search(rowid, body) SELECT d.id, coalesce(d.description, '') || char(10) || coalesce(d.source_outlet, '') || char(10) || coalesce(d.source_title, '') || char(10) || d.kind || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.from_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.from_org_id), '') || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(l.name, char(10)) FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id WHERE ad.deal_id = d.id), '') FROM deal d WHERE d.id IN (SELECT NEW.id); END",
        "CREATE TRIGGER deal_search_deal_delete AFTER DELETE ON deal BEGIN DELETE FROM deal_search WHERE rowid = OLD.id; END",
        "CREATE TRIGGER deal_search_org_name AFTER UPDATE OF name ON organization BEGIN DELETE FROM deal_search WHERE rowid IN (SELECT id FROM deal WHERE from_org_id = NEW.id UNION SELECT id FROM deal WHERE to_org_id = NEW.id); INSERT INTO deal_search(rowid, body) SELECT d.id, coalesce(d.description, '') || char(10) || coalesce(d.source_outlet, '') || char(10) || coalesce(d.source_title, '') || char(10) || d.kind || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.from_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.from_org_id), '') || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(l.name, char(10)) FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id WHERE ad.deal_id = d.id), '') FROM deal d WHERE d.id IN (SELECT id FROM deal WHERE from_org_id = NEW.id UNION SELECT id FROM deal WHERE to_org_id = NEW.id); END",
        "CREATE TRIGGER deal_search_alias_insert AFTER INSERT ON org_alias BEGIN DELETE FROM deal_search WHERE rowid IN (SELECT id FROM deal WHERE from_org_id = NEW.org_id UNION SELECT id FROM deal WHERE to_org_id = NEW.org_id); INSERT INTO deal_search(rowid, body) SELECT d.id, coalesce(d.description, '') || char(10) || coalesce(d.source_outlet, '') || char(10) || coalesce(d.source_title, '') || char(10) || d.kind || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.from_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.from_org_id), '') || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(l.name, char(10)) FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id WHERE ad.deal_id = d.id), '') FROM deal d WHERE d.id IN (SELECT id FROM deal WHERE from_org_id = NEW.org_id UNION SELECT id FROM deal WHERE to_org_id = NEW.org_id); END",
        "CREATE TRIGGER deal_search_alias_update AFTER UPDATE ON org_alias BEGIN DELETE FROM deal_search WHERE rowid IN (SELECT id FROM deal WHERE from_org_id = NEW.org_id UNION SELECT id FROM deal WHERE to_org_id = NEW.org_id UNION SELECT id FROM deal WHERE from_org_id = OLD.org_id UNION SELECT id FROM deal WHERE to_org_id = OLD.org_id); INSERT INTO deal_search(rowid, body) SELECT d.id, coalesce(d.description, '') || char(10) || coalesce(d.source_outlet, '') || char(10) || coalesce(d.source_title, '') || char(10) || d.kind || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.from_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.from_org_id), '') || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(l.name, char(10)) FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id WHERE ad.deal_id = d.id), '') FROM deal d WHERE d.id IN (SELECT id FROM deal WHERE from_org_id = NEW.org_id UNION SELECT id FROM deal WHERE to_org_id = NEW.org_id UNION SELECT id FROM deal WHERE from_org_id = OLD.org_id UNION SELECT id FROM deal WHERE to_org_id = OLD.org_id); END",
        "CREATE TRIGGER deal_search_alias_delete AFTER DELETE ON org_alias BEGIN DELETE FROM deal_search WHERE rowid IN (SELECT id FROM deal WHERE from_org_id = OLD.org_id UNION SELECT id FROM deal WHERE to_org_id = OLD.org_id); INSERT INTO deal_search(rowid, body) SELECT d.id, coalesce(d.description, '') || char(10) || coalesce(d.source_outlet, '') || char(10) || coalesce(d.source_title, '') || char(10) || d.kind || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.from_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.from_org_id), '') || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(l.name, char(10)) FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id WHERE ad.deal_id = d.id), '') FROM deal d WHERE d.id IN (SELECT id FROM deal WHERE from_org_id = OLD.org_id UNION SELECT id FROM deal WHERE to_org_id = OLD.org_id); END",
        "CREATE TRIGGER deal_search_alliance_name AFTER UPDATE OF name ON alliance BEGIN DELETE FROM deal_search WHERE rowid IN (SELECT deal_id FROM alliance_deal WHERE alliance_id = NEW.id); INSERT INTO deal_search(rowid, body) SELECT d.id, coalesce(d.description, '') || char(10) || coalesce(d.source_outlet, '') || char(10) || coalesce(d.source_title, '') || char(10) || d.kind || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.from_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.from_org_id), '') || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(l.name, char(10)) FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id WHERE ad.deal_id = d.id), '') FROM deal d WHERE d.id IN (SELECT deal_id FROM alliance_deal WHERE alliance_id = NEW.id); END",
        "CREATE TRIGGER deal_search_alliance_deal_insert AFTER INSERT ON alliance_deal BEGIN DELETE FROM deal_search WHERE rowid IN (SELECT NEW.deal_id); INSERT INTO deal_search(rowid, body) SELECT d.id, coalesce(d.description, '') || char(10) || coalesce(d.source_outlet, '') || char(10) || coalesce(d.source_title, '') || char(10) || d.kind || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.from_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.from_org_id), '') || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(l.name, char(10)) FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id WHERE ad.deal_id = d.id), '') FROM deal d WHERE d.id IN (SELECT NEW.deal_id); END",
        "CREATE TRIGGER deal_search_alliance_deal_delete AFTER DELETE ON alliance_deal BEGIN DELETE FROM deal_search WHERE rowid IN (SELECT OLD.deal_id); INSERT INTO deal_search(rowid, body) SELECT d.id, coalesce(d.description, '') || char(10) || coalesce(d.source_outlet, '') || char(10) || coalesce(d.source_title, '') || char(10) || d.kind || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.from_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.from_org_id), '') || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(l.name, char(10)) FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id WHERE ad.deal_id = d.id), '') FROM deal d WHERE d.id IN (SELECT OLD.deal_id); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION deal_search_put(ids bigint[]) RETURNS void LANGUAGE sql AS $$\n  DELETE FROM deal_search WHERE deal_id = ANY(ids);\n  INSERT INTO deal_search(deal_id, body) SELECT d.id, coalesce(d.description, '') || chr(10) || coalesce(d.source_outlet, '') || chr(10) || coalesce(d.source_title, '') || chr(10) || d.kind || chr(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.from_org_id), '') || chr(10) || coalesce((SELECT string_agg(a.alias, chr(10)) FROM org_alias a WHERE a.org_id = d.from_org_id), '') || chr(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.to_org_id), '') || chr(10) || coalesce((SELECT string_agg(a.alias, chr(10)) FROM org_alias a WHERE a.org_id = d.to_org_id), '') || chr(10) || coalesce((SELECT string_agg(l.name, chr(10)) FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id WHERE ad.deal_id = d.id), '') FROM deal d WHERE d.id = ANY(ids);\n$$",
        "CREATE OR REPLACE FUNCTION deal_search_deal() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'DELETE' THEN DELETE FROM deal_search WHERE deal_id = OLD.id; ELSE PERFORM deal_search_put(ARRAY[NEW.id]); END IF;\n  RETURN NULL;\nEND\n$$",
        "CREATE TRIGGER deal_search_deal AFTER INSERT OR DELETE OR UPDATE OF description, source_outlet, source_title, kind, from_org_id, to_org_id ON deal FOR EACH ROW EXECUTE FUNCTION deal_search_deal()",
        "CREATE OR REPLACE FUNCTION deal_search_org() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM deal_search_put(ARRAY(SELECT id FROM deal WHERE from_org_id = NEW.id UNION SELECT id FROM deal WHERE to_org_id = NEW.id));\n  RETURN NULL;\nEND\n$$",
        "CREATE TRIGGER deal_search_org AFTER UPDATE OF name ON organization FOR EACH ROW EXECUTE FUNCTION deal_search_org()",
        "CREATE OR REPLACE FUNCTION deal_search_alias() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP <> 'INSERT' THEN PERFORM deal_search_put(ARRAY(SELECT id FROM deal WHERE from_org_id = OLD.org_id UNION SELECT id FROM deal WHERE to_org_id = OLD.org_id)); END IF; IF TG_OP <> 'DELETE' THEN PERFORM deal_search_put(ARRAY(SELECT id FROM deal WHERE from_org_id = NEW.org_id UNION SELECT id FROM deal WHERE to_org_id = NEW.org_id)); END IF;\n  RETURN NULL;\nEND\n$$",
        "CREATE TRIGGER deal_search_alias AFTER INSERT OR DELETE OR UPDATE ON org_alias FOR EACH ROW EXECUTE FUNCTION deal_search_alias()",
        "CREATE OR REPLACE FUNCTION deal_search_alliance() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM deal_search_put(ARRAY(SELECT deal_id FROM alliance_deal WHERE alliance_id = NEW.id));\n  RETURN NULL;\nEND\n$$",
        "CREATE TRIGGER deal_search_alliance AFTER UPDATE OF name ON alliance FOR EACH ROW EXECUTE FUNCTION deal_search_alliance()",
        "CREATE OR REPLACE FUNCTION deal_search_alliance_deal() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'DELETE' THEN PERFORM deal_search_put(ARRAY[OLD.deal_id]); ELSE PERFORM deal_search_put(ARRAY[NEW.deal_id]); END IF;\n  RETURN NULL;\nEND\n$$",
        "CREATE TRIGGER deal_search_alliance_deal AFTER INSERT OR DELETE ON alliance_deal FOR EACH ROW EXECUTE FUNCTION deal_search_alliance_deal()",
    ),
}

DROP_TRIGGERS: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "DROP TRIGGER IF EXISTS deal_search_deal_insert",
        "DROP TRIGGER IF EXISTS deal_search_deal_update",
        "DROP TRIGGER IF EXISTS deal_search_deal_delete",
        "DROP TRIGGER IF EXISTS deal_search_org_name",
        "DROP TRIGGER IF EXISTS deal_search_alias_insert",
        "DROP TRIGGER IF EXISTS deal_search_alias_update",
        "DROP TRIGGER IF EXISTS deal_search_alias_delete",
        "DROP TRIGGER IF EXISTS deal_search_alliance_name",
        "DROP TRIGGER IF EXISTS deal_search_alliance_deal_insert",
        "DROP TRIGGER IF EXISTS deal_search_alliance_deal_delete",
    ),
    "postgresql": (
        "DROP TRIGGER IF EXISTS deal_search_deal ON deal",
        "DROP TRIGGER IF EXISTS deal_search_org ON organization",
        "DROP TRIGGER IF EXISTS deal_search_alias ON org_alias",
        "DROP TRIGGER IF EXISTS deal_search_alliance ON alliance",
        "DROP TRIGGER IF EXISTS deal_search_alliance_deal ON alliance_deal",
        "DROP FUNCTION IF EXISTS deal_search_deal()",
        "DROP FUNCTION IF EXISTS deal_search_org()",
        "DROP FUNCTION IF EXISTS deal_search_alias()",
        "DROP FUNCTION IF EXISTS deal_search_alliance()",
        "DROP FUNCTION IF EXISTS deal_search_alliance_deal()",
        "DROP FUNCTION IF EXISTS deal_search_put(bigint[])",
    ),
}

FILL: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "DELETE FROM deal_search",
        "DELETE FROM deal_search_gap",
        "INSERT INTO deal_search_gap (id, lo, hi) SELECT 1, 0, max(id) FROM deal HAVING count(*) > 0",
    ),
    "postgresql": (
        "DELETE FROM deal_search",
        "INSERT INTO deal_search(deal_id, body) SELECT d.id, coalesce(d.description, '') || chr(10) || coalesce(d.source_outlet, '') || chr(10) || coalesce(d.source_title, '') || chr(10) || d.kind || chr(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.from_org_id), '') || chr(10) || coalesce((SELECT string_agg(a.alias, chr(10)) FROM org_alias a WHERE a.org_id = d.from_org_id), '') || chr(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.to_org_id), '') || chr(10) || coalesce((SELECT string_agg(a.alias, chr(10)) FROM org_alias a WHERE a.org_id = d.to_org_id), '') || chr(10) || coalesce((SELECT string_agg(l.name, chr(10)) FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id WHERE ad.deal_id = d.id), '') FROM deal d",
    ),
}

SQLITE_DOCUMENT = "coalesce(d.description, '') || char(10) || coalesce(d.source_outlet, '') || char(10) || coalesce(d.source_title, '') || char(10) || d.kind || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.from_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.from_org_id), '') || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(l.name, char(10)) FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id WHERE ad.deal_id = d.id), '')"


def _run(statements: tuple[str, ...]) -> None:
    bind = op.get_bind()
    for stmt in statements:
        bind.exec_driver_sql(stmt if bind.dialect.name == "sqlite" else stmt.replace("%", "%%"))


def upgrade() -> None:
    dialect = "sqlite" if op.get_bind().dialect.name == "sqlite" else "postgresql"
    _run(TABLES[dialect])
    _run(TRIGGERS[dialect])
    _run(FILL[dialect])
    if dialect == "sqlite":
        bind = op.get_bind()
        row = bind.exec_driver_sql("SELECT hi - lo FROM deal_search_gap").first()
        if row is not None and row[0] <= INLINE_BUILD:
            bind.exec_driver_sql(f"INSERT INTO deal_search(rowid, body) SELECT d.id, {SQLITE_DOCUMENT} FROM deal d")
            bind.exec_driver_sql("DELETE FROM deal_search_gap")


def downgrade() -> None:
    dialect = "sqlite" if op.get_bind().dialect.name == "sqlite" else "postgresql"
    _run(DROP_TRIGGERS[dialect])
    _run(("DROP TABLE IF EXISTS deal_search_gap", "DROP TABLE IF EXISTS deal_search"))
