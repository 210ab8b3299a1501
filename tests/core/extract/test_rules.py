"""The extractor's rules, one at a time, in both languages: parties, kinds and direction, hedges, amounts,
capacities, dates, several deals in one sentence, sentences with no deal, and the spans of each field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.core.extract.assemble import Proposal, extract
from tracker.core.extract.parties import NameBook

DAY = dt.date(2025, 9, 29)  # a Monday
BOOK = NameBook()


def deals(text: str, day: dt.date = DAY) -> list[Proposal]:
    return extract(text, BOOK, day)


def one(text: str, day: dt.date = DAY) -> Proposal:
    found = deals(text, day)
    assert len(found) == 1, [(p.kind, p.from_org, p.to_org) for p in found]
    return found[0]


def shape(p: Proposal) -> tuple[str, str, str | None]:
    return p.kind, p.from_org, p.to_org


# ------------------------------------------------------------------------------------------- kinds and direction


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("英伟达宣布将向OpenAI投资高达1000亿美元。", ("investment", "Nvidia", "OpenAI")),
        ("英伟达再投资OpenAI。", ("investment", "Nvidia", "OpenAI")),
        ("Anthropic获得亚马逊40亿美元投资。", ("investment", "Amazon", "Anthropic")),
        ("Nvidia will invest $5 billion in Intel.", ("investment", "Nvidia", "Intel")),
        ("Anthropic raised $13 billion from Microsoft.", ("investment", "Microsoft", "Anthropic")),
        ("OpenAI received an investment from SoftBank Group.", ("investment", "SoftBank Group", "OpenAI")),
        ("OpenAI向甲骨文购买云计算服务。", ("purchase", "OpenAI", "Oracle")),
        ("微软从Nebius采购GPU算力。", ("purchase", "Microsoft", "Nebius Group")),
        ("CoreWeave将为Meta提供云计算算力。", ("purchase", "Meta", "CoreWeave")),
        ("百度智能云中标中国移动10亿元智算中心项目。", ("purchase", "China Mobile", "Baidu AI Cloud")),
        ("Meta buys GPU capacity from CoreWeave.", ("purchase", "Meta", "CoreWeave")),
        ("OpenAI will run its workloads on AWS.", ("purchase", "OpenAI", "Amazon Web Services")),
        ("Nscale will supply Microsoft with Nvidia chips.", ("purchase", "Microsoft", "Nscale")),
        ("Microsoft signs a contract with Nebius for cloud capacity.", ("purchase", "Microsoft", "Nebius Group")),
        ("CoreWeave signed a deal with Meta.", ("purchase", "Meta", "CoreWeave")),  # the neocloud sells
        ("阿里巴巴计划投入3800亿元建设AI基础设施。", ("infrastructure", "Alibaba", None)),
        ("Microsoft will spend $80 billion on AI data centers.", ("infrastructure", "Microsoft", None)),
        ("阿里云与英伟达合作。", ("partnership", "Alibaba Cloud", "Nvidia")),
        ("Mistral AI partners with Nvidia.", ("partnership", "Mistral AI", "Nvidia")),
        (
            "CoreWeave agreed to acquire Core Scientific in an all-stock deal.",
            ("investment", "CoreWeave", "Core Scientific"),
        ),
    ],
)
def test_kind_and_direction(text: str, expected: tuple[str, str, str | None]) -> None:
    assert shape(one(text)) == expected


def test_a_group_of_subjects_builds_out_each() -> None:
    found = deals("此外,微软、谷歌等企业也持续投入扩建算力网络。")
    assert [shape(p) for p in found] == [("infrastructure", "Microsoft", None), ("infrastructure", "Google", None)]
    assert [p.date for p in found] == ["2025", "2025"]  # ongoing: the year
    found = deals("Microsoft, Google and Amazon will spend more on data centers.")
    assert [p.from_org for p in found] == ["Microsoft", "Google", "Amazon"]


def test_a_pronoun_carries_the_subject() -> None:
    p = one("而阿里云则提出愿景,其与英伟达合作的Physical AI生态覆盖全链条。")
    assert shape(p) == ("partnership", "Alibaba Cloud", "Nvidia")


def test_the_two_companies_are_the_parties_of_the_deal_before() -> None:
    found = deals("Nvidia will take a $5 billion stake in Intel, and the two companies will jointly develop chips.")
    assert [shape(p) for p in found] == [("investment", "Nvidia", "Intel"), ("partnership", "Nvidia", "Intel")]
    found = deals("英伟达入股英特尔,双方将合作开发芯片。")
    assert [shape(p) for p in found] == [("investment", "Nvidia", "Intel"), ("partnership", "Nvidia", "Intel")]


# ------------------------------------------------------------------------------------------------------ parties


def test_parties_through_names_aliases_and_the_reference_list() -> None:
    assert shape(one("软银集团向OpenAI注资。")) == ("investment", "SoftBank Group", "OpenAI")
    assert shape(one("SoftBank Group will invest in OpenAI.")) == ("investment", "SoftBank Group", "OpenAI")
    assert shape(one("輝達向OpenAI投資。")) == ("investment", "Nvidia", "OpenAI")  # traditional Chinese
    stored = NameBook([("星辰算力", "星辰算力")])
    (p,) = extract("星辰算力向英伟达采购芯片。", stored, DAY)
    assert shape(p) == ("purchase", "星辰算力", "Nvidia")


def test_unknown_organisations_in_both_languages() -> None:
    p = one("Zephyr Compute will buy GPUs from Nvidia.")
    assert shape(p) == ("purchase", "Zephyr Compute", "Nvidia")
    assert p.unknown == ("Zephyr Compute",)
    p = one("星河科技向英伟达采购芯片。")
    assert shape(p) == ("purchase", "星河科技", "Nvidia")
    assert p.unknown == ("星河科技",)


def test_generic_phrases_are_not_parties() -> None:
    assert deals("The chipmaker will invest $5 billion in the startup.") == []
    assert deals("该公司计划向这家初创公司投资。") == []
    assert deals("全球科技产业格局正在重构。") == []


# ------------------------------------------------------------------------------------------- amounts and capacity


@pytest.mark.parametrize(
    ("text", "amount", "currency", "qualifier"),
    [
        ("阿里巴巴宣布推进3800亿元的AI基础设施建设计划。", "380000000000", "CNY", "exact"),
        ("英伟达将向OpenAI投资高达1000亿美元。", "100000000000", "USD", "up to"),
        ("Nvidia will invest up to $100 billion in OpenAI.", "100000000000", "USD", "up to"),
        ("Meta signed a contract with Google worth more than $10 billion.", "10000000000", "USD", "at least"),
        ("微软将向Nebius支付最高可达194亿美元。", "19400000000", "USD", "up to"),
        (
            "Anthropic will buy TPUs from Google Cloud in a deal worth tens of billions of dollars.",
            None,
            None,
            "undisclosed",
        ),
        ("Anthropic将向谷歌云采购数百亿美元的TPU。", None, None, "undisclosed"),
        ("英伟达以每股23.28美元的价格入股英特尔。", None, None, "undisclosed"),  # a share price is not the deal's
        (
            "AMD gave OpenAI warrants for 160 million shares and OpenAI will buy chips from AMD.",
            None,
            None,
            "undisclosed",
        ),  # no currency, no money
    ],
)
def test_amounts_through_the_one_parser(text: str, amount: str | None, currency: str | None, qualifier: str) -> None:
    p = deals(text)[-1]
    assert (str(p.amount) if p.amount is not None else None, p.currency, p.qualifier) == (amount, currency, qualifier)


@pytest.mark.parametrize(
    ("text", "gw", "qualifier"),
    [
        ("OpenAI将利用英伟达系统建设并部署至少10吉瓦的AI数据中心。", Decimal(10), "at least"),
        ("OpenAI will deploy 6 gigawatts of AMD GPUs.", Decimal(6), "exact"),
        ("Microsoft will buy 500 MW of capacity from Nscale.", Decimal("0.5"), "exact"),
    ],
)
def test_capacities(text: str, gw: Decimal, qualifier: str) -> None:
    p = one(text)
    assert (p.kind, p.capacity_gw, p.capacity_qualifier) == ("purchase", gw, qualifier)


# ------------------------------------------------------------------------------------------------------- hedges


@pytest.mark.parametrize(
    ("text", "status", "confidence"),
    [
        ("英伟达向OpenAI投资。", "announced", 0.9),
        ("英伟达拟向OpenAI投资。", "announced", 0.8),
        ("英伟达计划向OpenAI投资。", "announced", 0.8),
        ("据悉,英伟达或将向OpenAI投资。", "announced", 0.6),
        ("传闻英伟达向OpenAI投资。", "announced", 0.6),
        ("Nvidia reportedly invested in OpenAI.", "announced", 0.6),
        ("Nvidia plans to invest in OpenAI.", "announced", 0.8),
        ("CoreWeave signed a contract with Meta.", "agreed", 0.9),
        ("Nvidia completed its investment in OpenAI.", "completed", 0.9),
        ("Nvidia scrapped its investment in OpenAI.", "cancelled", 0.9),
    ],
)
def test_hedges_set_status_and_lower_confidence(text: str, status: str, confidence: float) -> None:
    p = one(text)
    assert (p.status, p.confidence) == (status, confidence)


def test_a_denial_is_no_deal() -> None:
    assert deals("Nvidia denied that it would invest in OpenAI.") == []
    assert deals("英伟达否认将向OpenAI投资。") == []


# -------------------------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("英伟达向OpenAI投资。", "2025-09"),  # none said: the article's month
        ("2025年9月22日,英伟达向OpenAI投资。", "2025-09-22"),
        ("今年英伟达向OpenAI投资。", "2025"),
        ("上周英伟达向OpenAI投资。", "2025-09"),
        ("去年英伟达向OpenAI投资。", "2024"),
        ("Nvidia invested in OpenAI last week.", "2025-09"),
        ("Nvidia invested in OpenAI in March.", "2025-03"),
        ("Nvidia invested in OpenAI in November.", "2024-11"),  # November is still ahead of a September article
        ("Nvidia invested in OpenAI on Monday.", "2025-09-29"),
        ("Nvidia invested in OpenAI on Friday.", "2025-09-26"),
        ("Nvidia said on September 22, 2025 it would invest in OpenAI.", "2025-09-22"),
        ("Nvidia will invest in OpenAI to build data centers by 2030.", "2025-09"),  # a target, not the date
        ("Alibaba will spend 380 billion yuan on AI infrastructure in 2026.", "2026"),  # a plan's period
    ],
)
def test_dates_relative_to_the_article(text: str, date: str) -> None:
    assert one(text).date == date


# ---------------------------------------------------------------------------------------- several deals, no deal


def test_the_triangle_is_three_deals() -> None:
    text = "三角联盟:OpenAI向甲骨文购买云计算服务,甲骨文向英伟达采购GPU芯片,英伟达再投资OpenAI"
    assert [shape(p) for p in deals(text)] == [
        ("purchase", "OpenAI", "Oracle"),
        ("purchase", "Oracle", "Nvidia"),
        ("investment", "Nvidia", "OpenAI"),
    ]
    text = "OpenAI buys cloud services from Oracle, Oracle buys GPUs from Nvidia, and Nvidia invests in OpenAI."
    assert len(deals(text)) == 3


def test_a_deal_whose_verb_is_left_out() -> None:
    text = "Microsoft will invest up to $5 billion in Anthropic and Nvidia will contribute up to $10 billion."
    found = [(shape(p), p.amount) for p in deals(text)]
    assert found == [(("investment", "Microsoft", "Anthropic"), Decimal(5_000_000_000)),
                     (("investment", "Nvidia", "Anthropic"), Decimal(10_000_000_000))]  # fmt: skip
    text = "Microsoft will invest $5 billion in Anthropic and Nvidia $10 billion."
    assert [shape(p) for p in deals(text)][1] == ("investment", "Nvidia", "Anthropic")


def test_a_deal_told_twice_is_one_proposal_filled_by_both() -> None:
    text = "英伟达再投资OpenAI。英伟达宣布将向OpenAI投资高达1000亿美元。"
    (p,) = deals(text)
    assert (p.amount, p.qualifier) == (Decimal(100_000_000_000), "up to")


@pytest.mark.parametrize(
    "text",
    [
        "可以看到,科技巨头的投资方向高度一致,全部指向AI基础设施建设。",
        "OpenAI的GPT系列、百度的文心一言、阿里的通义千问等大模型相继涌现。",
        "Shares of Nvidia fell 3% on Tuesday as investors worried about AI spending.",
        "Analysts say the race to build AI data centers has become the defining contest of the decade.",
        "Google has long built its own TPUs, which give it an edge over rivals that depend on Nvidia.",
        "Oracle reported weaker cloud margins. Investors have grown wary of the spending.",  # not Oracle's
        "英伟达CEO黄仁勋表示,AI基础设施建设才刚刚开始,未来几年全球数据中心投入将达到数万亿美元。",  # a topic
        "微软和OpenAI的合作关系近来出现裂痕。",  # a partnership that exists, not a new one
        "Microsoft and OpenAI have been renegotiating their partnership for months.",
        "SoftBank sold its entire stake in Nvidia for $5.8 billion.",  # a holding sold
        "软银出售了所持英伟达的全部股份。",
    ],
)
def test_sentences_with_no_deal_propose_nothing(text: str) -> None:
    assert deals(text) == []


def test_spans_point_at_the_text_each_field_was_read_from() -> None:
    text = "前不久,英伟达宣布将向OpenAI投资高达1000亿美元,作为交易的一部分。"
    p = one(text)
    piece = {k: text[a:b] for k, (a, b) in p.spans.items()}
    assert piece["from_org"] == "英伟达"
    assert piece["to_org"] == "OpenAI"
    assert piece["kind"] == "投资"
    assert piece["amount"] == piece["currency"] == piece["qualifier"] == "高达1000亿美元"
    assert piece["excerpt"] == p.excerpt == text.rstrip("。")
    assert p.amount_text == "高达1000亿美元"


PIECES = [*"英伟达向投资亿美元，。、与合作获得甲骨文采购公司科技0123456789$ .,GWbillion(", "OpenAI", "Nvidia", " invests in ",
          " up to ", "10吉瓦", "上周", "in March", "\x1b", "\u202e", "輝達"]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_any_text_gives_proposals_whose_spans_lie_within_it(text: str) -> None:
    for p in deals(text):
        assert all(0 <= a <= b <= len(text) for a, b in p.spans.values())
        assert p.kind in ("investment", "purchase", "infrastructure", "partnership")
        assert 0.05 <= p.confidence <= 0.99
