"""What a search typed by a user means: its terms, and the LIKE patterns the index (FTS5 trigram) looks up.

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


def index_patterns(term: str) -> tuple[str, str | None]:
    """The LIKE patterns that find ``term`` in the SQLite index: ``%term%`` as typed, which the trigram index
    answers (an ESCAPE clause would make FTS5 scan instead), and, when the term holds a wildcard (``%``,
    ``_``), the escaped pattern that SQLite checks on the rows found (None otherwise)."""
    wild = any(c in term for c in "%_")
    return "%" + term + "%", like_pattern(term) if wild else None


def index_where(terms: list[str]) -> tuple[str, list[str]]:
    """The WHERE clause over ``deal_search`` of the deals holding every term, and its parameters."""
    parts: list[str] = []
    params: list[str] = []
    for term in terms:
        raw, exact = index_patterns(term)
        parts.append("body LIKE ?")
        params.append(raw)
        if exact is not None:
            parts.append("body LIKE ? ESCAPE '\\'")
            params.append(exact)
    return " AND ".join(parts), params


def like_pattern(term: str) -> str:
    """``%term%`` with LIKE's wildcards escaped (escape character: backslash)."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
