"""The article's seed (证券日报, 2025-09-29) loads through the importer, on every backend."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text

from tracker.core.csvio.seed import load_seed
from tracker.core.records.alliances import list_alliances
from tracker.core.records.details import get_deal
from tracker.core.records.orgs import find_org_id, org_summary
from tracker.core.records.pages import DealFilter, count_deals, page
from tracker.core.storage.handle import Database


def _deals(db: Database) -> dict[str, object]:
    with db.read() as conn:
        rows = page(conn, DealFilter(), limit=100)
        return {r.description or "": r for r in rows}


def test_seed_has_the_articles_deals(db: Database) -> None:
    with db.read() as conn:
        assert count_deals(conn) == 8
        rows = page(conn, DealFilter(), limit=100)
        by = {(r.kind, r.from_org, r.to_org): r for r in rows}
        plan = by[("infrastructure", "Alibaba", None)]
        assert (plan.amount, plan.currency, plan.qualifier) == (Decimal("380000000000"), "CNY", "exact")
        invest = by[("investment", "Nvidia", "OpenAI")]
        assert (invest.amount, invest.currency, invest.qualifier) == (Decimal("100000000000"), "USD", "up to")
        gw = by[("purchase", "OpenAI", "Nvidia")]
        assert gw.capacity_gw == Decimal(10) and gw.amount is None and gw.qualifier == "undisclosed"
        for pair in (("OpenAI", "Oracle"), ("Oracle", "Nvidia")):
            assert by[("purchase", *pair)].amount is None
        assert by[("infrastructure", "Microsoft", None)].qualifier == "undisclosed"
        assert by[("infrastructure", "Google", None)].qualifier == "undisclosed"
        assert ("partnership", "Alibaba Cloud", "Nvidia") in by
        detail = get_deal(conn, gw.id)
        assert detail is not None
        assert [(link.relation, link.id) for link in detail.links] == [("part of", invest.id)]
        assert detail.source_outlet == "证券日报" and detail.source_date == "2025-09-29"
        assert all(get_deal(conn, r.id).source_title == "从AI基建竞赛看全球科技产业格局重构" for r in rows)  # type: ignore[union-attr]
        alliances = {a.name: a for a in list_alliances(conn)}
        triangle = alliances["OpenAI–Nvidia–Oracle triangle"]
        assert {m for _, m in triangle.members} == {"OpenAI", "Nvidia", "Oracle"} and triangle.deal_count == 3
        assert alliances["Alibaba Cloud–Nvidia Physical AI ecosystem"].deal_count == 1


def test_aliases_resolve_case_insensitively(db: Database) -> None:
    with db.read() as conn:
        for alias, name in [("英伟达", "Nvidia"), ("甲骨文", "Oracle"), ("阿里巴巴", "Alibaba"), ("阿里云", "Alibaba Cloud"),
                            ("微软", "Microsoft"), ("谷歌", "Google"), ("深度求索", "DeepSeek"), ("字节跳动", "ByteDance"),
                            ("百度", "Baidu"), ("NVIDIA", "Nvidia"), ("openai", "OpenAI")]:  # fmt: skip
            org_id = find_org_id(conn, alias)
            assert org_id is not None, alias
            summary = org_summary(conn, org_id)
            assert summary is not None and summary.name == name
        cloud = org_summary(conn, find_org_id(conn, "Aliyun"))  # type: ignore[arg-type]
        assert cloud is not None and cloud.parent == "Alibaba"
        deepseek = org_summary(conn, find_org_id(conn, "DeepSeek"))  # type: ignore[arg-type]
        assert deepseek is not None and "R1" in (deepseek.notes or "")


def test_seed_again_changes_nothing(db: Database) -> None:
    report = load_seed(db)
    assert report.deals is None  # every seed deal is there: none to import
    assert (report.organizations, report.alliances, report.links, report.rates, report.sources) == (0, 0, 0, 0, 0)
    assert report.skipped == 8 + 10 + 2 + 1 + 15 + 8  # ... and each deal's source (schema 0011)
    assert "skipped 44 already in the database" in report.summary()
    with db.read() as conn:
        assert count_deals(conn) == 8


def _state(db: Database) -> dict[str, list[tuple[object, ...]]]:
    tables = {
        "deal": "SELECT id, ref, description, amount, status FROM deal ORDER BY id",
        "fx_rate": "SELECT currency, rate, as_of FROM fx_rate ORDER BY currency, as_of",
        "organization": "SELECT id, name, country, parent_id, notes FROM organization ORDER BY id",
        "org_alias": "SELECT org_id, alias FROM org_alias ORDER BY org_id, alias",
        "alliance": "SELECT id, name, description FROM alliance ORDER BY id",
        "alliance_member": "SELECT alliance_id, org_id FROM alliance_member ORDER BY 1, 2",
        "deal_link": "SELECT from_deal_id, to_deal_id, relation FROM deal_link ORDER BY 1, 2",
    }
    with db.read() as conn:
        return {name: [tuple(r) for r in conn.execute(text(sql))] for name, sql in tables.items()}


def test_seed_never_overwrites_what_the_user_changed_and_adds_what_is_missing(db: Database) -> None:
    """#17.8: `tracker seed` reverted a user's edits of seed deals and FX rates."""
    with db.write() as conn:
        conn.execute(text("UPDATE deal SET description = 'my own words', status = 'completed' "
                          "WHERE ref = 'seed-nvidia-openai-investment'"))  # fmt: skip
        conn.execute(text("UPDATE fx_rate SET rate = '0.15' WHERE currency = 'CNY'"))
        conn.execute(text("UPDATE organization SET country = 'Taiwan', notes = 'mine' WHERE name = 'Nvidia'"))
        conn.execute(text("DELETE FROM org_alias WHERE alias = 'Aliyun'"))
        conn.execute(text("UPDATE organization SET parent_id = NULL WHERE name = 'Alibaba Cloud'"))
        conn.execute(text("UPDATE alliance SET description = 'my description'"))
        conn.execute(text("UPDATE deal_link SET relation = 'related'"))
        conn.execute(
            text("DELETE FROM alliance_member WHERE org_id = (SELECT id FROM organization WHERE name = 'Oracle')")
        )
        conn.execute(text("DELETE FROM deal WHERE ref = 'seed-google-compute'"))
        conn.execute(text("DELETE FROM fx_rate WHERE currency = 'JPY'"))
    edited = _state(db)
    report = load_seed(db)
    after = _state(db)
    # what was deleted is back (one deal, one rate); everything else is exactly as the user left it
    assert report.deals is not None and report.deals.added == 1 and report.rates == 1
    assert report.skipped == 36 - 2 + 7  # ... and the sources of the 7 deals still there (schema 0011)
    assert report.sources == 1  # the deal put back has its source with its sentence
    assert "skipped 41 already in the database" in report.summary()
    assert len(after["deal"]) == len(edited["deal"]) + 1
    assert [r for r in after["deal"] if r[1] != "seed-google-compute"] == edited["deal"]
    assert [r for r in after["fx_rate"] if r[0] != "JPY"] == edited["fx_rate"]
    assert [r for r in after["fx_rate"] if r[0] == "JPY"] != []
    for table in ("organization", "org_alias", "alliance", "deal_link"):
        assert after[table] == edited[table], table
    with db.read() as conn:
        assert count_deals(conn) == 8
        changed = conn.execute(text("SELECT description, status FROM deal WHERE ref = 'seed-nvidia-openai-investment'"))
        assert changed.one() == ("my own words", "completed")
        assert str(conn.execute(text("SELECT rate FROM fx_rate WHERE currency = 'CNY'")).scalar()) in ("0.15", "0.1500")
    assert load_seed(db).skipped == 44  # and again: nothing more to add, nothing changed
    assert _state(db) == after


def test_search_finds_chinese_and_partial_names(db: Database) -> None:
    with db.read() as conn:
        nvidia = {(r.from_org, r.to_org) for r in page(conn, DealFilter(text="英伟达"))}
        assert ("Nvidia", "OpenAI") in nvidia and ("Alibaba", None) not in nvidia
        ali = {r.from_org for r in page(conn, DealFilter(text="阿里"))}
        assert ali == {"Alibaba", "Alibaba Cloud"}
        assert count_deals(conn, DealFilter(text="partnership")) == 1


def test_a_filter_of_deal_ids_pages_and_counts_exactly_those(db: Database) -> None:
    with db.read() as conn:
        wanted = tuple(r.id for r in page(conn, DealFilter(text="甲骨文")))
        f = DealFilter(deal_ids=wanted)
        assert count_deals(conn, f) == len(wanted) == 2
        assert sorted(r.id for r in page(conn, f, sort="amount")) == sorted(wanted)
