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
    from tracker.core.domain.amount_format import format_plain
    from tracker.core.domain.capacity import format_capacity
    from tracker.core.domain.dates import format_date

    amount = ""
    if values.amount is not None and values.qualifier != "undisclosed":
        amount = values.amount_text or format_plain(values.amount)
    qualifier = values.qualifier if values.qualifier not in ("exact", "undisclosed") else ""
    return {
        "date": format_date(values.date, values.date_precision) if values.date else "",
        "kind": values.kind,
        "from_org": values.from_org,
        "to_org": values.to_org or "",
        "amount": amount,
        "currency": values.currency or "",
        "qualifier": qualifier,
        "capacity_gw": format_capacity(values.capacity_gw, values.capacity_qualifier),
        "status": values.status,
        "alliances": "; ".join(values.alliances or ()),
        "description": values.description or "",
        "source_outlet": values.source_outlet or "",
        "source_title": values.source_title or "",
        "source_url": values.source_url or "",
        "source_date": values.source_date or "",
        **({VERSION_KEY: str(version)} if isinstance(version := getattr(values, "version", None), int) else {}),
    }
