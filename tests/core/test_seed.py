"""The article's seed (证券日报, 2025-09-29) loads through the importer, on every backend."""

from __future__ import annotations

from decimal import Decimal

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
    assert report.deals is not None
    assert (report.deals.added, report.deals.updated, report.deals.unchanged) == (0, 0, 8)
    with db.read() as conn:
        assert count_deals(conn) == 8


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
