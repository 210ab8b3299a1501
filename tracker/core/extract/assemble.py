"""Proposals from an article: each sentence's clauses read into frames (:mod:`.frames`), a missing subject
carried from the clause before (or, after a pronoun, from the sentence before), the clause's amount nearest
the trigger and its capacity attached (or those of the trigger-less clauses right after it: "..., worth $17
billion"), the date, status and confidence read, and a deal said twice in one article (the triangle's 英伟达
再投资OpenAI after 英伟达将向OpenAI投资) merged into its first telling, the later one filling what the first
left empty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from tracker.core.extract.figures import Amount, Capacity, amounts, capacities
from tracker.core.extract.frames import Frame, frames_in
from tracker.core.extract.hedges import confidence, hedge_of
from tracker.core.extract.lexicon import ACTING, CAPEX, GROUP_GAP, ONGOING, PRONOUN
from tracker.core.extract.parties import NameBook, Party, unknown_chinese, unknown_english
from tracker.core.extract.segments import Segment, clauses, language, normalised, sentences
from tracker.core.extract.when import Dated, default_date, find_date

Span = tuple[int, int]


@dataclass(frozen=True)
class Proposal:
    """One deal the text states, with where each field was read (``spans``: field -> offsets in the text)."""

    kind: str
    from_org: str
    to_org: str | None
    amount: Decimal | None
    currency: str | None
    qualifier: str
    amount_text: str | None
    capacity_gw: Decimal | None
    capacity_qualifier: str | None
    date: str
    status: str
    description: str
    excerpt: str
    spans: dict[str, Span] = field(default_factory=dict)
    confidence: float = 0.9
    unknown: tuple[str, ...] = ()  # parties found as new names (not stored, not on the reference list)


@dataclass
class _Clause:
    seg: Segment
    parties: list[Party]
    frames: list[Frame] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    capacities: list[Capacity] = field(default_factory=list)


def extract(text: str, book: NameBook, article: dt.date, lang: str = "auto") -> list[Proposal]:
    """The deals ``text`` states (see the module's text), in the order they are first said."""
    norm = normalised(text)
    out: list[Proposal] = []
    carried: Party | None = None
    for sentence in sentences(text):
        sent_lang = language(norm[sentence.start : sentence.end]) if lang == "auto" else lang
        found = _sentence(text, norm, sentence, book, article, sent_lang, carried)
        out.extend(found[0])
        carried = found[1] or carried
    return merge_repeats(out)


def _parties(norm: str, seg: Segment, sentence: Segment, book: NameBook, lang: str) -> list[Party]:
    known = book.known(norm, seg.start, seg.end)
    extra = (unknown_chinese(norm, seg.start, seg.end, known) if lang == "zh"
             else unknown_english(norm, seg.start, seg.end, known, sentence.start))  # fmt: skip
    return sorted(known + extra, key=lambda p: p.start)


def _only_names(norm: str, seg: Segment, parties: list[Party]) -> bool:
    """A clause of names and nothing else (``Microsoft``, ``Google and Amazon``): joined to the next one."""
    if not parties:
        return False
    rest, at = [], seg.start
    for p in parties:
        rest.append(norm[at : p.start])
        at = p.end
    rest.append(norm[at : seg.end])
    return all(GROUP_GAP.match(r) for r in rest)


def _sentence(text: str, norm: str, sentence: Segment, book: NameBook, article: dt.date, lang: str,
              before: Party | None) -> tuple[list[Proposal], Party | None]:  # fmt: skip
    joined: list[tuple[Segment, list[Party]]] = []
    for seg in clauses(text, sentence):
        if joined and _only_names(norm, *joined[-1]):
            merged = Segment(joined[-1][0].start, seg.end)
            joined[-1] = (merged, _parties(norm, merged, sentence, book, lang))
        else:
            joined.append((seg, _parties(norm, seg, sentence, book, lang)))
    parts: list[_Clause] = []
    for seg, found in joined:
        c = _Clause(seg, found)
        c.capacities = capacities(norm, seg.start, seg.end)
        c.amounts = amounts(norm, seg.start, seg.end, c.capacities)
        c.frames = frames_in(norm, seg.start, seg.end, c.parties, lang, [a.start for a in c.amounts])
        parts.append(c)
    out: list[Proposal] = []
    last: Party | None = None
    pair: tuple[Party, Party] | None = None
    memo: dict[tuple[Span, Span, bool], Dated | None] = {}  # dates read once per clause
    for i, c in enumerate(parts):
        pronoun = PRONOUN.match(norm[c.seg.start : c.seg.end]) is not None
        for f in c.frames:
            if f.subject is None and f.other is None and f.kind == "partnership":
                if pair is None:
                    continue
                f = replace(f, subject=pair[0], other=pair[1])  # 双方将合作: the parties of the deal before
            subject = f.subject or last or (before if pronoun else None)
            if subject is None or (f.other is not None and f.other.name == subject.name):
                continue
            if f.subject is None and f.other is None and any(p.from_org == _name(text, subject) for p in out):
                continue  # ..., 用于建设数据中心: the purpose of a deal just told, not a build-out of its own
            if (f.subject is None and f.other is None and not ACTING.search(norm, c.seg.start, f.trigger[0])
                    and not CAPEX.fullmatch(norm, *f.trigger)):  # fmt: skip
                continue  # 黄仁勋表示,AI基础设施建设才刚刚开始: a topic, not the speaker's plan
            made = _proposal(text, norm, sentence, parts, i, f, subject, article, memo, carried=f.subject is None)
            if made is not None:
                out.append(made)
            last = subject
            if f.other is not None:
                pair = (subject, f.other)
        if not c.frames and c.parties and last is None:
            last = c.parties[0]
    return out, last


def _mine(items: list[Amount] | list[Capacity], f: Frame, frames: list[Frame]) -> Amount | Capacity | None:
    """The figure of the clause that belongs to frame ``f``: among those nearer its trigger than any other
    frame's, the one nearest the counterparty when figures stand between the trigger and it ("about $20 billion
    ... as much as $2 billion in equity from Nvidia"), else the one nearest the trigger."""

    def gap(item: Amount | Capacity, frame: Frame) -> int:
        return abs(item.start - frame.trigger[0])

    own = [x for x in items if all(gap(x, f) <= gap(x, g) for g in frames)]
    if f.other is not None and f.other.start > f.trigger[1]:
        between = [x for x in own if f.trigger[1] <= x.start < f.other.start]
        if len(between) > 1:
            return max(between, key=lambda x: x.start)
    return min(own, key=lambda x: gap(x, f), default=None)


def _following(parts: list[_Clause], i: int, what: str) -> Amount | Capacity | None:
    """The first amount (or capacity) of the trigger-less clauses right after clause ``i``."""
    for c in parts[i + 1 :]:
        if any(f.subject is not None or f.other is not None for f in c.frames):
            return None
        items: list[Amount] | list[Capacity] = c.amounts if what == "amount" else c.capacities
        if items:
            return items[0]
    return None


def _proposal(text: str, norm: str, sentence: Segment, parts: list[_Clause], i: int, f: Frame, subject: Party,
              article: dt.date, memo: dict[tuple[Span, Span, bool], Dated | None], *,
              carried: bool) -> Proposal | None:  # fmt: skip
    c = parts[i]
    clause, whole = (c.seg.start, c.seg.end), (sentence.start, sentence.end)
    hedge = hedge_of(norm, clause, whole)
    if hedge.negated:
        return None
    spans: dict[str, Span] = {"kind": f.trigger, "excerpt": whole, "description": clause}
    first, second = (subject, f.other) if f.subject_first else (f.other, subject)
    if first is None:
        return None
    spans["from_org"] = (first.start, first.end)
    if second is not None:
        spans["to_org"] = (second.start, second.end)
    amount = _mine(c.amounts, f, c.frames) or _following(parts, i, "amount")
    cap = _mine(c.capacities, f, c.frames) or _following(parts, i, "capacity")
    said = amount if isinstance(amount, Amount) else Amount(0, 0, "", None, None, "undisclosed")
    if isinstance(amount, Amount):
        for key in ("amount", "currency", "qualifier"):
            spans[key] = (amount.start, amount.end)
    cap_gw, cap_q = (cap.gw, cap.qualifier) if isinstance(cap, Capacity) else (None, None)
    if isinstance(cap, Capacity):
        spans["capacity_gw"] = spans["capacity_qualifier"] = (cap.start, cap.end)
    future = f.kind == "infrastructure"  # a spending plan is dated by its period; a deal by when it was struck
    asked = (clause, whole, future)
    if asked not in memo:
        memo[asked] = find_date(norm, (clause, whole), article, future=future)
    dated = memo[asked] or default_date(article, bool(ONGOING.search(norm, *clause)))
    if dated.span is not None:
        spans["date"] = dated.span
    if hedge.words:
        spans["status"] = hedge.words[0]
    unknown = tuple(text[p.start : p.end] for p in (first, second) if p is not None and not p.known)
    cost = hedge.confidence_cost + 0.1 * carried + 0.1 * len(unknown)
    return Proposal(
        kind=f.kind,
        from_org=_name(text, first),
        to_org=_name(text, second) if second is not None else None,
        amount=said.amount,
        currency=said.currency,
        qualifier=said.qualifier,
        amount_text=said.text if said.amount is not None else None,
        capacity_gw=cap_gw,
        capacity_qualifier=cap_q,
        date=dated.text,
        status=hedge.status,
        description=text[c.seg.start : c.seg.end],
        excerpt=text[sentence.start : sentence.end],
        spans=spans,
        confidence=confidence(cost),
        unknown=unknown,
    )


def _name(text: str, party: Party) -> str:
    return party.name if party.known else text[party.start : party.end]


def _key(p: Proposal) -> tuple[str, str, str]:
    a, b = p.from_org.casefold(), (p.to_org or "").casefold()
    if p.kind == "partnership" and b < a:
        a, b = b, a
    return p.kind, a, b


def merge_repeats(found: list[Proposal]) -> list[Proposal]:
    """One proposal per kind and parties: a later telling fills what the first left empty."""
    merged: dict[tuple[str, str, str], Proposal] = {}
    for p in found:
        key = _key(p)
        first = merged.get(key)
        if first is None:
            merged[key] = p
            continue
        spans = dict(first.spans)
        better = replace(first, spans=spans, confidence=max(first.confidence, p.confidence))
        if first.amount is None and p.amount is not None:
            better = replace(better, amount=p.amount, currency=p.currency, qualifier=p.qualifier,
                             amount_text=p.amount_text)  # fmt: skip
            spans.update({k: p.spans[k] for k in ("amount", "currency", "qualifier") if k in p.spans})
        if first.capacity_gw is None and p.capacity_gw is not None:
            better = replace(better, capacity_gw=p.capacity_gw, capacity_qualifier=p.capacity_qualifier)
            spans.update({k: p.spans[k] for k in ("capacity_gw", "capacity_qualifier") if k in p.spans})
        merged[key] = better
    return list(merged.values())
