"""saved views: a filter, a sort and the visible columns under a name

``tracker view save`` and the app's "save view" keep a view of the deals table here, so that everyone on
one PostgreSQL server shares them. The name is unique ignoring case (``name_key``: the name stripped and
casefolded). The filter's fields are kept as typed (dates at their precision, the organisation's name):
a view is checked again each time it is applied. ``kinds``, ``confidence`` (the deal confidences of schema
0011) and ``columns`` are comma-separated lists; ``columns`` NULL means the table's default columns.

Revision ID: 0013
Revises: 0014
Create Date: 2026-12-07 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0014"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "saved_view",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False, unique=True),
        sa.Column("search", sa.String(1000), nullable=False),
        sa.Column("kinds", sa.String(200), nullable=False),
        sa.Column("org", sa.String(200), nullable=True),
        sa.Column("since", sa.String(20), nullable=True),
        sa.Column("until", sa.String(20), nullable=True),
        sa.Column("confidence", sa.String(60), nullable=True),
        sa.Column("sort", sa.String(20), nullable=False),
        sa.Column("reverse", sa.Boolean(), nullable=False),
        sa.Column("columns", sa.String(200), nullable=True),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("saved_view")
