"""indexes for the deals table's sorts by kind, status and amount

At a million deals, sorting the table by kind, status or amount read and sorted the whole table for every
page (2.6-3 s a page, filtered or not); the date and ``from`` sorts already walked an index. Each index here
is the sort key then the id, in the order of the keyset pages (``tracker.core.records.pages.page``); the amount's is
on the expression the table sorts by, ``coalesce(amount, -1)`` (undisclosed lowest).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 03:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_deal_kind_id", "deal", ["kind", "id"], unique=False)
    op.create_index("ix_deal_status_id", "deal", ["status", "id"], unique=False)
    op.create_index("ix_deal_amount_id", "deal", [sa.text("coalesce(amount, -1)"), "id"], unique=False)
    op.execute("ANALYZE deal")


def downgrade() -> None:
    op.drop_index("ix_deal_amount_id", table_name="deal")
    op.drop_index("ix_deal_status_id", table_name="deal")
    op.drop_index("ix_deal_kind_id", table_name="deal")
