"""Amounts as Korean, Japanese, traditional Chinese, Indonesian and Vietnamese sources write them (issue 12),
read by the one amount parser; Excel's scientific notation stays refused, with the way out."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tracker.core.domain.amount_parser import AmountError, parse_amount


@pytest.mark.parametrize(
    ("text", "amount", "currency", "qualifier"),
    [
        ("100億美元", "10000000000", "USD", "exact"),  # traditional Chinese
        ("10萬美元", "100000", "USD", "exact"),
        ("高達1000億美元", "100000000000", "USD", "up to"),
        ("3兆円", "3000000000000", "JPY", "exact"),  # Japanese
        ("5000万円", "50000000", "JPY", "exact"),
        ("１００億円", "10000000000", "JPY", "exact"),  # full-width digits
        ("4500억원", "450000000000", "KRW", "exact"),  # Korean
        ("₩45조", "45000000000000", "KRW", "exact"),
        ("45 trillion won", "45000000000000", "KRW", "exact"),
        ("Rp 5 triliun", "5000000000000", "IDR", "exact"),  # Indonesian
        ("Rp5 miliar", "5000000000", "IDR", "exact"),
        ("1000 tỷ đồng", "1000000000000", "VND", "exact"),  # Vietnamese
        ("₫500 triệu", "500000000", "VND", "exact"),
        ("至少100億美元", "10000000000", "USD", "at least"),
        ("about ¥3兆", "3000000000000", "CNY", "estimated"),  # ¥ stays CNY unless JPY is given
    ],
)
def test_each_script_and_currency_sign_is_read(
    text: str, amount: str | None, currency: str | None, qualifier: str | None
) -> None:
    if amount is None:
        with pytest.raises(AmountError):
            parse_amount(text, None, None)
        return
    got = parse_amount(text, None, None)
    assert (got.amount, got.currency, got.qualifier) == (Decimal(amount), currency, qualifier)


def test_excel_scientific_notation_is_refused_with_the_way_out() -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount("1.42E+10", "USD", None)
    message = str(caught.value)
    assert "'1.42E+10'" in message and "scientific notation" in message
    assert "format it as Number" in message
