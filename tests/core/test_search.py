"""Search (issue 13): words ANDed, quoted phrases whole, over names, aliases, alliances, description, source
outlet and title, kind; the index of schema 0008 kept by triggers for every writer; on both backends."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.support.data import CIRCULAR_CSV
from tracker.core.csvio import write
from tracker.core.csvio.importer import import_deals
from tracker.core.csvio.seed import load_seed
from tracker.core.domain.fields import parse_deal_fields
from tracker.core.domain.search_text import search_terms
from tracker.core.records.changes import add_deal
from tracker.core.records.firstpage import quick_search
from tracker.core.records.orgs import find_org_id, set_aliases
from tracker.core.records.pages import DealFilter, count_deals, matching_ids, page
from tracker.core.storage import search
from tracker.core.storage.handle import Database
from tracker.core.storage.opening import open_database
from tracker.core.storage.searchbuild import build_pending, pending


def found(db: Database, query: str) -> list[int]:
    """The ids a search finds, checked to agree across the page, the count and the capped id list."""
    with db.read() as conn:
        f = DealFilter(text=query)
        ids = sorted(r.id for r in page(conn, f, limit=1000))
        assert count_deals(conn, f) == len(ids)
        assert sorted(matching_ids(conn, f, 1000)) == ids
        by_row = sorted(r.id for r in page(conn, DealFilter(text=query, by_row=True), limit=1000))
        assert by_row == ids  # the walk a common word takes compares the same text
    return ids


def test_terms_are_words_and_quoted_phrases() -> None:
    assert search_terms('oracle  nvidia "up to $100" 英伟达') == ["oracle", "nvidia", "up to $100", "英伟达"]
    assert search_terms('"unclosed phrase') == ["unclosed phrase"]
    assert search_terms('  "" ') == []


def test_words_are_anded_and_phrases_kept_whole(db: Database) -> None:
    # 2: Nvidia → OpenAI, 4: OpenAI → Oracle, 5: Oracle → Nvidia (the "OpenAI–Nvidia–Oracle triangle")
    assert found(db, "oracle nvidia") == [2, 4, 5]
    assert found(db, "ORACLE Nvidia gpu") == [5]  # "GPU chips" in 5's description
    assert found(db, '"oracle nvidia"') == []  # that phrase is written nowhere
    assert found(db, '"up to $100 billion"') == [2]
    assert found(db, 'nvidia "up to $100 billion" openai') == [2]


def test_names_aliases_alliances_sources_and_kind(db: Database) -> None:
    assert found(db, "英伟达") == [2, 3, 5, 8]  # Nvidia's alias (and its Chinese descriptions)
    assert found(db, "阿里") == [1, 8]  # two characters: names and aliases only (Alibaba, Alibaba Cloud)
    assert found(db, "triangle") == [2, 4, 5]  # an alliance's name
    assert found(db, "证券日报") == [1, 2, 3, 4, 5, 6, 7, 8]  # the source outlet
    assert found(db, "科技产业格局") == [1, 2, 3, 4, 5, 6, 7, 8]  # the source title
    assert found(db, "partnership") == [8]  # the kind
    assert found(db, "zzqx") == []
    assert found(db, "100%") == []  # LIKE's wildcards are text
    with db.write() as conn:
        values, errors = parse_deal_fields(
            {"date": "2025-01", "kind": "investment", "from_org": "SoftBank", "to_org": "OpenAI",
             "source_outlet": "WSJ", "source_title": "Stargate venture announced", "alliances": "Stargate"}
        )  # fmt: skip
        assert not errors
        new_id, _ = add_deal(conn, values, create_orgs=True)
    assert found(db, "WSJ") == [new_id]
    assert found(db, "stargate softbank") == [new_id]
    assert found(db, "SB") == []  # too short for the index, and no name holds it


def test_the_index_follows_every_writer(db: Database) -> None:
    """Triggers, not the application, keep the index: plain SQL updates are found at once."""
    with db.write() as conn:
        conn.execute(text("UPDATE deal SET description = 'A quokka ranch' WHERE id = 6"))
        nvidia = find_org_id(conn, "Nvidia")
        assert nvidia is not None
        set_aliases(conn, nvidia, ["英伟达", "Team Green"])
        conn.execute(
            text(
                "UPDATE organization SET name = 'Oracle Corporation', name_key = 'oracle corporation' WHERE name = 'Oracle'"
            )
        )
        conn.execute(
            text("UPDATE alliance SET name = 'Circular trio', name_key = 'circular trio' WHERE name LIKE 'OpenAI%'")
        )
    assert found(db, "quokka") == [6]
    assert found(db, "持续投入扩建算力网络") == [7]  # 6's old description is gone from the index
    assert found(db, "team green") == [2, 3, 5, 8]
    assert found(db, "oracle corporation") == [4, 5]
    assert found(db, "circular trio") == [2, 4, 5]
    assert found(db, "triangle") == []
    with db.write() as conn:
        conn.execute(text("DELETE FROM alliance_deal WHERE deal_id = 4"))
        conn.execute(text("DELETE FROM deal WHERE id = 5"))
    assert found(db, "circular trio") == [2]
    assert found(db, "quokka ranch") == [6]
    with db.read() as conn:
        n = conn.execute(text(f"SELECT count(*) FROM {search.INDEX_TABLE}")).scalar_one()
        assert n == count_deals(conn) == 7


def test_a_bulk_load_is_indexed_and_found_meanwhile(db_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big SQLite load leaves its deals out of the index (a gap) to keep the import fast: searches scan the
    gap meanwhile and find the same deals; the builder then fills it."""
    monkeypatch.setattr(search, "INLINE_BUILD", 10)  # what more than 50,000 deals do, with 91
    monkeypatch.setattr(write, "BULK_REBUILD_INDEXES", 10)  # a bulk load (as from 10,000 rows)
    db = open_database(db_target)
    try:
        import_deals(db, CIRCULAR_CSV)
        queries = ["nvidia", "openai microsoft", '"cloud services"', "CNBC", "stargate", "zzqx", "AI"]
        before = {q: found(db, q) for q in queries}
        assert pending(db) == db.is_sqlite  # PostgreSQL indexes in the load's transaction
        build_pending(db, chunk=7)
        assert not pending(db)
        assert {q: found(db, q) for q in queries} == before
        assert before["nvidia"] and before["openai microsoft"] and before["CNBC"] and not before["zzqx"]
    finally:
        db.dispose()


def test_the_first_second_search_equals_the_cores(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    db = open_database(path, populate=load_seed)
    import_deals(db, CIRCULAR_CSV)
    queries = ["nvidia", "oracle nvidia", '"up to $100 billion"', "英伟达", "证券日报", "zzqx", "openai"]
    with db.read() as conn:
        core = {q: [r.id for r in page(conn, DealFilter(text=q), limit=100)] for q in queries}
        counts = {q: count_deals(conn, DealFilter(text=q)) for q in queries}
    db.dispose()
    for q in queries:
        quick = quick_search(str(path), q)
        assert quick is not None, q
        assert [r.id for r in quick.rows] == core[q], q
        assert quick.count == counts[q] and not quick.more
    common = quick_search(str(path), "openai", cap=5)  # over the cap: the walk, and a count that is a floor
    assert common is not None and common.more and common.count == 5
    assert [r.id for r in common.rows] == core["openai"]
    assert quick_search(str(path), "阿里") is None  # a short term: the core answers (names)
    assert quick_search("postgresql+psycopg://u:p@localhost/db", "nvidia") is None


def _migration(name: str) -> Any:
    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location(name, root / "tracker/migrations/versions" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


def test_migrations_0008_and_0014_are_what_search_generates() -> None:
    """The migrations' SQL is frozen (they import nothing from tracker); storage/search.py must still make it:
    0008's triggers and PostgreSQL table, 0014's SQLite table (no positions)."""
    migration = _migration("0008_search_index")
    later = _migration("0014_search_without_positions")
    assert search.table_ddl("sqlite") == [
        "CREATE VIRTUAL TABLE deal_search USING fts5(body, tokenize = 'trigram', detail = 'none')",
        migration.TABLES["sqlite"][1],
    ]
    assert "detail = 'none'" in inspect.getsource(later.upgrade)
    assert later.SQLITE_DOCUMENT == migration.SQLITE_DOCUMENT and later.CHUNK == search.BUILD_CHUNK
    for dialect in ("sqlite", "postgresql"):
        if dialect == "postgresql":
            assert list(migration.TABLES[dialect]) == search.table_ddl(dialect)
        assert list(migration.TRIGGERS[dialect]) == search.trigger_ddl(dialect)
        assert list(migration.DROP_TRIGGERS[dialect]) == search.drop_trigger_ddl(dialect)
        assert list(migration.FILL[dialect]) == search.fill_sql(dialect)
    assert search.document_sql("d", "sqlite") == migration.SQLITE_DOCUMENT
    assert migration.INLINE_BUILD == search.INLINE_BUILD
