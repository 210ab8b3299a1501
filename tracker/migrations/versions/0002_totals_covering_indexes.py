"""covering indexes for totals

Totals group deals by party, currency and qualifier and sum the amount. With these two indexes the
grouping reads the index alone (a covering index), instead of the table (PERF-NOTES: 2.35 s -> 0.16 s
on 1M deals).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 21:05:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.create_index("ix_deal_from_totals", ["from_org_id", "currency", "qualifier", "amount"], unique=False)
        batch_op.create_index("ix_deal_to_totals", ["to_org_id", "currency", "qualifier", "amount"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_to_totals")
        batch_op.drop_index("ix_deal_from_totals")
