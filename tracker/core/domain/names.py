"""Names of organisations and alliances: their look-up key, their longest length, and what a name may not
be. Light on purpose (standard library only): the export's worker processes and the deal-field parser use it.

The schema keeps a name and its key in columns of :data:`MAX_NAME` characters (and an organisation's
``country`` and ``sector`` in :data:`MAX_LABEL`). PostgreSQL refuses a longer value while SQLite stores
it, so every writer checks here first, the same way on both backends: a name of 150 × U+FDFA is 150
characters, but its NFKC key is 2,700.
"""

from __future__ import annotations

import unicodedata

from tracker.core.domain.text import has_control

MAX_NAME = 200
"""The longest name (or alias) of an organisation or an alliance, and its key, in characters (the schema's
column width)."""
MAX_LABEL = 100
"""The longest ``country`` or ``sector`` of an organisation, in characters (the schema's column width)."""


def name_key(name: str) -> str:
    """The look-up key of a name: NFKC, casefolded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def name_problem(name: str) -> str | None:
    """Why ``name`` (already stripped, not empty) cannot name an organisation or an alliance, or None; a
    phrase that follows the name ("... is longer than 200 characters")."""
    if len(name) > MAX_NAME:
        return f"is longer than {MAX_NAME} characters"
    if has_control(name):
        return "holds a control character (names are plain text)"
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
