"""Money: the one amount parser, the currency list and amount formatting.

Every amount typed into a form or read from a CSV goes through :func:`parse_amount`;
every amount shown to a person goes through :func:`format_amount` / :func:`describe`,
and every amount written to a CSV through :func:`format_plain`.  Amounts are
``decimal.Decimal`` end to end (never float), at most ``SCALE`` decimal places and at
most ``MAX_AMOUNT``.  Every failure is an :class:`AmountError` whose message starts
with ``amount '<the text>': `` (or ``currency '<code>': ``) so callers can show it.

Accepted text (case-insensitive, fullwidth forms and odd spaces folded first)::

    [qualifier] [currency] number [unit] [currency] [qualifier]

* number: plain digits with an optional ``.`` decimal point, optionally grouped in
  threes by one kind of separator: ``,`` ``_`` ``'`` or a space (thin and no-break
  spaces count as spaces): ``100,000,000,000``, ``1 000 000``.
* units: ``k``/``thousand`` 1e3, ``m``/``mn``/``mm``/``million`` 1e6,
  ``b``/``bn``/``billion`` 1e9, ``t``/``tn``/``trillion`` 1e12; Chinese ``千`` 1e3,
  ``万`` 1e4, ``十万``, ``百万`` 1e6, ``千万`` 1e7, ``亿`` 1e8, ``十亿``, ``百亿``,
  ``千亿``, ``万亿`` 1e12.  At most one unit, right after the number.
* currencies: ISO 4217 codes (``USD``, ``eur``), the symbols in :data:`SYMBOLS`, and
  words (``dollars``, ``euros``, ``yuan``, ``RMB``, ``元``, ``人民币``, ``美元``,
  ``欧元``, ``日元``, ``港元``, ``英镑``...).  The same currency may appear twice
  (``$5B USD``); two different ones are an error (``$5 EUR``).
* qualifiers: "up to" (``up to``, ``as much as``, ``≤``, ``<=``, ``高达``, ``最高``,
  ``不超过``, ``以内``...), "at least" (``at least``, ``more than``, ``over``, ``≥``,
  ``>=``, a trailing ``+``, ``至少``, ``超过``, ``逾``, ``以上``...), "estimated"
  (``about``, ``approximately``, ``approx.``, ``~``, ``≈``, ``estimated``, ``est.``,
  ``around``, ``约``, ``大约``, ``近``, ``左右``...).
* undisclosed: empty text, ``undisclosed``, ``not disclosed``, ``n/a``, ``n.a.``,
  ``未披露``, ``未公开`` and a bare dash ``-`` (also ``—``): amount None.

Decisions:

* **¥ is read as CNY.**  The seed material is Chinese and 元 is the yuan, so ``¥`` and
  ``￥`` default to CNY and the result carries the note ``YEN_NOTE`` ("¥ read as CNY;
  write JPY or 日元 for yen").  An ambiguous symbol yields to an explicit currency:
  ``parse_amount("¥100", currency="JPY")`` is 100 JPY, not a conflict.  Likewise a bare
  ``$`` (or "dollars") means USD unless an explicit dollar currency (AUD, CAD, HKD,
  SGD, TWD, NZD...) is given; any other explicit currency is a conflict
  (``parse_amount("$100B", currency="CNY")`` fails naming USD and CNY).
* **Scientific notation is rejected** (``1.2e9``, ``1E9``, ``1e999``): spreadsheets
  produce it by accident, it hides rounding, and it is ambiguous next to unit letters.
  The message asks for plain digits or a unit (``1.2B``).  :func:`format_plain` never
  writes it, so CSV round-trips are exact.
* **A comma is only a thousands separator** (groups of exactly three digits);
  ``1,5`` or ``1,50`` is rejected as an ambiguous decimal comma, ``1.000.000`` as
  ambiguous dots.  ``5 100`` reads as 5100 (space grouping), ``5 10`` is two numbers.
* Negative amounts (``-5``, ``-$5B``, ``(5)``), NaN/infinity words, more than ``SCALE``
  decimal places (after applying the unit: ``1.23456B`` is fine), amounts above
  ``MAX_AMOUNT``, ranges (``5-10B``) and text longer than ``MAX_TEXT_LENGTH``
  characters are rejected.  Zero is a real amount (exact 0), distinct from undisclosed.
* Empty or undisclosed text is undisclosed whatever the qualifier argument says; a
  non-empty amount with qualifier argument "undisclosed" is an error.  A qualifier in
  the text wins over an argument of "exact"/None and must agree with any other.
* Result amounts are normalised without an exponent: ``Decimal("100000000000")``,
  ``Decimal("12.5")``, ``Decimal("0")``.

Stdlib only, imports fast, no Textual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DecimalException, localcontext
from typing import NamedTuple

from tracker.core.domain.errors import TrackerError
from tracker.core.domain.scaled import SCALE
from tracker.core.domain.vocab import QUALIFIER_SYNONYMS, QUALIFIERS, normalise

__all__ = [
    "CURRENCIES",
    "MAX_AMOUNT",
    "MAX_TEXT_LENGTH",
    "SYMBOLS",
    "YEN_NOTE",
    "AmountError",
    "ParsedAmount",
    "describe",
    "format_amount",
    "format_plain",
    "is_currency",
    "normalise_currency",
    "parse_amount",
]


class AmountError(TrackerError, ValueError):
    """An amount, currency or qualifier that cannot be read; the message names it."""


MAX_AMOUNT: Decimal = Decimal("100000000000000")  # 10**14, "100 trillion"


MAX_TEXT_LENGTH: int = 200
YEN_NOTE: str = "¥ read as CNY; write JPY or 日元 for yen"

# Active ISO 4217 alphabetic codes (list one), including fund and precious-metal codes,
# and both codes of currencies in transition (ANG/XCG, SLL/SLE, ZWL/ZWG); without the
# non-currencies XTS (testing) and XXX (no currency).
_ISO_4217 = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV
BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK
DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL
HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR
MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF
SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND
TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG
XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL
"""
CURRENCIES: frozenset[str] = frozenset(_ISO_4217.split())

SYMBOLS: dict[str, str] = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "CNY",  # documented decision: CNY unless JPY is given explicitly
    "￥": "CNY",
    "₩": "KRW",
    "₹": "INR",
    "HK$": "HKD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "S$": "SGD",
    "SG$": "SGD",
    "NT$": "TWD",
    "R$": "BRL",
    "NZ$": "NZD",
    "MX$": "MXN",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "₫": "VND",
    "฿": "THB",
    "₱": "PHP",
    "₦": "NGN",
    "₴": "UAH",
}

# Currency words accepted in amount text and by normalise_currency.
_CURRENCY_WORDS: dict[str, str] = {
    "dollar": "USD",
    "dollars": "USD",
    "us dollar": "USD",
    "us dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "won": "KRW",
    "rupee": "INR",
    "rupees": "INR",
    "元": "CNY",
    "人民币": "CNY",
    "美元": "USD",
    "欧元": "EUR",
    "日元": "JPY",
    "港元": "HKD",
    "港币": "HKD",
    "英镑": "GBP",
    "韩元": "KRW",
    "新台币": "TWD",
    "台币": "TWD",
    "澳元": "AUD",
    "加元": "CAD",
    "新加坡元": "SGD",
    "瑞郎": "CHF",
    "卢布": "RUB",
}

# Symbols that name a family of currencies: they yield to an explicit currency of the
# family (first code = the reading when no currency is given).
_DOLLARS: tuple[str, ...] = (
    "USD",
    "AUD",
    "CAD",
    "HKD",
    "SGD",
    "TWD",
    "NZD",
    "BSD",
    "BBD",
    "BZD",
    "BMD",
    "BND",
    "FJD",
    "GYD",
    "JMD",
    "KYD",
    "LRD",
    "NAD",
    "SBD",
    "SRD",
    "TTD",
    "XCD",
)
_AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "$": _DOLLARS,
    "dollar": _DOLLARS,
    "dollars": _DOLLARS,
    "¥": ("CNY", "JPY"),
    "￥": ("CNY", "JPY"),
}
_NOTES: dict[str, str] = {"¥": YEN_NOTE, "￥": YEN_NOTE}

_CURRENCY_ALIASES: dict[str, str] = {
    **{key.upper(): code for key, code in SYMBOLS.items()},
    **{key.upper(): code for key, code in _CURRENCY_WORDS.items()},
}

_MULTIPLIERS: dict[str, Decimal] = {
    "k": Decimal("1e3"),
    "thousand": Decimal("1e3"),
    "m": Decimal("1e6"),
    "mn": Decimal("1e6"),
    "mm": Decimal("1e6"),
    "million": Decimal("1e6"),
    "b": Decimal("1e9"),
    "bn": Decimal("1e9"),
    "billion": Decimal("1e9"),
    "t": Decimal("1e12"),
    "tn": Decimal("1e12"),
    "trillion": Decimal("1e12"),
    "千": Decimal("1e3"),
    "万": Decimal("1e4"),
    "十万": Decimal("1e5"),
    "百万": Decimal("1e6"),
    "千万": Decimal("1e7"),
    "亿": Decimal("1e8"),
    "十亿": Decimal("1e9"),
    "百亿": Decimal("1e10"),
    "千亿": Decimal("1e11"),
    "万亿": Decimal("1e12"),
}

_UP_TO, _AT_LEAST, _ESTIMATED = "up to", "at least", "estimated"
_QUALIFIER_WORDS: dict[str, str] = {
    "up to": _UP_TO,
    "as much as": _UP_TO,
    "at most": _UP_TO,
    "no more than": _UP_TO,
    "not more than": _UP_TO,
    "less than": _UP_TO,
    "under": _UP_TO,
    "≤": _UP_TO,
    "<=": _UP_TO,
    "<": _UP_TO,
    "高达": _UP_TO,
    "最高": _UP_TO,
    "最多": _UP_TO,
    "不超过": _UP_TO,
    "至多": _UP_TO,
    "以内": _UP_TO,
    "以下": _UP_TO,
    "or less": _UP_TO,
    "at least": _AT_LEAST,
    "no less than": _AT_LEAST,
    "not less than": _AT_LEAST,
    "more than": _AT_LEAST,
    "over": _AT_LEAST,
    "above": _AT_LEAST,
    "upwards of": _AT_LEAST,
    "in excess of": _AT_LEAST,
    "≥": _AT_LEAST,
    ">=": _AT_LEAST,
    ">": _AT_LEAST,
    "+": _AT_LEAST,
    "至少": _AT_LEAST,
    "超过": _AT_LEAST,
    "逾": _AT_LEAST,
    "不少于": _AT_LEAST,
    "以上": _AT_LEAST,
    "or more": _AT_LEAST,
    "about": _ESTIMATED,
    "approximately": _ESTIMATED,
    "approx.": _ESTIMATED,
    "approx": _ESTIMATED,
    "~": _ESTIMATED,
    "≈": _ESTIMATED,
    "estimated": _ESTIMATED,
    "est.": _ESTIMATED,
    "est": _ESTIMATED,
    "around": _ESTIMATED,
    "roughly": _ESTIMATED,
    "circa": _ESTIMATED,
    "nearly": _ESTIMATED,
    "almost": _ESTIMATED,
    "约": _ESTIMATED,
    "大约": _ESTIMATED,
    "近": _ESTIMATED,
    "将近": _ESTIMATED,
    "接近": _ESTIMATED,
    "预计": _ESTIMATED,
    "估计": _ESTIMATED,
    "左右": _ESTIMATED,
}
# Qualifiers that only make sense after the number ("+5" is not "at least 5").
_POSTFIX_ONLY: frozenset[str] = frozenset({"+", "以上", "以下", "以内", "左右", "or more", "or less"})

_UNDISCLOSED_WORDS: frozenset[str] = frozenset({"undisclosed", "not disclosed", "n/a", "n.a.", "未披露", "未公开", "-"})

# Character folding, one character for one character (so positions line up):
# fullwidth ASCII, odd spaces, dashes and minus signs, fullwidth currency signs.
_FOLD_MAP: dict[int, str] = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_FOLD_MAP.update(
    {
        ord(space): " "
        for space in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
        "\u2008\u2009\u200a\u200b\u202f\u205f\u3000\ufeff"
    }
)
_FOLD_MAP.update({ord(dash): "-" for dash in "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63"})
_FOLD_MAP.update({0xFFE5: "¥", 0xFFE1: "£"})
_FOLD = str.maketrans(_FOLD_MAP)
_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})

_DIGITS = "0123456789"
_NUMBER = re.compile(
    r"(?P<int>[0-9]{1,3}(?P<sep>[,_' ])[0-9]{3}(?![0-9])(?:(?P=sep)[0-9]{3}(?![0-9]))*"
    r"|[0-9]+)?(?:\.(?P<frac>[0-9]*))?"
)
_AMBIGUOUS_SEPARATOR = re.compile(r"[.,][0-9]")
_EXPONENT = re.compile(r"e[+-]?[0-9]")
_WORD = re.compile(r"[a-z]+")


class _Lexeme(NamedTuple):
    kind: str  # "mult" | "cur" | "qual" | "minus" | "range" | "lparen" | "rparen"
    multiplier: Decimal | None = None
    codes: tuple[str, ...] = ()  # currency readings, default first
    qualifier: str = ""
    note: str | None = None


class _Token(NamedTuple):
    kind: str  # a _Lexeme kind, or "num" | "unknown"
    raw: str
    lexeme: _Lexeme | None = None
    number: Decimal | None = None


def _build_lexicon() -> dict[str, _Lexeme]:
    lexicon: dict[str, _Lexeme] = {}
    for key, mult in _MULTIPLIERS.items():
        lexicon[key] = _Lexeme("mult", multiplier=mult)
    for key, code in [*SYMBOLS.items(), *_CURRENCY_WORDS.items()]:
        codes = _AMBIGUOUS.get(key, (code,))
        lexicon[key.translate(_FOLD).translate(_LOWER)] = _Lexeme("cur", codes=codes, note=_NOTES.get(key))
    for key, qualifier in _QUALIFIER_WORDS.items():
        lexicon[key] = _Lexeme("qual", qualifier=qualifier)
    lexicon["-"] = _Lexeme("minus")
    lexicon["to"] = _Lexeme("range")
    lexicon["("] = _Lexeme("lparen")
    lexicon[")"] = _Lexeme("rparen")
    return lexicon


_LEXICON: dict[str, _Lexeme] = _build_lexicon()


def _lexeme_pattern(key: str) -> str:
    pattern = r"\s+".join(re.escape(part) for part in key.split(" "))
    if key[-1].isascii() and key[-1].isalpha():
        pattern += r"(?![a-z])"
    return pattern


_LEXICON_RE = re.compile("|".join(_lexeme_pattern(key) for key in sorted(_LEXICON, key=len, reverse=True)))


@dataclass(frozen=True)
class ParsedAmount:
    """The reading of one amount text."""

    amount: Decimal | None  # None when undisclosed/empty
    currency: str | None  # ISO 4217 code, None if none given or implied
    qualifier: str  # one of vocab.QUALIFIERS
    text: str  # the original text, stripped
    note: str | None = None  # e.g. YEN_NOTE


def _show(text: str) -> str:
    return text if len(text) <= 60 else text[:60] + "…"


def _error(text: str, message: str) -> AmountError:
    return AmountError(f"amount '{_show(text)}': {message}")


def normalise_currency(code: str) -> str:
    """Return the ISO 4217 code for ``code`` ("usd " -> "USD", "RMB" -> "CNY", "€" -> "EUR").

    Raises AmountError("currency 'XYZ': not an ISO 4217 code") for anything else.
    """
    if not isinstance(code, str):
        raise TypeError(f"currency must be a str, not {type(code).__name__}")
    stripped = code.strip()
    key = " ".join(stripped.translate(_FOLD).split()).upper()
    if key in CURRENCIES:
        return key
    alias = _CURRENCY_ALIASES.get(key)
    if alias is not None:
        return alias
    raise AmountError(f"currency '{_show(stripped)}': not an ISO 4217 code")


def is_currency(code: str) -> bool:
    """True when :func:`normalise_currency` accepts ``code`` (codes, aliases, symbols)."""
    try:
        normalise_currency(code)
    except (AmountError, TypeError):
        return False
    return True


def _normalise_qualifier(qualifier: str) -> str:
    if not isinstance(qualifier, str):
        raise TypeError(f"qualifier must be a str, not {type(qualifier).__name__}")
    found = normalise(qualifier, QUALIFIERS, QUALIFIER_SYNONYMS)
    if found is None:
        choices = ", ".join(QUALIFIERS)
        raise AmountError(f"qualifier '{_show(qualifier.strip())}': not one of {choices}")
    return found


def _lex(norm: str, work: str, text: str) -> list[_Token]:
    """Split folded text into tokens; ``work`` is ``norm`` with ASCII lower-cased."""
    tokens: list[_Token] = []
    i, end = 0, len(work)
    while i < end:
        ch = work[i]
        if ch.isspace():
            i += 1
            continue
        if ch in _DIGITS or (ch == "." and i + 1 < end and work[i + 1] in _DIGITS):
            match = _NUMBER.match(work, i)
            assert match is not None  # the pattern can match the empty string
            stop = match.end()
            if _AMBIGUOUS_SEPARATOR.match(work, stop):
                if work[stop] == ",":
                    raise _error(
                        text,
                        "ambiguous decimal comma: use '.' for decimals (1.5) and ',' "
                        "only between groups of three digits (1,500)",
                    )
                raise _error(text, "ambiguous '.': use '.' once, for decimals only")
            if _EXPONENT.match(work, stop):
                raise _error(
                    text,
                    "scientific notation is not accepted: use plain digits or a unit (1200000000 or 1.2B)",
                )
            digits = re.sub(r"[,_' ]", "", match["int"] or "0")
            frac = match["frac"] or ""
            number = Decimal(f"{digits}.{frac}" if frac else digits)
            tokens.append(_Token("num", norm[i:stop], number=number))
            i = stop
            continue
        match = _LEXICON_RE.match(work, i)
        if match is not None:
            key = " ".join(match.group().split())
            tokens.append(_Token(_LEXICON[key].kind, norm[i : match.end()], _LEXICON[key]))
            i = match.end()
            continue
        match = _WORD.match(work, i)
        if match is not None:
            raw = norm[i : match.end()]
            code = raw.upper()
            if len(raw) == 3 and code in CURRENCIES:
                tokens.append(_Token("cur", raw, _Lexeme("cur", codes=(code,))))
            else:
                tokens.append(_Token("unknown", raw))
            i = match.end()
            continue
        tokens.append(_Token("unknown", norm[i]))
        i += 1
    return tokens


def _check_shape(tokens: list[_Token], text: str) -> int:
    """Validate the token sequence; return the index of the number token."""
    nums = [i for i, tok in enumerate(tokens) if tok.kind == "num"]
    if not nums:
        raise _error(text, "not a number")
    at = nums[0]
    before, after = tokens[:at], tokens[at + 1 :]
    negative = any(tok.kind == "minus" for tok in before) or (
        any(tok.kind == "lparen" for tok in before) and any(tok.kind == "rparen" for tok in after)
    )
    if negative:
        raise _error(text, "must not be negative")
    if len(nums) > 1:
        between = tokens[at + 1 : nums[1]]
        if any(tok.kind in ("minus", "range") for tok in between):
            raise _error(text, "ranges are not supported: give one amount and a qualifier")
        raise _error(text, "more than one number")
    for tok in tokens:
        if tok.kind == "unknown":
            if len(tok.raw) == 3 and tok.raw.isascii() and tok.raw.isupper():
                raise _error(text, f"currency '{tok.raw}' is not an ISO 4217 code")
            raise _error(text, f"unexpected '{tok.raw}'")
    mults = [i for i, tok in enumerate(tokens) if tok.kind == "mult"]
    if len(mults) > 1:
        raise _error(text, "more than one unit")
    if mults and mults[0] != at + 1:
        raise _error(text, f"unit '{tokens[mults[0]].raw}' must follow the number")
    for i, tok in enumerate(tokens):
        if tok.kind in ("minus", "range", "lparen", "rparen"):
            raise _error(text, f"unexpected '{tok.raw}'")
        if tok.kind == "qual" and i < at and tok.raw.lower() in _POSTFIX_ONLY:
            raise _error(text, f"unexpected '{tok.raw}' before the number")
    return at


def _resolve_currency(tokens: list[_Token], arg: str | None, text: str) -> tuple[str | None, str | None]:
    """Return (currency, note) from the currency tokens and the currency argument."""
    found = [tok.lexeme for tok in tokens if tok.kind == "cur" and tok.lexeme]
    if not found:
        return arg, None
    options = set(found[0].codes)
    for lexeme in found[1:]:
        options &= set(lexeme.codes)
    if not options:
        named = list(dict.fromkeys(lexeme.codes[0] for lexeme in found))
        raise _error(text, f"more than one currency ({', '.join(named)})")
    # The reading of the text alone: the first currency whose default is still possible.
    default_from = next((lexeme for lexeme in found if lexeme.codes[0] in options), None)
    text_code = default_from.codes[0] if default_from else sorted(options)[0]
    if arg is not None:
        if arg in options:
            return arg, None
        raise _error(text, f"currency {text_code} in the text conflicts with currency {arg}")
    if len(options) > 1 and default_from is not None:
        return text_code, default_from.note
    return text_code, None


def _resolve_qualifier(tokens: list[_Token], arg: str | None, text: str) -> str:
    found = list(dict.fromkeys(tok.lexeme.qualifier for tok in tokens if tok.lexeme and tok.kind == "qual"))
    if len(found) > 1:
        raise _error(text, f"more than one qualifier ({', '.join(repr(q) for q in found)})")
    if arg == "undisclosed":
        raise _error(text, "qualifier 'undisclosed' conflicts with an amount")
    if found:
        if arg is not None and arg != "exact" and arg != found[0]:
            raise _error(text, f"qualifier '{found[0]}' conflicts with qualifier '{arg}'")
        return found[0]
    return arg or "exact"


def _scale(number: Decimal, multiplier: Decimal, text: str) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 2 * MAX_TEXT_LENGTH + 50  # exact for any number that fits the text
        value = number * multiplier
        if value > MAX_AMOUNT:
            raise _error(text, "larger than 100 trillion")
        value = value.normalize()
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)
        if exponent < -SCALE:
            raise _error(text, f"more than {SCALE} decimal places")
        if exponent > 0:
            value = value.quantize(Decimal(1))
    return value


def parse_amount(text: str | None, currency: str | None = None, qualifier: str | None = None) -> ParsedAmount:
    """Read an amount typed by a person or found in a CSV cell.

    ``currency`` and ``qualifier`` come from separate columns/fields and must agree
    with the text.  Raises only AmountError for any string (TypeError for non-str).
    """
    if text is not None and not isinstance(text, str):
        raise TypeError(f"amount must be a str or None, not {type(text).__name__}")
    stripped = (text or "").strip()
    arg_currency = normalise_currency(currency) if currency and currency.strip() else None
    arg_qualifier = _normalise_qualifier(qualifier) if qualifier and qualifier.strip() else None
    if len(stripped) > MAX_TEXT_LENGTH:
        raise _error(stripped, f"longer than {MAX_TEXT_LENGTH} characters")
    norm = stripped.translate(_FOLD)
    work = norm.translate(_LOWER)
    folded = " ".join(work.split())
    if not folded or folded in _UNDISCLOSED_WORDS:
        return ParsedAmount(None, arg_currency, "undisclosed", stripped)
    try:
        tokens = _lex(norm, work, stripped)
        at = _check_shape(tokens, stripped)
        number = tokens[at].number
        assert number is not None
        mult_lexeme = tokens[at + 1].lexeme if at + 1 < len(tokens) else None
        multiplier = Decimal(1)
        if mult_lexeme is not None and mult_lexeme.kind == "mult":
            assert mult_lexeme.multiplier is not None
            multiplier = mult_lexeme.multiplier
        amount = _scale(number, multiplier, stripped)
        code, note = _resolve_currency(tokens, arg_currency, stripped)
        final_qualifier = _resolve_qualifier(tokens, arg_qualifier, stripped)
    except DecimalException as exc:  # defensive: the grammar should prevent these
        raise _error(stripped, "not a number") from exc
    return ParsedAmount(amount, code, final_qualifier, stripped, note)


def format_plain(amount: Decimal | None) -> str:
    """Plain digits for CSV: "" for None, no exponent, no trailing zeros ("12.5")."""
    if amount is None:
        return ""
    if not amount.is_finite():
        raise AmountError(f"amount '{amount}': not a finite number")
    if amount.is_zero():
        return "0"
    plain = f"{amount:f}"
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".")
    return plain


_UNITS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("1e12"), "T"),
    (Decimal("1e9"), "B"),
    (Decimal("1e6"), "M"),
    (Decimal("1e3"), "K"),
    (Decimal(1), ""),
)
_CENT = Decimal("0.01")
_THOUSAND = Decimal(1000)


def _compact(amount: Decimal) -> str:
    """12345 -> "12.35K", 1.5e12 -> "1.5T", 999 -> "999" (2 decimals, half up)."""
    if amount < 0:
        return "-" + _compact(-amount)
    if amount < 1:
        return format_plain(amount)
    with localcontext() as ctx:
        ctx.prec = max(60, len(amount.as_tuple().digits) + 10)
        for index, (size, suffix) in enumerate(_UNITS):
            if amount < size:
                continue
            scaled = (amount / size).quantize(_CENT, rounding=ROUND_HALF_UP)
            if scaled >= _THOUSAND and index > 0:  # 999.999K rounds up to 1M
                size, suffix = _UNITS[index - 1]
                scaled = (amount / size).quantize(_CENT, rounding=ROUND_HALF_UP)
            return format_plain(scaled) + suffix
    return format_plain(amount)  # pragma: no cover - amount >= 1 always matches a unit


_SIGNS: dict[str, str] = {"USD": "$", "EUR": "€", "GBP": "£"}
_MARKS: dict[str, str] = {"exact": "", "up to": "≤ ", "at least": "≥ ", "estimated": "~ "}


def format_amount(amount: Decimal | None, currency: str | None, qualifier: str) -> str:
    """Compact text for people: "$100B", "≤ $100B", "CNY 380B", "~ €5M", "undisclosed"."""
    mark = _normalise_qualifier(qualifier)
    if amount is None or mark == "undisclosed":
        return "undisclosed"
    if not amount.is_finite():
        raise AmountError(f"amount '{amount}': not a finite number")
    number = _compact(amount)
    if currency:
        code = normalise_currency(currency)
        sign = _SIGNS.get(code)
        number = f"{sign}{number}" if sign else f"{code} {number}"
    return _MARKS[mark] + number


def _grouped(amount: Decimal) -> str:
    plain = format_plain(amount)
    sign = "-" if plain.startswith("-") else ""
    whole, point, frac = plain.lstrip("-").partition(".")
    return f"{sign}{int(whole):,}{point}{frac}"


def describe(parsed: ParsedAmount) -> str:
    """Live feedback for a form: "= 100,000,000,000 USD, up to", "undisclosed"."""
    if parsed.amount is None or parsed.qualifier == "undisclosed":
        out = "undisclosed"
    else:
        out = f"= {_grouped(parsed.amount)} {parsed.currency or '(no currency)'}"
        if parsed.qualifier != "exact":
            out += f", {parsed.qualifier}"
    if parsed.note:
        out += f" — {parsed.note}"
    return out
