"""The history read back (schema 0012, tracker/core/storage/history.py): entries, newest first, each with
its field changes, and the recorded times users give (``--since``, ``--as-of``).

Two times are kept apart everywhere: a deal's *date* (``--at``, ``--since``/``--until`` of ``list``: when it
was announced) and the *recorded time* of a change (``--as-of``, ``history --since``: when we knew it).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, text

from tracker.core.domain.errors import TrackerError
from tracker.core.domain.scaled import from_scaled

STORED_FORMAT = "%Y-%m-%d %H:%M:%S"
"""Recorded times as stored: UTC, ``YYYY-MM-DD HH:MM:SS.mmm`` (milliseconds after the point)."""
OPS = {"insert": "added", "update": "edited", "delete": "deleted", "baseline": "held at upgrade", "import": "import"}
TABLE_WORDS = {
    "deal": "deal",
    "organization": "organisation",
    "org_alias": "alias",
    "alliance": "alliance",
    "alliance_member": "alliance member",
    "alliance_deal": "deal in alliance",
    "deal_link": "deal link",
    "dismissed_pair": "not-duplicates pair",
    "fx_rate": "FX rate",
    "deal_source": "source",
}
SCALED_FIELDS = {("deal", "capacity_gw")}
AMOUNT_FIELDS = {("deal", "amount")}


class HistoryError(TrackerError):
    """A recorded time that cannot be read, or one before any history."""


@dataclass
class Entry:
    """One recorded change."""

    id: int
    at: str
    actor: str | None
    role: str | None
    command: str | None
    table: str
    op: str
    key: str | None
    deal_id: int | None
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    """(field, before, after) of an edit, in readable values (amounts and capacities as Decimal)."""

    @property
    def what(self) -> str:
        if self.op == "import":
            return "import"
        return f"{TABLE_WORDS.get(self.table, self.table)} {self.key}"

    def as_json(self) -> dict[str, Any]:
        def plain(v: Any) -> Any:
            return str(v) if isinstance(v, Decimal) else v

        return {
            "id": self.id,
            "at": f"{self.at.replace(' ', 'T')}Z",
            "actor": self.actor,
            "role": self.role,
            "command": self.command,
            "table": self.table or None,
            "op": self.op,
            "key": self.key,
            "deal": self.deal_id,
            "changes": [{"field": f, "before": plain(a), "after": plain(b)} for f, a, b in self.changes],
            "old": self.old,
            "new": self.new,
        }


def readable(table: str, name: str, value: Any) -> Any:
    """A stored value as people read it (an amount's 24 digits as a Decimal, a capacity in GW)."""
    if value is None:
        return None
    if (table, name) in AMOUNT_FIELDS or (table, name) in SCALED_FIELDS:
        return from_scaled(value)
    return value


def field_changes(table: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """(field, before, after) of each field that differs (the row's version left out)."""
    before, after = old or {}, new or {}
    out = []
    for name in dict.fromkeys([*before, *after]):
        if name == "version":
            continue
        a, b = before.get(name), after.get(name)
        if a != b:
            out.append((name, readable(table, name, a), readable(table, name, b)))
    return out


def recorded_time(value: str, what: str = "--as-of") -> str:
    """A recorded time given by a user, as stored (UTC): a date ``YYYY-MM-DD`` is the end of that day (every
    change recorded that day counts), an ISO datetime (``2026-10-01T12:00``, ``...Z`` or with an offset)
    that instant; a naive one is UTC."""
    raw = value.strip()
    try:
        if len(raw) == 10:
            day = dt.date.fromisoformat(raw)
            return f"{day.isoformat()} 23:59:59.999"
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise HistoryError(
            f"{what} {value!r}: not a date (YYYY-MM-DD) or an ISO date and time (YYYY-MM-DDTHH:MM[:SS], UTC)"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.strftime(STORED_FORMAT) + f".{moment.microsecond // 1000:03d}"


def shown_time(at: str) -> str:
    """A stored recorded time for people: ``2026-10-01 12:00:05 UTC``."""
    return f"{at[:19]} UTC"


def earliest(conn: Connection) -> str | None:
    return conn.execute(text("SELECT min(at) FROM change_log")).scalar()


def check_recorded(conn: Connection, at: str, given: str, what: str = "--as-of") -> None:
    """Refuse a time before the first recorded change."""
    first = earliest(conn)
    if first is None:
        raise HistoryError(f"{what} {given!r}: this database has recorded no history yet")
    if at < first:
        raise HistoryError(
            f"{what} {given!r}: before any recorded history (the first recorded change is at {shown_time(first)})"
        )


def _entry(row: Any) -> Entry:
    old = json.loads(row.old) if row.old else None
    new = json.loads(row.new) if row.new else None
    entry = Entry(row.id, row.at, row.actor, row.role, row.command, row.tbl, row.op, row.row_key, row.deal_id,
                  old, new)  # fmt: skip
    if row.op == "update":
        entry.changes = field_changes(row.tbl, old, new)
    return entry


def list_history(
    conn: Connection, *, deal_id: int | None = None, since: str | None = None, limit: int | None = None
) -> list[Entry]:
    """Entries newest first: every one, or those of one deal (its row, alliances, links from and to it,
    pairs); ``since``: recorded at or after this stored time."""
    where: list[str] = []
    params: dict[str, object] = {}
    if deal_id is not None:
        where.append("(deal_id = :d OR (tbl IN ('deal_link', 'dismissed_pair') AND row_key LIKE :tail))")
        params["d"], params["tail"] = deal_id, f"%/{deal_id}"
    if since is not None:
        where.append("at >= :since")
        params["since"] = since
    sql = "SELECT id, at, actor, role, command, tbl, op, row_key, deal_id, old, new FROM change_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_entry(row) for row in conn.execute(text(sql), params)]


def describe(entry: Entry) -> str:
    """One line: what happened (field changes of an edit follow as lines of their own, see :func:`lines`)."""
    who = entry.actor or "unknown"
    if entry.role and entry.role != entry.actor:
        who += f" (role {entry.role})"
    command = f" · {entry.command}" if entry.command else ""
    if entry.op == "import":
        d = entry.new or {}
        what = (
            f"import of {d.get('file') or 'a file'}: {d.get('added', 0)} added, {d.get('updated', 0)} updated, "
            f"{d.get('unchanged', 0)} unchanged"
        )
    else:
        what = f"{entry.what} {OPS.get(entry.op, entry.op)}"
    return f"{shown_time(entry.at)}  {who}{command}  {what}"


def lines(entry: Entry) -> list[str]:
    """The entry's line and, for an edit, one line per field: ``  amount: 100 → 120``; for an addition or a
    deletion of a deal, its label line."""
    out = [describe(entry)]
    for name, before, after in entry.changes:
        out.append(f"    {name}: {_value(before)} → {_value(after)}")
    return out


def _value(v: Any) -> str:
    if v is None:
        return "—"
    return str(v)
