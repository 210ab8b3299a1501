"""The fast row parser of pass one: ordinary rows straight to their spooled tuple, with memo tables.

Ordinary rows (plain-digit amounts, ISO dates, known vocabularies and names) take :class:`FastRows`;
anything it is not sure about is declined (``None``) and goes through ``parse_deal_fields``, which also
produces every error message. The result must be the same either way: tests/core/test_csv_speed_paths.py
compares the two paths on tricky and generated rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tracker.core.csvio.source import Header
from tracker.core.csvio.spool import scaled
from tracker.core.domain.amount_parser import AmountError, normalise_currency
from tracker.core.domain.capacity import parse_capacity
from tracker.core.domain.dates import DateError, format_date, parse_date
from tracker.core.domain.fields import FIRST_SOURCE_EXTRA, KNOWN_COLUMNS, MAX_ID, SHORT_TEXT, clean_text, restore
from tracker.core.domain.namelist import split_names
from tracker.core.domain.names import alliance_key, clean_name, name_key, name_problem
from tracker.core.domain.scaled import DIGITS, FACTOR, SCALE
from tracker.core.domain.vocab import KINDS, QUALIFIER_SYNONYMS, QUALIFIERS, STATUS_SYNONYMS, STATUSES, normalise

MEMO_MAX = 50_000
"""Entries per memo table; beyond that values are computed every time."""
UNSURE: Any = object()
"""A memoised "not sure: let parse_deal_fields decide" (it reports the error, or knows better)."""
PLAIN_AMOUNT = re.compile(r"(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{0,3}[1-9])?")
"""An amount the fast path reads exactly as parse_amount does: no leading zero, no trailing zero in the
fraction, at most 4 decimals, below MAX_AMOUNT (10^18); anything else takes the slow path."""

RowParser = Callable[[list[str], int], tuple[Any, ...] | None]
"""(record, line) -> the spooled tuple, or None for "not sure" (the record may have been padded)."""


def clean_cell(value: str) -> str | None:
    """``fields.clean_text`` for a str, faster: ``isspace`` and ``strip`` share one definition of whitespace."""
    if not value:
        return None
    if value[0] == "'":
        value = restore(value)
    return None if value.isspace() else value


def plain_scaled(text: str) -> str:
    """A string matched by :data:`PLAIN_AMOUNT` as stored (tracker.core.domain.scaled: DIGITS digits of 10^-SCALE
    units)."""
    whole, _, frac = text.partition(".")
    return f"{int(whole) * FACTOR + (int(frac.ljust(SCALE, '0')) if frac else 0):0{DIGITS}d}"


# The memoised cell readers: each gives the spooled value of a cell, or UNSURE.


def _memo_date(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return UNSURE
    try:
        d, precision = parse_date(raw)
    except DateError:
        return UNSURE
    return d.isoformat(), precision


def _memo_source_date(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return None
    try:
        d, precision = parse_date(raw)
    except DateError:
        return UNSURE
    return format_date(d, precision)


def _memo_kind(cell: str) -> Any:
    raw = clean_text(cell)
    kind = normalise(raw, KINDS) if raw else None
    return UNSURE if kind is None else kind


def _memo_name(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return None, None
    if len(raw) > SHORT_TEXT:
        return UNSURE
    name = clean_name(raw)
    if name_problem(name) is not None:
        return UNSURE
    return name, name_key(name)


def _memo_short(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return None
    return UNSURE if len(raw) > SHORT_TEXT else raw.strip()


def _memo_currency(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return None
    try:
        return normalise_currency(raw)
    except AmountError:
        return UNSURE


def _memo_qualifier(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return None
    q = normalise(raw, QUALIFIERS, QUALIFIER_SYNONYMS)
    return UNSURE if q is None else q


def _memo_status(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return "announced"
    s = normalise(raw, STATUSES, STATUS_SYNONYMS)
    return UNSURE if s is None else s


def _memo_capacity(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return None
    try:
        cap = parse_capacity(raw)
    except ValueError:
        return UNSURE
    return scaled(cap.gw), cap.qualifier


def _memo_alliances(cell: str) -> Any:
    raw = clean_text(cell) or ""
    names = [clean_name(n) for n in split_names(raw)]  # ";" in a name is escaped (domain/namelist.py)
    if any(name_problem(n) is not None for n in names):
        return UNSURE
    seen: dict[str, str] = {}
    for n in names:
        seen.setdefault(alliance_key(n), n)
    return tuple(seen.values())


class FastRows:
    """parse_deal_fields for ordinary rows of one header, to the spooled tuple directly.

    :meth:`parser` gives the row function; :attr:`memos` holds its memo tables (cell -> value or
    :data:`UNSURE`), one per cell reader, each at most :data:`MEMO_MAX` entries.
    """

    def __init__(self, header: Header) -> None:
        self.width = header.width
        pad = header.width  # an absent column reads the "" appended to every record
        self.cols = {c: header.index.get(c, pad) for c in KNOWN_COLUMNS}
        self.has_alliances = "alliances" in header.index
        self.memos: dict[Callable[[str], Any], dict[str, Any]] = {}

    def _memo(self, fn: Callable[[str], Any]) -> Callable[[str], Any]:
        table = self.memos.setdefault(fn, {})
        get = table.get

        def lookup(cell: str) -> Any:
            value = get(cell, UNSURE)
            if value is UNSURE and cell not in table:
                value = fn(cell)
                if len(table) < MEMO_MAX:
                    table[cell] = value
            return value

        return lookup

    def parser(self) -> RowParser:
        """The row function. It pads a record it is given (to the header's width, plus one ""); a caller
        that takes a declined record to the slow path cuts it back to its length first."""
        c = self.cols
        i_id, i_ref, i_date, i_kind = c["id"], c["ref"], c["date"], c["kind"]
        i_from, i_to, i_amount, i_cur = c["from_org"], c["to_org"], c["amount"], c["currency"]
        i_qual, i_text, i_cap, i_status = c["qualifier"], c["amount_text"], c["capacity_gw"], c["status"]
        i_all, i_desc, i_outlet, i_author = c["alliances"], c["description"], c["source_outlet"], c["source_author"]
        i_title, i_url, i_sdate, i_cap_q = c["source_title"], c["source_url"], c["source_date"], c["capacity_qualifier"]
        i_extra = [c[name] for name in FIRST_SOURCE_EXTRA]
        width, has_alliances = self.width, self.has_alliances
        date_of, kind_of, name_of = self._memo(_memo_date), self._memo(_memo_kind), self._memo(_memo_name)
        cur_of, qual_of, status_of = self._memo(_memo_currency), self._memo(_memo_qualifier), self._memo(_memo_status)
        cap_of, short_of, sdate_of = self._memo(_memo_capacity), self._memo(_memo_short), self._memo(_memo_source_date)
        alliances_of = self._memo(_memo_alliances)
        plain = PLAIN_AMOUNT.fullmatch
        clean = clean_cell
        bad = UNSURE
        max_id = MAX_ID

        def parse(record: list[str], line: int) -> tuple[Any, ...] | None:
            n = len(record)
            if n < width:
                record.extend([""] * (width - n))
            record.append("")
            cell = record[i_id]
            deal_id = None
            if cell:
                if not (cell.isdigit() and cell.isascii()):
                    return None
                deal_id = int(cell)
                if deal_id <= 0 or deal_id > max_id:
                    return None
            if record[i_ref]:
                return None
            for i in i_extra:  # the rest of a first source (schema 0011): the slow path checks it
                if record[i]:
                    return None
            date = date_of(record[i_date])
            kind = kind_of(record[i_kind])
            from_name_key = name_of(record[i_from])
            to_name_key = name_of(record[i_to])
            if date is bad or kind is bad or from_name_key is bad or to_name_key is bad:
                return None
            from_name, from_key = from_name_key
            to_name, to_key = to_name_key
            if from_name is None:
                return None
            if kind == "infrastructure":
                if to_name is not None:
                    return None
            elif to_name is None or to_key == from_key:
                return None
            currency = cur_of(record[i_cur])
            qualifier = qual_of(record[i_qual])
            if currency is bad or qualifier is bad or record[i_text] or record[i_cap_q]:
                return None
            cell = record[i_amount]
            if not cell or cell.isspace():
                if qualifier is not None and qualifier != "undisclosed":
                    return None
                amount = None
                qualifier = "undisclosed"
            else:
                if qualifier == "undisclosed" or plain(cell) is None:
                    return None
                amount = plain_scaled(cell)
                qualifier = qualifier or "exact"
            capacity = cap_of(record[i_cap])
            capacity_q = None
            if capacity is not None and capacity is not bad:
                capacity, capacity_q = capacity
            status = status_of(record[i_status])
            outlet = short_of(record[i_outlet])
            author = short_of(record[i_author])
            source_date = sdate_of(record[i_sdate])
            alliances = alliances_of(record[i_all]) if has_alliances else None
            if (capacity is bad or status is bad or outlet is bad or author is bad or source_date is bad
                    or alliances is bad):  # fmt: skip
                return None
            return (
                line, deal_id, None, alliances, from_name, from_key, to_name, to_key, date[0], date[1], kind,
                amount, currency, qualifier, None, capacity, capacity_q, status, clean(record[i_desc]), outlet, author,
                clean(record[i_title]), clean(record[i_url]), source_date, None,
            )  # fmt: skip

        return parse
