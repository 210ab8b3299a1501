"""Schema upgrades: a database made by the first released schema (0001) opens with the current code,
is upgraded in place after a backup copy is written beside it, and keeps every deal, link and alias.

``tests/fixtures/schema-0001.db`` was made with the release of schema 0001 through the real commands:
``tracker --db schema-0001.db import ../shared/data/circular-deals.csv`` (on top of the seed), then
``import --all`` of a folder with two organisations' aliases and two deal links, ``add`` of a deal
with a fractional amount in a new alliance, and ``fx set EUR 1.0825``. The figures here and in
``tests/support/fixtures.py`` were read from it right after it was made. Never regenerate it: it stands for
the users' existing files.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tests.support.fixtures import FIXTURE, RECORDED_COUNTS, TABLES
from tests.support.processes import no_traceback, run_tracker, sqlite_rows, sqlite_value
from tracker import migrations
from tracker.core.csvio.seed import load_seed
from tracker.core.domain.names import alliance_key
from tracker.core.storage import history, search, sums
from tracker.core.storage.opening import open_database
from tracker.core.storage.tables import Deal, DealLink, OrgAlias, Organization, SQLModel
from tracker.migrations import HEAD

MIGRATION_0007 = Path(migrations.__file__).parent / "versions" / "0007_amounts_capacity_value_sort.py"


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    copy = tmp_path / "analyst.db"
    shutil.copyfile(FIXTURE, copy)
    os.chmod(copy, 0o600)
    return copy


def _columns(path: Path, table: str) -> list[str]:
    return [str(r[1]) for r in sqlite_rows(path, f"PRAGMA table_info({table})")]


def _all_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in the columns the fixture has (later schemas add columns: deal.version),
    but for the alliances' look-up keys (schema 0010 recomputes them: checked on their own), the amount as
    its integer of 10^-4 units (schema 0007 stores it as 24 digits)."""
    out = {}
    for t in TABLES:
        cols = ", ".join(
            "CAST(amount AS INTEGER)" if (t, c) == ("deal", "amount") else c
            for c in _columns(FIXTURE, t)
            if (t, c) != ("alliance", "name_key")
        )
        out[t] = sqlite_rows(path, f"SELECT {cols} FROM {t} ORDER BY 1, 2")
    return out


def test_the_fixture_is_schema_0001_with_the_recorded_contents() -> None:
    assert sqlite_value(FIXTURE, "SELECT version_num FROM alembic_version") == "0001"
    assert {t: len(rows) for t, rows in _all_rows(FIXTURE).items()} == RECORDED_COUNTS


def test_head_constant_is_the_newest_migration_script() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", "tracker:migrations")
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD != "0001"


def test_old_file_is_upgraded_in_place_with_a_backup_and_loses_nothing(old_db: Path) -> None:
    before = _all_rows(old_db)
    db = open_database(old_db, populate=load_seed)
    try:
        assert db.upgraded_from == "0001"
        assert not db.created
        assert db.backup is not None and db.backup.parent == old_db.parent
        with db.read() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
            # exact values recorded when the fixture was made
            deal = conn.execute(select(Deal.__table__).where(Deal.__table__.c.id == 100)).one()
            assert deal.amount == Decimal("12345678900.5")
            assert deal.currency == "USD" and deal.date_precision == "month"
            assert deal.description == 'Fixture deal, "quoted", =1+1'
            alibaba = conn.execute(select(Deal.amount, Deal.currency).where(Deal.id == 1)).one()
            assert alibaba == (Decimal("380000000000"), "CNY")
            links = set(conn.execute(select(DealLink.from_deal_id, DealLink.to_deal_id, DealLink.relation)))
            assert links == {(3, 2, "part of"), (12, 11, "part of"), (10, 9, "related")}
            anthropic = conn.execute(
                select(OrgAlias.alias).join(Organization).where(Organization.name == "Anthropic")
            ).scalars()
            assert set(anthropic) == {"安索普", "Anthropic PBC", "Claude maker"}
            total = conn.execute(text("SELECT sum(CAST(amount AS INTEGER)) FROM deal")).scalar()
            assert total == 20370166789005000  # 10^-4 units, exact
    finally:
        db.dispose()
    assert _all_rows(old_db) == before  # every row of every table, unchanged
    # the backup is the old database, whole, and private
    assert sqlite_value(db.backup, "SELECT version_num FROM alembic_version") == "0001"
    assert _all_rows(db.backup) == before
    assert stat.S_IMODE(os.stat(db.backup).st_mode) == 0o600
    assert sqlite_value(old_db, "PRAGMA integrity_check") == "ok"
    indexes = {r[0] for r in sqlite_rows(old_db, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"ix_deal_from_org", "ix_deal_to_org", "ix_deal_date_id"} <= indexes
    assert {"ix_deal_kind_id", "ix_deal_status_id", "ix_deal_amount_id"} <= indexes  # 0005: the table's sorts
    amount_index = sqlite_value(old_db, "SELECT sql FROM sqlite_master WHERE name = 'ix_deal_amount_id'")
    assert "coalesce(amount, ''), id" in amount_index  # the sort's own expression (autogenerate cannot see it)
    # 0007: per currency in amount order (the value sort), and every amount 24 digits (a CHECK keeps them so)
    assert "ix_deal_currency_amount" in indexes
    assert sqlite_value(old_db, "SELECT count(*) FROM deal WHERE length(amount) != 24") == 0
    assert not {"ix_deal_from_totals", "ix_deal_to_totals", "ix_deal_kind_totals"} & indexes  # 0004 dropped them
    # 0004's running sums were filled from the deals already there, and triggers keep them
    triggers = {r[0] for r in sqlite_rows(old_db, "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    recorded = {name for table in history.RECORDED for name in history.sqlite_trigger_names(table)}
    assert triggers == {"deal_totals_insert", "deal_totals_delete", "deal_totals_update", "deal_version"} | set(
        search.SQLITE_TRIGGERS
    ) | recorded | {"change_log_no_update", "change_log_no_delete"}
    # 0012: every row held at the upgrade is in the history as a baseline entry, so as-of answers for it
    baseline = sqlite_value(old_db, "SELECT count(*) FROM change_log WHERE op = 'baseline' AND tbl = 'deal'")
    assert baseline == RECORDED_COUNTS["deal"]
    # 0008: every deal is in the search index (a small database is indexed during the upgrade)
    assert sqlite_value(old_db, "SELECT count(*) FROM deal_search") == RECORDED_COUNTS["deal"]
    assert sqlite_rows(old_db, "SELECT * FROM deal_search_gap") == []
    assert sqlite_value(old_db, "SELECT sum(deals) FROM period_total") == RECORDED_COUNTS["deal"]
    exact = "sum(exact_hi) * 100000000000 + sum(exact_lo)"  # schema 0007: parts of 10^11
    assert sqlite_value(old_db, f"SELECT {exact} FROM period_total WHERE currency = 'USD'") == sqlite_value(
        old_db,
        "SELECT sum(CAST(amount AS INTEGER)) FROM deal WHERE currency = 'USD' AND qualifier NOT IN ('up to', 'at least', 'estimated')",
    )
    # 0006: every table with an id of its own was rebuilt with ids never reused, its counter at its highest id
    for table in ("organization", "org_alias", "alliance", "deal", "fx_rate"):
        sql = str(sqlite_value(old_db, f"SELECT sql FROM sqlite_master WHERE name = '{table}'"))
        assert "id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT" in sql, sql
        counter = sqlite_rows(old_db, "SELECT seq FROM sqlite_sequence WHERE name = ?", (table,))
        assert counter == [(sqlite_value(old_db, f"SELECT max(id) FROM {table}"),)]
    assert _columns(old_db, "deal")[-4:] == [
        "version",
        "amount",
        "capacity_qualifier",
        "confidence",
    ]  # 0006, 0007, 0011
    # 0011: each deal's source is its first row in deal_source (a news source), and the deal is "reported"
    # (that update raised the versions of deals with a source)
    assert sqlite_rows(
        old_db, "SELECT DISTINCT version FROM deal WHERE source_url IS NULL AND source_outlet IS NULL"
    ) in ([(1,)], [])
    mirrored = sqlite_rows(
        old_db,
        "SELECT count(*) FROM deal d JOIN deal_source s ON s.deal_id = d.id AND s.position = 0 "
        "WHERE s.kind = 'news' AND s.url IS d.source_url AND s.outlet IS d.source_outlet AND d.confidence = 'reported'",
    )
    assert mirrored == sqlite_rows(
        old_db,
        "SELECT count(*) FROM deal WHERE source_url IS NOT NULL OR source_outlet IS NOT NULL "
        "OR source_title IS NOT NULL OR source_author IS NOT NULL OR source_date IS NOT NULL",
    )
    assert mirrored != [(0,)]
    # 0010: the alliances' keys ignore case, the kind of dash and spacing
    keys = sqlite_rows(old_db, "SELECT name, name_key FROM alliance ORDER BY id")
    assert keys and all(key == alliance_key(name) for name, key in keys)
    assert keys[0] == ("OpenAI–Nvidia–Oracle triangle", "openai-nvidia-oracletriangle")
    assert sqlite_rows(old_db, "PRAGMA foreign_key_check") == []


def test_upgrade_through_the_cli_says_so_and_then_opens_fast(old_db: Path) -> None:
    first = run_tracker(str(old_db), "list", "--search", "安索普", "--format", "json")
    assert first.code == 0, first.err
    no_traceback(first.err)
    assert f"upgraded {old_db} from schema 0001 (backup: {old_db}.0001-" in first.err
    assert "Claude maker Labs" in first.out  # found through the alias
    backups = list(old_db.parent.glob("analyst.db.0001-*.bak"))
    assert len(backups) == 1
    second = run_tracker(str(old_db), "list", "--limit", "1")
    assert second.code == 0 and "upgraded" not in second.err
    assert len(list(old_db.parent.glob("*.bak"))) == 1  # no second backup
    exported = run_tracker(str(old_db), "export")
    assert exported.code == 0
    assert len(exported.out.strip().splitlines()) == 1 + RECORDED_COUNTS["deal"]


def test_two_processes_opening_an_old_file_at_once_upgrade_it_once(old_db: Path) -> None:
    from tests.support.processes import finish, start_tracker

    procs = [start_tracker(str(old_db), "list", "--limit", "1") for _ in range(3)]
    results = [finish(p) for p in procs]
    for r in results:
        assert r.code == 0, r.err
        no_traceback(r.err)
    assert sqlite_value(old_db, "SELECT version_num FROM alembic_version") == HEAD
    assert sqlite_value(old_db, "SELECT count(*) FROM deal") == RECORDED_COUNTS["deal"]


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_migration_0007_carries_exactly_the_running_sums_sql_of_today(dialect: str) -> None:
    """0007 (the newest schema of the running sums: amounts cut from their digits, capacity by qualifier) holds
    its trigger and rebuild SQL frozen (a migration imports no application code); it is, byte for byte, what
    tracker.core.storage.sums generates: the triggers a new database gets from 0007 are the ones the bulk
    loads drop and create again."""
    spec = importlib.util.spec_from_file_location("migration_0007", MIGRATION_0007)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.MEASURES == sums.MEASURES
    assert list(migration.TRIGGERS[dialect]) == sums.trigger_ddl(dialect)
    assert list(migration.REBUILD[dialect]) == sums.rebuild_sql(dialect)
    assert list(migration.DROP_TRIGGERS[dialect]) == sums.drop_trigger_ddl(dialect)


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_metadata_and_migrations_agree(db_target: str) -> None:
    """Autogenerate finds nothing to do on a freshly migrated database: models and scripts agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db = open_database(db_target)
    try:
        with db.engine.connect() as conn:
            # the search index of 0008 is not a model: an FTS5 table (and its shadow tables) on SQLite
            def modelled(name: str | None, type_: str, _parent: object) -> bool:
                return not (type_ == "table" and (name or "").startswith(search.INDEX_TABLE))

            opts = {"compare_type": True, "compare_server_default": True, "include_name": modelled}
            ctx = MigrationContext.configure(conn, opts=opts)
            assert compare_metadata(ctx, SQLModel.metadata) == []
    finally:
        db.dispose()


@pytest.mark.postgres
def test_postgresql_database_at_0001_is_upgraded_in_place(pg_url: str) -> None:
    """A server database left at schema 0001 (no backup there: the server's own backups apply)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    engine = create_engine(pg_url)
    cfg = Config()
    cfg.set_main_option("script_location", "tracker:migrations")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO organization (name, name_key) VALUES ('Old Co', 'old co'), ('Other', 'other')"))
        conn.execute(
            text(
                "INSERT INTO deal (date, kind, from_org_id, to_org_id, amount, currency, qualifier) "
                "SELECT DATE '2024-01-02', 'investment', min(id), max(id), 123456789, 'USD', 'exact' FROM organization"
            )
        )
    engine.dispose()
    db = open_database(pg_url, populate=load_seed)
    try:
        assert db.upgraded_from == "0001" and db.backup is None and not db.created
        with db.read() as conn:
            assert conn.execute(select(Deal.amount)).scalar_one() == Decimal("12345.6789")
            names = {
                r for r in conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'deal'")).scalars()
            }
            assert {"ix_deal_from_org", "ix_deal_to_org"} <= names
            assert not {"ix_deal_from_totals", "ix_deal_to_totals"} & names
            # the deal inserted at 0001 is in the running sums (filled by 0004), and the trigger counts new ones
            assert conn.execute(text("SELECT sum(deals) FROM period_total")).scalar() == 1
            assert (
                conn.execute(text("SELECT exact_hi * 100000000000 + exact_lo FROM period_total")).scalar() == 123456789
            )
    finally:
        db.dispose()


def test_revisions_constant_is_every_migration_script_oldest_first() -> None:
    """``REVISIONS`` tells a tracker schema from another application's (or a newer tracker's) without Alembic."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", "tracker:migrations")
    walked = [s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()]
    assert tuple(reversed(walked)) == migrations.REVISIONS
    assert migrations.REVISIONS[-1] == HEAD


def test_0006_goes_down_and_up_again_keeping_every_row_and_id(old_db: Path) -> None:
    """For developers: 0006's downgrade rebuilds the tables back (rows and ids kept), and its upgrade again."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    before = _all_rows(old_db)
    assert run_tracker(str(old_db), "list", "--limit", "1").code == 0  # upgraded to HEAD
    engine = create_engine(f"sqlite:///{old_db}")  # a plain engine: foreign keys off, as 0006 needs
    cfg = Config()
    cfg.set_main_option("script_location", "tracker:migrations")
    try:
        for step in ("0005", "head"):
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                (command.downgrade if step == "0005" else command.upgrade)(cfg, step)
            assert _all_rows(old_db) == before
    finally:
        engine.dispose()
    assert "AUTOINCREMENT" in str(sqlite_value(old_db, "SELECT sql FROM sqlite_master WHERE name = 'deal'"))
    assert sqlite_rows(old_db, "PRAGMA foreign_key_check") == []
    assert sqlite_value(old_db, "SELECT sum(deals) FROM period_total") == RECORDED_COUNTS["deal"]
