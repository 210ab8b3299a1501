"""The search index (schemas 0008, 0014): one text per deal, kept by database triggers, looked up by substring.

A deal's text is its description, source outlet and title, its kind, both parties' names and aliases, and
the names of its alliances, one per line (:func:`document_sql`). SQLite keeps it in ``deal_search``, an FTS5
table with the trigram tokenizer and no positions (``detail = 'none'``: ``LIKE '%term%'`` finds the rows
holding the term's trigrams and SQLite checks each; any substring of three characters or more, any script,
no word segmenter needed for Chinese, ASCII letters in either case). Positions made the index several times
larger and a load of repetitive text quadratic (300 MB of 10 KB descriptions: over 10 minutes, against 40 s
without them); PostgreSQL in a plain ``deal_search`` table with a ``pg_trgm`` GIN
index, matched with ``ILIKE``.

Triggers refresh a deal's text whenever any part of it changes, whoever writes: the deal itself, a party's
name or aliases, an alliance's name or the deal's alliances. A bulk load (:func:`tracker.core.storage.sums.
bulk_load`) switches them off. PostgreSQL then fills the table in one statement at the end. SQLite records
the loaded ids as not yet indexed (``deal_search_gap``: ids ``lo < id <= hi``) and the index is built
afterwards in small transactions (:func:`build_step`, run by ``tracker.core.storage.searchbuild``): an
FTS5 index of a million deals takes longer than the whole import. Searches stay exact meanwhile: deals in
the gap are matched by a scan (:mod:`tracker.core.records.pages`).
"""

from __future__ import annotations

from sqlalchemy import Connection

GAP_TABLE = "deal_search_gap"
INDEX_TABLE = "deal_search"
PG_GIN_INDEX = "ix_deal_search_body"
INLINE_BUILD = 50_000
"""A bulk load of at most this many deals builds its SQLite index at once, in the load's transaction."""
BUILD_CHUNK = 5_000
"""Deals indexed by one INSERT into FTS5. One statement's terms stay in memory until it ends: 9,400 deals of
10 KB each took 93 s in one statement against 8 s in chunks of 5,000 (the same on short descriptions)."""
WATCHED = ("description", "source_outlet", "source_title", "kind", "from_org_id", "to_org_id")

SQLITE_TRIGGERS: tuple[str, ...] = (
    "deal_search_deal_insert", "deal_search_deal_update", "deal_search_deal_delete", "deal_search_org_name",
    "deal_search_alias_insert", "deal_search_alias_update", "deal_search_alias_delete",
    "deal_search_alliance_name", "deal_search_alliance_deal_insert", "deal_search_alliance_deal_delete",
)  # fmt: skip
PG_TRIGGERS: dict[str, str] = {
    "deal_search_deal": "deal",
    "deal_search_org": "organization",
    "deal_search_alias": "org_alias",
    "deal_search_alliance": "alliance",
    "deal_search_alliance_deal": "alliance_deal",
}
"""PostgreSQL trigger → its table (each trigger runs the function of the same name)."""


def document_sql(rec: str, dialect: str) -> str:
    """SQL of the searchable text of the deal row ``rec`` (a table alias, or ``NEW``)."""
    nl = "char(10)" if dialect == "sqlite" else "chr(10)"

    def agg(expr: str) -> str:
        return f"group_concat({expr}, {nl})" if dialect == "sqlite" else f"string_agg({expr}, {nl})"

    parts = [
        f"coalesce({rec}.description, '')",
        f"coalesce({rec}.source_outlet, '')",
        f"coalesce({rec}.source_title, '')",
        f"{rec}.kind",
        f"coalesce((SELECT o.name FROM organization o WHERE o.id = {rec}.from_org_id), '')",
        f"coalesce((SELECT {agg('a.alias')} FROM org_alias a WHERE a.org_id = {rec}.from_org_id), '')",
        f"coalesce((SELECT o.name FROM organization o WHERE o.id = {rec}.to_org_id), '')",
        f"coalesce((SELECT {agg('a.alias')} FROM org_alias a WHERE a.org_id = {rec}.to_org_id), '')",
        f"coalesce((SELECT {agg('l.name')} FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id"
        f" WHERE ad.deal_id = {rec}.id), '')",
    ]
    return f" || {nl} || ".join(parts)


def _sqlite_put(ids: str) -> list[str]:
    """Statements that index again the deals whose ids ``ids`` (a SELECT) gives."""
    return [
        f"DELETE FROM {INDEX_TABLE} WHERE rowid IN ({ids})",
        f"INSERT INTO {INDEX_TABLE}(rowid, body) SELECT d.id, {document_sql('d', 'sqlite')} FROM deal d"
        f" WHERE d.id IN ({ids})",
    ]


def _sqlite_trigger(name: str, event: str, ids: str, extra: tuple[str, ...] = ()) -> str:
    body = " ".join(f"{s};" for s in (*extra, *_sqlite_put(ids)))
    return f"CREATE TRIGGER {name} AFTER {event} BEGIN {body} END"


def trigger_ddl(dialect: str) -> list[str]:
    """CREATE statements of the triggers (and, on PostgreSQL, their functions)."""
    parties = (
        "SELECT id FROM deal WHERE from_org_id = {r}.org_id UNION SELECT id FROM deal WHERE to_org_id = {r}.org_id"
    )
    if dialect == "sqlite":
        d_ins, d_upd, d_del, o_name, a_ins, a_upd, a_del, l_name, ld_ins, ld_del = SQLITE_TRIGGERS
        org = "SELECT id FROM deal WHERE from_org_id = NEW.id UNION SELECT id FROM deal WHERE to_org_id = NEW.id"
        return [
            _sqlite_trigger(d_ins, "INSERT ON deal", "SELECT NEW.id"),
            _sqlite_trigger(d_upd, f"UPDATE OF {', '.join(WATCHED)} ON deal", "SELECT NEW.id",
                            (f"DELETE FROM {INDEX_TABLE} WHERE rowid = OLD.id",)),
            f"CREATE TRIGGER {d_del} AFTER DELETE ON deal BEGIN DELETE FROM {INDEX_TABLE} WHERE rowid = OLD.id; END",
            _sqlite_trigger(o_name, "UPDATE OF name ON organization", org),
            _sqlite_trigger(a_ins, "INSERT ON org_alias", parties.format(r="NEW")),
            _sqlite_trigger(a_upd, "UPDATE ON org_alias",
                            f"{parties.format(r='NEW')} UNION {parties.format(r='OLD')}"),
            _sqlite_trigger(a_del, "DELETE ON org_alias", parties.format(r="OLD")),
            _sqlite_trigger(l_name, "UPDATE OF name ON alliance",
                            "SELECT deal_id FROM alliance_deal WHERE alliance_id = NEW.id"),
            _sqlite_trigger(ld_ins, "INSERT ON alliance_deal", "SELECT NEW.deal_id"),
            _sqlite_trigger(ld_del, "DELETE ON alliance_deal", "SELECT OLD.deal_id"),
        ]  # fmt: skip
    put = (
        f"CREATE OR REPLACE FUNCTION deal_search_put(ids bigint[]) RETURNS void LANGUAGE sql AS $$\n"
        f"  DELETE FROM {INDEX_TABLE} WHERE deal_id = ANY(ids);\n"
        f"  INSERT INTO {INDEX_TABLE}(deal_id, body) SELECT d.id, {document_sql('d', dialect)} FROM deal d"
        f" WHERE d.id = ANY(ids);\n$$"
    )
    bodies = {
        "deal_search_deal": "IF TG_OP = 'DELETE' THEN DELETE FROM deal_search WHERE deal_id = OLD.id; "
        "ELSE PERFORM deal_search_put(ARRAY[NEW.id]); END IF;",
        "deal_search_org": "PERFORM deal_search_put(ARRAY(SELECT id FROM deal WHERE from_org_id = NEW.id "
        "UNION SELECT id FROM deal WHERE to_org_id = NEW.id));",
        "deal_search_alias": "IF TG_OP <> 'INSERT' THEN PERFORM deal_search_put(ARRAY("
        + parties.format(r="OLD")
        + ")); END IF; IF TG_OP <> 'DELETE' THEN PERFORM deal_search_put(ARRAY("
        + parties.format(r="NEW")
        + ")); END IF;",
        "deal_search_alliance": "PERFORM deal_search_put(ARRAY(SELECT deal_id FROM alliance_deal "
        "WHERE alliance_id = NEW.id));",
        "deal_search_alliance_deal": "IF TG_OP = 'DELETE' THEN PERFORM deal_search_put(ARRAY[OLD.deal_id]); "
        "ELSE PERFORM deal_search_put(ARRAY[NEW.deal_id]); END IF;",
    }
    events = {
        "deal_search_deal": f"INSERT OR DELETE OR UPDATE OF {', '.join(WATCHED)}",
        "deal_search_org": "UPDATE OF name",
        "deal_search_alias": "INSERT OR DELETE OR UPDATE",
        "deal_search_alliance": "UPDATE OF name",
        "deal_search_alliance_deal": "INSERT OR DELETE",
    }
    out = [put]
    for name, table in PG_TRIGGERS.items():
        out.append(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n  {bodies[name]}\n  RETURN NULL;\nEND\n$$"
        )
        out.append(f"CREATE TRIGGER {name} AFTER {events[name]} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")
    return out


def drop_trigger_ddl(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
    out = [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in PG_TRIGGERS.items()]
    out += [f"DROP FUNCTION IF EXISTS {name}()" for name in PG_TRIGGERS]
    return [*out, "DROP FUNCTION IF EXISTS deal_search_put(bigint[])"]


def table_ddl(dialect: str) -> list[str]:
    """CREATE statements of the index and (SQLite) the table of ids not yet indexed."""
    if dialect == "sqlite":
        return [
            f"CREATE VIRTUAL TABLE {INDEX_TABLE} USING fts5(body, tokenize = 'trigram', detail = 'none')",
            f"CREATE TABLE {GAP_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), lo BIGINT NOT NULL, hi BIGINT NOT NULL)",
        ]
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE TABLE {INDEX_TABLE} (deal_id BIGINT PRIMARY KEY, body TEXT NOT NULL)",
        f"CREATE INDEX {PG_GIN_INDEX} ON {INDEX_TABLE} USING gin (body gin_trgm_ops)",
    ]


def fill_sql(dialect: str) -> list[str]:
    """Statements that index every deal again (PostgreSQL; SQLite records a gap instead, see :func:`mark_all`)."""
    if dialect == "sqlite":
        return [f"DELETE FROM {INDEX_TABLE}", f"DELETE FROM {GAP_TABLE}",
                f"INSERT INTO {GAP_TABLE} (id, lo, hi) SELECT 1, 0, max(id) FROM deal HAVING count(*) > 0"]  # fmt: skip
    return [
        f"DELETE FROM {INDEX_TABLE}",
        f"INSERT INTO {INDEX_TABLE}(deal_id, body) SELECT d.id, {document_sql('d', dialect)} FROM deal d",
    ]


# --------------------------------------------------------------------------------------------
# Runtime


def gap(conn: Connection) -> tuple[int, int] | None:
    """The ids not yet indexed (``lo < id <= hi``), or None when every deal is (always on PostgreSQL)."""
    if conn.dialect.name != "sqlite":
        return None
    row = conn.exec_driver_sql(f"SELECT lo, hi FROM {GAP_TABLE} WHERE lo < hi").first()
    return None if row is None else (int(row[0]), int(row[1]))


def build_step(conn: Connection, chunk: int = BUILD_CHUNK) -> bool:
    """Index the next ``chunk`` ids of the gap, inside the caller's write transaction; True while some remain."""
    found = gap(conn)
    if found is None:
        return False
    lo, hi = found
    top = min(hi, lo + chunk)
    conn.exec_driver_sql(f"DELETE FROM {INDEX_TABLE} WHERE rowid > ? AND rowid <= ?", (lo, top))
    conn.exec_driver_sql(
        f"INSERT INTO {INDEX_TABLE}(rowid, body) SELECT d.id, {document_sql('d', 'sqlite')} FROM deal d"
        " WHERE d.id > ? AND d.id <= ?",
        (lo, top),
    )
    if top >= hi:
        conn.exec_driver_sql(f"DELETE FROM {GAP_TABLE}")
        return False
    conn.exec_driver_sql(f"UPDATE {GAP_TABLE} SET lo = ?", (top,))
    return True


def suspend(conn: Connection) -> None:
    """Switch the triggers off for a bulk load (inside the caller's transaction)."""
    if conn.dialect.name == "sqlite":
        for stmt in drop_trigger_ddl("sqlite"):
            conn.exec_driver_sql(stmt)
    else:
        for name, table in PG_TRIGGERS.items():
            conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER {name}")


def resume(conn: Connection) -> None:
    """After a bulk load: the triggers back on, every deal indexed again (PostgreSQL) or marked as not yet
    indexed (SQLite; indexed at once when there are few)."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        for stmt in trigger_ddl("sqlite"):
            conn.exec_driver_sql(stmt)
        for stmt in fill_sql("sqlite"):
            conn.exec_driver_sql(stmt)
        found = gap(conn)
        if found is not None and found[1] - found[0] <= INLINE_BUILD:
            while build_step(conn):
                pass
        return
    conn.exec_driver_sql(f"DROP INDEX IF EXISTS {PG_GIN_INDEX}")
    for stmt in fill_sql(dialect):
        conn.exec_driver_sql(stmt.replace("%", "%%"))
    conn.exec_driver_sql(f"CREATE INDEX {PG_GIN_INDEX} ON {INDEX_TABLE} USING gin (body gin_trgm_ops)")
    for name, table in PG_TRIGGERS.items():
        conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
