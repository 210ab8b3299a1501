"""An article's text read from a file or standard input: UTF-8 (with or without a BOM) unless an encoding is
named (``gb18030`` for much Chinese news); text that does not decode is refused with one line naming the
byte offset, never guessed at."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

from tracker.core.domain.errors import TrackerError

MAX_BYTES = 5_000_000
"""The longest article read (5 MB): an extraction reads text, not a corpus."""


class ExtractError(TrackerError, ValueError):
    """An article that cannot be read, or an option that cannot be used; the message names it."""


def read_article(name: str, encoding: str | None = None) -> str:
    """The text of the file ``name`` (``-``: standard input)."""
    codec = encoding or "utf-8-sig"
    try:
        codecs.lookup(codec)
    except LookupError:
        raise ExtractError(f"--encoding '{encoding}': not an encoding Python knows (e.g. utf-8, gb18030)") from None
    try:
        data = sys.stdin.buffer.read(MAX_BYTES + 1) if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise ExtractError(f"file '{name}': {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise ExtractError(f"file '{name}': longer than {MAX_BYTES:,} bytes")
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        hint = "" if encoding else " (give --encoding, e.g. gb18030)"
        raise ExtractError(f"file '{name}': not {codec} at byte {exc.start}{hint}") from None
