"""Announced dates with a precision: a day, a month, a quarter or only a year.

Read as people and spreadsheets write them: ISO (``2025-09-29``, ``2025-09``, ``2025``), ``2025/9/29``,
``2025年9月29日``, English month names (``Sep 2025``, ``September 2025``, ``29 Sep 2025``, ``Sep 29, 2025``),
Excel's date-times (``2025-09-30 00:00:00``: the time is ignored), day-first or month-first slash dates
only where the reading is certain (``29/9/2025``, ``9/29/2025``; ``9/10/2025`` is refused, naming both
readings), and quarters (``2025-Q3``, ``2025 Q3``, ``Q3 2025``, ``2025年三季度``, ``2025年第三季度``, ``2025年Q3``).
A date at month, quarter or year precision is stored as the first day of its period; :func:`period_end`
is its last, so a filter can keep every deal whose period overlaps a range. The quarter's precision is
stored as ``qtr`` (the column holds at most 5 characters; :data:`PRECISION_WORDS` names it "quarter").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from tracker.core.domain.errors import TrackerError

_ISO = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_CJK = re.compile(r"^(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?$")
_TIME = re.compile(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = r"([A-Za-z]{3,9})\.?"
_MONTH_YEAR = re.compile(rf"^{_MONTH}\s+(\d{{4}})$")
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})\s+{_MONTH},?\s+(\d{{4}})$")
_MONTH_DAY_YEAR = re.compile(rf"^{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})$")
_QUARTER_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTERS = (
    re.compile(r"^(\d{4})\s*[-/ ]?\s*[Qq]([1-4])$"),  # 2025-Q3, 2025 Q3, 2025Q3
    re.compile(r"^[Qq]([1-4])\s*[-/ ]?\s*(\d{4})$"),  # Q3 2025, Q3-2025
    re.compile(r"^(\d{4})\s*年\s*(?:第\s*([一二三四1-4])\s*季度?|([一二三四1-4])\s*季度|[Qq]([1-4]))$"),
)
QUARTER = "qtr"
"""The stored precision of a quarter (``date_precision`` holds at most 5 characters)."""
PRECISION_WORDS = {"day": "day", "month": "month", QUARTER: "quarter", "year": "year"}
"""Each stored precision as people say it."""
FORMS = "YYYY-MM-DD, YYYY-MM, YYYY-Q3, YYYY, Sep 2025, 29 Sep 2025 or 29/9/2025"
"""The forms named in messages."""


class DateError(TrackerError, ValueError):
    """A date that cannot be read; the message names the value."""


def parse_date(text: str) -> tuple[dt.date, str]:
    """The date and its precision (``day``, ``month``, ``qtr`` or ``year``) of ``text`` in any form of the module."""
    raw = " ".join(text.split())
    quarter = _quarter(raw)
    if quarter is not None:
        year, q = quarter
        if year < 1900 or year > 2200:
            raise DateError(f"date {text!r}: year out of range 1900-2200")
        return dt.date(year, 3 * q - 2, 1), QUARTER
    timed = _TIME.match(raw)
    if timed:
        raw = timed.group(1)
    year, month, day = _fields(raw, text)
    precision = "day" if day else "month" if month else "year"
    try:
        value = dt.date(year, month or 1, day or 1)
    except ValueError as exc:
        raise DateError(f"date {text!r}: {exc}") from None
    if year < 1900 or year > 2200:
        raise DateError(f"date {text!r}: year out of range 1900-2200")
    return value, precision


def _quarter(raw: str) -> tuple[int, int] | None:
    """(year, quarter 1-4) of a quarter's form, or None."""
    m = _QUARTERS[0].match(raw)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = _QUARTERS[1].match(raw)
    if m:
        return int(m.group(2)), int(m.group(1))
    m = _QUARTERS[2].match(raw)
    if m:
        digit = next(g for g in m.groups()[1:] if g)
        return int(m.group(1)), _QUARTER_DIGITS[digit]
    return None


def _fields(raw: str, text: str) -> tuple[int, int | None, int | None]:
    m = _ISO.match(raw) or _CJK.match(raw)
    if m:
        return int(m.group(1)), _int(m.group(2)), _int(m.group(3))
    m = _SLASH.match(raw)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 >= b:
            return year, b, a  # day first: 29/9/2025
        if b > 12 >= a:
            return year, a, b  # month first: 9/29/2025
        if a != b and a <= 12 and b <= 12:
            raise DateError(
                f"date {text!r}: ambiguous: {year}-{b:02d}-{a:02d} (day first) or {year}-{a:02d}-{b:02d} "
                "(month first); write it as YYYY-MM-DD"
            )
        return year, a, b
    m = _MONTH_YEAR.match(raw)
    if m:
        return int(m.group(2)), _month(m.group(1), text), None
    m = _DAY_MONTH_YEAR.match(raw)
    if m:
        return int(m.group(3)), _month(m.group(2), text), int(m.group(1))
    m = _MONTH_DAY_YEAR.match(raw)
    if m:
        return int(m.group(3)), _month(m.group(1), text), int(m.group(2))
    raise DateError(f"date {text!r}: not a date (use {FORMS})")


def _int(group: str | None) -> int | None:
    return int(group) if group else None


def _month(name: str, text: str) -> int:
    month = _MONTHS.get(name.lower())
    if month is None:
        raise DateError(f"date {text!r}: {name!r} is not a month name")
    return month


def format_date(value: dt.date | str, precision: str) -> str:
    """The date as written at its precision: ``2025-09-29``, ``2025-09``, ``2025-Q3`` or ``2025``."""
    iso = value if isinstance(value, str) else value.isoformat()
    if precision == QUARTER:
        return f"{iso[:4]}-Q{(int(iso[5:7]) - 1) // 3 + 1}"
    return iso[:4] if precision == "year" else iso[:7] if precision == "month" else iso[:10]


def describe_date(value: dt.date, precision: str) -> str:
    """A form's live reading of a date: ``= 2025-Q3 (Jul–Sep)``, ``= 2025-09 (September)``, ``= 2025-09-29``."""
    shown = format_date(value, precision)
    if precision == "day":
        return f"= {shown} ({value.strftime('%a')}, {value.day} {calendar.month_abbr[value.month]} {value.year})"
    if precision == "month":
        return f"= {shown} ({calendar.month_name[value.month]} {value.year})"
    if precision == QUARTER:
        first = period_start(value, precision)
        last = period_end(value, precision)
        return f"= {shown} ({calendar.month_abbr[first.month]}–{calendar.month_abbr[last.month]} {value.year})"
    return f"= {shown} (the whole year)"


def period_start(value: dt.date, precision: str) -> dt.date:
    """The first day of the period of ``precision`` that holds ``value``."""
    if precision == "year":
        return value.replace(month=1, day=1)
    if precision == "month":
        return value.replace(day=1)
    if precision == QUARTER:
        return value.replace(month=(value.month - 1) // 3 * 3 + 1, day=1)
    return value


def period_end(value: dt.date, precision: str) -> dt.date:
    """The last day of the period of ``precision`` that holds ``value`` (``2025-09`` → 2025-09-30)."""
    if precision == "year":
        return value.replace(month=12, day=31)
    if precision == "month":
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    if precision == QUARTER:
        last = (value.month - 1) // 3 * 3 + 3
        return value.replace(month=last, day=calendar.monthrange(value.year, last)[1])
    return value
