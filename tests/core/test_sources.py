"""Many sources per deal (issue 14): the confidence rule table-driven (pure, and as stored by every writer),
sources added, edited, removed and put back, the deal's source_* columns mirroring its first source, undo,
dedupe merge, aliases, imports adding a new source, and the seed's excerpts. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import Connection, select

from tracker.core.csvio.importer import import_deals
from tracker.core.domain.confidence import derive_confidence
from tracker.core.domain.fields import DealValues
from tracker.core.domain.source_fields import SourceError, SourceValues, parse_source_fields
from tracker.core.records import undo as ops
from tracker.core.records.changes import add_deal, update_deal, values_of
from tracker.core.records.merging import merge_deals, unmerge
from tracker.core.records.org_edit import add_alias, remove_alias
from tracker.core.records.orgs import find_org_id
from tracker.core.records.sources import (
    add_source,
    deal_confidence,
    edit_source,
    list_sources,
    remove_source,
    restore_source,
)
from tracker.core.storage.handle import Database
from tracker.core.storage.handles import DEAL

ARTICLE = Path(__file__).resolve().parents[1] / "data" / "seed-article.txt"

S = tuple[str, str | None, str | None]
RULE: list[tuple[list[S], str, int, str]] = [
    # (sources as (kind, outlet, url), level, independent outlets, why)
    ([], "unsourced", 0, "no source"),
    ([("filing", "SEC", None)], "confirmed", 1, "a filing"),
    ([("press-release", "Nvidia", None)], "confirmed", 1, "a press release by a party (its name)"),
    ([("press-release", "NVIDIA Corporation", None)], "confirmed", 1, "by a party's alias, another case"),
    ([("press-release", "英伟达", None)], "confirmed", 1, "by a party's native name"),
    ([("press-release", "Acme PR", None)], "reported", 1, "a press release by someone else"),
    ([("news", "Reuters", None)], "reported", 1, "news"),
    ([("news", "Reuters", None), ("analysis", "reuters", None)], "reported", 1, "one outlet, whatever the case"),
    ([("news", "Reuters", None), ("earnings-call", "Bloomberg", None)], "reported", 2, "two outlets"),
    ([("news", None, "https://www.ft.com/a"), ("news", None, "https://ft.com/b")], "reported", 1, "one host"),
    ([("social", "X", None)], "rumored", 1, "only social"),
    ([("rumor", None, None), ("social", "X", None)], "rumored", 2, "only social or rumor"),
    ([("rumor", "X", None), ("news", "Reuters", None)], "reported", 2, "news beats rumour"),
    ([("news", "Reuters", None), ("filing", "SEC", None)], "confirmed", 2, "a filing beats news"),
]
PARTIES = ["Nvidia", "英伟达", "NVIDIA Corporation", "OpenAI"]


@pytest.mark.parametrize(("sources", "level", "outlets", "why"), RULE, ids=[r[3] for r in RULE])
def test_confidence_rule(sources: list[S], level: str, outlets: int, why: str) -> None:
    found = derive_confidence(sources, PARTIES)
    assert (found.level, found.outlets) == (level, outlets), why


def _deal(conn: Connection, **kw: object) -> int:
    values = DealValues(date=dt.date(2025, 9, 22), kind="investment", from_org="Nvidia", to_org="OpenAI", **kw)  # type: ignore[arg-type]
    return add_deal(conn, values, create_orgs=True)[0]


def _stored(conn: Connection, deal_id: int) -> str:
    return str(conn.execute(select(DEAL.c.confidence).where(DEAL.c.id == deal_id)).scalar_one())


@pytest.mark.parametrize(("sources", "level", "outlets", "why"), RULE, ids=[r[3] for r in RULE])
def test_every_writer_stores_the_confidence_of_the_rule(
    db: Database, sources: list[S], level: str, outlets: int, why: str
) -> None:
    with db.write() as conn:
        deal_id = _deal(conn)
        for kind, outlet, url in sources:
            add_source(conn, deal_id, SourceValues(kind=kind, outlet=outlet, url=url))
        assert _stored(conn, deal_id) == level, why
        assert deal_confidence(conn, deal_id).outlets == outlets
        for s in list_sources(conn, deal_id):
            remove_source(conn, s.id)
        assert _stored(conn, deal_id) == "unsourced"


def test_sources_in_order_the_first_mirrored_by_the_deal(db: Database) -> None:
    with db.write() as conn:
        deal_id = _deal(conn)
        assert _stored(conn, deal_id) == "unsourced" and list_sources(conn, deal_id) == []
        a = add_source(conn, deal_id, SourceValues(kind="news", outlet="Reuters", url="https://r/1", lang="en"))
        b = add_source(conn, deal_id, SourceValues(kind="filing", outlet="SEC", url="https://sec/1"))
        c = add_source(conn, deal_id, SourceValues(kind="social", outlet="X"), position=0)
        assert [s.id for s in list_sources(conn, deal_id)] == [c.id, a.id, b.id]
        assert [s.position for s in list_sources(conn, deal_id)] == [0, 1, 2]
        assert values_of(conn, deal_id).source_outlet == "X"  # the first source, mirrored
        assert _stored(conn, deal_id) == "confirmed"
        gone = remove_source(conn, c.id)
        assert values_of(conn, deal_id).source_outlet == "Reuters"
        assert values_of(conn, deal_id).source_url == "https://r/1"
        restore_source(conn, gone)
        assert [s.id for s in list_sources(conn, deal_id)] == [c.id, a.id, b.id]
        before, after = edit_source(conn, b.id, SourceValues(kind="news", outlet="SEC", url="https://sec/1"))
        assert before.kind == "filing" and after.kind == "news"
        assert _stored(conn, deal_id) == "reported"
        # an edit of the deal's source_* columns is an edit of its first source, kind and excerpt kept
        update_deal(conn, deal_id, DealValues(
            date=dt.date(2025, 9, 22), kind="investment", from_org="Nvidia", to_org="OpenAI", source_outlet="Y",
            present=frozenset({"source_outlet"}),
        ))  # fmt: skip
        first = list_sources(conn, deal_id)[0]
        assert (first.id, first.outlet, first.kind) == (c.id, "Y", "social")


def test_a_deal_added_with_a_source_has_it_as_a_news_source(db: Database) -> None:
    with db.write() as conn:
        deal_id = _deal(conn, source_outlet="Reuters", source_url="https://r/2", source_date="2025-09")
        [s] = list_sources(conn, deal_id)
        assert (s.kind, s.outlet, s.url, s.published, s.position) == ("news", "Reuters", "https://r/2", "2025-09", 0)
        assert _stored(conn, deal_id) == "reported"


def test_undo_of_a_delete_puts_the_sources_back(db: Database) -> None:
    with db.write() as conn:
        deal_id = _deal(conn, source_outlet="Reuters")
        add_source(conn, deal_id, SourceValues(kind="filing", outlet="SEC", excerpt="8-K"))
        before = list_sources(conn, deal_id)
        entry = ops.delete(conn, deal_id)
    with db.write() as conn:
        assert list_sources(conn, deal_id) == []
        entry.undo(conn)
    with db.read() as conn:
        assert list_sources(conn, deal_id) == before
        assert _stored(conn, deal_id) == "confirmed"


def test_dedupe_merge_keeps_both_deals_sources_and_undo_puts_them_back(db: Database) -> None:
    with db.write() as conn:
        keep = _deal(conn, source_outlet="Reuters", source_url="https://r/3")
        drop = _deal(conn, source_outlet="Bloomberg", source_url="https://b/3")
        add_source(conn, drop, SourceValues(kind="filing", outlet="SEC", url="https://r/3"))  # keep has this URL
        add_source(conn, drop, SourceValues(kind="press-release", outlet="OpenAI", excerpt="we agreed"))
        result = merge_deals(conn, keep, drop)
        assert "2 sources moved" in result.summary()
        kept = list_sources(conn, keep)
        assert [(s.outlet, s.position) for s in kept] == [("Reuters", 0), ("Bloomberg", 1), ("OpenAI", 2)]
        assert _stored(conn, keep) == "confirmed"  # a press release by a party
        unmerge(conn, result)
        assert [s.outlet for s in list_sources(conn, keep)] == ["Reuters"]
        assert [s.outlet for s in list_sources(conn, drop)] == ["Bloomberg", "SEC", "OpenAI"]
        assert _stored(conn, keep) == "reported"


def test_an_alias_makes_a_press_release_by_a_party_confirm_the_deal(db: Database) -> None:
    with db.write() as conn:
        deal_id = _deal(conn)
        add_source(conn, deal_id, SourceValues(kind="press-release", outlet="OpenAI Newsroom"))
        assert _stored(conn, deal_id) == "reported"
        org_id = find_org_id(conn, "OpenAI")
        assert org_id is not None
        entry = add_alias(conn, org_id, "OpenAI Newsroom")
        assert _stored(conn, deal_id) == "confirmed"
        entry.undo(conn)
        assert _stored(conn, deal_id) == "reported"
        add_alias(conn, org_id, "OpenAI Newsroom")
        remove_alias(conn, org_id, "OpenAI Newsroom")
        assert _stored(conn, deal_id) == "reported"


def test_a_row_of_a_stored_deal_with_a_new_source_adds_it(db: Database, tmp_path: Path) -> None:
    header = "id,date,kind,from_org,to_org,source_outlet,source_url\n"
    first = tmp_path / "a.csv"
    first.write_text(header + "x-1,2025-09-22,investment,Nvidia,OpenAI,Reuters,https://r/4\n", encoding="utf-8")
    again = tmp_path / "b.csv"
    again.write_text(header + "x-1,2025-09-22,investment,Nvidia,OpenAI,Bloomberg,https://b/4\n", encoding="utf-8")
    assert import_deals(db, first).added == 1
    report = import_deals(db, again)
    assert (report.added, report.updated, report.unchanged, report.sources_added) == (0, 0, 0, 1)
    assert "sources added 1" in report.summary()
    assert import_deals(db, again).unchanged == 1  # the same source again: nothing new
    with db.read() as conn:
        deal_id = conn.execute(select(DEAL.c.id).where(DEAL.c.ref == "x-1")).scalar_one()
        assert [s.outlet for s in list_sources(conn, deal_id)] == ["Reuters", "Bloomberg"]
        assert values_of(conn, deal_id).source_outlet == "Reuters"  # the first source stays first
        assert deal_confidence(conn, deal_id).outlets == 2


def test_the_seed_deals_carry_the_article_with_their_sentence(db: Database) -> None:
    article = ARTICLE.read_text(encoding="utf-8")
    with db.read() as conn:
        ids = list(conn.execute(select(DEAL.c.id).order_by(DEAL.c.id)).scalars())
        assert len(ids) == 8
        for deal_id in ids:
            [s] = list_sources(conn, deal_id)
            assert (s.kind, s.outlet, s.author, s.lang, s.retrieved) == (
                "news",
                "证券日报",
                "李春莲",
                "zh",
                "2025-09-29",
            )
            assert s.title == "从AI基建竞赛看全球科技产业格局重构" and s.published == "2025-09-29"
            assert s.excerpt and s.excerpt in article and s.excerpt.endswith("。")
            assert re.search(r"[\u4e00-\u9fff]", s.excerpt)
            assert _stored(conn, deal_id) == "reported"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "blog", "unknown source kind"),
        ("published", "29th of Sep", "published '29th of Sep'"),
        ("retrieved", "2025-09", "a day is needed"),
        ("lang", "chinese!", "not a language tag"),
    ],
)
def test_bad_source_fields_name_field_and_value(field: str, value: str, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_source_fields({field: value})
    assert caught.value.field == field and caught.value.value == value
    assert str(caught.value).startswith(f"{field} {value!r}: ") and message in str(caught.value)


def test_source_fields_are_normalised() -> None:
    got = parse_source_fields({"kind": "Press Release", "published": "29 Sep 2025", "retrieved": "2025-10-01"})
    assert (got.kind, got.published, got.retrieved) == ("press-release", "2025-09-29", "2025-10-01")
    assert parse_source_fields({}).kind == "news"
