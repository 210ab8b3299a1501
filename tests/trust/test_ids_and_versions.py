"""Ids are never given twice and no change overwrites another writer's (issue 17: 9, 18), on both backends.

- A deleted row's id never comes back (SQLite ``AUTOINCREMENT``, PostgreSQL BIGINT sequences): undo of a
  delete can never land on another process's new deal, and refuses to overwrite a row that holds its id.
- Every UPDATE of a deal raises its row version (a trigger, whoever writes); an edit saved from a stale
  version is refused with the deal as stored now (the form then shows both); undo of an edit or an add
  that another writer changed since is refused, theirs kept.
- PostgreSQL ids are BIGINT (they were int4 while the importer accepts ids up to 2^62).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.support.processes import no_traceback, run_tracker, tracker_env
from tracker import migrations
from tracker.core.domain.fields import DealValues, parse_deal_fields
from tracker.core.records import undo as ops
from tracker.core.records.alliances import delete_alliance, ensure_alliance
from tracker.core.records.changes import EditConflict, StoredDeal, add_deal, delete_deal, update_deal, values_of
from tracker.core.records.errors import DealError
from tracker.core.storage import versions
from tracker.core.storage.handle import Database
from tracker.core.storage.ids import ID_TABLES, highest_id, reserve_ids_above

MIGRATION_0006 = Path(migrations.__file__).parent / "versions" / "0006_ids_never_reused.py"


def _new_deal(name: str = "Later Co") -> DealValues:
    return DealValues(date=dt.date(2026, 1, 2), kind="investment", from_org="Nvidia", to_org=name)


def _add(db: Database, name: str = "Later Co") -> int:
    with db.write() as conn:
        deal_id, _created = add_deal(conn, _new_deal(name), create_orgs=True)
    return deal_id


def _sql(db: Database, sql: str, **params: object) -> None:
    """Another writer's statement, in a transaction of its own."""
    with db.write() as conn:
        conn.execute(text(sql), params)


def _row(db: Database, deal_id: int) -> tuple[object, ...] | None:
    with db.read() as conn:
        row = conn.execute(text("SELECT id, status, description, version FROM deal WHERE id = :i"), {"i": deal_id})
        found = row.first()
    return tuple(found) if found is not None else None


# --------------------------------------------------------------------------------------------------------
# ids never reused


def test_a_deleted_deals_id_is_never_given_again(db: Database) -> None:
    last = _add(db, "First Co")
    with db.write() as conn:
        delete_deal(conn, last)  # the highest id: SQLite's plain rowid gave it again to the next deal
    again = _add(db, "Second Co")
    assert again > last
    db.engine.dispose()  # a new connection, as another process would see it
    assert _add(db, "Third Co") > again


def test_a_deleted_alliances_id_is_never_given_again(db: Database) -> None:
    with db.write() as conn:
        first = ensure_alliance(conn, "Short Lived")
        delete_alliance(conn, first)
    with db.write() as conn:
        assert ensure_alliance(conn, "Next One") > first


def test_every_table_with_an_id_never_reuses_one(db: Database) -> None:
    """The schema itself: AUTOINCREMENT on SQLite, BIGINT sequences (as BIGINT) on PostgreSQL."""
    with db.read() as conn:
        for table in ID_TABLES:
            if db.is_sqlite:
                sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table}).scalar()
                assert "id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT" in str(sql), sql
            else:
                kind = conn.execute(
                    text("SELECT s.data_type FROM information_schema.sequences s WHERE s.sequence_name = :s"),
                    {"s": f"{table}_id_seq"},
                ).scalar()
                assert kind == "bigint", (table, kind)


def test_undo_of_a_delete_never_lands_on_another_process_new_deal(db: Database, db_target: str) -> None:
    """The app deletes its newest deal; another process adds one; undo puts the deleted one back, beside it."""
    mine = _add(db, "Mine Co")
    with db.write() as conn:
        entry = ops.delete(conn, mine)
    other = run_tracker(db_target, "add", "--kind", "purchase", "--from", "Other Co", "--to", "Nvidia",
                        "--date", "2026-02-03", "--description", "another process's deal")  # fmt: skip
    assert other.code == 0, other.err
    other_id = int(other.out.split()[2])
    assert other_id != mine  # a new id, not the deleted one's
    with db.write() as conn:
        entry.undo(conn)
    assert _row(db, mine) is not None
    assert _row(db, other_id) == (other_id, "announced", "another process's deal", 1)  # untouched


def test_undo_of_a_delete_refuses_to_overwrite_a_row_holding_its_id(db: Database) -> None:
    """An import with ids may put a row at the deleted id: undo refuses, and that row stays as it is."""
    mine = _add(db)
    with db.write() as conn:
        entry = ops.delete(conn, mine)
    _sql(db, "INSERT INTO deal (id, date, kind, from_org_id, description) VALUES (:i, '2026-03-04', 'infrastructure',"
             " (SELECT min(id) FROM organization), 'imported with this id')", i=mine)  # fmt: skip
    with pytest.raises(DealError, match=f"deal #{mine}: another deal holds its id now; not restored"), db.write() as c:
        entry.undo(c)
    assert _row(db, mine) == (mine, "announced", "imported with this id", 1)


def test_ids_go_past_everything_given_when_picked_by_hand(db: Database) -> None:
    """What a bulk import or a copy uses to number rows itself: never below an id once given."""
    top = _add(db, "Top Co")
    with db.write() as conn:
        delete_deal(conn, top)
        assert highest_id(conn, "deal") == top  # the deleted id counts
        reserve_ids_above(conn, "deal", top + 100)
        reserve_ids_above(conn, "deal", 5)  # never back
    assert _add(db, "After Co") == top + 101


# --------------------------------------------------------------------------------------------------------
# row versions


def test_every_update_raises_the_version_whoever_writes_it(db: Database, db_target: str, tmp_path: Path) -> None:
    deal_id = _add(db)
    assert _row(db, deal_id) == (deal_id, "announced", None, 1)
    _sql(db, "UPDATE deal SET status = 'agreed' WHERE id = :i", i=deal_id)  # a hand-written UPDATE
    assert _row(db, deal_id) == (deal_id, "agreed", None, 2)
    _sql(db, "UPDATE deal SET description = 'x', version = 1 WHERE id = :i", i=deal_id)  # never back
    assert _row(db, deal_id) == (deal_id, "agreed", "x", 3)
    csv_file = tmp_path / "edit.csv"
    csv_file.write_text(f"id,date,kind,from_org,to_org,status\n{deal_id},2026-01-02,investment,Nvidia,Later Co,"
                        "completed\n", encoding="utf-8")  # fmt: skip
    imported = run_tracker(db_target, "import", str(csv_file))  # another process, through the importer
    assert imported.code == 0, imported.err
    status, version = _row(db, deal_id)[1:4:2]  # type: ignore[index]
    assert status == "completed" and isinstance(version, int) and version > 3


def test_an_edit_from_a_stale_version_is_refused_with_the_deal_as_stored_now(db: Database) -> None:
    deal_id = _add(db)
    with db.read() as conn:
        opened = values_of(conn, deal_id)
    assert isinstance(opened, StoredDeal) and opened.version == 1
    _sql(db, "UPDATE deal SET description = 'theirs' WHERE id = :i", i=deal_id)  # another writer, meanwhile
    mine, errors = parse_deal_fields({"date": "2026-01-02", "kind": "investment", "from_org": "Nvidia",
                                      "to_org": "Later Co", "status": "agreed", "description": "mine"})  # fmt: skip
    assert not errors
    with pytest.raises(EditConflict) as info, db.write() as conn:
        update_deal(conn, deal_id, mine, expected_version=opened.version)
    assert info.value.theirs.description == "theirs" and info.value.theirs.version == 2
    assert _row(db, deal_id) == (deal_id, "announced", "theirs", 2)  # nothing written
    with db.write() as conn:  # saved over theirs once theirs was seen
        update_deal(conn, deal_id, mine, expected_version=info.value.theirs.version)
    assert _row(db, deal_id) == (deal_id, "agreed", "mine", 3)


def test_an_edit_leaves_the_columns_its_form_does_not_have(db: Database) -> None:
    """The form has no source author or ref: saving it keeps them (it cleared them)."""
    with db.read() as conn:
        deal_id = conn.execute(text("SELECT min(id) FROM deal WHERE source_author IS NOT NULL")).scalar()
        before = conn.execute(text("SELECT ref, source_author FROM deal WHERE id = :i"), {"i": deal_id}).one()
        opened = values_of(conn, deal_id)
    fields = {"date": "2025-09", "kind": opened.kind, "from_org": opened.from_org, "to_org": opened.to_org or "",
              "status": "agreed", "description": "edited"}  # fmt: skip
    edited, errors = parse_deal_fields(fields)
    assert not errors
    with db.write() as conn:
        ops.edit(conn, deal_id, edited, False, opened.version)
    with db.read() as conn:
        after = conn.execute(text("SELECT ref, source_author, status FROM deal WHERE id = :i"), {"i": deal_id}).one()
    assert tuple(after) == (*before, "agreed")


def test_undo_of_an_edit_never_reverts_another_writers_change(db: Database, db_target: str) -> None:
    deal_id = _add(db)
    with db.read() as conn:
        opened = values_of(conn, deal_id)
    edited, _ = parse_deal_fields({"date": "2026-01-02", "kind": "investment", "from_org": "Nvidia",
                                   "to_org": "Later Co", "status": "agreed"})  # fmt: skip
    with db.write() as conn:
        _id, _created, entry = ops.edit(conn, deal_id, edited, False, opened.version)
    later = run_tracker(db_target, "import", "-", input=f"id,date,kind,from_org,to_org,description\n{deal_id},"
                        "2026-01-02,investment,Nvidia,Later Co,their later change\n")  # fmt: skip
    assert later.code == 0, later.err
    with pytest.raises(DealError, match="changed by another writer since the edit; not undone"), db.write() as conn:
        entry.undo(conn)
    assert _row(db, deal_id)[1:3] == ("agreed", "their later change")  # type: ignore[index]


def test_undo_of_an_edit_that_nobody_touched_since_restores_it(db: Database) -> None:
    deal_id = _add(db)
    edited, _ = parse_deal_fields({"date": "2026-01-02", "kind": "investment", "from_org": "Nvidia",
                                   "to_org": "Later Co", "status": "agreed"})  # fmt: skip
    with db.write() as conn:
        _id, _created, entry = ops.edit(conn, deal_id, edited, False, 1)
    with db.write() as conn:
        entry.undo(conn)
    assert _row(db, deal_id) == (deal_id, "announced", None, 3)  # the old contents, a new version


def test_undo_of_an_add_keeps_the_deal_if_another_writer_changed_it(db: Database) -> None:
    with db.write() as conn:
        deal_id, _created, entry = ops.add(conn, _new_deal(), True)
    _sql(db, "UPDATE deal SET description = 'their notes' WHERE id = :i", i=deal_id)
    with pytest.raises(DealError, match="changed by another writer since it was added; not removed"), db.write() as c:
        entry.undo(c)
    assert _row(db, deal_id) == (deal_id, "announced", "their notes", 2)


def _migration_0006() -> object:
    spec = importlib.util.spec_from_file_location("migration_0006", MIGRATION_0006)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_migration_0006_carries_exactly_the_version_trigger_sql_of_today(dialect: str) -> None:
    migration = _migration_0006()
    assert list(migration.VERSION_TRIGGER[dialect]) == versions.version_trigger_ddl(dialect)  # type: ignore[attr-defined]
    assert list(migration.DROP_VERSION_TRIGGER[dialect]) == versions.drop_version_trigger_ddl(dialect)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------------------
# 18: one id range on both backends


def test_ids_beyond_int4_are_stored_and_later_ids_follow_them(db_target: str, tmp_path: Path) -> None:
    big = 2**40
    csv_file = tmp_path / "big.csv"
    csv_file.write_text(f"id,date,kind,from_org,to_org\n{big},2026-01-02,investment,Nvidia,Big Id Co\n",
                        encoding="utf-8")  # fmt: skip
    imported = run_tracker(db_target, "import", str(csv_file))
    assert imported.code == 0, imported.err
    no_traceback(imported.err)
    added = run_tracker(db_target, "add", "--kind", "investment", "--from", "Nvidia", "--to", "After Big",
                        "--date", "2026-01-03")  # fmt: skip
    assert added.code == 0, added.err
    assert int(added.out.split()[2]) == big + 1
    listed = run_tracker(db_target, "list", "--search", "Big Id Co", "--format", "json")
    assert f'"id": {big}' in listed.out


UPGRADE_0001 = textwrap.dedent(
    """
    import sys
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    engine = create_engine(sys.argv[1])
    cfg = Config()
    cfg.set_main_option("script_location", "tracker:migrations")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO organization (name, name_key) VALUES ('Old Co', 'old co'), ('Other', 'other')"))
        conn.execute(text("INSERT INTO deal (date, kind, from_org_id, to_org_id) SELECT DATE '2024-01-02', "
                          "'investment', min(id), max(id) FROM organization"))
    engine.dispose()
    """
)


@pytest.mark.postgres
def test_a_postgresql_database_from_0001_gets_bigint_ids_and_versions(pg_url: str) -> None:
    made = subprocess.run([sys.executable, "-c", UPGRADE_0001, pg_url], env=tracker_env(), capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert made.returncode == 0, made.stderr
    listed = run_tracker(pg_url, "list", "--format", "json")
    assert listed.code == 0 and "upgraded" in listed.err, listed.err
    from sqlalchemy import create_engine

    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
                     "WHERE table_schema = 'public' AND (column_name = 'id' OR column_name LIKE '%\\_id')")
            ).all()  # fmt: skip
            kinds = {str(name): str(kind) for name, kind in rows}
            assert kinds and set(kinds.values()) == {"bigint"}, kinds
            assert conn.execute(text("SELECT version FROM deal")).scalar() == 1
    finally:
        engine.dispose()
