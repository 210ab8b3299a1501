"""covering indexes for the analysis (totals, map, cycles)

0002's party indexes did not cover the totals queries (they also read kind and capacity_gw), so SQLite
scanned the 1M-row table and sorted it for every GROUP BY (14 s per grouping). They are replaced, under
the same names, by indexes whose column order is the GROUP BY order, so each grouping is one ordered walk
of an index with no sort:

- ``ix_deal_from_totals`` (from_org_id, kind, currency, qualifier, to_org_id, amount, capacity_gw): paid
  out, the grand total, the map's ranking and its edges (to_org_id after the grouping columns), cycles.
- ``ix_deal_to_totals`` (to_org_id, kind, currency, qualifier, amount, capacity_gw): received.
- ``ix_deal_kind_totals`` (kind, currency, qualifier, date, amount, capacity_gw), new: totals by kind, and
  by year as one range per (kind, currency, qualifier, year).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 21:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FROM_TOTALS = ["from_org_id", "kind", "currency", "qualifier", "to_org_id", "amount", "capacity_gw"]
TO_TOTALS = ["to_org_id", "kind", "currency", "qualifier", "amount", "capacity_gw"]
KIND_TOTALS = ["kind", "currency", "qualifier", "date", "amount", "capacity_gw"]


def upgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_to_totals")
        batch_op.drop_index("ix_deal_from_totals")
        batch_op.create_index("ix_deal_from_totals", FROM_TOTALS, unique=False)
        batch_op.create_index("ix_deal_to_totals", TO_TOTALS, unique=False)
        batch_op.create_index("ix_deal_kind_totals", KIND_TOTALS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_kind_totals")
        batch_op.drop_index("ix_deal_to_totals")
        batch_op.drop_index("ix_deal_from_totals")
        batch_op.create_index("ix_deal_from_totals", ["from_org_id", "currency", "qualifier", "amount"], unique=False)
        batch_op.create_index("ix_deal_to_totals", ["to_org_id", "currency", "qualifier", "amount"], unique=False)
