"""A deal's source, added or edited from the deal view (`a`, `c`): kind, outlet, author, title, URL,
published, retrieved, language and excerpt.

`SourceForm` returns the checked `SourceValues` (or None when cancelled); the fields are checked by the
core's one checker (tracker.core.domain.source_fields.parse_source_fields, as ``tracker source add`` checks
them): a bad one is one line naming the field and the value, and nothing is saved. The deal view writes it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from tracker.core.domain.source_fields import SOURCE_FIELDS, SourceError, SourceValues, parse_source_fields
from tracker.core.domain.text import visible
from tracker.core.domain.vocab import DEFAULT_SOURCE_KIND, SOURCE_KINDS

__all__ = ["SourceForm"]

PLACEHOLDERS = {
    "outlet": "outlet (Reuters, SEC, the company)",
    "author": "author",
    "title": "title",
    "url": "URL (https://…)",
    "published": "published (YYYY-MM-DD, YYYY-MM or YYYY)",
    "retrieved": "retrieved (YYYY-MM-DD)",
    "lang": "language (en, zh, pt-BR)",
    "excerpt": "excerpt: the sentence that states the deal",
}


class SourceForm(ModalScreen[SourceValues | None]):
    """The fields of one source; enter saves, escape cancels."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="source.cancel", tooltip="Close without saving")
    ]

    def __init__(self, title: str, values: SourceValues | None = None) -> None:
        super().__init__()
        self._title = title
        self._values = values or SourceValues(retrieved=dt.date.today().isoformat())

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="source-form"):
            yield Label(Text(self._title))
            yield Select([(k, k) for k in SOURCE_KINDS], value=self._values.kind or DEFAULT_SOURCE_KIND,
                         allow_blank=False, id="source-kind")  # fmt: skip
            for name in SOURCE_FIELDS[1:]:
                yield Input(getattr(self._values, name) or "", placeholder=PLACEHOLDERS[name], id=f"source-{name}")
            yield Static(Text(""), id="source-error", markup=False)
            yield Static(Text("enter: save · escape: cancel"), id="source-help", markup=False)

    def on_mount(self) -> None:
        self.query_one("#source-url", Input).focus()

    def fields(self) -> dict[str, str]:
        """The form's fields as typed."""
        typed = {name: self.query_one(f"#source-{name}", Input).value for name in SOURCE_FIELDS[1:]}
        return {"kind": str(self.query_one("#source-kind", Select).value), **typed}

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            values = parse_source_fields(self.fields())
        except SourceError as exc:
            self.query_one("#source-error", Static).update(Text(visible(str(exc))))
            return
        if values.is_empty():
            self.query_one("#source-error", Static).update(Text("A source needs at least a URL, an outlet or a title"))
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)
