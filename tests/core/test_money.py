"""Tests for the money of the domain: the one amount parser, its word tables (currencies) and formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.core.domain.amount_format import describe, format_amount, format_plain
from tracker.core.domain.amount_parser import (
    MAX_AMOUNT,
    AmountError,
    ParsedAmount,
    is_currency,
    normalise_currency,
    parse_amount,
)
from tracker.core.domain.amount_words import CURRENCIES, SYMBOLS, YEN_NOTE
from tracker.core.domain.scaled import SCALE
from tracker.core.domain.vocab import QUALIFIERS

D = Decimal
B100 = D("100000000000")

# text, amount, currency, qualifier
ACCEPTED: list[tuple[str, Decimal, str | None, str]] = [
    ("100000000000", B100, None, "exact"),
    ("100,000,000,000", B100, None, "exact"),
    ("100 000 000 000", B100, None, "exact"),
    ("100_000_000_000", B100, None, "exact"),
    ("100\u2009000\u2009000\u2009000", B100, None, "exact"),  # thin spaces
    ("100\u00a0000\u00a0000\u00a0000", B100, None, "exact"),  # no-break spaces
    ("1 000 000", D("1000000"), None, "exact"),
    ("1,000.5", D("1000.5"), None, "exact"),
    ("12.3456", D("12.3456"), None, "exact"),
    ("12.", D("12"), None, "exact"),
    ("0", D("0"), None, "exact"),
    ("0.00", D("0"), None, "exact"),
    ("$0", D("0"), "USD", "exact"),
    ("$100B", B100, "USD", "exact"),
    ("$100b", B100, "USD", "exact"),
    ("US$100 billion", B100, "USD", "exact"),
    ("USD 100bn", B100, "USD", "exact"),
    ("usd 100bn", B100, "USD", "exact"),
    ("100 bn USD", B100, "USD", "exact"),
    ("100 billion dollars", B100, "USD", "exact"),
    ("100 billion US dollars", B100, "USD", "exact"),
    ("$100B USD", B100, "USD", "exact"),
    ("100 EUR", D("100"), "EUR", "exact"),
    ("€5M", D("5000000"), "EUR", "exact"),
    ("5 €", D("5"), "EUR", "exact"),
    ("£2.5bn", D("2500000000"), "GBP", "exact"),
    ("₩3 trillion", D("3000000000000"), "KRW", "exact"),
    ("₹500m", D("500000000"), "INR", "exact"),
    ("HK$5B", D("5000000000"), "HKD", "exact"),
    ("A$1.5bn", D("1500000000"), "AUD", "exact"),
    ("C$2B", D("2000000000"), "CAD", "exact"),
    ("S$700M", D("700000000"), "SGD", "exact"),
    ("NT$ 300 billion", D("300000000000"), "TWD", "exact"),
    ("R$10B", D("10000000000"), "BRL", "exact"),
    ("5 tn euros", D("5000000000000"), "EUR", "exact"),
    ("5 yen", D("5"), "JPY", "exact"),
    # English multipliers
    ("5k", D("5000"), None, "exact"),
    ("5K", D("5000"), None, "exact"),
    ("5 thousand", D("5000"), None, "exact"),
    ("5m", D("5000000"), None, "exact"),
    ("5M", D("5000000"), None, "exact"),
    ("5 mn", D("5000000"), None, "exact"),
    ("5mm", D("5000000"), None, "exact"),
    ("5 million", D("5000000"), None, "exact"),
    ("5 Million", D("5000000"), None, "exact"),
    ("5b", D("5000000000"), None, "exact"),
    ("5 BN", D("5000000000"), None, "exact"),
    ("5 billion", D("5000000000"), None, "exact"),
    ("1.5t", D("1500000000000"), None, "exact"),
    ("1.5T", D("1500000000000"), None, "exact"),
    ("1.5 tn", D("1500000000000"), None, "exact"),
    ("1.5 trillion", D("1500000000000"), None, "exact"),
    ("1.23456B", D("1234560000"), None, "exact"),  # places counted after the unit
    # qualifiers: up to
    ("up to $100B", B100, "USD", "up to"),
    ("Up To $100B", B100, "USD", "up to"),
    ("as much as $100B", B100, "USD", "up to"),
    ("≤ $100B", B100, "USD", "up to"),
    ("≤$100B", B100, "USD", "up to"),
    ("<= $100B", B100, "USD", "up to"),
    ("高达1000亿美元", B100, "USD", "up to"),
    ("最高1000亿美元", B100, "USD", "up to"),
    ("不超过1000亿美元", B100, "USD", "up to"),
    # at least
    ("at least 10B", D("10000000000"), None, "at least"),
    ("≥ 10B", D("10000000000"), None, "at least"),
    (">= 10B", D("10000000000"), None, "at least"),
    ("more than 10B", D("10000000000"), None, "at least"),
    ("over 10B", D("10000000000"), None, "at least"),
    ("至少100亿", D("10000000000"), None, "at least"),
    ("超过100亿", D("10000000000"), None, "at least"),
    ("逾100亿", D("10000000000"), None, "at least"),
    ("$10B+", D("10000000000"), "USD", "at least"),
    ("100亿美元以上", D("10000000000"), "USD", "at least"),
    # estimated
    ("about $5M", D("5000000"), "USD", "estimated"),
    ("approximately $5M", D("5000000"), "USD", "estimated"),
    ("approx. $5M", D("5000000"), "USD", "estimated"),
    ("~$5M", D("5000000"), "USD", "estimated"),
    ("~ $5M", D("5000000"), "USD", "estimated"),
    ("≈ $5M", D("5000000"), "USD", "estimated"),
    ("estimated $5M", D("5000000"), "USD", "estimated"),
    ("est. $5M", D("5000000"), "USD", "estimated"),
    ("$5M est.", D("5000000"), "USD", "estimated"),
    ("around $5M", D("5000000"), "USD", "estimated"),
    ("约500万", D("5000000"), None, "estimated"),
    ("大约500万", D("5000000"), None, "estimated"),
    ("近500万", D("5000000"), None, "estimated"),
    ("500万左右", D("5000000"), None, "estimated"),
    # Chinese units and currency words
    ("3800亿元", D("380000000000"), "CNY", "exact"),
    ("1000亿美元", B100, "USD", "exact"),
    ("1.5万亿元", D("1500000000000"), "CNY", "exact"),
    ("5万", D("50000"), None, "exact"),
    ("5千", D("5000"), None, "exact"),
    ("5百万", D("5000000"), None, "exact"),
    ("5千万", D("50000000"), None, "exact"),
    ("5亿", D("500000000"), None, "exact"),
    ("5万亿", D("5000000000000"), None, "exact"),
    ("3千亿", D("300000000000"), None, "exact"),
    ("380 bn RMB", D("380000000000"), "CNY", "exact"),
    ("380 billion yuan", D("380000000000"), "CNY", "exact"),
    ("人民币3800亿元", D("380000000000"), "CNY", "exact"),
    ("3800亿人民币", D("380000000000"), "CNY", "exact"),
    ("50亿欧元", D("5000000000"), "EUR", "exact"),
    ("50亿日元", D("5000000000"), "JPY", "exact"),
    ("50亿港元", D("5000000000"), "HKD", "exact"),
    ("50亿英镑", D("5000000000"), "GBP", "exact"),
    ("１０００亿美元", B100, "USD", "exact"),  # fullwidth digits
    ("约３８００亿元", D("380000000000"), "CNY", "estimated"),
    # limits
    ("1000000000000000000", MAX_AMOUNT, None, "exact"),  # 10^18 (schema 0007)
    ("1000000T", MAX_AMOUNT, None, "exact"),
    ("999999999999999999.9999", MAX_AMOUNT - D("0.0001"), None, "exact"),
    ("450조원", D("450000000000000"), "KRW", "exact"),  # Samsung's plan: 4.5 × 10^14, over the old limit
    ("100000000000000.5", D("100000000000000.5"), None, "exact"),
    ("0.0001", D("0.0001"), None, "exact"),
]


@pytest.mark.parametrize(("text", "amount", "currency", "qualifier"), ACCEPTED)
def test_parse_accepted(text: str, amount: Decimal, currency: str | None, qualifier: str) -> None:
    parsed = parse_amount(text)
    assert parsed.amount == amount
    assert parsed.currency == currency
    assert parsed.qualifier == qualifier
    assert parsed.text == text.strip()
    assert parsed.amount is not None
    # normalised: plain digits, no exponent, no trailing zeros
    assert "E" not in str(parsed.amount)
    assert str(parsed.amount) == format_plain(amount)


@pytest.mark.parametrize(
    "text",
    ["", "   ", None, "undisclosed", "Undisclosed", "n/a", "N/A", "未披露", "-", "—"],
)
def test_parse_undisclosed(text: str | None) -> None:
    parsed = parse_amount(text)
    assert parsed == ParsedAmount(None, None, "undisclosed", (text or "").strip())


def test_undisclosed_keeps_currency_argument() -> None:
    parsed = parse_amount("", currency="usd ")
    assert (parsed.amount, parsed.currency, parsed.qualifier) == (None, "USD", "undisclosed")
    # a blank amount is undisclosed whatever the qualifier column says
    assert parse_amount("", qualifier="up to").qualifier == "undisclosed"
    assert parse_amount("-", qualifier="undisclosed").qualifier == "undisclosed"


def test_zero_is_distinct_from_undisclosed() -> None:
    parsed = parse_amount("0")
    assert parsed.amount == 0
    assert parsed.qualifier == "exact"
    assert describe(parsed) == "= 0 (no currency)"


# text, a fragment the message must contain (besides the text itself)
REJECTED: list[tuple[str, str]] = [
    ("abc", "not a number"),
    ("12abc", "abc"),
    ("$", "not a number"),
    ("B", "not a number"),
    ("up to", "not a number"),
    ("-5", "must not be negative"),
    ("-$5B", "must not be negative"),
    ("\u22125", "must not be negative"),  # unicode minus
    ("(5)", "must not be negative"),
    ("$(5)", "must not be negative"),
    ("NaN", "not a number"),
    ("nan", "not a number"),
    ("inf", "not a number"),
    ("Infinity", "not a number"),
    ("-Infinity", "not a number"),
    ("1e999", "scientific notation"),
    ("1.2e9", "scientific notation"),
    ("1.2E9", "scientific notation"),
    ("1E+9", "scientific notation"),
    ("$1.2e9", "scientific notation"),
    ("1.23456", f"more than {SCALE} decimal places"),
    ("0.00001", f"more than {SCALE} decimal places"),
    ("1000000000000000000.0001", "larger than 10^18"),
    ("1000000000000000001", "larger than 10^18"),
    ("1000001T", "larger than 10^18"),
    ("2000000兆円", "larger than 10^18"),
    ("9" * 199, "larger than 10^18"),
    ("5 10", "more than one number"),
    ("$5 $10", "more than one number"),
    ("5-10B", "ranges are not supported"),
    ("5 to 10", "ranges are not supported"),
    ("$5 EUR", "more than one currency"),
    ("€5 USD", "more than one currency"),
    ("5美元 元", "more than one currency"),
    ("1,5", "ambiguous decimal comma"),
    ("1,50", "ambiguous decimal comma"),
    ("1,5000", "ambiguous decimal comma"),
    ("1.000.000", "ambiguous"),
    ("100 XYZ", "XYZ"),
    ("XYZ 100", "XYZ"),
    ("B 5", "must follow the number"),
    ("5 B M", "more than one unit"),
    ("5万亿B", "more than one unit"),
    ("+5", "before the number"),
    ("up to at least 5", "more than one qualifier"),
    ("5 (", "unexpected"),
    ("5-", "unexpected"),
    ("5,", "unexpected"),
    ("x" * 201, "longer than 200 characters"),
]


@pytest.mark.parametrize(("text", "fragment"), REJECTED)
def test_parse_rejected(text: str, fragment: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(text)
    message = str(info.value)
    shown = text if len(text) <= 60 else text[:60]
    assert message.startswith(f"amount '{shown}")
    assert fragment in message


def test_error_message_example() -> None:
    with pytest.raises(AmountError, match=r"^amount 'abc': not a number$"):
        parse_amount("abc")
    with pytest.raises(AmountError, match=r"^amount '-5': must not be negative$"):
        parse_amount("-5")
    assert issubclass(AmountError, ValueError)


# --- the currency argument ----------------------------------------------------------

# text, currency argument, expected currency, expected note
CURRENCY_ARG: list[tuple[str, str | None, str | None, str | None]] = [
    ("100000000000", "USD", "USD", None),
    ("100000000000", "usd ", "USD", None),
    ("100000000000", "RMB", "CNY", None),
    ("100000000000", "", None, None),
    ("$100B", "USD", "USD", None),
    ("$100B", "AUD", "AUD", None),  # $ yields to an explicit dollar currency
    ("3800亿元", "CNY", "CNY", None),
    ("¥100", None, "CNY", YEN_NOTE),
    ("￥100", None, "CNY", YEN_NOTE),
    ("¥100", "JPY", "JPY", None),  # ambiguous symbol yields: not a conflict
    ("¥100", "jpy", "JPY", None),
    ("¥100", "CNY", "CNY", None),
    ("¥100 JPY", None, "JPY", None),
    ("¥100 日元", None, "JPY", None),
    ("¥100亿元", None, "CNY", None),  # 元 settles it: no guess, no note
    ("100 yen", None, "JPY", None),
]


@pytest.mark.parametrize(("text", "arg", "currency", "note"), CURRENCY_ARG)
def test_currency_argument(text: str, arg: str | None, currency: str | None, note: str | None) -> None:
    parsed = parse_amount(text, currency=arg)
    assert parsed.currency == currency
    assert parsed.note == note


# text, currency argument, fragments of the message
CURRENCY_CONFLICTS: list[tuple[str, str, tuple[str, ...]]] = [
    ("$100B", "CNY", ("currency USD in the text conflicts with currency CNY",)),
    ("€5M", "USD", ("currency EUR in the text conflicts with currency USD",)),
    ("1000亿美元", "CNY", ("USD", "CNY", "conflicts")),
    ("¥100", "USD", ("CNY", "USD", "conflicts")),
    ("US$5", "AUD", ("USD", "AUD", "conflicts")),
]


@pytest.mark.parametrize(("text", "arg", "fragments"), CURRENCY_CONFLICTS)
def test_currency_conflict(text: str, arg: str, fragments: tuple[str, ...]) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(text, currency=arg)
    message = str(info.value)
    assert message.startswith(f"amount '{text}': ")
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize("arg", ["XYZ", "dollars?", "US", "usdd"])
def test_unknown_currency_argument(arg: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount("5", currency=arg)
    assert str(info.value) == f"currency '{arg}': not an ISO 4217 code"


# --- the qualifier argument ---------------------------------------------------------

# text, qualifier argument, expected qualifier
QUALIFIER_ARG: list[tuple[str, str | None, str]] = [
    ("$1B", None, "exact"),
    ("$1B", "", "exact"),
    ("$1B", "exact", "exact"),
    ("$1B", "up to", "up to"),
    ("$1B", "up_to", "up to"),
    ("$1B", "Up To", "up to"),
    ("$1B", "at_least", "at least"),
    ("$1B", "estimated", "estimated"),
    ("up to $1B", None, "up to"),
    ("up to $1B", "exact", "up to"),  # the text is more specific than a default
    ("up to $1B", "up to", "up to"),
    ("up to $1B", "up_to", "up to"),
    ("约10亿", "estimated", "estimated"),
]


@pytest.mark.parametrize(("text", "arg", "qualifier"), QUALIFIER_ARG)
def test_qualifier_argument(text: str, arg: str | None, qualifier: str) -> None:
    assert parse_amount(text, qualifier=arg).qualifier == qualifier


@pytest.mark.parametrize(
    ("text", "arg", "message"),
    [
        (
            "up to $1B",
            "at least",
            "amount 'up to $1B': qualifier 'up to' conflicts with qualifier 'at least'",
        ),
        (
            "~5M",
            "at_least",
            "amount '~5M': qualifier 'estimated' conflicts with qualifier 'at least'",
        ),
        ("$1B", "undisclosed", "amount '$1B': qualifier 'undisclosed' conflicts"),
        ("0", "undisclosed", "amount '0': qualifier 'undisclosed' conflicts"),
        ("$1B", "roughly-ish", "qualifier 'roughly-ish': not one of"),
    ],
)
def test_qualifier_conflict(text: str, arg: str, message: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(text, qualifier=arg)
    assert str(info.value).startswith(message)


# --- currencies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("USD", "USD"),
        ("usd ", "USD"),
        (" eur", "EUR"),
        ("RMB", "CNY"),
        ("rmb", "CNY"),
        ("元", "CNY"),
        ("人民币", "CNY"),
        ("美元", "USD"),
        ("US$", "USD"),
        ("us$", "USD"),
        ("€", "EUR"),
        ("¥", "CNY"),
        ("JPY", "JPY"),
        ("\uff35\uff33\uff24", "USD"),  # fullwidth
    ],
)
def test_normalise_currency(code: str, expected: str) -> None:
    assert normalise_currency(code) == expected
    assert is_currency(code)


@pytest.mark.parametrize("code", ["XYZ", "", "  ", "US", "USDX", "XXX", "dollarz"])
def test_normalise_currency_rejects(code: str) -> None:
    with pytest.raises(AmountError) as info:
        normalise_currency(code)
    assert str(info.value) == f"currency '{code.strip()}': not an ISO 4217 code"
    assert not is_currency(code)


def test_currency_data() -> None:
    assert 170 <= len(CURRENCIES) <= 190
    assert {"USD", "EUR", "CNY", "JPY", "GBP", "KRW", "INR", "HKD", "TWD"} <= CURRENCIES
    assert all(len(code) == 3 and code.isupper() for code in CURRENCIES)
    assert set(SYMBOLS.values()) <= CURRENCIES
    assert SYMBOLS["¥"] == "CNY"
    assert SYMBOLS["￥"] == "CNY"
    assert SYMBOLS["$"] == "USD"


# --- formatting ---------------------------------------------------------------------

FORMAT_AMOUNT: list[tuple[Decimal | None, str | None, str, str]] = [
    (D(10) ** 11, "USD", "exact", "$100B"),
    (D("380000000000"), "CNY", "exact", "CNY 380B"),
    (D(10) ** 11, "USD", "up to", "≤ $100B"),
    (D(10) ** 10, "USD", "at least", "≥ $10B"),
    (D(10) ** 10, None, "at least", "≥ 10B"),
    (D("5000000"), "USD", "estimated", "~ $5M"),
    (D("5000000"), "EUR", "exact", "€5M"),
    (D("5000000"), "GBP", "exact", "£5M"),
    (D("1500000000000"), "JPY", "exact", "JPY 1.5T"),
    (D(10) ** 11, None, "exact", "100B"),
    (D("1500000000000"), None, "exact", "1.5T"),
    (D("12345"), None, "exact", "12.35K"),
    (D("999"), None, "exact", "999"),
    (D("1000"), None, "exact", "1K"),
    (D("999999"), None, "exact", "1M"),  # 999.999K rounds up into the next unit
    (D("999994"), None, "exact", "999.99K"),
    (D("1.005"), None, "exact", "1.01"),
    (D("0.5"), None, "exact", "0.5"),
    (D("0"), None, "exact", "0"),
    (D("0"), "USD", "exact", "$0"),
    (D("1E+11"), "USD", "exact", "$100B"),
    (MAX_AMOUNT, "USD", "exact", "$1000000T"),
    (None, "USD", "exact", "undisclosed"),
    (None, None, "undisclosed", "undisclosed"),
    (D(5), "USD", "undisclosed", "undisclosed"),
    (D(10) ** 9, "USD", "up_to", "≤ $1B"),
]


@pytest.mark.parametrize(("amount", "currency", "qualifier", "expected"), FORMAT_AMOUNT)
def test_format_amount(amount: Decimal | None, currency: str | None, qualifier: str, expected: str) -> None:
    assert format_amount(amount, currency, qualifier) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (None, ""),
        (D("100000000000"), "100000000000"),
        (D("1E+11"), "100000000000"),
        (D("1.00E+11"), "100000000000"),
        (D("12.5"), "12.5"),
        (D("12.50"), "12.5"),
        (D("12.0000"), "12"),
        (D("0"), "0"),
        (D("0.000"), "0"),
        (D("0E+5"), "0"),
        (D("0.0001"), "0.0001"),
        (D("1E-4"), "0.0001"),
        (MAX_AMOUNT, "1000000000000000000"),
    ],
)
def test_format_plain(amount: Decimal | None, expected: str) -> None:
    assert format_plain(amount) == expected


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("up to $100B", None, "= 100,000,000,000 USD, up to"),
        ("3800亿元", None, "= 380,000,000,000 CNY"),
        ("at least 10B", None, "= 10,000,000,000 (no currency), at least"),
        ("~ 12.5", "EUR", "= 12.5 EUR, estimated"),
        ("1234.5678", None, "= 1,234.5678 (no currency)"),
        ("", None, "undisclosed"),
        ("undisclosed", "USD", "undisclosed"),
        ("¥100亿", None, f"= 10,000,000,000 CNY — {YEN_NOTE}"),
        ("¥100亿", "JPY", "= 10,000,000,000 JPY"),
    ],
)
def test_describe(text: str, currency: str | None, expected: str) -> None:
    assert describe(parse_amount(text, currency=currency)) == expected


@pytest.mark.parametrize("module", ["amount_words", "amount_parser", "amount_format"])
def test_no_float_in_module(module: str) -> None:
    import importlib
    from pathlib import Path

    path = importlib.import_module(f"tracker.core.domain.{module}").__file__
    assert path is not None
    source = Path(path).read_text(encoding="utf-8")
    assert "float(" not in source
    assert "import textual" not in source.lower()
    assert "from textual" not in source.lower()


# --- properties ---------------------------------------------------------------------

_QUALIFIER_TEXT = st.sampled_from(["", "up to ", "at least ", "~", "约", "≤", "高达", "over ", "about ", "-", "(", "+"])
_CURRENCY_TEXT = st.sampled_from(
    ["", "$", "US$", "€", "¥", "￥", "USD ", " EUR", "XYZ", "元", "美元", " dollars", "RMB"]
)
_NUMBER_TEXT = st.one_of(
    st.integers(min_value=0, max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.from_regex(r"[0-9]{1,4}([,. _'][0-9]{1,4}){0,3}", fullmatch=True),
    st.sampled_from(["NaN", "inf", "1e999", "1E-999", "-5", "(5)", ".5", "5.", "0"]),
)
_UNIT_TEXT = st.sampled_from(["", "k", "M", "bn", "B", " billion", "万", "亿", "万亿", "千万", "T", "e9", "+", "以上"])
_GRAMMAR_TEXT = st.tuples(
    _QUALIFIER_TEXT,
    _CURRENCY_TEXT,
    _NUMBER_TEXT,
    _UNIT_TEXT,
    _CURRENCY_TEXT,
    st.sampled_from(["", " ", "  ", " est."]),
).map("".join)
_CURRENCY_ARG = st.sampled_from([None, "", "USD", "cny", "JPY", "AUD", "XYZ", "¥"])
_QUALIFIER_ARG = st.sampled_from([None, "", *QUALIFIERS, "up_to", "at_least", "bogus"])


def _check_result(parsed: ParsedAmount) -> None:
    assert parsed.qualifier in QUALIFIERS
    if parsed.amount is None:
        assert parsed.qualifier == "undisclosed"
    else:
        assert parsed.qualifier != "undisclosed"
        assert D(0) <= parsed.amount <= MAX_AMOUNT
        exponent = parsed.amount.as_tuple().exponent
        assert isinstance(exponent, int)
        assert -SCALE <= exponent <= 0
    assert parsed.currency is None or parsed.currency in CURRENCIES
    # the formatters accept whatever the parser produces
    format_plain(parsed.amount)
    format_amount(parsed.amount, parsed.currency, parsed.qualifier)
    describe(parsed)


@settings(max_examples=500)
@given(text=st.text(max_size=250), currency=_CURRENCY_ARG, qualifier=_QUALIFIER_ARG)
def test_arbitrary_text_raises_only_amount_error(text: str, currency: str | None, qualifier: str | None) -> None:
    try:
        parsed = parse_amount(text, currency, qualifier)
    except AmountError:
        return
    _check_result(parsed)


@settings(max_examples=1000)
@given(text=_GRAMMAR_TEXT, currency=_CURRENCY_ARG, qualifier=_QUALIFIER_ARG)
def test_grammar_text_raises_only_amount_error(text: str, currency: str | None, qualifier: str | None) -> None:
    try:
        parsed = parse_amount(text, currency, qualifier)
    except AmountError:
        return
    _check_result(parsed)


_AMOUNTS = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=SCALE, allow_nan=False, allow_infinity=False)


@settings(max_examples=500)
@given(amount=_AMOUNTS)
def test_format_plain_round_trip(amount: Decimal) -> None:
    plain = format_plain(amount)
    assert "e" not in plain.lower()
    parsed = parse_amount(plain)
    assert parsed.amount == amount
    assert format_plain(parsed.amount) == plain
    assert parsed.qualifier == "exact"


@given(amount=_AMOUNTS)
def test_grouped_digits_round_trip(amount: Decimal) -> None:
    grouped = describe(ParsedAmount(amount, "USD", "exact", ""))
    number = grouped.removeprefix("= ").removesuffix(" USD")
    assert parse_amount(number).amount == amount
