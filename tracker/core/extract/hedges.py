"""Status and confidence from how a sentence hedges (拟, 计划, 或将, 据悉, 传闻, reportedly, plans to), what it
says happened (签署, signed: agreed; 完成, completed; 取消, scrapped: cancelled), and negation (否认, denied,
did not: no deal at all).

Confidence starts at 0.9 for a deal said plainly; a plan costs 0.1, a rumour or an unnamed source 0.3, a
party carried from an earlier clause 0.1, an organisation not yet known 0.1, a contract whose kind was
inferred 0.1. It stays within 0.05 to 0.99.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RUMOUR = re.compile(
    r"据悉|据报道|据知情人士|知情人士|传闻|传言|消息人士|或将|或许|可能|有望|洽谈|谈判|磋商|"
    r"reportedly|is said to|are said to|people familiar|sources said|according to (?:people|sources|a report|reports)|"
    r"in talks|in discussions|rumou?r|could|might|considering|weighing|exploring",
    re.IGNORECASE,
)
PLAN = re.compile(
    r"拟|计划|将|准备|打算|预计|有意|plans? to|planning to|will|intends? to|aims? to|expects? to|is set to|to invest|"
    r"proposed|would",
    re.IGNORECASE,
)
AGREED = re.compile(r"签署|签订|达成|敲定|签约|signed|inked|struck|sealed|agreed|reached an agreement", re.IGNORECASE)
COMPLETED = re.compile(r"已完成|完成了|已交付|closed|completed|finali[sz]ed", re.IGNORECASE)
CANCELLED = re.compile(r"取消|终止|叫停|放弃|cancel(?:l)?ed|scrapped|terminated|called off|abandoned|pulled out",
                       re.IGNORECASE)  # fmt: skip
NEGATED = re.compile(
    r"否认|并未|没有计划|无意|不会|未曾|denied|denies|did not|didn't|has not|hasn't|have not|will not|won't|no plans? to|"
    r"not (?:invest|buy|partner|sign)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Hedge:
    status: str
    confidence_cost: float
    negated: bool
    words: tuple[tuple[int, int], ...]  # where the hedge words stand (offsets)


def _hits(pattern: re.Pattern[str], norm: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(norm, start, end)]


def hedge_of(norm: str, clause: tuple[int, int], sentence: tuple[int, int]) -> Hedge:
    """The hedge of a deal stated in ``clause``, within ``sentence`` (rumours reach across the sentence)."""
    rumour = _hits(RUMOUR, norm, *sentence)
    plan = _hits(PLAN, norm, *clause)
    negated = bool(_hits(NEGATED, norm, *clause)) or bool(re.search(r"否认|denied|denies", norm[slice(*sentence)]))
    status = "announced"
    if _hits(CANCELLED, norm, *clause):
        status = "cancelled"
    elif _hits(COMPLETED, norm, *clause):
        status = "completed"
    elif _hits(AGREED, norm, *clause) and not rumour and not plan:
        status = "agreed"
    cost = 0.3 if rumour else 0.1 if plan else 0.0
    return Hedge(status, cost, negated, tuple(rumour or plan))


def confidence(cost: float) -> float:
    """0.9 less the costs, within 0.05 to 0.99, two decimals."""
    return round(min(0.99, max(0.05, 0.9 - cost)), 2)
