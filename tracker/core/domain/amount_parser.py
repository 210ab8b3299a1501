"""The one amount parser: text typed by a person or found in a CSV cell read as an exact amount.

Every amount typed into a form or read from a CSV goes through :func:`parse_amount` (its words are
the tables of :mod:`tracker.core.domain.amount_words`; :mod:`tracker.core.domain.amount_format` writes
amounts back out, and :func:`format_plain` never writes what this rejects).  Amounts are
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
* currencies: ISO 4217 codes (``USD``, ``eur``), the symbols in ``amount_words.SYMBOLS``, and
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
  The message asks for plain digits or a unit (``1.2B``).  ``format_plain`` never
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
from decimal import Decimal, DecimalException, localcontext
from typing import NamedTuple

from tracker.core.domain.amount_words import (
    AMBIGUOUS,
    CURRENCIES,
    CURRENCY_ALIASES,
    CURRENCY_WORDS,
    FOLD,
    LOWER,
    MULTIPLIERS,
    NOTES,
    POSTFIX_ONLY,
    QUALIFIER_WORDS,
    SYMBOLS,
    UNDISCLOSED_WORDS,
)
from tracker.core.domain.errors import TrackerError
from tracker.core.domain.scaled import MAX_UNITS, SCALE
from tracker.core.domain.vocab import QUALIFIER_SYNONYMS, QUALIFIERS, normalise

__all__ = [
    "MAX_AMOUNT",
    "MAX_TEXT_LENGTH",
    "AmountError",
    "ParsedAmount",
    "is_currency",
    "normalise_currency",
    "normalise_qualifier",
    "parse_amount",
]


class AmountError(TrackerError, ValueError):
    """An amount, currency or qualifier that cannot be read; the message names it."""


MAX_AMOUNT: Decimal = Decimal(MAX_UNITS)  # 10**18, "a quintillion" (tracker.core.domain.scaled stores up to it)


MAX_TEXT_LENGTH: int = 200

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
    for key, mult in MULTIPLIERS.items():
        lexicon[key] = _Lexeme("mult", multiplier=mult)
    for key, code in [*SYMBOLS.items(), *CURRENCY_WORDS.items()]:
        codes = AMBIGUOUS.get(key, (code,))
        lexicon[key.translate(FOLD).translate(LOWER)] = _Lexeme("cur", codes=codes, note=NOTES.get(key))
    for key, qualifier in QUALIFIER_WORDS.items():
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
    key = " ".join(stripped.translate(FOLD).split()).upper()
    if key in CURRENCIES:
        return key
    alias = CURRENCY_ALIASES.get(key)
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


def normalise_qualifier(qualifier: str) -> str:
    """The vocabulary qualifier for ``qualifier`` (synonyms allowed); AmountError names any other."""
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
                    "scientific notation is not accepted: use plain digits or a unit (1200000000 or 1.2B); a "
                    "spreadsheet writes 1.42E+10 when the column is not formatted as a number: format it as "
                    "Number (0 decimals) and save again",
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
        if tok.kind == "qual" and i < at and tok.raw.lower() in POSTFIX_ONLY:
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
            raise _error(text, "larger than 10^18 (a quintillion)")
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
    arg_qualifier = normalise_qualifier(qualifier) if qualifier and qualifier.strip() else None
    if len(stripped) > MAX_TEXT_LENGTH:
        raise _error(stripped, f"longer than {MAX_TEXT_LENGTH} characters")
    norm = stripped.translate(FOLD)
    work = norm.translate(LOWER)
    folded = " ".join(work.split())
    if not folded or folded in UNDISCLOSED_WORDS:
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
