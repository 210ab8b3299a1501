"""The deals table's columns a person may show or hide (the column chooser, saved views, ``--columns``).

Standard library only: the app's first screen reads it before the core has loaded.
"""

from __future__ import annotations

from dataclasses import fields

from tracker.core.domain.rows import DealRow

CONFIDENCE_SHOWN = "confidence" in {f.name for f in fields(DealRow)}
"""Whether deals carry a confidence (schema 0011, the sources work): its column is offered once they do."""
OPTIONAL_COLUMNS: tuple[str, ...] = ("id", "capacity", "alliances", "description") + (
    ("confidence",) if CONFIDENCE_SHOWN else ()
)
"""The id first, the others in this order after the fixed columns (date, from, to, amount, USD, kind, status)."""
DEFAULT_COLUMNS: tuple[str, ...] = ("confidence",) if CONFIDENCE_SHOWN else ()
"""The optional columns shown when the settings file names none (confidence, where deals carry one)."""
LABELS: dict[str, str] = {
    "id": "Deal id",
    "capacity": "Capacity (GW)",
    "alliances": "Alliances",
    "description": "Description",
    "confidence": "Confidence",
}


def parse_columns(text: str) -> tuple[str, ...] | None:
    """``"id, capacity"`` as a tuple in display order; None for a name that is not a column (the caller says
    which); an empty text is no optional column."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if any(n not in OPTIONAL_COLUMNS for n in names):
        return None
    return tuple(c for c in OPTIONAL_COLUMNS if c in names)


def unknown_column(text: str) -> str | None:
    """The first name of ``text`` that is not a column, if any."""
    return next((n.strip() for n in text.split(",") if n.strip() and n.strip().lower() not in OPTIONAL_COLUMNS), None)
