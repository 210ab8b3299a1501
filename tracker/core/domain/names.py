"""Names of organisations and alliances: their look-up key and their longest length. Light on purpose
(standard library only): the export's worker processes and the deal-field parser use it."""

from __future__ import annotations

import unicodedata

MAX_NAME = 200
"""The longest name (or alias) of an organisation or an alliance, in characters (the schema's column width)."""


def name_key(name: str) -> str:
    """The look-up key of a name: NFKC, casefolded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
