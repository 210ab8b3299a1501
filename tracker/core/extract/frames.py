"""Kinds and direction: who does what to whom in one clause, from its trigger words (:mod:`.lexicon`) and the
parties around them.

The party just before a trigger is its subject unless a marker stands before that party: 向/对/给/为 make it
the object (A 向 B 投资), 从/自 the seller (A 从 B 采购), 与/和 the counterparty (A 与 B 合作), 获得/由 the
investor (B 获得 A 投资); the subject is then the party before. Otherwise the object is the first party after
the trigger (A invests in B; in English "from"/"by" before it make it the investor: an investment from A).
Names joined by 、/和/and before a trigger are one group of subjects (微软、谷歌等企业持续投入: two build-outs).
A frame whose subject is missing keeps ``subject`` None: the assembly carries one from the clause before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tracker.core.extract.lexicon import (
    AGENT_EN,
    BUILD,
    DIVEST,
    GOODS,
    GROUP_GAP,
    INFRA_WORDS,
    MARK_AGENT_ZH,
    MARK_OBJECT_ZH,
    MARK_SOURCE_ZH,
    MARK_WITH_ZH,
    NOT_A_DEAL,
    PAIR,
    SUBORDINATE,
    SUPPLIER_SECTORS,
    TRIGGERS,
    Trigger,
)
from tracker.core.extract.parties import Party

OBJECT_REACH = {"zh": 24, "en": 70}
"""How far after a trigger (characters) its object may stand (a ``use`` trigger's object also: right after it,
or named with its goods)."""


@dataclass(frozen=True)
class Frame:
    """One deal a clause states: ``subject`` (None: to be carried) does ``kind`` with ``other``;
    ``subject_first`` tells the direction (True: from subject to other); ``voice``: the trigger's (lexicon)."""

    kind: str
    subject: Party | None
    other: Party | None
    trigger: tuple[int, int]
    subject_first: bool = True
    voice: str = ""


def triggers_in(norm: str, start: int, end: int) -> list[tuple[int, int, Trigger]]:
    """The trigger words in ``norm[start:end]``, longest first where they overlap, in order."""
    found: list[tuple[int, int, Trigger]] = []
    for trigger in TRIGGERS:
        for m in trigger.pattern.finditer(norm, start, end):
            found.append((m.start(), m.end(), trigger))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[tuple[int, int, Trigger]] = []
    for voice_contract in (False, True):  # a contract's span does not hide the verbs inside it (agreed to acquire)
        reach = -1
        for s, e, t in found:
            if (t.voice == "contract") == voice_contract and s >= reach:
                out.append((s, e, t))
                reach = e
    out.sort(key=lambda f: f[0])
    blocked = [m.span() for m in NOT_A_DEAL.finditer(norm, start, end)]
    return [f for f in out if not any(b0 <= f[0] < b1 for b0, b1 in blocked)]


def group_before(norm: str, parties: list[Party], last: int) -> list[Party]:
    """``parties[last]`` and the names joined to it before (微软、谷歌; Microsoft, Google and Amazon)."""
    group = [parties[last]]
    i = last
    while i > 0 and GROUP_GAP.match(norm[parties[i - 1].end : parties[i].start]):
        i -= 1
        group.insert(0, parties[i])
    return group


def _ends_with(text: str, markers: tuple[str, ...]) -> bool:
    tail = text.rstrip()
    return any(tail.endswith(m) for m in markers)


def frames_in(norm: str, start: int, end: int, parties: list[Party], lang: str,
              money: Sequence[int] = ()) -> list[Frame]:  # fmt: skip
    """The frames of the clause ``norm[start:end]`` whose parties are ``parties`` (in order); ``money``: where
    its amounts start (for a deal whose verb is left out: "... in Anthropic and Nvidia up to $10 billion")."""
    out: list[Frame] = []
    if DIVEST.search(norm, start, end):
        return out  # SoftBank sold its stake in Nvidia: a sale of a holding, not a deal of ours
    for ts, te, trigger in triggers_in(norm, start, end):
        out.extend(
            replace(f, voice=trigger.voice) for f in _frames_of(norm, start, end, ts, te, trigger, parties, lang)
        )
    told = {_pair(f) for f in out if f.kind == "purchase" and f.voice != "contract"}
    out = [f for f in out if f.voice != "contract" or _pair(f) not in told]  # the verb says the direction
    bilateral = {f.subject for f in out if f.other is not None} | {f.other for f in out if f.other is not None}
    out = [f for f in out if f.other is not None or f.subject not in bilateral or f.subject is None]
    if any(f.other is not None and f.subject is None for f in out):
        out = [f for f in out if not (f.other is None and f.subject is None)]
    out += gapped(norm, out, parties, money)
    seen: set[tuple[str, str | None, str | None]] = set()
    unique = []
    for f in out:
        key = (f.kind, f.subject.name if f.subject else None, f.other.name if f.other else None)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


GAP = re.compile(r"\s*,?\s*(?:and|while|as well as|with)\s+", re.IGNORECASE)


def gapped(norm: str, frames: list[Frame], parties: list[Party], money: Sequence[int]) -> list[Frame]:
    """Deals of the same kind and object whose verb is left out or stands alone: "Microsoft will invest up to $5
    billion in Anthropic and Nvidia (will contribute) up to $10 billion" is Nvidia's investment in Anthropic too:
    a name joined by "and" right after a deal's object, an amount within a few words after it."""
    used = {id(p) for f in frames for p in (f.subject, f.other) if p is not None}
    extra: list[Frame] = []
    for f in frames:
        if f.kind != "investment" or f.other is None or f.subject is None or not f.subject_first:
            continue  # investors in a row ("from Nvidia and AMD worth $X" is one seller's list, not two deals)
        if f.other.start < f.trigger[1]:
            continue
        for p in parties:
            if p.start < f.other.end or id(p) in used or not GAP.fullmatch(norm, f.other.end, p.start):
                continue
            after = [m for m in money if p.end <= m <= p.end + 40]
            if after and LEFT_OUT.fullmatch(norm, p.end, after[0]):
                extra.append(Frame(f.kind, p, f.other, (p.end, after[0]), voice=f.voice))
                used.add(id(p))
    return extra


LEFT_OUT = re.compile(r"\s*(?:(?:will|would|is to|plans to|agreed to|to)?\s*(?:contribute|commit|add|put in|"
                      r"chip in|invest|provide)s?\s*)?", re.IGNORECASE)  # fmt: skip
"""Between the name and its amount: nothing, or the verb of giving ("and Nvidia (will contribute) $10 billion")."""


def _pair(f: Frame) -> frozenset[str | None]:
    return frozenset((f.subject.name if f.subject else None, f.other.name if f.other else None))


def _frames_of(norm: str, start: int, end: int, ts: int, te: int, trigger: Trigger, parties: list[Party],
               lang: str) -> list[Frame]:  # fmt: skip
    before = [i for i, p in enumerate(parties) if p.end <= ts]
    after = [p for p in parties if p.start >= te and p.start - te <= OBJECT_REACH[lang]]
    voice, kind = trigger.voice, trigger.kind
    subjects: list[Party] = []
    other: Party | None = None
    marked = ""
    if before:
        last = before[-1]
        prev_end = parties[last - 1].end if last > 0 else start
        lead = norm[prev_end : parties[last].start]
        for name, markers in (("agent", MARK_AGENT_ZH), ("object", MARK_OBJECT_ZH), ("source", MARK_SOURCE_ZH),
                              ("with", MARK_WITH_ZH)):  # fmt: skip
            if _ends_with(lead, markers):
                marked = name
                break
        if marked == "with" and voice == "solo":
            marked = ""  # 微软与谷歌持续投入: one group of subjects
        if marked:
            other = parties[last]
            subjects = group_before(norm, parties, last - 1) if last > 0 else []
        else:
            subjects = group_before(norm, parties, last)
        if voice == "solo" and subjects and SUBORDINATE.search(norm[subjects[-1].end : ts]):
            subjects = []  # "Nvidia fell as investors worried about spending": another subject's build-out
    if other is None and after:
        near = [p for p in after if voice != "use" or _used(norm, te, p)]
        if near:
            other = near[0]
            if AGENT_EN.search(norm[te : other.start]) and kind == "investment":
                marked = "agent"
    if voice == "passive" and marked != "agent":
        if not (other is not None and AGENT_EN.search(norm[te : other.start])):
            return []
        marked = "agent"
    subject = subjects[-1] if subjects else None
    if kind == "investment" and other is None:
        if INFRA_WORDS.search(norm, start, end):
            return [Frame("infrastructure", s, None, (ts, te)) for s in _each(subjects)]
        return []
    if voice == "solo" and BUILD.fullmatch(norm[ts:te]) and not INFRA_WORDS.search(norm, start, end):
        return []  # "Google has long built its own TPUs": building, but not a build-out
    if voice == "solo":
        if other is not None and lang == "en" and re.match(r"\s*(?:on|with)\b", norm[te : other.start]) and subjects:
            return [Frame("purchase", subject, other, (ts, te))]
        return [Frame("infrastructure", s, None, (ts, te)) for s in _each(subjects)]
    if other is None:
        if voice == "mutual" and len(before) >= 2 and len(subjects) < 2:
            return [Frame(kind, parties[before[0]], parties[before[-1]], (ts, te))]  # A makes B its partner
        if voice == "mutual" and not before and PAIR.match(norm[start:end]):
            return [Frame(kind, None, None, (ts, te))]  # 双方将合作: the two parties of the deal before
        if voice in ("mutual", "contract") and len(subjects) >= 2:
            if voice == "contract":
                return [_contract(norm, start, te, subjects[0], subjects[1], ts, "")]
            return [Frame(kind, subjects[0], s, (ts, te)) for s in subjects[1:]]
        return []
    if voice == "mutual":
        return [Frame(kind, s, other, (ts, te)) for s in _each(subjects)]
    if voice == "contract":
        return [_contract(norm, start, te, s, other, ts, marked) for s in _each(subjects)]
    if marked == "agent":
        return [Frame(kind, s, other, (ts, te), subject_first=False) for s in _each(subjects)]
    if voice == "supply":
        return [Frame(kind, s, other, (ts, te), subject_first=False) for s in _each(subjects)]
    return [Frame(kind, s, other, (ts, te)) for s in _each(subjects)]


def _used(norm: str, te: int, party: Party) -> bool:
    """Whether ``party`` is the one whose goods a "use" trigger uses: right after it (利用英伟达系统, its use of
    Google Cloud's), or named with its goods (deploy 6 gigawatts of AMD Instinct GPUs)."""
    return party.start - te <= 12 or GOODS.search(norm[party.end : party.end + 20]) is not None


def _each(subjects: list[Party]) -> list[Party | None]:
    """The subjects, or one missing subject for the assembly to carry."""
    return list(subjects) if subjects else [None]


def _contract(norm: str, start: int, te: int, subject: Party | None, other: Party, ts: int, marked: str) -> Frame:
    """A contract: a purchase from the party that sells (its sector, or the goods named), else a partnership."""
    sells_other = other.sector in SUPPLIER_SECTORS
    sells_subject = subject is not None and subject.sector in SUPPLIER_SECTORS
    goods = GOODS.search(norm, start, max(te, other.end) + 40) is not None
    if sells_subject and not sells_other:
        return Frame("purchase", subject, other, (ts, te), subject_first=False)
    if sells_other or goods:
        return Frame("purchase", subject, other, (ts, te), subject_first=marked != "agent")
    return Frame("partnership", subject, other, (ts, te))
