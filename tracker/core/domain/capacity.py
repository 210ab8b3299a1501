"""Compute capacity in GW with its qualifier, as amounts have theirs: ``at least 10 GW``, ``about 4.5 GW``,
``up to 1 GW``, ``至少10吉瓦``, ``500 MW`` (0.5 GW), ``500兆瓦``; a bare number is GW, exact.

The qualifier words are the amount parser's (tracker.core.domain.amount_words), before or after the number;
a qualifier given apart (the CSV's ``capacity_qualifier`` column, the form's field) must agree with a word in
the text. Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tracker.core.domain.amount_format import format_plain
from tracker.core.domain.amount_words import FOLD, POSTFIX_ONLY, QUALIFIER_WORDS
from tracker.core.domain.scaled import SCALE
from tracker.core.domain.vocab import QUALIFIER_SYNONYMS, normalise

CAPACITY_QUALIFIERS: tuple[str, ...] = ("exact", "up to", "at least", "estimated")
"""How a capacity is known (no "undisclosed": an unknown capacity is empty)."""
MAX_GW = Decimal(10) ** 9
UNITS: dict[str, Decimal] = {
    "gw": Decimal(1), "gigawatt": Decimal(1), "gigawatts": Decimal(1), "吉瓦": Decimal(1), "千兆瓦": Decimal(1),
    "mw": Decimal("0.001"), "megawatt": Decimal("0.001"), "megawatts": Decimal("0.001"), "兆瓦": Decimal("0.001"),
}  # fmt: skip
"""Units of power, in GW (兆瓦 is a megawatt: 兆 is 10^6 in the SI sense here, not 10^12)."""
_UNIT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_SHAPE = re.compile(rf"^(?P<pre>.*?)\s*(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>{_UNIT})?\s*(?P<post>.*?)$")


class CapacityError(ValueError):
    """A capacity that cannot be read; the message says why (the caller names the field and value)."""


@dataclass(frozen=True)
class ParsedCapacity:
    gw: Decimal
    qualifier: str


def capacity_qualifier(text: str) -> str:
    """A capacity qualifier as given on its own (``at_least``, ``about``): one of CAPACITY_QUALIFIERS."""
    folded = " ".join(text.translate(FOLD).casefold().split())
    found = normalise(folded, CAPACITY_QUALIFIERS, QUALIFIER_SYNONYMS) or QUALIFIER_WORDS.get(folded)
    if found not in CAPACITY_QUALIFIERS:
        raise CapacityError(f"unknown capacity qualifier (one of {', '.join(CAPACITY_QUALIFIERS)})")
    return found


def _word(text: str, after: bool) -> str | None:
    if not text:
        return None
    found = QUALIFIER_WORDS.get(text)
    if found is None or (not after and text in POSTFIX_ONLY):
        raise CapacityError("not a capacity in GW (e.g. 10, 1.5 GW, at least 10 GW, 500 MW, 至少10吉瓦)")
    return found


def parse_capacity(text: str, qualifier: str | None = None) -> ParsedCapacity:
    """Read a capacity: a number of GW (or MW, 兆瓦), with an optional qualifier word before or after it."""
    folded = " ".join(text.translate(FOLD).casefold().split())
    m = _SHAPE.match(folded)
    if m is None:
        raise CapacityError("not a capacity in GW (e.g. 10, 1.5 GW, at least 10 GW, 500 MW, 至少10吉瓦)")
    words = {w for w in (_word(m["pre"], False), _word(m["post"], True)) if w is not None}
    given = capacity_qualifier(qualifier) if qualifier else None
    if given is not None and given != "exact":
        words.add(given)
    if len(words) > 1:
        raise CapacityError(f"qualifiers conflict: {' and '.join(sorted(words))}")
    try:
        number = Decimal(m["num"].replace(",", ""))
    except InvalidOperation:
        raise CapacityError("not a capacity in GW") from None
    value = (number * UNITS[m["unit"] or "gw"]).normalize()
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -SCALE:
        raise CapacityError(f"more than {SCALE} decimal places of GW")
    if value > MAX_GW:
        raise CapacityError("larger than 1,000,000,000 GW")
    if exponent > 0:
        value = value.quantize(Decimal(1))
    return ParsedCapacity(value, words.pop() if words else "exact")


def format_capacity(gw: Decimal | None, qualifier: str | None) -> str:
    """A capacity as a person writes it and :func:`parse_capacity` reads it back: ``10``, ``at least 10``."""
    if gw is None:
        return ""
    text = format_plain(gw)
    return text if qualifier in (None, "exact") else f"{qualifier} {text}"
