"""A list of names in one CSV cell (alliance members, aliases, a deal's alliances): ``A;B;C``.

Any name survives the round trip, ``;`` and ``\\`` included: :func:`join_names` writes a ``;`` inside a
name as ``\\;``, and a backslash as ``\\\\`` where a reader could otherwise take it for the start of an
escape (before ``;`` or ``\\``, or at the end of the name); every other backslash is written as it is.
:func:`split_names` reads ``\\;`` as ``;`` and ``\\\\`` as ``\\``, and keeps any other backslash. So a
file written before escapes existed (no name holding ``;``) reads as it always did, and a name such as
``C:\\data`` is written unchanged. Names are trimmed, and empty ones skipped, as before.

Light on purpose (standard library only): the export's workers and the deal-field parser use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SEPARATOR = ";"
_ESCAPE = re.compile(r"\\(?=[\\;]|$)|;")
_PIECE = re.compile(r"(?:[^\\;]|\\.|\\$)*", re.DOTALL)


def _escaped(match: re.Match[str]) -> str:
    return "\\" + match.group()


def escape_name(name: str) -> str:
    """``name`` as one piece of a list cell."""
    return _ESCAPE.sub(_escaped, name) if ("\\" in name or ";" in name) else name


def join_names(names: Iterable[str]) -> str:
    """``names`` as one list cell (in the order given)."""
    return SEPARATOR.join(escape_name(n) for n in names)


def _unescape(piece: str) -> str:
    return re.sub(r"\\([\\;])", r"\1", piece) if "\\" in piece else piece


def split_names(cell: str) -> list[str]:
    """The names of a list cell, trimmed, empty ones left out."""
    if "\\" not in cell:  # the common case, and every file written before escapes: split as always
        return [p.strip() for p in cell.split(SEPARATOR) if p.strip()]
    names: list[str] = []
    for match in _PIECE.finditer(cell):
        piece = match.group().strip()
        if piece:
            names.append(_unescape(piece))
    return names
