"""Names of organisations and alliances: their look-up key, their longest length, and what a name may not
be. Light on purpose (standard library only): the export's worker processes and the deal-field parser use it.

The schema keeps a name and its key in columns of :data:`MAX_NAME` characters (and an organisation's
``country`` and ``sector`` in :data:`MAX_LABEL`). PostgreSQL refuses a longer value while SQLite stores
it, so every writer checks here first, the same way on both backends: a name of 150 × U+FDFA is 150
characters, but its NFKC key is 2,700.

Names are cleaned once, by every path that takes one (the form, the CLI, both import paths, ``--all``
bundles, new organisations and aliases): :func:`clean_name` puts them in Unicode NFC, trims them and
collapses runs of spaces (any Unicode space) to one. What cleaning cannot make right is refused by
:func:`name_problem`, naming the character and its position: control characters (a tab, a line break)
and invisible characters that make look-alike names (zero-width space, word joiner, soft hyphen, a BOM).
The zero-width joiner is allowed: it joins emoji (👩‍💻).
"""

from __future__ import annotations

import re
import unicodedata

from tracker.core.domain.text import has_control

MAX_NAME = 200
"""The longest name (or alias) of an organisation or an alliance, and its key, in characters (the schema's
column width)."""
MAX_LABEL = 100
"""The longest ``country`` or ``sector`` of an organisation, in characters (the schema's column width)."""


INVISIBLE: dict[str, str] = {
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space",
    "\u00ad": "soft hyphen",
    "\u180e": "Mongolian vowel separator",
    "\u2061": "invisible function application",
    "\u2062": "invisible times",
    "\u2063": "invisible separator",
    "\u2064": "invisible plus",
}
"""Characters that show nothing: refused in names (``Zero\u200bWidth`` would look like ``ZeroWidth``)."""
_SPACES = re.compile(r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def clean_name(name: str) -> str:
    """``name`` as stored: NFC, trimmed, each run of spaces one space (tabs and line breaks are not spaces
    here: :func:`name_problem` refuses them)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip()


def name_key(name: str) -> str:
    """The look-up key of a name: NFKC, casefolded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


DASHES = frozenset(
    "\u002d\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e17\u2e1a\u2e3a\u2e3b"
    "\u2e40\u2e5d\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead"
)
"""Characters that count as one dash in an alliance's key: every Unicode dash punctuation (category Pd: hyphen,
en and em dash, figure dash, ...) and the minus sign; not the wave dashes 〜 and 〰, which are more tilde than
dash (tests/core/test_alliances.py checks the list against unicodedata)."""


def alliance_key(name: str) -> str:
    """The look-up key of an alliance: :func:`name_key` with every dash one hyphen and no spaces at all, so
    that names that differ only by case, the kind of dash or spacing are one alliance (``OpenAI-Nvidia-Oracle
    triangle`` is ``OpenAI – Nvidia – Oracle Triangle``). Never longer than :func:`name_key`."""
    return "".join("-" if ch in DASHES else ch for ch in name_key(name) if not ch.isspace())


def name_problem(name: str) -> str | None:
    """Why ``name`` (already stripped, not empty) cannot name an organisation or an alliance, or None; a
    phrase that follows the name ("... is longer than 200 characters")."""
    if len(name) > MAX_NAME:
        return f"is longer than {MAX_NAME} characters"
    if has_control(name):
        at = next(i for i, ch in enumerate(name) if has_control(ch))
        return f"holds a control character (U+{ord(name[at]):04X}) at position {at + 1} (names are plain text)"
    for i, ch in enumerate(name):
        if ch in INVISIBLE:
            return f"holds an invisible character, a {INVISIBLE[ch]} (U+{ord(ch):04X}), at position {i + 1}"
    key = name_key(name)
    if len(key) > MAX_NAME:
        return f"is {len(key):,} characters long in its look-up form (NFKC, casefolded); at most {MAX_NAME}"
    if not key:
        return "has no visible characters"
    return None


def label_problem(value: str) -> str | None:
    """Why ``value`` cannot be an organisation's ``country`` or ``sector``, or None."""
    if len(value) > MAX_LABEL:
        return f"is longer than {MAX_LABEL} characters"
    if has_control(value):
        return "holds a control character (plain text only)"
    return None
