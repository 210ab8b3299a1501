"""The one reading of a typed FX rate (``tracker fx set`` and the totals pane's rate form)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tracker.core.domain.errors import TrackerError
from tracker.core.records.fx import RateError, parse_rate


@pytest.mark.parametrize(
    ("text", "value"),
    [("0.14", "0.14"), (" 0.14 ", "0.14"), ("1", "1"), ("7.1234567890123", "7.1234567890123"), ("1e-3", "0.001")],
)
def test_a_positive_number_is_a_rate_kept_exact(text: str, value: str) -> None:
    rate = parse_rate(text)
    assert rate == Decimal(value) and str(rate) == str(Decimal(text.strip()))


@pytest.mark.parametrize("text", ["-3", "0", "0.0", "-0", "", "  ", "abc", "0,14", "NaN", "sNaN", "inf", "-Infinity"])
def test_anything_else_is_refused_with_the_message_users_see(text: str) -> None:
    with pytest.raises(RateError) as caught:
        parse_rate(text)
    assert str(caught.value) == f"rate {text!r}: must be a positive number such as 0.14"
    assert isinstance(caught.value, TrackerError) and isinstance(caught.value, ValueError)


def test_the_label_names_the_field_as_the_user_knows_it() -> None:
    with pytest.raises(RateError, match=r"^RATE '-3': must be a positive number such as 0\.14$"):
        parse_rate("-3", label="RATE")
