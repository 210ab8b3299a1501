"""the SQLite search index without positions (FTS5 ``detail = 'none'``), looked up with LIKE

Schema 0008's FTS5 table kept every trigram's positions, for phrase queries. They made the index several
times larger than the text, and a bulk load of long repetitive text quadratic: 300 MB of 10 KB descriptions
took over ten minutes to index, against 40 s without positions. Searches now look the index up with
``body LIKE '%term%'``: FTS5 finds the rows holding the term's trigrams, SQLite checks each row. The table
is made again and every deal indexed again (above 50,000 deals: afterwards, as schema 0008 does, through
``deal_search_gap``). The triggers, which name the table, are unchanged. PostgreSQL is not touched.

Revision ID: 0014
Revises: 0007
Create Date: 2026-12-07 23:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0007"
branch_labels = None
depends_on = None

INLINE_BUILD = 50000
CHUNK = 5000

SQLITE_DOCUMENT = "coalesce(d.description, '') || char(10) || coalesce(d.source_outlet, '') || char(10) || coalesce(d.source_title, '') || char(10) || d.kind || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.from_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.from_org_id), '') || char(10) || coalesce((SELECT o.name FROM organization o WHERE o.id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(a.alias, char(10)) FROM org_alias a WHERE a.org_id = d.to_org_id), '') || char(10) || coalesce((SELECT group_concat(l.name, char(10)) FROM alliance_deal ad JOIN alliance l ON l.id = ad.alliance_id WHERE ad.deal_id = d.id), '')"


def _remake(table_sql: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    bind.exec_driver_sql("DROP TABLE deal_search")
    bind.exec_driver_sql(table_sql)
    bind.exec_driver_sql("DELETE FROM deal_search_gap")
    row = bind.exec_driver_sql("SELECT count(*), coalesce(max(id), 0) FROM deal").first()
    count, top = (int(row[0]), int(row[1])) if row is not None else (0, 0)
    if count == 0:
        return
    if count > INLINE_BUILD:
        bind.exec_driver_sql("INSERT INTO deal_search_gap (id, lo, hi) VALUES (1, 0, ?)", (top,))
        return
    for lo in range(0, top, CHUNK):
        bind.exec_driver_sql(
            f"INSERT INTO deal_search(rowid, body) SELECT d.id, {SQLITE_DOCUMENT} FROM deal d"
            " WHERE d.id > ? AND d.id <= ?",
            (lo, lo + CHUNK),
        )


def upgrade() -> None:
    _remake("CREATE VIRTUAL TABLE deal_search USING fts5(body, tokenize = 'trigram', detail = 'none')")


def downgrade() -> None:
    _remake("CREATE VIRTUAL TABLE deal_search USING fts5(body, tokenize = 'trigram')")
