"""Amounts and capacities in a clause. A candidate is found by a pattern built from the amount parser's own
word tables (qualifier words, currency symbols and words, units), then read by the one amount parser
(:func:`tracker.core.domain.amount_parser.parse_amount`) or the capacity reader: whatever they refuse is not
an amount. A number without a currency (``160 million shares``) is not money. Vague sums ("tens of billions
of dollars", 数百亿元, 千亿级) are undisclosed, not a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tracker.core.domain.amount_parser import AmountError, parse_amount
from tracker.core.domain.amount_words import CURRENCY_WORDS, MULTIPLIERS, POSTFIX_ONLY, QUALIFIER_WORDS, SYMBOLS
from tracker.core.domain.capacity import UNITS, CapacityError, parse_capacity


@dataclass(frozen=True)
class Amount:
    """An amount at ``text[start:end]``; ``amount`` None when the text says a sum without a number."""

    start: int
    end: int
    text: str
    amount: Decimal | None
    currency: str | None
    qualifier: str


@dataclass(frozen=True)
class Capacity:
    start: int
    end: int
    text: str
    gw: Decimal
    qualifier: str


def _alternation(words: Iterable[str], *, word_end: bool = True) -> str:
    keys = sorted(words, key=len, reverse=True)
    parts = []
    for key in keys:
        pattern = r"\s+".join(re.escape(p) for p in key.split(" "))
        if word_end and key[-1].isascii() and key[-1].isalpha():
            pattern += r"(?![A-Za-z])"
        if key[0].isascii() and key[0].isalpha():
            pattern = r"(?<![A-Za-z])" + pattern
        parts.append(pattern)
    return "|".join(parts)


_PRE_QUALIFIERS = [w for w in QUALIFIER_WORDS if w not in POSTFIX_ONLY and w not in ("<", ">", "+", "~", "under")]
_QUAL = _alternation(_PRE_QUALIFIERS)
_POST = _alternation(POSTFIX_ONLY)
_SYMBOL = _alternation([s for s in SYMBOLS if not s.isalpha()] + ["Rp"])
_UNIT = _alternation(MULTIPLIERS)
_CURRENCY_WORD = _alternation([*list(CURRENCY_WORDS), "usd", "cny", "eur", "jpy", "gbp", "hkd", "krw", "inr"])
_NUMBER = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
AMOUNT = re.compile(
    rf"(?:(?P<qual>{_QUAL})\s*)?(?P<sym>{_SYMBOL})?\s*(?P<num>{_NUMBER})\s*(?P<unit>{_UNIT})?\s*"
    rf"(?:(?P<cur>{_CURRENCY_WORD}))?(?:\s*(?P<post>{_POST}))?",
    re.IGNORECASE,
)
VAGUE = re.compile(
    r"(?:tens|hundreds|dozens|billions|trillions|several|many)\s+(?:of\s+)?(?:billions?|millions?|trillions?)?\s*"
    r"(?:of\s+)?(?:(?:us\s+)?dollars|euros|yuan)|(?:数|几|上|近)(?:十|百|千)?(?:亿|万亿)(?:美元|元|人民币)?"
    r"|(?:千亿|百亿|万亿)级|undisclosed\s+(?:sum|amount)|(?:未披露|未公开)(?:的)?(?:金额|交易金额)",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"[0-9]")
PER_SHARE = re.compile(r"每股|(?:a|per) share", re.IGNORECASE)
"""A price per share is not a deal's amount (以每股23.28美元的价格入股, at $23.28 a share)."""
_CAP_UNIT = _alternation(UNITS)
CAPACITY = re.compile(rf"(?:(?P<qual>{_QUAL})\s*)?(?P<num>{_NUMBER})\s*-?\s*(?P<unit>{_CAP_UNIT})(?:\s*(?P<post>{_POST}))?",
                      re.IGNORECASE)  # fmt: skip


def capacities(norm: str, start: int, end: int) -> list[Capacity]:
    out: list[Capacity] = []
    if not _DIGIT.search(norm, start, end):
        return out
    for m in CAPACITY.finditer(norm, start, end):
        raw = norm[m.start() : m.end()]
        try:
            parsed = parse_capacity(raw.replace("-", " "))
        except CapacityError:
            continue
        out.append(Capacity(m.start(), m.end(), raw.strip(), parsed.gw, parsed.qualifier))
    return out


def amounts(norm: str, start: int, end: int, skip: Sequence[Capacity] = ()) -> list[Amount]:
    """The amounts in ``norm[start:end]``, in order (those inside a capacity left out)."""
    out: list[Amount] = []
    for m in VAGUE.finditer(norm, start, end):
        out.append(Amount(m.start(), m.end(), m.group(), None, None, "undisclosed"))
    if not _DIGIT.search(norm, start, end):
        return out
    for m in AMOUNT.finditer(norm, start, end):
        if not (m["sym"] or m["cur"]) or any(c.start <= m.start("num") < c.end for c in skip):
            continue
        if any(a.start <= m.start("num") < a.end for a in out):
            continue
        found = _read(norm, m)
        if found is not None and not PER_SHARE.search(norm[max(0, found.start - 3) : found.end + 12]):
            out.append(found)
    out.sort(key=lambda a: a.start)
    return out


def _read(norm: str, m: re.Match[str]) -> Amount | None:
    s, e = m.start(), m.end()
    if m["qual"] is None:
        s = m.start("sym") if m["sym"] else m.start("num")
    while e > s and norm[e - 1].isspace():
        e -= 1
    for lo, hi in ((s, e), (m.start("sym") if m["sym"] else m.start("num"), e)):
        raw = norm[lo:hi]
        try:
            parsed = parse_amount(raw)
        except AmountError:
            continue
        if parsed.currency is None:
            return None
        return Amount(lo, hi, raw, parsed.amount, parsed.currency, parsed.qualifier)
    return None
