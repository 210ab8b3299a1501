"""A stored deal as the text fields its edit starts from (keyed by deals-CSV column, what
:func:`tracker.core.domain.fields.parse_deal_fields` reads): ``tracker edit`` lays the options given over
them, so that only those change and everything else reads back as it was."""

from __future__ import annotations

from tracker.core.domain.amount_format import format_plain
from tracker.core.domain.capacity import format_capacity
from tracker.core.domain.dates import format_date
from tracker.core.domain.fields import DealValues


def editable_fields(values: DealValues) -> dict[str, str]:
    """``values`` as text fields: the amount as it was written (its qualifier apart unless exact or
    undisclosed), the capacity with its qualifier, the date at its precision; alliances are left out (an edit changes them only when given)."""
    amount = ""
    if values.amount is not None and values.qualifier != "undisclosed":
        amount = values.amount_text or format_plain(values.amount)
    fields = {
        "date": format_date(values.date, values.date_precision) if values.date else "",
        "kind": values.kind,
        "from_org": values.from_org,
        "to_org": values.to_org or "",
        "amount": amount,
        "currency": values.currency or "",
        "qualifier": values.qualifier if values.qualifier not in ("exact", "undisclosed") else "",
        "capacity_gw": format_capacity(values.capacity_gw, values.capacity_qualifier),
        "status": values.status,
        "description": values.description or "",
        "source_outlet": values.source_outlet or "",
        "source_author": values.source_author or "",
        "source_title": values.source_title or "",
        "source_url": values.source_url or "",
        "source_date": values.source_date or "",
    }
    return fields
