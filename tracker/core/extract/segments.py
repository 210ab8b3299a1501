"""Sentences and clauses of an article, each as character offsets into the text as given, and the text
normalised for matching without moving any offset (one character for one character).

Sentences end at 。！？；!? and line breaks, and at a full stop followed by a space unless the word before it
is an abbreviation (Inc., U.S., Sept.) or a single letter. Clauses split a sentence at commas and colons (a
comma between digits is a thousands separator, not a break); a clause holding nothing but names joined by
"and" or "、" is joined to the next one, so "Microsoft, Google and Amazon will spend" keeps its three subjects.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from tracker.core.domain.amount_words import FOLD


@dataclass(frozen=True)
class Segment:
    """A piece of the text: ``text[start:end]``."""

    start: int
    end: int


_ABBREVIATIONS = frozenset(
    [
        "inc",
        "corp",
        "co",
        "ltd",
        "llc",
        "plc",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "vs",
        "approx",
        "est",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "e.g",
        "i.e",
        "etc",
        "jr",
        "sr",
    ]
)
_HARD_END = re.compile(r"[。！？；!?;\n]+")
_SOFT_END = re.compile(r"\.(?=[\s\"'”’)]*(?:\s|$))")
_CLAUSE_BREAK = re.compile(r"[，：,:]|\s[—–]\s|[（）()]")


def _word_before(text: str, at: int) -> str:
    start = at
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
    return text[start:at].lower()


def sentences(text: str) -> list[Segment]:
    """The sentences of ``text`` (blank ones left out), in order."""
    cuts: list[int] = [m.end() for m in _HARD_END.finditer(text)]
    for m in _SOFT_END.finditer(text):
        word = _word_before(text, m.start())
        if word in _ABBREVIATIONS or len(word.rstrip(".")) == 1 or (word and word[-1].isdigit() and m.end() < len(text)
                                                                   and text[m.end()].isdigit()):  # fmt: skip
            continue
        cuts.append(m.end())
    out: list[Segment] = []
    start = 0
    for cut in [*sorted(set(cuts)), len(text)]:
        seg = trimmed(text, start, cut)
        if seg is not None:
            out.append(seg)
        start = cut
    return out


def trimmed(text: str, start: int, end: int) -> Segment | None:
    """``text[start:end]`` without its surrounding spaces and quote marks, or None when nothing is left."""
    while start < end and (text[start].isspace() or text[start] in "\"'“”‘’「」『』"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "\"'“”‘’「」『』。.!?！？;；"):
        end -= 1
    return Segment(start, end) if end > start else None


def clauses(text: str, sentence: Segment) -> list[Segment]:
    """The clauses of one sentence, in order."""
    out: list[Segment] = []
    start = sentence.start
    for m in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        at = m.start()
        if text[at] in ",:" and 0 < at < len(text) - 1 and text[at - 1].isdigit() and text[at + 1].isdigit():
            continue  # 100,000 and 07:19
        seg = trimmed(text, start, m.start())
        if seg is not None:
            out.append(seg)
        start = m.end()
    seg = trimmed(text, start, sentence.end)
    if seg is not None:
        out.append(seg)
    return out


@functools.cache
def _t2s_table() -> dict[int, str]:
    """OpenCC's traditional-to-simplified character table (its TSCharacters dictionary, shipped inside
    opencc-python-reimplemented), one character for one character: read once, applied by str.translate."""
    from importlib import resources

    table: dict[int, str] = {}
    text = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1:
            table[ord(source)] = target
    return table


def normalised(text: str) -> str:
    """``text`` for matching: full-width forms and odd spaces folded (the amount parser's folding) and
    traditional Chinese made simplified, one character for one character, so every offset stays put."""
    return text.translate(FOLD).translate(_t2s_table())


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def language(text: str) -> str:
    """``zh`` when a tenth or more of the letters are Chinese characters, else ``en``."""
    cjk = len(_CJK.findall(text))
    letters = sum(1 for c in text if c.isalpha())
    return "zh" if letters and cjk * 10 >= letters else "en"
