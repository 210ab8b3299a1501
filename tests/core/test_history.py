"""The history (schema 0012): every kind of change recorded with its before and after, by triggers, on both
backends; as-of answers compared with the state the database had after each step (a replay); an import as
one entry plus its rows; the history append-only and carried by a copy."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tracker.core.csvio import write as csv_write
from tracker.core.csvio.importer import import_deals
from tracker.core.domain.fields import DealValues
from tracker.core.records import undo
from tracker.core.records.asof import materialize
from tracker.core.records.changes import values_of
from tracker.core.records.fx import set_rate
from tracker.core.records.history import HistoryError, list_history
from tracker.core.records.org_edit import OrgChange, edit_org
from tracker.core.records.orgs import find_org_id
from tracker.core.storage.copying import copy_database
from tracker.core.storage.handle import Database
from tracker.core.storage.history import set_context
from tracker.core.storage.opening import open_database

STATE = (
    "SELECT d.id, d.date, d.kind, f.name, t.name, d.amount, d.currency, d.description FROM deal d "
    "JOIN organization f ON f.id = d.from_org_id LEFT JOIN organization t ON t.id = d.to_org_id ORDER BY d.id"
)


def state(db: Database) -> list[tuple[str, ...]]:
    """The deals as a user sees them: parties by their names (as they were), stored values as text."""
    with db.read() as conn:
        deals = [tuple(str(v) for v in row) for row in conn.execute(text(STATE))]
        links = [tuple(str(v) for v in r) for r in conn.execute(text("SELECT * FROM deal_link ORDER BY 1, 2"))]
        rates = [
            (str(c), str(r), str(a)) for c, r, a in conn.execute(text("SELECT currency, rate, as_of FROM fx_rate"))
        ]
    return [*deals, ("links", *map(str, links)), ("rates", *map(str, sorted(rates)))]


def last_recorded(db: Database) -> str:
    with db.read() as conn:
        at = conn.execute(text("SELECT max(at) FROM change_log")).scalar_one()
    return str(at).replace(" ", "T")


def values(**kw: Any) -> DealValues:
    base: dict[str, Any] = dict(date=dt.date(2025, 3, 1), kind="investment", qualifier="exact", currency="USD",
                                status="announced")  # fmt: skip
    base.update(kw)
    return DealValues(**base)


def test_every_kind_of_change_is_recorded_and_as_of_replays_it(empty_db: Database) -> None:
    db = empty_db
    set_context(actor="alice", command="tracker test")
    replay: list[tuple[str, list[tuple[str, ...]]]] = []

    def step(fn: Callable[[Any], Any]) -> Any:
        with db.write() as conn:
            result = fn(conn)
        replay.append((last_recorded(db), state(db)))
        time.sleep(0.01)  # recorded times are in milliseconds: each step after the last
        return result

    a, _, _ = step(lambda c: undo.add(c, values(from_org="Alpha Compute", to_org="Beta Cloud",
                                                amount=Decimal(5_000_000_000)), True))  # fmt: skip
    b, _, _ = step(lambda c: undo.add(c, values(from_org="Beta Cloud", to_org="Gamma Chips",
                                                amount=Decimal(700_000_000)), True))  # fmt: skip
    step(lambda c: undo.edit(c, a, values(from_org="Alpha Compute", to_org="Beta Cloud",
                                          amount=Decimal(6_000_000_000), description="raised"), False))  # fmt: skip
    deleted = step(lambda c: undo.delete(c, b))
    step(deleted.undo)  # undo of the delete: the deal is back, recorded like any change
    step(lambda c: edit_org(c, find_org_id(c, "Alpha Compute"), OrgChange(name="Alpha Holdings")))
    step(lambda c: set_rate(c, "EUR", Decimal("1.08"), dt.date(2025, 1, 1)))
    step(lambda c: undo.link(c, undo.LinkRequest("deal-deal", a, other_deal_id=b, relation="part of")))
    step(lambda c: undo.delete(c, a))

    with db.read() as conn:
        history_a = list_history(conn, deal_id=a)
        everything = list_history(conn)
    ops = [(e.table, e.op) for e in history_a]
    assert ("deal", "delete") in ops[:2]  # newest first (with its link, gone with it)
    assert ("deal_link", "insert") in ops and ("deal", "update") in ops and ops[-1] == ("deal", "insert")
    edit = next(e for e in history_a if e.op == "update")
    changed = {name: (before, after) for name, before, after in edit.changes}
    assert changed["amount"] == (Decimal(5_000_000_000), Decimal(6_000_000_000))
    assert changed["description"] == (None, "raised")
    assert "version" not in changed
    assert all(e.actor == "alice" and e.command == "tracker test" for e in everything)
    assert [e.op for e in everything if e.table == "deal" and e.key == str(b)] == ["insert", "delete", "insert"]
    rename = next(e for e in everything if e.table == "organization" and e.op == "update")
    assert ("name", "Alpha Compute", "Alpha Holdings") in rename.changes
    assert any(e.table == "fx_rate" and e.op == "insert" and (e.new or {})["currency"] == "EUR" for e in everything)

    for at, expected in replay:
        past = materialize(db, at)
        try:
            assert state(past.db) == expected, at
        finally:
            past.close()


def test_as_of_before_any_history_is_refused_in_one_line(db: Database) -> None:
    with pytest.raises(HistoryError, match="before any recorded history"):
        materialize(db, "1999-01-01")
    with pytest.raises(HistoryError, match="not a date"):
        materialize(db, "last tuesday")


def test_the_history_is_append_only(db: Database) -> None:
    with pytest.raises(Exception, match="append-only"), db.write() as conn:
        conn.execute(text("DELETE FROM change_log"))
    with pytest.raises(Exception, match="append-only"), db.write() as conn:
        conn.execute(text("UPDATE change_log SET actor = 'someone else'"))


def test_a_bulk_import_is_one_entry_and_its_rows(
    empty_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csv_write, "BULK_REBUILD_INDEXES", 10)  # the bulk path (triggers off) at 30 rows
    csv = tmp_path / "deals.csv"
    rows = [f"2025-01-{1 + i % 28:02d},investment,Org {i % 7},Org {(i + 1) % 7},{i + 1}000000,USD\n" for i in range(30)]
    csv.write_text("date,kind,from_org,to_org,amount,currency\n" + "".join(rows), encoding="utf-8")
    set_context(actor="importer", command="tracker import")
    report = import_deals(empty_db, csv)
    assert report.added == 30
    with empty_db.read() as conn:
        entries = list_history(conn)
    imports = [e for e in entries if e.op == "import"]
    assert len(imports) == 1 and imports[0].new is not None
    assert imports[0].new["added"] == 30 and imports[0].new["file"].endswith("deals.csv")
    deal_rows = [e for e in entries if e.table == "deal" and e.op == "insert"]
    assert len(deal_rows) == 30 and all(e.actor == "importer" for e in deal_rows)
    loaded, at_load = state(empty_db), last_recorded(empty_db)
    time.sleep(0.01)
    with empty_db.write() as conn:  # a loaded row (recorded without its image) edited, another deleted
        first = values_of(conn, 1)
        undo.edit(conn, 1, replace(first, amount=Decimal(42)), False)
        undo.delete(conn, 2)
    assert state(empty_db) != loaded
    past = materialize(empty_db, at_load)
    try:
        assert state(past.db) == loaded
    finally:
        past.close()


def test_history_moves_with_copy(db: Database, tmp_path: Path) -> None:
    with db.write() as conn:
        undo.delete(conn, 1)
    target = open_database(tmp_path / "copy.db")
    try:
        copy_database(db, target)
        with db.read() as conn:
            before = [(e.at, e.table, e.op, e.key, e.old, e.new) for e in list_history(conn)]
        with target.read() as conn:
            after = [(e.at, e.table, e.op, e.key, e.old, e.new) for e in list_history(conn)]
        assert after == before
        with target.write() as conn:  # the copy's history goes on from there
            undo.delete(conn, 2)
        with target.read() as conn:
            assert list_history(conn, limit=1)[0].key == "2"
    finally:
        target.dispose()
