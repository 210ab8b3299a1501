"""Copying a whole database into another, empty one (``tracker copy --to URL``), every way round between
SQLite and PostgreSQL, ids preserved."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from tracker.core.storage.dialect import insert_rows
from tracker.core.storage.errors import DatabaseError
from tracker.core.storage.handle import Database
from tracker.core.storage.ids import ID_TABLES, highest_id, reserve_ids_above

COPY_BATCH = 5000
TABLE_LABELS = {
    "deal": "deals",
    "organization": "organisations",
    "org_alias": "aliases",
    "alliance": "alliances",
    "alliance_member": "alliance members",
    "alliance_deal": "alliance deals",
    "deal_link": "deal links",
    "fx_rate": "FX rates",
    "deal_source": "sources",
    "change_log": "history entries",
}
"""The tables copied, in the order a copy reports them, with the words that report them."""


def _raw_type(column: Any) -> Any:
    """The stored type of a column: a TypeDecorator's implementation, so values are copied untouched."""
    from sqlalchemy.types import TypeDecorator

    t = column.type
    return t.impl_instance if isinstance(t, TypeDecorator) else t


def same_database(a: Database, b: Database) -> bool:
    """Whether ``a`` and ``b`` name the same database (the same file, or the same server's database)."""
    if a.is_sqlite and b.is_sqlite:
        pa, pb = a.url.database or "", b.url.database or ""
        if ":memory:" in (pa, pb) or not pa or not pb:
            return False
        try:
            return Path(pa).resolve() == Path(pb).resolve() or (Path(pb).exists() and os.path.samefile(pa, pb))
        except OSError:
            return False
    if a.is_sqlite or b.is_sqlite:
        return False
    return (a.url.host, a.url.port or 5432, a.url.database) == (b.url.host, b.url.port or 5432, b.url.database)


def row_counts(conn: Connection) -> dict[str, int]:
    """Rows in every table of the schema, by table name."""
    from sqlalchemy import func, select

    from tracker.core.storage.tables import SQLModel

    return {
        t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
        for t in SQLModel.metadata.sorted_tables
        if not t.info.get("derived")  # the running sums: kept by triggers, not data of their own
    }


def _by_label(item: tuple[str, int]) -> int:
    names = list(TABLE_LABELS)
    return names.index(item[0]) if item[0] in names else len(names)


def copy_database(
    source: Database, target: Database, progress: Callable[[str, int], object] | None = None
) -> dict[str, int]:
    """Copy every row of every table from ``source`` into the empty ``target``, ids preserved.

    The source is read in one consistent snapshot; the target is written in one transaction (all or
    nothing). The target's id counters are moved past every id the source ever gave. Returns rows copied
    per table.
    """
    from sqlalchemy import bindparam, column, select, table, update

    from tracker.core.storage.sums import bulk_load, rebuild
    from tracker.core.storage.tables import SQLModel

    if same_database(source, target):
        raise DatabaseError(f"cannot copy {source.display} onto itself")
    counts: dict[str, int] = {}
    with source.snapshot() as src, target.write() as dst:
        held = {name: n for name, n in row_counts(dst).items() if n}
        if held:
            what = ", ".join(f"{n} {TABLE_LABELS.get(name, name)}" for name, n in sorted(held.items(), key=_by_label))
            raise DatabaseError(
                f"{target.display} is not empty (it holds {what}); copy only into an empty database "
                f"(a new file, or a new PostgreSQL database)"
            )
        # the running sums are summed again once at the end, not copied (nor kept row by row by triggers)
        with bulk_load(dst, copying=True):
            for tbl in SQLModel.metadata.sorted_tables:
                if tbl.info.get("derived"):
                    continue
                names = [c.name for c in tbl.columns]
                raw_cols = [column(c.name, _raw_type(c)) for c in tbl.columns]
                raw_table = table(tbl.name, *raw_cols)
                # columns pointing at the same table (an organisation's parent) are set once every row exists
                self_refs = [c.name for c in tbl.columns if any(fk.column.table is tbl for fk in c.foreign_keys)]
                later: list[dict[str, Any]] = []
                pk = [c.name for c in tbl.primary_key.columns]
                stmt = select(*raw_cols).select_from(raw_table).order_by(*[raw_table.c[k] for k in pk])
                n = 0
                batch: list[tuple[Any, ...]] = []
                for row in src.execution_options(yield_per=COPY_BATCH).execute(stmt):
                    values = tuple(row)
                    if self_refs:
                        refs = {c: values[names.index(c)] for c in self_refs}
                        if any(v is not None for v in refs.values()):
                            later.append({**{f"k_{k}": values[names.index(k)] for k in pk}, **refs})
                            values = tuple(None if names[i] in self_refs else v for i, v in enumerate(values))
                    batch.append(values)
                    if len(batch) >= COPY_BATCH:
                        n += _insert_batch(dst, tbl.name, names, batch)
                        if progress is not None:
                            progress(tbl.name, n)
                n += _insert_batch(dst, tbl.name, names, batch)
                if later:
                    up = update(raw_table).where(*[raw_table.c[k] == bindparam(f"k_{k}") for k in pk])
                    up = up.values({c: bindparam(f"v_{c}") for c in self_refs})
                    dst.execute(up, [{**{k: v for k, v in r.items() if k.startswith("k_")},
                                      **{f"v_{c}": r[c] for c in self_refs}} for r in later])  # fmt: skip
                counts[tbl.name] = n
            rebuild(dst)
        # new ids on the target go past every id the source ever gave (deleted ones too): never reused
        for name in ID_TABLES:
            reserve_ids_above(dst, name, highest_id(src, name))
        dst.exec_driver_sql("ANALYZE")
    return counts


def _insert_batch(conn: Connection, table: str, names: list[str], rows: list[tuple[Any, ...]]) -> int:
    """Insert and empty ``rows``; their number. SQLite stores dates as ISO text (as the column type does)."""
    if not rows:
        return 0
    n = len(rows)
    if conn.dialect.name == "sqlite":
        insert_rows(
            conn, table, names, [tuple(v.isoformat() if isinstance(v, dt.date) else v for v in r) for r in rows]
        )
    else:
        insert_rows(conn, table, names, rows)
    rows.clear()
    return n
