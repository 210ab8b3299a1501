"""Closed vocabularies of the domain: deal kinds, statuses, amount qualifiers, date precisions."""

from __future__ import annotations

KINDS: tuple[str, ...] = ("investment", "purchase", "infrastructure", "partnership")
STATUSES: tuple[str, ...] = ("announced", "agreed", "completed", "cancelled")
QUALIFIERS: tuple[str, ...] = ("exact", "up to", "at least", "estimated", "undisclosed")
PRECISIONS: tuple[str, ...] = ("day", "month", "qtr", "year")
"""``qtr``: a quarter (tracker/core/domain/dates.py)."""
RELATIONS: tuple[str, ...] = ("part of", "related")
SOURCE_KINDS: tuple[str, ...] = ("filing", "press-release", "earnings-call", "news", "analysis", "social", "rumor")
"""What a deal's source is (tracker/core/records/sources.py); ``news`` when a source says nothing of its kind."""
DEFAULT_SOURCE_KIND = "news"
SOURCE_KIND_SYNONYMS: dict[str, str] = {
    "press release": "press-release",
    "press_release": "press-release",
    "pr": "press-release",
    "earnings call": "earnings-call",
    "earnings_call": "earnings-call",
    "rumour": "rumor",
    "article": "news",
    "report": "news",
    "regulatory filing": "filing",
}
CONFIDENCES: tuple[str, ...] = ("confirmed", "reported", "rumored", "unsourced")
"""How sure we are of a deal, surest first (derived from its sources: tracker/core/records/sources.py)."""

SORT_KEYS: tuple[str, ...] = ("date", "kind", "from", "to", "amount", "value", "status", "confidence")
"""The deals table's sort keys, in the order `s` cycles through them (``tracker list --sort`` takes the same).
``value`` is the amount in the reporting currency (USD) at the latest rates (tracker/core/records/valuesort.py);
``confidence`` ascending is surest first (confirmed, reported, rumored, unsourced: also their alphabetical order)."""
DESCENDING_FIRST: frozenset[str] = frozenset({"date", "amount", "value"})
"""The sorts that start descending (newest, largest first)."""
GROUPINGS: tuple[str, ...] = ("org", "country", "kind", "year", "alliance", "group")
"""What totals can be grouped by (``group``: organisations rolled up into their top parent)."""
GROUPING_LABELS: dict[str, str] = {
    "org": "organisation",
    "country": "country",
    "kind": "kind",
    "year": "year",
    "alliance": "alliance",
    "group": "parent group",
}

# Spellings found in real spreadsheets, mapped onto the closed vocabulary (documented in the README).
STATUS_SYNONYMS: dict[str, str] = {
    "confirmed": "agreed",
    "signed": "agreed",
    "closed": "completed",
    "done": "completed",
    "canceled": "cancelled",
    "terminated": "cancelled",
    "planned": "announced",
    "estimated": "announced",
    "rumored": "announced",
    "rumoured": "announced",
}
QUALIFIER_SYNONYMS: dict[str, str] = {
    "up_to": "up to",
    "upto": "up to",
    "at_least": "at least",
    "atleast": "at least",
    "estimate": "estimated",
    "approx": "estimated",
    "approximately": "estimated",
    "about": "estimated",
}
RELATION_SYNONYMS: dict[str, str] = {"part_of": "part of", "partof": "part of"}


def normalise(value: str, vocabulary: tuple[str, ...], synonyms: dict[str, str] | None = None) -> str | None:
    """Return the vocabulary word for ``value`` (case-insensitive, synonyms allowed), or None."""
    key = " ".join(value.strip().casefold().split())
    if key in vocabulary:
        return key
    if synonyms:
        return synonyms.get(key) or synonyms.get(key.replace(" ", "_"))
    return None
