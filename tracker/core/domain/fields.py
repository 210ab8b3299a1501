"""One deal's fields as text (a CSV row, a form, CLI flags) checked and turned into values.

The importer, ``tracker add`` and the app's form all go through :func:`parse_deal_fields`, so a deal
is valid or invalid the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from tracker.core.domain.amount_format import format_plain
from tracker.core.domain.amount_parser import AmountError, normalise_currency, parse_amount
from tracker.core.domain.capacity import CapacityError, parse_capacity
from tracker.core.domain.dates import DateError, parse_date
from tracker.core.domain.formula import restore
from tracker.core.domain.namelist import split_names
from tracker.core.domain.names import MAX_NAME, alliance_key, clean_name, name_key, name_problem
from tracker.core.domain.source_fields import SourceError, parse_source_fields
from tracker.core.domain.vocab import (
    KINDS,
    QUALIFIER_SYNONYMS,
    QUALIFIERS,
    STATUS_SYNONYMS,
    STATUSES,
    normalise,
)

# The deals CSV: these columns, in this order, with these names (scripts depend on them) ...
DEAL_COLUMNS: tuple[str, ...] = (
    "id", "date", "kind", "from_org", "to_org", "amount", "currency", "qualifier", "capacity_gw",
    "status", "alliances", "description", "source_outlet", "source_title", "source_url", "source_date",
)  # fmt: skip
# ... then ours. `amount_usd` is written for spreadsheets and ignored on import.
EXTRA_COLUMNS: tuple[str, ...] = (
    "ref", "amount_text", "source_author", "amount_usd", "capacity_qualifier",
    # schema 0011: the rest of the first source, then how sure we are and how many sources (written, not read)
    "source_kind", "source_excerpt", "source_lang", "source_retrieved", "confidence", "sources",
)  # fmt: skip
REQUIRED_COLUMNS: tuple[str, ...] = ("date", "kind", "from_org")
IGNORED_COLUMNS: frozenset[str] = frozenset({"amount_usd", "confidence", "sources"})
FIRST_SOURCE_EXTRA: tuple[str, ...] = ("source_kind", "source_excerpt", "source_lang", "source_retrieved")
"""The first source's fields the deal row does not mirror (kept in deal_source at position 0 only)."""
KNOWN_COLUMNS: frozenset[str] = frozenset(DEAL_COLUMNS + EXTRA_COLUMNS)

SHORT_TEXT = 200
MAX_ID = 2**63 - 1
"""The largest deal id: a BIGINT's, the same on both backends (ids are 1 .. MAX_ID)."""


@dataclass(frozen=True)
class FieldError:
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"{self.column} {self.value!r}: {self.message}"


@dataclass
class DealValues:
    """A checked deal, parties still as names (resolved to organisations by the caller)."""

    id: int | None = None
    ref: str | None = None
    date: dt.date | None = None
    date_precision: str = "day"
    kind: str = ""
    from_org: str = ""
    to_org: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    qualifier: str = "undisclosed"
    amount_text: str | None = None
    capacity_gw: Decimal | None = None
    capacity_qualifier: str | None = None  # None exactly when capacity_gw is None
    status: str = "announced"
    description: str | None = None
    source_outlet: str | None = None
    source_author: str | None = None
    source_title: str | None = None
    source_url: str | None = None
    source_date: str | None = None
    alliances: tuple[str, ...] | None = None
    present: frozenset[str] = field(default_factory=frozenset)
    source_extra: tuple[str | None, str | None, str | None, str | None] | None = None
    """The first source's kind, excerpt, language and retrieved date, when the row gives any."""


def clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    value = restore(value)
    return value if value.strip() else None


def parse_deal_fields(row: Mapping[str, str | None]) -> tuple[DealValues, list[FieldError]]:
    """Check one deal given as text fields keyed by deals-CSV column name (missing key = not given)."""
    errors: list[FieldError] = []
    out = DealValues(present=frozenset(k for k in row if k in KNOWN_COLUMNS))

    def err(column: str, value: str | None, message: str) -> None:
        errors.append(FieldError(column, value or "", message))

    def short(column: str) -> str | None:
        value = clean_text(row.get(column))
        if value is not None and len(value) > SHORT_TEXT:
            err(column, value[:40] + "…", f"longer than {SHORT_TEXT} characters")
            return None
        if value is None or column == "description":
            return value
        return clean_name(value) if column in ("from_org", "to_org") else value.strip()

    raw_id = clean_text(row.get("id"))
    if raw_id is not None:
        raw_id = raw_id.strip()
        if raw_id.isdigit() and raw_id.isascii():
            out.id = int(raw_id)
            if out.id <= 0 or out.id > MAX_ID:
                err("id", raw_id, f"must be a whole number from 1 to {MAX_ID}")
        else:
            out.ref = raw_id  # an outside key, such as "nvidia-openai-investment-2025"
            if len(raw_id) > SHORT_TEXT:
                err("id", raw_id[:40] + "…", f"longer than {SHORT_TEXT} characters")
    ref = short("ref")
    if ref is not None:
        if out.ref is not None and out.ref != ref:
            err("ref", ref, f"conflicts with id {out.ref!r}")
        out.ref = ref

    raw_date = clean_text(row.get("date"))
    if raw_date is None:
        err("date", "", "required")
    else:
        try:
            out.date, out.date_precision = parse_date(raw_date)
        except DateError as exc:
            err("date", raw_date, str(exc).split(": ", 1)[1])

    raw_kind = clean_text(row.get("kind"))
    kind = normalise(raw_kind, KINDS) if raw_kind else None
    if raw_kind is None:
        err("kind", "", f"required (one of {', '.join(KINDS)})")
    elif kind is None:
        err("kind", raw_kind, f"unknown kind (one of {', '.join(KINDS)})")
    else:
        out.kind = kind

    from_org = short("from_org")
    to_org = short("to_org")
    for column, party in (("from_org", from_org), ("to_org", to_org)):
        problem = name_problem(party) if party is not None else None
        if problem is not None:
            err(column, party, f"an organisation's name {problem}")
    if from_org is None:
        if not any(e.column == "from_org" for e in errors):
            err("from_org", "", "required")
    else:
        out.from_org = from_org
    out.to_org = to_org
    if kind == "infrastructure" and to_org is not None:
        err("to_org", to_org, "an infrastructure deal is a party's own build-out and has no counterparty")
    elif kind is not None and kind != "infrastructure" and to_org is None:
        err("to_org", "", f"required for a {kind} deal (only infrastructure has no counterparty)")
    if from_org and to_org and name_key(from_org) == name_key(to_org):
        err("to_org", to_org, "the two parties are the same organisation")

    raw_amount = clean_text(row.get("amount"))
    raw_currency = clean_text(row.get("currency"))
    raw_qualifier = clean_text(row.get("qualifier"))
    qualifier = None
    if raw_qualifier is not None:
        qualifier = normalise(raw_qualifier, QUALIFIERS, QUALIFIER_SYNONYMS)
        if qualifier is None:
            err("qualifier", raw_qualifier, f"unknown qualifier (one of {', '.join(QUALIFIERS)})")
    currency = None
    if raw_currency is not None:
        try:
            currency = normalise_currency(raw_currency)
        except AmountError:
            err("currency", raw_currency, "not an ISO 4217 currency code")
    if raw_amount is None:
        out.qualifier = "undisclosed"
        if qualifier not in (None, "undisclosed"):
            err("qualifier", raw_qualifier, "needs an amount (the amount is empty)")
        out.currency = currency
    elif not any(e.column in ("currency", "qualifier") for e in errors):
        try:
            parsed = parse_amount(raw_amount, currency, qualifier)
        except AmountError as exc:
            message = str(exc)
            column = "currency" if "currency" in message and "conflict" in message else "amount"
            err(column, raw_amount, message.split("': ", 1)[-1])
        else:
            out.amount, out.currency, out.qualifier = parsed.amount, parsed.currency, parsed.qualifier
            if parsed.amount is not None and raw_amount.strip() != format_plain(parsed.amount):
                out.amount_text = raw_amount.strip()
    text = short("amount_text")
    if text is not None:
        out.amount_text = text

    raw_cap = clean_text(row.get("capacity_gw"))
    raw_cap_q = clean_text(row.get("capacity_qualifier"))
    if raw_cap is not None:
        try:
            cap = parse_capacity(raw_cap, raw_cap_q)
        except CapacityError as exc:
            if raw_cap_q is not None and "unknown capacity qualifier" in str(exc):
                err("capacity_qualifier", raw_cap_q, str(exc))
            else:
                err("capacity_gw", raw_cap, str(exc))
        else:
            out.capacity_gw, out.capacity_qualifier = cap.gw, cap.qualifier
    elif raw_cap_q is not None:
        err("capacity_qualifier", raw_cap_q, "needs a capacity (capacity_gw is empty)")

    raw_status = clean_text(row.get("status"))
    if raw_status is not None:
        status = normalise(raw_status, STATUSES, STATUS_SYNONYMS)
        if status is None:
            err("status", raw_status, f"unknown status (one of {', '.join(STATUSES)})")
        else:
            out.status = status

    out.description = clean_text(row.get("description"))
    out.source_outlet = short("source_outlet")
    out.source_author = short("source_author")
    out.source_title = clean_text(row.get("source_title"))
    out.source_url = clean_text(row.get("source_url"))
    raw_sdate = clean_text(row.get("source_date"))
    if raw_sdate is not None:
        try:
            d, precision = parse_date(raw_sdate)
        except DateError as exc:
            err("source_date", raw_sdate, str(exc).split(": ", 1)[1])
        else:
            from tracker.core.domain.dates import format_date

            out.source_date = format_date(d, precision)

    if any(clean_text(row.get(c)) for c in FIRST_SOURCE_EXTRA):
        try:
            extra = parse_source_fields({c.removeprefix("source_"): row.get(c) for c in FIRST_SOURCE_EXTRA})
        except SourceError as exc:
            err(f"source_{exc.field}", exc.value, exc.message)
        else:
            kind = extra.kind if clean_text(row.get("source_kind")) else None
            out.source_extra = (kind, extra.excerpt, extra.lang, extra.retrieved)

    if "alliances" in row:
        raw = clean_text(row.get("alliances")) or ""
        names = [clean_name(n) for n in split_names(raw)]  # ";" in a name is escaped (domain/namelist.py)
        for n in names:
            problem = name_problem(n)
            if problem is not None:
                shown = n if len(n) <= MAX_NAME else n[:40] + "…"
                err("alliances", shown, f"an alliance name {problem}")
        seen: dict[str, str] = {}
        for n in names:
            seen.setdefault(alliance_key(n), n)
        out.alliances = tuple(seen.values())
    return out, errors
