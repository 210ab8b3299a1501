"""Running sums of the deals, kept by database triggers, so that the analysis never reads 1M deals.

Two tables hold exact integer sums (amounts and capacities in 10^-4 units, as ``deal`` holds them):

- ``party_total``: per organisation, ``side`` (``o`` paid out: the ``from`` party of an investment,
  purchase or infrastructure deal; ``i`` received: the ``to`` party of those; ``p`` partnership: either
  party), ``infra`` (1 for infrastructure deals, which the map leaves out) and ``currency`` (``''`` for
  none).
- ``period_total``: per ``kind``, ``year`` of the deal date and ``currency``.

Each row counts its deals and disclosed deals and sums capacity and the amount of each qualifier
(``exact``, ``up to``, ``at least``, ``estimated``; any other qualifier of a disclosed amount counts as
exact, as the totals always did). Every sum is kept as two integers, ``sum(value / 10^11)`` and
``sum(value % 10^11)`` (:data:`SPLIT`; an amount's parts are cut from its stored digits, schema 0007), each
part of a deal below 10^11, so no sum overflows 64 bits before 92 million deals of 10^18 in one row.

Triggers on ``deal`` (insert, delete, and update of the columns summed) keep the tables right for every
writer: the app, the CLI, imports, undo, other processes. A bulk import into an empty table turns them
off, loads, and fills the tables from its own sums (:class:`Accumulator`) or with :func:`rebuild`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

from tracker.core.domain.scaled import DIGITS, PART, PART_DIGITS
from tracker.core.storage import history, search
from tracker.core.storage.dialect import insert_rows

SPLIT = PART
"""A sum is ``hi × SPLIT + lo`` (10^11)."""
QUALIFIED_COLUMNS: dict[str, str] = {
    "exact": "exact",
    "up to": "up_to",
    "at least": "at_least",
    "estimated": "estimated",
}
GW_COLUMNS: dict[str, str] = {
    "exact": "gw",
    "up to": "gw_up_to",
    "at least": "gw_at_least",
    "estimated": "gw_estimated",
}
"""Capacity is summed apart by its own qualifier (schema 0007) as amounts are: ``gw`` is the exact capacity."""
SUMMED = (*GW_COLUMNS.values(), *QUALIFIED_COLUMNS.values())
MEASURES: tuple[str, ...] = ("deals", "disclosed", *(f"{m}_{p}" for m in SUMMED for p in ("hi", "lo")))
PARTY_KEYS: tuple[str, ...] = ("org_id", "side", "infra", "currency")
PERIOD_KEYS: tuple[str, ...] = ("kind", "year", "currency")
TABLES: dict[str, tuple[str, ...]] = {"party_total": PARTY_KEYS, "period_total": PERIOD_KEYS}
SQLITE_TRIGGERS: tuple[str, ...] = ("deal_totals_insert", "deal_totals_delete", "deal_totals_update")
PG_TRIGGER = "deal_totals"
PG_FUNCTION = "deal_totals_apply"
WATCHED = (
    "date",
    "kind",
    "from_org_id",
    "to_org_id",
    "amount",
    "currency",
    "qualifier",
    "capacity_gw",
    "capacity_qualifier",
)


# --------------------------------------------------------------------------------------------
# SQL, shared by the triggers and the rebuild


def amount_parts(amount: str) -> tuple[str, str]:
    """SQL of the high and low parts (``/`` and ``%`` :data:`SPLIT`) of the stored amount ``amount`` (its
    digits, tracker.core.domain.scaled), NULL for NULL; the same SQL on SQLite and PostgreSQL."""
    cut = DIGITS - PART_DIGITS
    return f"CAST(substr({amount}, 1, {cut}) AS BIGINT)", f"CAST(substr({amount}, {cut + 1}) AS BIGINT)"


def measure_exprs(rec: str, sign: str, aggregate: bool) -> list[str]:
    """SQL of each measure for the deal row ``rec`` (``NEW``/``OLD``, or ``deal`` when ``aggregate``)."""

    def total(expr: str) -> str:
        return f"coalesce(sum({expr}), 0)" if aggregate else f"{sign}{expr}"

    def when(column: str, qualifier: str) -> str:
        if qualifier == "exact":
            others = ", ".join(f"'{q}'" for q in QUALIFIED_COLUMNS if q != "exact")
            return f"coalesce({rec}.{column}, 'exact') NOT IN ({others})"
        return f"{rec}.{column} = '{qualifier}'"

    out = [
        "count(*)" if aggregate else f"{sign}1",
        total(f"CASE WHEN {rec}.amount IS NULL THEN 0 ELSE 1 END"),
    ]
    for qualifier in GW_COLUMNS:
        cond = when("capacity_qualifier", qualifier)
        for op in ("/", "%"):
            out.append(total(f"CASE WHEN {cond} THEN coalesce({rec}.capacity_gw {op} {SPLIT}, 0) ELSE 0 END"))
    for qualifier in QUALIFIED_COLUMNS:
        cond = when("qualifier", qualifier)
        for part in amount_parts(f"{rec}.amount"):
            out.append(total(f"CASE WHEN {cond} THEN coalesce({part}, 0) ELSE 0 END"))
    return out


def _year(rec: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"CAST(substr({rec}.date, 1, 4) AS INTEGER)"
    return f"CAST(EXTRACT(YEAR FROM {rec}.date) AS INTEGER)"


def _keys(rec: str, dialect: str) -> dict[str, tuple[list[str], str | None]]:
    """Per target (table, role): the key expressions and an optional condition."""
    infra = f"CASE WHEN {rec}.kind = 'infrastructure' THEN 1 ELSE 0 END"
    currency = f"coalesce({rec}.currency, '')"
    return {
        "from": ([f"{rec}.from_org_id", f"CASE WHEN {rec}.kind = 'partnership' THEN 'p' ELSE 'o' END", infra, currency],
                 None),
        "to": ([f"{rec}.to_org_id", f"CASE WHEN {rec}.kind = 'partnership' THEN 'p' ELSE 'i' END", infra, currency],
               f"{rec}.to_org_id IS NOT NULL"),
        "period": ([f"{rec}.kind", _year(rec, dialect), currency], None),
    }  # fmt: skip


_TABLE_OF = {"from": "party_total", "to": "party_total", "period": "period_total"}


def _upsert(table: str, select_list: Sequence[str], where: str | None, source: str = "", group: int = 0) -> str:
    """INSERT ... SELECT ``select_list`` [FROM source] WHERE ... [GROUP BY the keys] ON CONFLICT: add up."""
    keys = TABLES[table]
    sets = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
    grouping = f" GROUP BY {', '.join(str(i) for i in range(1, group + 1))}" if group else ""
    return (
        f"INSERT INTO {table} ({', '.join((*keys, *MEASURES))}) SELECT {', '.join(select_list)}{source} "
        f"WHERE {where or 'TRUE'}{grouping} ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"
    )


def _apply(rec: str, sign: str, dialect: str) -> list[str]:
    """Statements adding (sign '') or removing (sign '-') the deal ``rec`` from both tables."""
    out = []
    for role, (keys, cond) in _keys(rec, dialect).items():
        table = _TABLE_OF[role]
        out.append(_upsert(table, [*keys, *measure_exprs(rec, sign, False)], cond))
    return out


def _prune(rec: str, dialect: str) -> list[str]:
    """Statements deleting the rows of ``rec``'s keys left with no deal."""
    year = _year(rec, dialect)
    return [
        f"DELETE FROM party_total WHERE org_id = {rec}.from_org_id AND deals = 0",
        f"DELETE FROM party_total WHERE org_id = {rec}.to_org_id AND deals = 0",
        f"DELETE FROM period_total WHERE kind = {rec}.kind AND year = {year} AND deals = 0",
    ]


def trigger_ddl(dialect: str) -> list[str]:
    """CREATE statements of the triggers (and, on PostgreSQL, their function)."""
    if dialect == "sqlite":

        def body(stmts: Iterable[str]) -> str:
            return " ".join(f"{s};" for s in stmts)

        watched = ", ".join(WATCHED)
        insert_, delete_, update_ = SQLITE_TRIGGERS
        return [
            f"CREATE TRIGGER {insert_} AFTER INSERT ON deal BEGIN {body(_apply('NEW', '', dialect))} END",
            f"CREATE TRIGGER {delete_} AFTER DELETE ON deal BEGIN "
            f"{body([*_apply('OLD', '-', dialect), *_prune('OLD', dialect)])} END",
            f"CREATE TRIGGER {update_} AFTER UPDATE OF {watched} ON deal BEGIN "
            f"{body([*_apply('OLD', '-', dialect), *_apply('NEW', '', dialect), *_prune('OLD', dialect)])} END",
        ]
    plus = "\n    ".join(f"{s};" for s in _apply("NEW", "", dialect))
    minus = "\n    ".join(f"{s};" for s in [*_apply("OLD", "-", dialect), *_prune("OLD", dialect)])
    return [
        f"""CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    {minus}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {plus}
  END IF;
  RETURN NULL;
END
$$""",
        f"CREATE TRIGGER {PG_TRIGGER} AFTER INSERT OR DELETE OR UPDATE OF {', '.join(WATCHED)} ON deal "
        f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
    ]


def drop_trigger_ddl(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
    return [f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON deal", f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()"]


def rebuild_sql(dialect: str) -> list[str]:
    """Statements that empty both tables and sum every deal again (GROUP BY: seconds at 1M on SQLite)."""
    out = ["DELETE FROM party_total", "DELETE FROM period_total"]
    for role, (keys, cond) in _keys("deal", dialect).items():
        table = _TABLE_OF[role]
        out.append(
            _upsert(table, [*keys, *measure_exprs("deal", "", True)], cond, source=" FROM deal", group=len(keys))
        )
    return out


# --------------------------------------------------------------------------------------------
# Runtime


def rebuild(conn: Connection) -> None:
    """Sum every deal again into both tables (inside the caller's transaction)."""
    dialect = conn.dialect.name
    for stmt in rebuild_sql(dialect):
        conn.exec_driver_sql(stmt if dialect == "sqlite" else stmt.replace("%", "%%"))  # psycopg's placeholders


@contextmanager
def bulk_load(conn: Connection, *, copying: bool = False) -> Iterator[None]:
    """The bulk-load protocol, inside the caller's transaction: the running-sums triggers are off for the
    block (the caller adds the sums up itself, see :class:`Accumulator`) and back on after it; so are the
    search index's (:func:`tracker.core.storage.search.resume` indexes the loaded deals afterwards). On an
    error nothing is restored by hand: the caller's transaction rolls back, and the dropped triggers with
    it (SQLite and PostgreSQL both have transactional DDL).

    The history's triggers (tracker/core/storage/history.py) of the tables a load fills are off too, and
    the loaded rows recorded afterwards in one statement per table; ``copying``: every table's are off and
    nothing is recorded (a copy carries the history over as it is)."""
    sqlite = conn.dialect.name == "sqlite"
    recorded = history.has_history(conn)
    paused = tuple(history.RECORDED) if copying else history.BULK
    if recorded:
        history.suspend(conn, paused)
    if sqlite:
        for stmt in drop_trigger_ddl("sqlite"):
            conn.exec_driver_sql(stmt)
    else:
        conn.exec_driver_sql(f"ALTER TABLE deal DISABLE TRIGGER {PG_TRIGGER}")
    search.suspend(conn)
    yield  # an exception here propagates without the lines below: the rollback restores the triggers
    if sqlite:
        for stmt in trigger_ddl("sqlite"):
            conn.exec_driver_sql(stmt)
    else:
        conn.exec_driver_sql(f"ALTER TABLE deal ENABLE TRIGGER {PG_TRIGGER}")
    search.resume(conn)
    if recorded:
        if not copying:
            history.record_loaded(conn, paused)
        history.resume(conn, paused)


QUALIFIER_INDEX: dict[str, int] = {"up to": 1, "at least": 2, "estimated": 3}
"""Position of a qualifier's sum (after ``exact``, 0); any other qualifier of a disclosed amount counts as exact."""


class Accumulator:
    """The two tables' sums of deals added by a bulk load, computed in Python while the rows go by.

    :meth:`add` takes the stored values of one deal; :meth:`write` inserts the sums (into empty tables).
    The result equals what the triggers or :func:`rebuild` produce (a test compares them).
    """

    def __init__(self) -> None:
        # key -> [deals, disclosed, gw (exact), gw up to, at least, estimated, exact, up to, at least, estimated]
        # as whole integers
        self.party: dict[tuple[Any, ...], list[int]] = {}
        self.period: dict[tuple[Any, ...], list[int]] = {}

    def add_many(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Rows of (date 'YYYY-MM-DD', kind, from_org_id, to_org_id, amount (stored digits), currency, qualifier,
        capacity, capacity qualifier)."""
        party, period, qidx = self.party, self.period, QUALIFIER_INDEX
        for date, kind, from_id, to_id, amount, currency, qualifier, gw, gw_qualifier in rows:
            cur = currency or ""
            infra = 1 if kind == "infrastructure" else 0
            partner = kind == "partnership"
            q = 6 + qidx.get(qualifier, 0)
            g = 2 + qidx.get(gw_qualifier, 0)
            keys = [(from_id, "p" if partner else "o", infra, cur), None]
            if to_id is not None:
                keys[1] = (to_id, "p" if partner else "i", infra, cur)
            for table, key in ((party, keys[0]), (party, keys[1]), (period, (kind, int(date[:4]), cur))):
                if key is None:
                    continue
                cell = table.get(key)
                if cell is None:
                    cell = table[key] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
                cell[0] += 1
                if amount is not None:
                    cell[1] += 1
                    cell[q] += int(amount)
                if gw is not None:
                    cell[g] += gw

    def rows(self, table: str) -> list[tuple[Any, ...]]:
        """The table's rows: keys, then MEASURES (each sum split as hi/lo of :data:`SPLIT`)."""
        cells = self.party if table == "party_total" else self.period
        out = []
        for key, (n, d, *sums) in cells.items():
            split: list[int] = []
            for s in sums:
                split.extend(divmod(s, SPLIT))
            out.append((*key, n, d, *split))
        return out

    def write(self, conn: Connection) -> None:
        for table, keys in TABLES.items():
            rows = self.rows(table)
            if rows:
                insert_rows(conn, table, (*keys, *MEASURES), rows)


def filtered_sums(dialect: str, where: str) -> dict[str, str]:
    """For each running-sums table, a subquery with its columns over only the deals matching the SQL
    ``where`` (one row per deal and role, not summed), for reads that the running sums cannot answer
    (``totals --confirmed``: tracker/core/analysis/totals.py)."""
    measures = measure_exprs("deal", "", False)
    parts: dict[str, list[str]] = {table: [] for table in TABLES}
    for role, (keys, cond) in _keys("deal", dialect).items():
        table = _TABLE_OF[role]
        cols = ", ".join(f"{e} AS {n}" for e, n in zip([*keys, *measures], [*TABLES[table], *MEASURES], strict=True))
        parts[table].append(f"SELECT {cols} FROM deal WHERE ({where})" + (f" AND {cond}" if cond else ""))
    return {table: f"({' UNION ALL '.join(sqls)}) AS {table}_only" for table, sqls in parts.items()}
