"""alliance keys that ignore the kind of dash and spacing

An alliance's ``name_key`` was the organisations' key (NFKC, casefolded, inner whitespace collapsed), so
``OpenAI-Nvidia-Oracle triangle`` and ``OpenAI–Nvidia–Oracle triangle`` (a hyphen, an en dash) were two
alliances. The key now also maps every dash to one hyphen and drops all spacing
(``tracker.core.domain.names.alliance_key``, frozen below: a migration imports nothing from tracker).

Every stored key is recomputed. Alliances that now share a key are merged into the oldest of them (the
lowest id): the others' deals and members join it, its description is kept (or taken from the next one
that has one), and the others are deleted. Nothing else changes: deals, organisations and their links stay.
The downgrade puts back the earlier keys (merged alliances stay merged).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 19:30:00
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

DASHES = frozenset(
    "\u002d\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e17\u2e1a\u2e3a\u2e3b"
    "\u2e40\u2e5d\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead"
)


def name_key(name: str) -> str:
    """The key of schema 0001 to 0006 (and still of organisations)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def alliance_key(name: str) -> str:
    """The key of this schema on."""
    return "".join("-" if ch in DASHES else ch for ch in name_key(name) if not ch.isspace())


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name, description FROM alliance ORDER BY id")).all()
    keep: dict[str, tuple[int, str | None]] = {}
    merged: list[tuple[int, int]] = []  # (dropped, kept)
    for alliance_id, name, description in rows:
        key = alliance_key(name)
        if key in keep:
            kept, kept_description = keep[key]
            merged.append((alliance_id, kept))
            if not kept_description and description:
                keep[key] = (kept, description)
        else:
            keep[key] = (alliance_id, description)
    for dropped, kept in merged:
        for table, column in (("alliance_deal", "deal_id"), ("alliance_member", "org_id")):
            conn.execute(
                sa.text(
                    f"INSERT INTO {table} (alliance_id, {column}) SELECT :kept, {column} FROM {table} "
                    f"WHERE alliance_id = :dropped AND {column} NOT IN "
                    f"(SELECT {column} FROM {table} WHERE alliance_id = :kept)"
                ),
                {"kept": kept, "dropped": dropped},
            )
            conn.execute(sa.text(f"DELETE FROM {table} WHERE alliance_id = :dropped"), {"dropped": dropped})
        conn.execute(sa.text("DELETE FROM alliance WHERE id = :dropped"), {"dropped": dropped})
    # two steps, so that no key is held twice on the way (the column is UNIQUE): first " <id>", which no key is
    for key, (alliance_id, _description) in keep.items():
        conn.execute(sa.text("UPDATE alliance SET name_key = :k WHERE id = :i"), {"k": f" {alliance_id}", "i": alliance_id})
    for key, (alliance_id, description) in keep.items():
        conn.execute(
            sa.text("UPDATE alliance SET name_key = :k, description = :d WHERE id = :i"),
            {"k": key, "d": description, "i": alliance_id},
        )


def downgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM alliance")).all()
    for alliance_id, _name in rows:
        conn.execute(sa.text("UPDATE alliance SET name_key = :k WHERE id = :i"), {"k": f" {alliance_id}", "i": alliance_id})
    for alliance_id, name in rows:
        conn.execute(sa.text("UPDATE alliance SET name_key = :k WHERE id = :i"), {"k": name_key(name), "i": alliance_id})
