"""many sources per deal, and how sure we are of each deal

A deal had one source, in its ``source_*`` columns. Table ``deal_source`` holds any number, in order
(``position`` 0 is the first), each with a kind from a closed vocabulary (filing, press-release,
earnings-call, news, analysis, social, rumor), outlet, author, title, URL, published date (at its precision),
retrieved date, language and excerpt. The deal keeps its ``source_*`` columns as a mirror of its first
source (the application keeps both sides equal on every write), so that readers of the deal row need no join.

Each deal's existing source becomes its position-0 row, of kind ``news`` (what it was, in the data we have).
``deal.confidence`` (indexed) is derived from the sources: here ``reported`` for a deal with a source (all are
news), else ``unsourced``. The downgrade drops both; the first source stays in the deal's columns.

Revision ID: 0011
Revises: 0013
Create Date: 2026-12-07 23:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0013"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "deal_source",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("deal_id", ID, sa.ForeignKey("deal.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False, server_default="news"),
        sa.Column("outlet", sa.String(200)),
        sa.Column("author", sa.String(200)),
        sa.Column("title", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("published", sa.String(10)),
        sa.Column("retrieved", sa.String(10)),
        sa.Column("lang", sa.String(35)),
        sa.Column("excerpt", sa.Text()),
        sa.UniqueConstraint("deal_id", "position", name="uq_deal_source_position"),
        sqlite_autoincrement=True,
    )
    op.add_column(
        "deal", sa.Column("confidence", sa.String(10), nullable=False, server_default="unsourced")
    )
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "INSERT INTO deal_source (deal_id, position, kind, outlet, author, title, url, published) "
            "SELECT id, 0, 'news', source_outlet, source_author, source_title, source_url, source_date FROM deal "
            "WHERE source_outlet IS NOT NULL OR source_author IS NOT NULL OR source_title IS NOT NULL "
            "OR source_url IS NOT NULL OR source_date IS NOT NULL"
        )
    )
    conn.execute(
        sa.text(
            "UPDATE deal SET confidence = 'reported' WHERE EXISTS "
            "(SELECT 1 FROM deal_source WHERE deal_source.deal_id = deal.id)"
        )
    )
    op.create_index("ix_deal_confidence_id", "deal", ["confidence", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_deal_confidence_id", table_name="deal")
    op.execute("ALTER TABLE deal DROP COLUMN confidence")  # SQLite 3.35 and later; the triggers stay
    op.drop_table("deal_source")
