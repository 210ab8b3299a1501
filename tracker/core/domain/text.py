"""Text from the data, made safe to print on a terminal: control characters shown, never sent.

A name such as ``Evil\\x1b]52;c;...\\x07`` must not reach the terminal raw (it could write the clipboard,
clear the screen or retitle the window). :func:`visible` replaces every control character (C0, DEL, C1)
and the bidirectional overrides with a visible escape (``\\x1b``, ``\\u202e``); a tab and a line break
are kept only where the caller allows them. Everything else, CJK and emoji included, passes unchanged.
"""

from __future__ import annotations

import re

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_UNSAFE_ALL = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, lines: bool = False) -> str:
    """``text`` with its control characters escaped; ``lines=True`` keeps tabs and line breaks as they are."""
    pattern = _UNSAFE if lines else _UNSAFE_ALL
    return pattern.sub(_escape, text) if pattern.search(text) else text


def has_control(text: str) -> bool:
    """Whether ``text`` holds a control character (input that names things refuses such text)."""
    return _UNSAFE_ALL.search(text) is not None
