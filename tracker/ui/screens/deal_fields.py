"""The deal form's data: a deal's values as its text fields, and what a saved form returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.core.domain.fields import DealValues
    from tracker.core.records.undo import UndoEntry

__all__ = ["VERSION_KEY", "DealFormResult", "fields_of"]


@dataclass(frozen=True)
class DealFormResult:
    """What a saved form returns: the deal, the organisations created, and how to undo the save."""

    deal_id: int
    created_orgs: tuple[str, ...]
    undo: UndoEntry


VERSION_KEY = "version"
"""The key of ``fields_of``'s result that carries the deal's row version (not a field of the form)."""


def fields_of(values: DealValues) -> dict[str, str]:
    """A deal's values as the form's text fields (to edit it), and its row version under ``VERSION_KEY``
    when ``values`` is a stored deal (:class:`tracker.core.records.changes.StoredDeal`)."""
    from tracker.core.records.editable import editable_fields  # the same fields `tracker edit` starts from

    return {
        **editable_fields(values),
        "alliances": "; ".join(values.alliances or ()),
        **({VERSION_KEY: str(version)} if isinstance(version := getattr(values, "version", None), int) else {}),
    }
