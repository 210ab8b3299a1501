"""The words that say a deal, in both languages (data only; :mod:`.frames` reads them).

A trigger has a kind and a *voice*, which says where the parties stand:

- ``active``: the subject acts on the object (A 向 B 投资, A invests in B, A 向 B 采购, A buys from B).
- ``passive``: the subject receives from an agent (B 获得 A 投资, B raises $X from A, backed by A).
- ``supply``: the subject supplies the object, so the object is the buyer (B 向 A 提供, B will supply A).
- ``use``: the subject uses the object's goods, a purchase (OpenAI 利用英伟达系统, deploy AMD's GPUs).
- ``contract``: a deal, contract or agreement with the object; its kind and direction come from the
  parties' sectors and the goods named (a cloud provider is the seller).
- ``mutual``: a partnership, undirected (A 与 B 合作, A partners with B).
- ``solo``: a party's own build-out or spending plan, no counterparty (A 计划投入, A will spend).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Trigger:
    pattern: re.Pattern[str]
    kind: str
    voice: str


def _t(pattern: str, kind: str, voice: str) -> Trigger:
    return Trigger(re.compile(pattern, re.IGNORECASE), kind, voice)


_EN = r"(?<![A-Za-z])"
_END = r"(?![A-Za-z])"

TRIGGERS: tuple[Trigger, ...] = (
    # Chinese
    _t(
        r"(?:战略)?(?:投资|注资|入股|领投|参投|跟投|增资|收购)(?!者|人|方|额|机构|方向|竞赛|热潮|回报|逻辑|价值)",
        "investment",
        "active",
    ),
    _t(r"(?:采购|购买|购入|订购|租用|租赁|买入|下单|支付)(?!力)", "purchase", "active"),
    _t(r"(?:提供|供应|供货|交付|出售|销售|中标)", "purchase", "supply"),
    _t(r"(?:利用|采用|使用|部署|搭载)", "purchase", "use"),
    _t(
        r"(?:签署|签订|达成|敲定|获得|拿下|赢得|洽谈|商谈|谈判)[^，。,；]{0,20}?(?:协议|合同|订单|大单|合约)",
        "purchase",
        "contract",
    ),
    _t(r"(?<!的)(?:战略)?合作(?!伙伴关系的|模式|空间)|携手|联手|牵手|共同开发", "partnership", "mutual"),
    _t(
        r"(?:资本开支|资本支出|基础设施建设|基建投入|建设计划|投资计划|投入|扩建|兴建|新建|投建|建设)(?!性)",
        "infrastructure",
        "solo",
    ),
    # English
    _t(
        _EN + r"(?:invest(?:s|ed|ing|ment|ments)?|stake|acquir(?:e|es|ed|ing)|acquisition|injects?|injected)" + _END,
        "investment",
        "active",
    ),
    _t(
        _EN + r"(?:put(?:s|ting)?|pour(?:s|ed|ing)?|plough(?:s|ed)?)" + _END + r"[^,;]{0,40}?" + _EN + r"into" + _END,
        "investment",
        "active",
    ),
    _t(
        _EN
        + r"(?:lead(?:s|ing)?|led)"
        + _END
        + r"[^,;]{0,30}?"
        + _EN
        + r"(?:round|financing|funding|investment)"
        + _END,
        "investment",
        "active",
    ),
    _t(_EN + r"(?:back(?:s|ed)?)" + _END + r"(?!\s+(?:by|to|down|up|out))", "investment", "active"),
    _t(
        _EN
        + r"(?:rais(?:e|es|ed|ing)|secur(?:e|es|ed|ing)|land(?:s|ed)?|receiv(?:e|es|ed|ing)|funding|financing)"
        + _END,
        "investment",
        "passive",
    ),
    _t(
        _EN + r"(?:buy(?:s|ing)?|bought|purchas(?:e|es|ed|ing)|order(?:s|ed)?|rent(?:s|ed|ing)?|leas(?:e|es|ed|ing)|"
        r"procur(?:e|es|ed|ing)|pay(?:s|ing)?|paid)" + _END + r"(?<!in order)",
        "purchase",
        "active",
    ),
    _t(
        _EN + r"(?:suppl(?:y|ies|ied|ying)|provid(?:e|es|ed|ing)|deliver(?:s|ed|ing)?|sell(?:s|ing)?|sold)" + _END,
        "purchase",
        "supply",
    ),
    _t(
        _EN
        + r"(?:deploy(?:s|ed|ing)?|use(?:s|d)?|using|run(?:s|ning)?(?:\s+(?:its|their|the|our)\s+\w+)?\s+on|tap(?:s|ped)?)"
        + _END,
        "purchase",
        "use",
    ),
    _t(
        _EN + r"(?:sign(?:s|ed|ing)?|ink(?:s|ed)?|str(?:ike|ikes|uck)|reach(?:es|ed)?|seal(?:s|ed)?|w(?:in|ins|on)|"
        r"agree(?:s|d)? to)" + _END + r"[^,;]{0,60}?" + _EN + r"(?:deal|contract|agreement|pact|order)s?" + _END,
        "purchase",
        "contract",
    ),
    _t(
        _EN
        + r"(?<!their )(?<!its )(?<!the )(?:partner(?:s|ed|ing|ship|ships)?|team(?:s|ed)? up|collaborat(?:e|es|ed|ing|ion)|join(?:s|ed)? forces|"
        r"alliance|jointly develop(?:s|ed|ing)?)" + _END,
        "partnership",
        "mutual",
    ),
    _t(
        _EN + r"(?:spend(?:s|ing)?|spent|capex|capital expenditures?|capital spending|build(?:s|ing)? out|build-out|"
        r"expand(?:s|ed|ing)?|build(?:s|ing)?|built|construct(?:s|ed|ing)?)" + _END,
        "infrastructure",
        "solo",
    ),
)

MARK_OBJECT_ZH = ("向", "对", "给", "为")
"""Before a party: that party is the object (A 向 B 投资); with a supply verb, the buyer (B 为 A 提供)."""
MARK_SOURCE_ZH = ("从", "自")
"""Before a party: the seller (A 从 B 采购)."""
MARK_WITH_ZH = ("与", "和", "同", "跟")
"""Before a party: the counterparty (A 与 B 合作, A 与 B 签署协议)."""
MARK_AGENT_ZH = ("获得了", "获得", "得到", "接受", "获", "由")
"""Before a party: the one who gives (B 获得 A 投资, 由 A 领投)."""
AGENT_EN = re.compile(r"(?<![A-Za-z])(?:from|by|led by|backed by)\s*$", re.IGNORECASE)
"""Before a party after an investment word: the investor (an investment from A, raises $X led by A)."""
GROUP_GAP = re.compile(r"^\s*(?:、|,|，|和|与|及|以及|and|&|, and)?\s*$", re.IGNORECASE)
"""What may stand between the names of one group of subjects (微软、谷歌; Microsoft, Google and Amazon)."""

SUPPLIER_SECTORS = frozenset(
    {
        "chips",
        "cloud",
        "neocloud",
        "servers",
        "data centres",
        "networking",
        "power",
        "chip equipment",
        "telecom equipment",
    }
)
"""The sectors (reference list) that sell in a contract: a contract with a cloud provider is a purchase from it."""
GOODS = re.compile(
    r"云计算|云服务|算力|芯片|GPU|TPU|服务器|数据中心|系统|computing|compute|cloud|capacity|chips?|GPUs?|TPUs?|servers?|systems?|"
    r"processors?|accelerators?|infrastructure|data cent(?:er|re)s?",
    re.IGNORECASE,
)
"""Goods that make a contract a purchase."""
INFRA_WORDS = re.compile(
    r"数据中心|基础设施|算力|智算|基建|data cent(?:er|re)s?|infrastructure|capacity|compute|campus|facilit(?:y|ies)|"
    r"capital expenditures?|capex",
    re.IGNORECASE,
)
"""Words that make an investment with no counterparty a build-out (Microsoft will invest $80bn in data centres)."""
ONGOING = re.compile(r"持续|不断|继续|一直|continu(?:e|es|ed|ing) to|keeps?|ongoing", re.IGNORECASE)
"""An ongoing effort, dated by the year rather than the month."""
PAIR = re.compile(
    r"^(?:(?:and|while|but|并且|并|而|且)\s*)?(?:双方|两家公司|两家|二者|the two(?: companies| firms)?|both companies|the pair)(?![A-Za-z])",
    re.IGNORECASE,
)
"""A clause opening with one of these speaks of the two parties of the deal before (双方将合作开发)."""
PRONOUN = re.compile(r"^(?:其|它|该公司|公司|这家公司|it|its|the company|they|their)(?![A-Za-z])", re.IGNORECASE)
"""A clause opening with one of these speaks of the last subject."""
NOT_A_DEAL = re.compile(
    r"(?<![A-Za-z])(?:part of the (?:deal|agreement|transaction)|under the (?:deal|agreement|terms))"
    r"|作为交易的一部分|根据(?:协议|合同)",
    re.IGNORECASE,
)
"""Phrases that name a deal already told, not a new one."""
SUBORDINATE = re.compile(
    r"(?<![A-Za-z])(?:as|while|because|after|when|although|whereas|since|if|that|which|who)\s+"
    r"(?!it\b|they\b|its\b|the company\b|would\b|will\b|could\b|has\b|had\b|is\b|was\b)[a-z]"
)
"""Between a name and a trigger: a clause with a subject of its own (as investors worried about spending)."""
BUILD = re.compile(
    r"扩建|兴建|新建|投建|建设|build(?:s|ing)?(?: out)?|build-out|built|expand(?:s|ed|ing)?|construct(?:s|ed|ing)?",
    re.IGNORECASE,
)
"""Solo triggers that say building: a build-out only where the clause names what is built (数据中心, capacity)."""
ACTING = re.compile(
    r"将|计划|拟|准备|打算|已|正|继续|持续|加大|追加|宣布|决定|承诺|"
    r"(?<![A-Za-z])(?:will|would|plans?|planned|intends?|expects?|aims?|has|have|had|is|are|was|also|to)(?![A-Za-z])",
    re.IGNORECASE,
)
"""Before a build-out trigger whose subject is carried: the clause acts (将继续加大投入, and will spend), rather
than naming the thing (AI基础设施建设才刚刚开始: a topic, not a plan)."""
CAPEX = re.compile(r"资本开支|资本支出|capex|capital (?:expenditures?|spending)", re.IGNORECASE)
"""A company's own spending by name: its capex needs no verb to be its plan (今年第二季度资本开支达到191亿元)."""
DIVEST = re.compile(
    r"(?:出售|减持|清仓|抛售|卖出)[^，,；]{0,12}?(?:股份|股权|持股|股票)|(?<![A-Za-z])(?:sold|sells?|selling|dumped|offloaded|"
    r"divest(?:s|ed)?)(?![A-Za-z])[^,;]{0,30}?(?<![A-Za-z])(?:stake|shares|holding)s?(?![A-Za-z])",
    re.IGNORECASE,
)
"""A holding sold: no deal of ours (the kinds are investment, purchase, build-out and partnership)."""
