"""One source of a deal as text (CLI flags, a form, a CSV row) checked and turned into values.

``tracker source add``, the app's source form, the deals CSV's first-source columns and ``sources.csv`` all
go through :func:`parse_source_fields`, so a source is valid or invalid the same way everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields

from tracker.core.domain.dates import DateError, format_date, parse_date
from tracker.core.domain.errors import TrackerError
from tracker.core.domain.formula import restore
from tracker.core.domain.vocab import DEFAULT_SOURCE_KIND, SOURCE_KIND_SYNONYMS, SOURCE_KINDS, normalise

SHORT = 200
LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
SOURCE_FIELDS: tuple[str, ...] = (
    "kind", "outlet", "author", "title", "url", "published", "retrieved", "lang", "excerpt",
)  # fmt: skip
"""A source's fields, in the order of ``sources.csv`` (after ``id``, ``deal_id`` and ``position``)."""


class SourceError(TrackerError, ValueError):
    """A source field that cannot be stored; the message names the field and the value."""

    def __init__(self, field: str, value: str, message: str) -> None:
        super().__init__(f"{field} {value!r}: {message}")
        self.field, self.value, self.message = field, value, message


@dataclass(frozen=True)
class SourceValues:
    """A checked source (what is stored, without its id, deal and position)."""

    kind: str = DEFAULT_SOURCE_KIND
    outlet: str | None = None
    author: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    retrieved: str | None = None
    lang: str | None = None
    excerpt: str | None = None

    def is_empty(self) -> bool:
        """True when nothing but the kind is known (no source at all)."""
        return all(getattr(self, f.name) is None for f in fields(self) if f.name != "kind")


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = restore(value)
    return value.strip() if value.strip() else None


def parse_source_fields(row: Mapping[str, str | None]) -> SourceValues:
    """Check a source given as text keyed by :data:`SOURCE_FIELDS` (missing or empty = not known);
    raises :class:`SourceError` naming the first bad field and its value."""
    values: dict[str, str | None] = {name: _text(row.get(name)) for name in SOURCE_FIELDS}
    raw_kind = values.pop("kind")
    kind = DEFAULT_SOURCE_KIND
    if raw_kind is not None:
        found = normalise(raw_kind, SOURCE_KINDS, SOURCE_KIND_SYNONYMS)
        if found is None:
            raise SourceError("kind", raw_kind, f"unknown source kind (one of {', '.join(SOURCE_KINDS)})")
        kind = found
    for name in ("outlet", "author"):
        value = values[name]
        if value is not None and len(value) > SHORT:
            raise SourceError(name, value[:40] + "…", f"longer than {SHORT} characters")
    for name in ("published", "retrieved"):
        value = values[name]
        if value is None:
            continue
        try:
            day, precision = parse_date(value)
        except DateError as exc:
            raise SourceError(name, value, str(exc).split(": ", 1)[1]) from None
        if name == "retrieved" and precision != "day":
            raise SourceError("retrieved", value, "a day is needed (YYYY-MM-DD)")
        values[name] = format_date(day, precision)
    lang = values["lang"]
    if lang is not None and not LANG.match(lang):
        raise SourceError("lang", lang, "not a language tag (such as en, zh, zh-Hans, pt-BR)")
    return SourceValues(kind=kind, **values)
