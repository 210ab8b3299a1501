"""running totals kept by triggers; the covering totals indexes go

The analysis read the 1M-row deal table for every grouping (seconds). Schema 0004 keeps running sums in
``party_total`` (per organisation, side, infrastructure or not, currency) and ``period_total`` (per kind,
year, currency), maintained by triggers on ``deal`` (see tracker/core/storage/sums.py), and fills them from the
deals already there. The three covering indexes of 0003 are no longer read and cost a third of a bulk
import: they are dropped. ``ix_deal_from_org`` gains ``to_org_id`` and ``kind`` so that the map's cycle
search still reads every directed pair from an index.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tracker.core.storage import sums as summary

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FROM_TOTALS = ["from_org_id", "kind", "currency", "qualifier", "to_org_id", "amount", "capacity_gw"]
TO_TOTALS = ["to_org_id", "kind", "currency", "qualifier", "amount", "capacity_gw"]
KIND_TOTALS = ["kind", "currency", "qualifier", "date", "amount", "capacity_gw"]


def _measures() -> list[sa.Column]:
    return [sa.Column(name, sa.BigInteger(), nullable=False) for name in summary.MEASURES]


def upgrade() -> None:
    op.create_table(
        "party_total",
        sa.Column("org_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("side", sa.String(length=1), nullable=False),
        sa.Column("infra", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        *_measures(),
        sa.PrimaryKeyConstraint("org_id", "side", "infra", "currency"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "period_total",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        *_measures(),
        sa.PrimaryKeyConstraint("kind", "year", "currency"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_kind_totals")
        batch_op.drop_index("ix_deal_to_totals")
        batch_op.drop_index("ix_deal_from_totals")
        batch_op.drop_index("ix_deal_from_org")
        batch_op.create_index("ix_deal_from_org", ["from_org_id", "date", "to_org_id", "kind"], unique=False)
    dialect = op.get_bind().dialect.name
    for stmt in summary.trigger_ddl(dialect):
        op.execute(stmt)
    for stmt in summary.rebuild_sql(dialect):
        op.execute(stmt)
    # statistics for the new index: without them SQLite's planner ignores it for the listing's queries
    if dialect == "sqlite":
        op.execute("PRAGMA analysis_limit = 1000")
    op.execute("ANALYZE")


def downgrade() -> None:
    for stmt in summary.drop_trigger_ddl(op.get_bind().dialect.name):
        op.execute(stmt)
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_from_org")
        batch_op.create_index("ix_deal_from_org", ["from_org_id", "date"], unique=False)
        batch_op.create_index("ix_deal_from_totals", FROM_TOTALS, unique=False)
        batch_op.create_index("ix_deal_to_totals", TO_TOTALS, unique=False)
        batch_op.create_index("ix_deal_kind_totals", KIND_TOTALS, unique=False)
    op.drop_table("period_total")
    op.drop_table("party_total")
