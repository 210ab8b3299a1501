"""The extraction corpus (tests/data/extract/*.json: a paragraph, its language, its article's date and the deals
it states) and its scoring, shared by benchmarks/bench_extract.py and tests/core/extract/test_corpus.py.

A proposal matches an expected deal when its parties and direction are the same (either way round for a
partnership); pairs are taken one to one, in order. For every other field, over the matched pairs: precision is
right values / values proposed, recall right values / values expected, and accuracy the share of matched pairs
whose field is right (both empty counts as right: an undisclosed amount is not a miss).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.core.domain.amount_format import format_plain
from tracker.core.extract.assemble import Proposal, extract
from tracker.core.extract.parties import NameBook

CORPUS = Path(__file__).resolve().parent.parent / "data" / "extract"
FIELDS = ("kind", "amount", "currency", "qualifier", "capacity", "date")


@dataclass(frozen=True)
class Paragraph:
    name: str
    lang: str
    date: dt.date
    text: str
    deals: list[dict[str, Any]]


def load_corpus() -> list[Paragraph]:
    out = []
    for path in sorted(CORPUS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append(Paragraph(path.stem, data["lang"], dt.date.fromisoformat(data["date"]), data["text"], data["deals"]))
    return out


def as_fields(p: Proposal) -> dict[str, Any]:
    return {
        "kind": p.kind,
        "from_org": p.from_org,
        "to_org": p.to_org,
        "amount": format_plain(p.amount) if p.amount is not None else None,
        "currency": p.currency if p.amount is not None else None,
        "qualifier": p.qualifier if p.amount is not None else None,
        "capacity": f"{p.capacity_qualifier} {format_plain(p.capacity_gw)}" if p.capacity_gw is not None else None,
        "date": p.date,
    }


def expected_fields(deal: dict[str, Any]) -> dict[str, Any]:
    out = dict(deal)
    if out.get("amount") is None:
        out["currency"] = out["qualifier"] = None
    out["capacity"] = f"{deal['capacity_qualifier']} {deal['capacity_gw']}" if deal.get("capacity_gw") else None
    return out


def _parties(d: dict[str, Any]) -> tuple[str, ...]:
    pair = (d["from_org"], d["to_org"] or "")
    return tuple(sorted(pair)) if d["kind"] == "partnership" else pair


@dataclass
class Score:
    proposed: int = 0
    expected: int = 0
    matched: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    said: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))  # proposed with a value
    wanted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))  # expected with a value
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))  # right and not empty
    chars: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    def precision(self) -> float:
        return self.matched / self.proposed if self.proposed else 1.0

    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    def field_pr(self, name: str) -> tuple[float, float, float]:
        """(precision, recall, accuracy over matched pairs) of one field."""
        p = self.hits[name] / self.said[name] if self.said[name] else 1.0
        r = self.hits[name] / self.wanted[name] if self.wanted[name] else 1.0
        a = self.right[name] / self.matched if self.matched else 1.0
        return p, r, a


def score(paragraphs: list[Paragraph], book: NameBook | None = None) -> dict[str, Score]:
    """The scores per language (``zh``, ``en``)."""
    import time

    book = book or NameBook()
    scores = {"zh": Score(), "en": Score()}
    for para in paragraphs:
        s = scores[para.lang]
        started = time.perf_counter()
        got = [as_fields(p) for p in extract(para.text, book, para.date)]
        s.seconds += time.perf_counter() - started
        s.chars += len(para.text)
        want = [expected_fields(d) for d in para.deals]
        s.proposed += len(got)
        s.expected += len(want)
        free = list(range(len(want)))
        for g in got:
            j = next((j for j in free if _parties(want[j]) == _parties(g)), None)
            if j is None:
                s.misses.append(f"{para.name}: extra {g['kind']} {g['from_org']} -> {g['to_org']}")
                continue
            free.remove(j)
            s.matched += 1
            for name in FIELDS:
                ok = g[name] == want[j][name]
                s.right[name] += ok
                s.said[name] += g[name] is not None
                s.wanted[name] += want[j][name] is not None
                s.hits[name] += ok and g[name] is not None
                if not ok:
                    s.misses.append(f"{para.name}: {name} {g[name]!r}, expected {want[j][name]!r}")
        for j in free:
            s.misses.append(f"{para.name}: missed {want[j]['kind']} {want[j]['from_org']} -> {want[j]['to_org']}")
    return scores
