"""Proposals written out: JSON objects (the deals-CSV keys, the excerpt, the spans, the confidence, the new
organisations and the stored deal it duplicates) and deals-CSV rows that ``tracker import`` takes as they are,
with the article as each deal's source and the stating sentence as its excerpt.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from tracker.core.domain.amount_format import format_plain
from tracker.core.domain.formula import defuse
from tracker.core.extract.stored import Checked

CSV_COLUMNS: tuple[str, ...] = (
    "date", "kind", "from_org", "to_org", "amount", "currency", "qualifier", "amount_text", "capacity_gw",
    "capacity_qualifier", "status", "description", "source_outlet", "source_title", "source_url", "source_date",
    "source_kind", "source_excerpt", "source_lang",
)  # fmt: skip
"""The deals CSV columns an extraction writes (``source_kind``, ``source_excerpt`` and ``source_lang`` are the
first source's, as the sources' deals CSV has them)."""


@dataclass(frozen=True)
class Article:
    """Where the text came from: the source every proposal carries."""

    date: str  # YYYY-MM-DD
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    lang: str | None = None


def as_json(checked: Checked) -> dict[str, Any]:
    p = checked.proposal
    return {
        "kind": p.kind,
        "from_org": p.from_org,
        "to_org": p.to_org,
        "amount": format_plain(p.amount) if p.amount is not None else None,
        "currency": p.currency,
        "qualifier": p.qualifier,
        "amount_text": p.amount_text,
        "capacity_gw": format_plain(p.capacity_gw) if p.capacity_gw is not None else None,
        "capacity_qualifier": p.capacity_qualifier,
        "date": p.date,
        "status": p.status,
        "description": p.description,
        "excerpt": p.excerpt,
        "spans": {k: list(v) for k, v in p.spans.items()},
        "confidence": p.confidence,
        "new_orgs": list(checked.new_orgs),
        "existing_deal": checked.existing_deal,
    }


def csv_row(checked: Checked, article: Article) -> dict[str, str]:
    p = checked.proposal
    row = {
        "date": p.date,
        "kind": p.kind,
        "from_org": p.from_org,
        "to_org": p.to_org or "",
        "amount": format_plain(p.amount) if p.amount is not None else "",
        "currency": p.currency or "" if p.amount is not None else "",
        "qualifier": p.qualifier if p.amount is not None else "",
        "amount_text": p.amount_text or "",
        "capacity_gw": format_plain(p.capacity_gw) if p.capacity_gw is not None else "",
        "capacity_qualifier": p.capacity_qualifier or "",
        "status": p.status,
        "description": p.description,
        "source_outlet": article.outlet or "",
        "source_title": article.title or "",
        "source_url": article.url or "",
        "source_date": article.date,
        "source_kind": "news",
        "source_excerpt": p.excerpt,
        "source_lang": article.lang or "",
    }
    return {k: defuse(v) for k, v in row.items()}


def csv_text(checked: list[Checked], article: Article) -> str:
    """The deals CSV of the proposals (a header line, then one line each)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for c in checked:
        writer.writerow(csv_row(c, article))
    return buffer.getvalue()
