"""Spreadsheet formula injection: OWASP's advice, applied reversibly to every text cell we write to CSV.

Light on purpose (no SQLAlchemy): the export's worker processes (tracker/core/csvio/worker.py) use it.
"""

from __future__ import annotations

FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r")
DEFUSE_FIRST: frozenset[str] = frozenset("'" + "".join(FORMULA_CHARS))
"""First characters of a cell that may need a defusing quote (a formula character, or a quote itself)."""


def defuse(text: str) -> str:
    """OWASP's advice against spreadsheet formulas, reversibly: prefix ``'`` to a cell that (after any
    leading quotes) begins with ``= + - @``, tab or carriage return."""
    if text and text.lstrip("'").startswith(FORMULA_CHARS):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The inverse of :func:`defuse`."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_CHARS):
        return text[1:]
    return text
