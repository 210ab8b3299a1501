"""Announced dates with a precision: a day, a month or only a year."""

from __future__ import annotations

import datetime as dt
import re

from tracker.core.domain.errors import TrackerError

_ISO = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_CJK = re.compile(r"^(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?$")


class DateError(TrackerError, ValueError):
    """A date that cannot be read; the message names the value."""


def parse_date(text: str) -> tuple[dt.date, str]:
    """``2025-09-29`` (day), ``2025-09`` (month), ``2025`` (year), ``2025/9/29``, ``2025年9月29日``."""
    raw = text.strip()
    m = _ISO.match(raw) or _CJK.match(raw)
    if not m:
        raise DateError(f"date {text!r}: not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    precision = "day" if day else "month" if month else "year"
    try:
        value = dt.date(year, int(month or 1), int(day or 1))
    except ValueError as exc:
        raise DateError(f"date {text!r}: {exc}") from None
    if year < 1900 or year > 2200:
        raise DateError(f"date {text!r}: year out of range 1900-2200")
    return value, precision


def format_date(value: dt.date | str, precision: str) -> str:
    """The date as written at its precision: ``2025-09-29``, ``2025-09`` or ``2025``."""
    iso = value if isinstance(value, str) else value.isoformat()
    return iso[:4] if precision == "year" else iso[:7] if precision == "month" else iso[:10]
