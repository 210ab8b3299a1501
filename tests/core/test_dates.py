"""Dates as people and spreadsheets write them (issue 12), each with its precision, and date filters that
keep every deal whose period overlaps the range."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.core.domain.dates import (
    PRECISION_WORDS,
    QUARTER,
    DateError,
    describe_date,
    format_date,
    parse_date,
    period_end,
    period_start,
)
from tracker.core.domain.fields import DealValues
from tracker.core.records.changes import add_deal
from tracker.core.records.details import deal_label
from tracker.core.records.pages import DealFilter, count_deals
from tracker.core.storage.handle import Database

D = dt.date


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("2025-09-29", D(2025, 9, 29), "day"),
        ("2025-09", D(2025, 9, 1), "month"),
        ("2025", D(2025, 1, 1), "year"),
        ("2025/9/29", D(2025, 9, 29), "day"),
        ("2025年9月29日", D(2025, 9, 29), "day"),
        ("2025年9月", D(2025, 9, 1), "month"),
        ("Sep 2025", D(2025, 9, 1), "month"),
        ("September 2025", D(2025, 9, 1), "month"),
        ("Sept. 2025", D(2025, 9, 1), "month"),
        ("sep 2025", D(2025, 9, 1), "month"),
        ("29 Sep 2025", D(2025, 9, 29), "day"),
        ("Sep 29, 2025", D(2025, 9, 29), "day"),
        ("September 29 2025", D(2025, 9, 29), "day"),
        ("9/29/2025", D(2025, 9, 29), "day"),  # month first: 29 is no month
        ("29/9/2025", D(2025, 9, 29), "day"),  # day first
        ("9/9/2025", D(2025, 9, 9), "day"),  # both readings agree
        ("2025-09-30 00:00:00", D(2025, 9, 30), "day"),  # Excel's date-time: the time ignored
        ("2025-09-30T17:45", D(2025, 9, 30), "day"),
        ("2025/9/30 0:00", D(2025, 9, 30), "day"),
        ("  2025-09-29  ", D(2025, 9, 29), "day"),
    ],
)
def test_every_written_form_is_read_with_its_precision(text: str, day: dt.date, precision: str) -> None:
    assert parse_date(text) == (day, precision)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9/10/2025", "ambiguous: 2025-10-09 (day first) or 2025-09-10 (month first)"),
        ("Smarch 2025", "'Smarch' is not a month name"),
        ("2025-13", "month must be in 1..12"),
        ("31 Feb 2025", "day is out of range for month"),
        ("1.42E+10", "not a date"),
        ("1850", "year out of range 1900-2200"),
        ("yesterday", "not a date"),
    ],
)
def test_what_cannot_be_read_is_refused_saying_why(text: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert message in str(caught.value) and repr(text) in str(caught.value)


def test_periods_and_their_written_form() -> None:
    assert period_start(D(2025, 9, 15), "month") == D(2025, 9, 1)
    assert period_end(D(2025, 9, 1), "month") == D(2025, 9, 30)
    assert period_end(D(2024, 2, 1), "month") == D(2024, 2, 29)
    assert (period_start(D(2025, 9, 15), "year"), period_end(D(2025, 1, 1), "year")) == (D(2025, 1, 1), D(2025, 12, 31))
    assert [format_date(D(2025, 9, 1), p) for p in ("day", "month", "year")] == ["2025-09-01", "2025-09", "2025"]


def _deal(conn, when: str, frm: str) -> int:  # type: ignore[no-untyped-def]
    day, precision = parse_date(when)
    values = DealValues(kind="investment", from_org=frm, to_org="Target", date=day, date_precision=precision)
    return add_deal(conn, values, create_orgs=True)[0]


def test_a_filter_keeps_every_deal_whose_period_overlaps(empty_db: Database) -> None:
    """Issue 12: "from 2025-09-15" dropped a deal of 2025-09 (stored as the 1st) while "to" kept it."""
    with empty_db.write() as conn:
        month = _deal(conn, "2025-09", "Month Co")
        year = _deal(conn, "2025", "Year Co")
        before = _deal(conn, "2025-09-14", "Day Co")
        assert deal_label(conn, month).startswith(f"#{month} 2025-09 investment")  # its precision, not 09-01
        assert deal_label(conn, year).startswith(f"#{year} 2025 investment")
    with empty_db.read() as conn:
        assert count_deals(conn, DealFilter(date_from=D(2025, 9, 15))) == 2  # the month and the year, not 09-14
        assert count_deals(conn, DealFilter(date_to=D(2025, 9, 15))) == 3
        assert count_deals(conn, DealFilter(date_from=D(2025, 10, 1))) == 1  # the year only
        assert count_deals(conn, DealFilter(date_from=D(2026, 1, 1))) == 0
        assert count_deals(conn, DealFilter(date_from=D(2025, 9, 14), date_to=D(2025, 9, 14))) == 3
    assert before


# ---------------------------------------------------------------- quarters (issue 12)

QUARTER_FORMS = [
    ("2025-Q3", D(2025, 7, 1)),
    ("2025 Q3", D(2025, 7, 1)),
    ("2025Q3", D(2025, 7, 1)),
    ("2025-q3", D(2025, 7, 1)),
    ("Q3 2025", D(2025, 7, 1)),
    ("q3 2025", D(2025, 7, 1)),
    ("2025年三季度", D(2025, 7, 1)),
    ("2025年第三季度", D(2025, 7, 1)),
    ("2025年第3季度", D(2025, 7, 1)),
    ("2025年Q3", D(2025, 7, 1)),
    ("2025-Q1", D(2025, 1, 1)),
    ("2025年一季度", D(2025, 1, 1)),
    ("Q2 2026", D(2026, 4, 1)),
    ("2025年第四季度", D(2025, 10, 1)),
    ("  2025   Q4 ", D(2025, 10, 1)),
]


@pytest.mark.parametrize(("text", "day"), QUARTER_FORMS)
def test_every_quarter_form_is_read_at_quarter_precision(text: str, day: dt.date) -> None:
    assert parse_date(text) == (day, QUARTER)


@pytest.mark.parametrize("text", ["2025-Q5", "2025-Q0", "Q3", "2025年五季度", "1850-Q1", "Q3/2025/1"])
def test_what_is_no_quarter_is_refused(text: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert repr(text) in str(caught.value)


@pytest.mark.parametrize(
    ("day", "precision", "written", "start", "end", "said"),
    [
        (D(2025, 7, 1), QUARTER, "2025-Q3", D(2025, 7, 1), D(2025, 9, 30), "= 2025-Q3 (Jul–Sep 2025)"),
        (D(2025, 8, 17), QUARTER, "2025-Q3", D(2025, 7, 1), D(2025, 9, 30), "= 2025-Q3 (Jul–Sep 2025)"),
        (D(2024, 1, 1), QUARTER, "2024-Q1", D(2024, 1, 1), D(2024, 3, 31), "= 2024-Q1 (Jan–Mar 2024)"),
        (D(2025, 10, 1), QUARTER, "2025-Q4", D(2025, 10, 1), D(2025, 12, 31), "= 2025-Q4 (Oct–Dec 2025)"),
        (D(2025, 9, 1), "month", "2025-09", D(2025, 9, 1), D(2025, 9, 30), "= 2025-09 (September 2025)"),
        (D(2025, 9, 29), "day", "2025-09-29", D(2025, 9, 29), D(2025, 9, 29), "= 2025-09-29 (Mon, 29 Sep 2025)"),
        (D(2025, 1, 1), "year", "2025", D(2025, 1, 1), D(2025, 12, 31), "= 2025 (the whole year)"),
    ],
)
def test_each_precision_written_bounded_and_said(day, precision, written, start, end, said) -> None:  # type: ignore[no-untyped-def]
    assert format_date(day, precision) == written
    assert format_date(day.isoformat(), precision) == written  # as the export reads it from SQL
    assert (period_start(day, precision), period_end(day, precision)) == (start, end)
    assert describe_date(day, precision) == said
    assert PRECISION_WORDS[precision] == ("quarter" if precision == QUARTER else precision)


def test_a_quarter_is_stored_shown_and_filtered_as_its_period(empty_db: Database) -> None:
    """A deal of 2025-Q3 is stored as 2025-07-01 with precision ``qtr`` (the column holds 5 characters, so
    PostgreSQL stores it too), shown as 2025-Q3, and kept by any range that overlaps July to September."""
    from tracker.core.records.details import get_deal

    with empty_db.write() as conn:
        q3 = _deal(conn, "2025年第三季度", "Quarter Co")
        _deal(conn, "2025-10-01", "October Co")
    with empty_db.read() as conn:
        assert deal_label(conn, q3).startswith(f"#{q3} 2025-Q3 investment")
        detail = get_deal(conn, q3)
        assert detail is not None and (detail.date, detail.date_precision) == (D(2025, 7, 1), QUARTER)
        assert count_deals(conn, DealFilter(date_from=D(2025, 9, 30))) == 2  # the quarter runs to 30 September
        assert count_deals(conn, DealFilter(date_from=D(2025, 10, 1))) == 1
        assert count_deals(conn, DealFilter(date_to=D(2025, 7, 1))) == 1
        assert count_deals(conn, DealFilter(date_to=D(2025, 6, 30))) == 0
        assert count_deals(conn, DealFilter(date_from=D(2025, 8, 1), date_to=D(2025, 8, 31))) == 1
