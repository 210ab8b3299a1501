"""One source as a line of the deal view's sources list (data as `Text`, never markup)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets.option_list import Option

from tracker.core.domain.text import visible

if TYPE_CHECKING:
    from tracker.core.records.sources import Source


def source_text(s: Source) -> Text:
    """``kind  outlet  published  URL`` then the excerpt, dimmed."""
    text = Text(f"{s.kind:<13} ", style="bold")
    text.append(visible(" · ".join(v for v in (s.outlet, s.published, s.url or s.title) if v) or "(no outlet or URL)"))
    if s.excerpt:
        text.append(f"  “{visible(s.excerpt)}”", style="dim")
    return text


def source_option(s: Source) -> Option:
    return Option(source_text(s), id=str(s.id))
