"""A deal's date from its sentence, relative to the article's date; written as the deals CSV writes dates
(``2025-09-29``, ``2025-09``, ``2025-Q3``, ``2025``).

Read, in this order, in the deal's clause then its sentence: a full date (2025年9月29日, September 29, 2025,
29 Sep 2025), a month (2025年9月, September 2025; 3月 and "in March" take the article's year, or the year
before when that month is still ahead of the article), a quarter (2025年第三季度, Q3 2025, 第三季度), a year
(2025年, "in 2025"; never one after by/until/到/至: a target, not the deal), and relative words: 今天/today,
昨天/yesterday (days), 本周/this week, 上周/last week, 本月/this month, 近日/日前/前不久/recently (the month of
that day), 上月/last month, 今年/this year, 去年/last year, 明年/next year, weekdays (on Monday: the last one on
or before the article's date). Nothing found: the article's month; an ongoing effort (持续, continues to): its
year. Hand-written rules: dateparser would add a large dependency for a few dozen phrases and does not read
the Chinese ones.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ZH_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_NOT_BEFORE = r"(?<!by )(?<!until )(?<!through )(?<!到)(?<!至)(?<!截至)(?<!before )(?<!从)(?<!自)(?<!starting in )"

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("ymd", r"(?P<y>20\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
        ("ymd", r"(?P<y>20\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
        ("mdy", rf"(?<![A-Za-z])(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>20\d\d)"),
        ("dmy", rf"(?<!\d)(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH_RE})\.?,?\s+(?P<y>20\d\d)"),
        ("ym", rf"{_NOT_BEFORE}(?P<y>20\d\d)\s*年\s*(?P<m>\d{{1,2}})\s*月(?!\s*\d{{1,2}}\s*[日号])"),
        ("ym", rf"{_NOT_BEFORE}(?<![A-Za-z])(?P<mon>{_MONTH_RE})\.?\s+(?P<y>20\d\d)"),
        ("q", r"(?P<y>20\d\d)\s*年\s*第?(?P<q>[一二三四1-4])\s*季度"),
        (
            "q",
            r"(?<![A-Za-z])Q(?P<q>[1-4])\s+(?P<y>20\d\d)|(?P<q2>first|second|third|fourth) quarter of (?P<y2>20\d\d)",
        ),
        ("md", r"(?<!\d)(?<!年)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
        ("m", r"(?<![\d年])(?P<m>\d{1,2})\s*月(?![份]?\s*\d)"),
        ("m", rf"(?<![A-Za-z])(?:in|since|on|during|early|late|mid)[\s-]+(?P<mon>{_MONTH_RE})(?![A-Za-z])(?!\s+\d)"),
        ("thisq", r"(?:今年)?第(?P<q>[一二三四])季度"),
        ("y", rf"{_NOT_BEFORE}(?<!\d)(?P<y>20\d\d)\s*年(?!\s*\d{{1,2}}\s*月)(?!底|末|前|以前)"),
        ("y", r"(?<![A-Za-z])(?:in|during|since) (?P<y>20\d\d)(?!\d)"),
        ("day0", r"今天|今日|(?<![A-Za-z])today"),
        ("day1", r"昨天|昨日|(?<![A-Za-z])yesterday"),
        ("week1", r"上周|上星期|(?<![A-Za-z])last week"),
        (
            "month0",
            r"本周|这周|本月|近日|日前|前不久|日内|(?<![A-Za-z])(?:this week|this month|earlier this month|recently)",
        ),
        ("month1", r"上月|上个月|(?<![A-Za-z])last month"),
        ("year0", r"今年|本年度|(?<![A-Za-z])this year"),
        ("year-1", r"去年|(?<![A-Za-z])last year"),
        ("year+1", r"明年|(?<![A-Za-z])next year"),
        ("weekday", r"(?<![A-Za-z])on (?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"),
    )
)
_HINT = re.compile(r"\d|今|昨|上|本|这周|近日|日前|前不久|日内|去年|明年|第.季度|today|yesterday|last|this|next|recently|"
                   rf"day\b|quarter|{_MONTH_RE}", re.IGNORECASE)  # fmt: skip
"""Something a date rule could read: a span without it is not searched by every rule."""
_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


@dataclass(frozen=True)
class Dated:
    text: str  # as the deals CSV writes it
    span: tuple[int, int] | None  # where it was read; None for the article's own date


def _month_back(year: int, month: int, article: dt.date) -> int:
    return year if month <= article.month else year - 1


def _read(name: str, m: re.Match[str], article: dt.date) -> str | None:
    g = m.groupdict()
    y = int(g["y"]) if g.get("y") else article.year
    mon = _MONTHS[g["mon"].lower().rstrip(".")] if g.get("mon") else int(g["m"]) if g.get("m") else None
    try:
        if name in ("ymd", "mdy", "dmy"):
            return dt.date(y, mon or 1, int(g["d"])).isoformat()
        if name == "ym" and mon and 1 <= mon <= 12:
            return f"{y:04d}-{mon:02d}"
        if name == "md" and mon:
            return dt.date(_month_back(y, mon, article), mon, int(g["d"])).isoformat()
        if name == "m" and mon and 1 <= mon <= 12:
            return f"{_month_back(y, mon, article):04d}-{mon:02d}"
    except ValueError:
        return None
    if name == "q":
        q = _ZH_NUM.get(g.get("q") or "") or _QUARTER_WORDS.get((g.get("q2") or "").lower())
        year = int(g.get("y") or g.get("y2") or article.year)
        return f"{year:04d}-Q{q}" if q else None
    if name == "thisq":
        return f"{article.year:04d}-Q{_ZH_NUM[g['q']]}"
    if name == "y":
        return f"{y:04d}"
    return _relative(name, g, article)


def _relative(name: str, g: dict[str, str | None], article: dt.date) -> str | None:
    if name == "day0":
        return article.isoformat()
    if name == "day1":
        return (article - dt.timedelta(days=1)).isoformat()
    if name == "week1":
        return (article - dt.timedelta(days=7)).strftime("%Y-%m")
    if name == "month0":
        return article.strftime("%Y-%m")
    if name == "month1":
        first = article.replace(day=1) - dt.timedelta(days=1)
        return first.strftime("%Y-%m")
    if name.startswith("year"):
        return f"{article.year + int(name[4:] or 0):04d}"
    if name == "weekday" and g.get("wd"):
        back = (article.weekday() - _WEEKDAYS[str(g["wd"]).lower()]) % 7
        return (article - dt.timedelta(days=back)).isoformat()
    return None


def find_date(norm: str, spans: tuple[tuple[int, int], ...], article: dt.date, *, future: bool = True) -> Dated | None:
    """The first date said in the first of ``spans`` (clause, then sentence) that has one; ``future`` False
    leaves out dates after the article's (a deal is struck by the time it is reported: a later date is a
    delivery or a target)."""
    for start, end in spans:
        if not _HINT.search(norm, start, end):
            continue
        best: tuple[int, str, tuple[int, int]] | None = None
        for name, pattern in _RULES:
            for m in pattern.finditer(norm, start, end):
                text = _read(name, m, article)
                if text is None or (not future and _after(text, article)):
                    continue
                if best is None or m.start() < best[0]:
                    best = (m.start(), text, m.span())
                break
        if best is not None:
            return Dated(best[1], best[2])
    return None


def _after(text: str, article: dt.date) -> bool:
    from tracker.core.domain.dates import parse_date, period_start

    day, precision = parse_date(text)
    return period_start(day, precision) > article


def default_date(article: dt.date, ongoing: bool) -> Dated:
    """The date of a deal whose sentence gives none: the article's month (its year for an ongoing effort)."""
    return Dated(f"{article.year:04d}" if ongoing else article.strftime("%Y-%m"), None)


_DATELINE = re.compile(r"(20\d\d)\s*[年-]\s*(\d{1,2})\s*[月-]\s*(\d{1,2})|"
                       rf"(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>20\d\d)", re.IGNORECASE)  # fmt: skip


def dateline(text: str) -> dt.date | None:
    """The article's date from its first lines (a dateline: 2025年9月29日 07:19, Sept. 29, 2025), or None."""
    head = "\n".join(text.splitlines()[:4])
    m = _DATELINE.search(head)
    if m is None:
        return None
    try:
        if m.group(1):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return dt.date(int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"]))
    except ValueError:
        return None
