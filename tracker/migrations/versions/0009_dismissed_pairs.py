"""pairs of deals a user kept both of

``tracker dedupe`` and the app's dedupe screen list pairs of deals that look like duplicates. "Keep both"
is remembered here so that the pair is not asked again: one row per pair, the lower deal id first, gone
with either deal (``ON DELETE CASCADE``).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "dismissed_pair",
        sa.Column("low_id", ID, sa.ForeignKey("deal.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("high_id", ID, sa.ForeignKey("deal.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_dismissed_pair_high_id", "dismissed_pair", ["high_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_dismissed_pair_high_id", table_name="dismissed_pair")
    op.drop_table("dismissed_pair")
