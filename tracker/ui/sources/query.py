"""What the deals table shows: the filter bar's fields, the sort, and any narrowing from another view.

Plain data, no Textual and no core import at module level (the app paints before the core is loaded).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.core.records.pages import DealFilter


@dataclass(frozen=True)
class FilterSpec:
    """The filter bar's fields, already parsed."""

    text: str = ""
    kind: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    confidence: str | None = None
    """Only the deals this sure (confirmed, reported, rumored, unsourced)."""

    @property
    def active(self) -> bool:
        return self != FilterSpec()


@dataclass(frozen=True)
class DealQuery:
    """Filter + sort + an optional narrowing to one organisation, one alliance or a set of deals."""

    spec: FilterSpec = field(default_factory=FilterSpec)
    sort: str = "date"
    descending: bool = True
    org_id: int | None = None
    alliance_id: int | None = None
    deal_ids: tuple[int, ...] | None = None
    scope_label: str = ""
    """Human name of the narrowing ("Nvidia", "alliance X", "3 deals from the map")."""
    columns: tuple[str, ...] = ()
    """The optional columns shown (tracker.core.domain.columns), in display order."""
    kinds: tuple[str, ...] = ()
    """Several kinds at once (a saved view's ``--kind a --kind b``); the filter bar's one kind is ``spec.kind``."""

    @property
    def scoped(self) -> bool:
        return self.org_id is not None or self.alliance_id is not None or self.deal_ids is not None

    @property
    def active(self) -> bool:
        return self.spec.active or self.scoped or bool(self.kinds)

    def fresh(self) -> DealQuery:
        """No filter, the same sort and columns."""
        return DealQuery(sort=self.sort, descending=self.descending, columns=self.columns)

    def unscoped(self) -> DealQuery:
        return replace(self, org_id=None, alliance_id=None, deal_ids=None, scope_label="")

    def next_sort(self) -> DealQuery:
        """The same query under the next of `vocab.SORT_KEYS` (the order `s` cycles through)."""
        from tracker.core.domain.vocab import DESCENDING_FIRST, SORT_KEYS

        index = SORT_KEYS.index(self.sort) if self.sort in SORT_KEYS else -1
        sort = SORT_KEYS[(index + 1) % len(SORT_KEYS)]
        # Dates and amounts read best biggest/newest first; names alphabetically.
        return replace(self, sort=sort, descending=sort in DESCENDING_FIRST)

    def to_filter(self) -> DealFilter:
        from tracker.core.records.pages import DealFilter

        if self.deal_ids is not None:  # the deals behind a map edge, whatever the filter bar says
            return DealFilter(deal_ids=self.deal_ids)
        s = self.spec
        return DealFilter(
            text=s.text,
            kinds=self.kinds or ((s.kind,) if s.kind else ()),
            date_from=s.date_from,
            date_to=s.date_to,
            amount_min=s.amount_min,
            amount_max=s.amount_max,
            org_id=self.org_id,
            alliance_id=self.alliance_id,
            confidences=(s.confidence,) if s.confidence else (),
        )

    def describe(self) -> str:
        """What the query shows, in words (the status line, the table's "Searching …"): safe to print."""
        from tracker.core.domain.text import visible

        parts: list[str] = []
        s = self.spec
        if s.text:
            parts.append(f"“{s.text}”")
        if s.kind or self.kinds:
            parts.append(f"kind {'/'.join(self.kinds) or s.kind}")
        if s.confidence:
            parts.append(s.confidence)
        if s.date_from or s.date_to:
            parts.append(f"date {s.date_from or '…'} – {s.date_to or '…'} (deals whose period overlaps)")
        if s.amount_min is not None or s.amount_max is not None:
            lo = "…" if s.amount_min is None else _short(s.amount_min)
            hi = "…" if s.amount_max is None else _short(s.amount_max)
            parts.append(f"USD {lo} – {hi}")
        if self.scope_label:
            parts.append(self.scope_label)
        return visible(", ".join(parts)) if parts else "none"

    def key(self) -> tuple[Any, ...]:
        return (self.spec, self.sort, self.descending, self.org_id, self.alliance_id, self.deal_ids, self.columns,
                self.kinds)  # fmt: skip


def _short(amount: Decimal) -> str:
    from tracker.core.domain.amount_format import format_amount

    return format_amount(amount, "USD", "exact")
