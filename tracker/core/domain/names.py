"""The look-up key of an organisation's or an alliance's name. Light on purpose (standard library only): the
export's worker processes use it."""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """The look-up key of a name: NFKC, casefolded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
