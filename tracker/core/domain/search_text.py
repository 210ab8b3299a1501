"""What a search typed by a user means: its terms, and the FTS5 query of the ones the index can look up.

Standard library only: the app's first screen searches with ``sqlite3`` before SQLAlchemy is loaded
(tracker/core/records/firstpage.py), and must read a search exactly as the core does.
"""

from __future__ import annotations

import re

MIN_TERM = 3
"""The trigram index finds substrings of three characters or more; shorter terms match names only."""

_TERM = re.compile(r'"([^"]*)(?:"|$)|([^\s"]+)')


def search_terms(text: str) -> list[str]:
    """The terms of a search, every one of which a deal must match: words, and ``"quoted phrases"`` kept
    whole (an unclosed quote runs to the end)."""
    terms = [(m.group(1) if m.group(1) is not None else m.group(2)).strip() for m in _TERM.finditer(text)]
    return [t for t in terms if t]


def indexed_terms(terms: list[str]) -> list[str]:
    """The terms long enough for the trigram index."""
    return [t for t in terms if len(t) >= MIN_TERM]


def fts_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every term a quoted phrase (a substring for the trigram tokenizer), ANDed."""
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def like_pattern(term: str) -> str:
    """``%term%`` with LIKE's wildcards escaped (escape character: backslash)."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
