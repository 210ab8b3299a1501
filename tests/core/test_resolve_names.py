"""Did-you-mean: each kind of closeness, names that must not match, the reference list's integrity, and
what a name resolves to against the stored names and the reference list (both backends)."""

from __future__ import annotations

from typing import Any

import pytest

from tracker.core.domain.names import name_key
from tracker.core.records.closeness import CloseIndex, loose_key
from tracker.core.records.orgs import aliases_of, find_org_id, org_summary
from tracker.core.records.reference import reference_for, reference_orgs
from tracker.core.records.resolve import NameResolver, create_named_org
from tracker.core.storage.handle import Database

STORED = ["Nvidia", "英伟达", "OpenAI", "Alibaba", "阿里巴巴", "Microsoft", "Cohere", "Meta", "9988.HK", "SoftBank",
          "Anthropic", "Google", "Google Cloud", "AMD"]  # fmt: skip

CLOSE = [
    # (typed, the stored name it is close to, the kind of closeness)
    ("nvidia", "Nvidia", "case"),
    ("NVIDIA", "Nvidia", "case"),
    ("Open AI", "OpenAI", "spacing"),
    ("open  ai", "OpenAI", "spacing and case"),
    ("Open-AI", "OpenAI", "a hyphen"),
    ("Open–AI", "OpenAI", "an en dash"),
    ("Open.AI", "OpenAI", "punctuation"),
    ("Nvidia Inc.", "Nvidia", "Inc."),
    ("Nvidia Corp", "Nvidia", "Corp"),
    ("Microsoft Corporation", "Microsoft", "Corporation"),
    ("Alibaba Group Holding Ltd.", "Alibaba", "Group Holding Ltd."),
    ("SoftBank Group Corp.", "SoftBank", "Group Corp."),
    ("OpenAI, LLC", "OpenAI", "LLC"),
    ("阿里巴巴集团", "阿里巴巴", "集团"),
    ("阿里巴巴有限公司", "阿里巴巴", "有限公司"),
    ("阿里巴巴股份有限公司", "阿里巴巴", "股份有限公司"),
    ("ＮＶＩＤＩＡ", "Nvidia", "full-width letters"),
    ("ＯｐｅｎＡＩ", "OpenAI", "full-width letters"),
    ("英偉達", "英伟达", "traditional Chinese"),
    ("Nvdia", "Nvidia", "a letter left out"),
    ("Nvidai", "Nvidia", "two letters swapped"),
    ("Nvidiaa", "Nvidia", "a letter added"),
    ("Microsfot", "Microsoft", "two letters swapped"),
    ("Micrsoft", "Microsoft", "a letter left out"),
    ("Mcrosft", "Microsoft", "two letters left out (9 letters: two typos)"),
    ("Antrhopic", "Anthropic", "two letters swapped"),
    ("Anthorpik", "Anthropic", "two typos"),
]

NOT_CLOSE = [
    # (typed, why it must not match anything stored)
    ("Mota", "short names (4 letters or fewer) need an exact form: Meta is not Mota"),
    ("AMG", "short: AMD is not AMG"),
    ("9989.HK", "a key holding digits has no typos: another ticker"),
    ("Coherent", "two letters more than Cohere in an 8-letter name"),
    ("Google Research", "a different organisation that starts the same"),
    ("Alibaba Cloud", "a subsidiary is not its parent"),
    ("Microsoft Azure", "a product line is not the company"),
    ("Acme Robotics", "nothing like anything"),
    ("Nvidiaaaa", "three letters more"),
    ("阿里", "a shorter Chinese name"),
    ("Group", "a legal suffix alone is a name of its own"),
]


@pytest.fixture(scope="module")
def index() -> CloseIndex[str]:
    return CloseIndex((n, n) for n in STORED)


@pytest.mark.parametrize(("typed", "meant", "kind"), CLOSE, ids=[f"{c[0]}-{c[2]}" for c in CLOSE])
def test_close_names_are_offered(index: CloseIndex[str], typed: str, meant: str, kind: str) -> None:
    found = index.close(typed)
    assert found, f"{typed!r} ({kind}) should be close to {meant!r}"
    assert found[0].target == meant


@pytest.mark.parametrize(("typed", "why"), NOT_CLOSE, ids=[c[0] for c in NOT_CLOSE])
def test_names_that_must_not_match(index: CloseIndex[str], typed: str, why: str) -> None:
    assert index.close(typed) == [], why


def test_the_same_but_for_form_comes_before_typos() -> None:
    index = CloseIndex([("Nvidia", "Nvidia"), ("Nvidio", "Nvidio"), ("NVIDIA Corp.", "NVIDIA Corp.")])
    assert [c.target for c in index.close("nvidia inc")] == ["Nvidia", "NVIDIA Corp.", "Nvidio"]
    assert [c.edits for c in index.close("nvidia inc")] == [0, 0, 1]


def test_loose_keys() -> None:
    assert loose_key("Open-AI Inc.") == "openai"
    assert loose_key("英偉達集團") == "英伟达"
    assert loose_key("Co., Ltd.") == "co"  # a name that is only suffixes keeps its first word
    assert loose_key("ソフトバンクグループ株式会社") == "ソフトバンクグループ"


def test_the_reference_list_holds_enough_checked_organisations() -> None:
    orgs = reference_orgs()
    assert len(orgs) >= 150
    names = {o.name for o in orgs}
    assert len(names) == len(orgs), "one entry per organisation"
    for org in orgs:
        assert org.parent is None or org.parent in names, f"{org.name}: parent {org.parent} is not in the list"
    owner: dict[str, str] = {}
    for org in orgs:
        for n in org.names:
            assert owner.setdefault(name_key(n), org.name) == org.name, (
                f"{n!r} names {owner[name_key(n)]} and {org.name}"
            )
    countries = {o.country for o in orgs}
    for country in ("United States", "China", "Japan", "South Korea", "India", "United Arab Emirates", "Saudi Arabia",
                    "Germany", "France", "United Kingdom"):  # fmt: skip
        assert country in countries
    sectors = {o.sector for o in orgs}
    for sector in ("chips", "cloud", "neocloud", "AI lab", "data centres", "networking", "power", "fund"):
        assert sector in sectors


@pytest.mark.parametrize(
    ("typed", "org"),
    [("英伟达", "Nvidia"), ("NVDA", "Nvidia"), ("超威", "AMD"), ("甲骨文", "Oracle"), ("9988.HK", "Alibaba"),
     ("0700.hk", "Tencent"), ("台积电", "TSMC"), ("AWS", "Amazon Web Services"), ("软银", "SoftBank Group")],
)  # fmt: skip
def test_reference_names_aliases_and_tickers(typed: str, org: str) -> None:
    ref = reference_for(typed)
    assert ref is not None and ref.name == org


def test_resolver_offers_stored_names_before_reference_ones() -> None:
    resolver = NameResolver([("Nvidia", "Nvidia"), ("英伟达", "Nvidia")])
    (first,) = resolver.candidates("Nvdia")
    assert (first.name, first.reference) == ("Nvidia", False)
    assert str(resolver.candidates("英偉達")[0]) == "Nvidia (英伟达)"
    (ref,) = NameResolver().candidates("Corewave")  # nothing stored: the reference list
    assert (ref.name, ref.reference) == ("CoreWeave", True)


def test_a_reference_name_creates_the_organisation_with_its_fields(empty_db: Database) -> None:
    with empty_db.write() as conn:
        named = create_named_org(conn, "阿里云")  # Alibaba Cloud: its parent is not stored yet
        assert (named.name, named.created) == ("Alibaba Cloud", True)
        parent = create_named_org(conn, "9988.HK")  # Alibaba: adopts Alibaba Cloud
        again = create_named_org(conn, "BABA")  # stored already under its reference name
        assert (again.org_id, again.created) == (parent.org_id, False)
        summary = org_summary(conn, parent.org_id)
        assert summary is not None
        assert (summary.name, summary.native_name, summary.country, summary.sector) == (
            "Alibaba", "阿里巴巴", "China", "conglomerate")  # fmt: skip
        assert {"9988.HK", "BABA", "阿里巴巴", "阿里"} <= set(aliases_of(conn, parent.org_id))
        assert summary.children == ("Alibaba Cloud",)
        assert find_org_id(conn, "阿里") == parent.org_id
        plain = create_named_org(conn, "Acme Robotics")
        assert (plain.name, plain.ref, plain.created) == ("Acme Robotics", None, True)


def test_reference_aliases_that_name_a_stored_organisation_are_left_out(db: Database) -> None:
    with db.write() as conn:  # the seed: Google has the alias Alphabet
        google = find_org_id(conn, "Google")
        named = create_named_org(conn, "GOOGL")  # Alphabet's ticker: Alphabet itself is Google's alias here
        assert named.org_id == google and not named.created


IMPORT_ROWS = """date,kind,from_org,to_org,amount,description
2026-01,investment,英伟达,OpenAI,$100B,chips
2026-02,purchase,Microsoft,Nvdia,,GPUs
2026-03,purchase,Open AI,甲骨文,$300B,cloud
2026-04,purchase,Acme Robotics,NVDA,,more GPUs
"""


@pytest.mark.parametrize("pipelined", [False, True], ids=["two passes", "overlapped"])
def test_import_resolves_each_new_name_once_on_both_import_paths(
    pipelined: bool, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.core.csvio import pipeline
    from tracker.core.csvio.importer import import_deals
    from tracker.core.storage.opening import open_database

    monkeypatch.setattr(pipeline, "PIPELINE_MIN_BYTES", 0 if pipelined else 1 << 62)
    path = tmp_path / "deals.csv"
    path.write_text(IMPORT_ROWS, encoding="utf-8")
    db = open_database(tmp_path / "t.db")
    try:
        report = import_deals(db, path)
        with db.read() as conn:
            nvidia = find_org_id(conn, "Nvidia")
            assert nvidia is not None and find_org_id(conn, "NVDA") == nvidia == find_org_id(conn, "英伟达")
    finally:
        db.dispose()
    assert report.reference_orgs == ["Nvidia (英伟达)", "OpenAI", "Microsoft", "Oracle (甲骨文)"]
    assert [str(c) for c in report.close_names] == [
        "line 3: to_org 'Nvdia': did you mean Nvidia?",
        "line 4: from_org 'Open AI': did you mean OpenAI?",
    ]
    assert report.created_orgs == ["Nvdia", "Open AI", "Acme Robotics"]
