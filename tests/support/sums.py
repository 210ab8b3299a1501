"""The running sums (party_total, period_total) compared with a recomputation from the deals: what every
test of a write that moves deals checks (tests/core/test_summary.py among them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from tracker.core.storage.handle import Database
from tracker.core.storage.sums import MEASURES, SPLIT, TABLES, rebuild


def sums_of(conn: Connection) -> dict[str, dict[tuple[Any, ...], tuple[int, ...]]]:
    """Both tables, each split sum joined back into one integer (hi/lo parts may differ, sums may not)."""
    out = {}
    for table, keys in TABLES.items():
        rows = conn.exec_driver_sql(f"SELECT {', '.join((*keys, *MEASURES))} FROM {table}").all()
        got = {}
        for row in rows:
            key, vals = tuple(row[: len(keys)]), [int(v) for v in row[len(keys) :]]
            joined = (*vals[:2], *(vals[i] * SPLIT + vals[i + 1] for i in range(2, len(vals), 2)))
            if any(joined):
                got[key] = joined
        out[table] = got
    return out


def assert_sums_match_the_deals(db: Database) -> None:
    """The running sums as kept equal the sums rebuilt from the deals (the rebuild rolled back)."""
    with db.write() as conn:
        kept = sums_of(conn)
        rebuild(conn)
        fresh = sums_of(conn)
        conn.rollback()
    assert kept == fresh
    assert fresh["period_total"], "no deal counted at all"
