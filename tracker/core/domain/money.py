"""Money names at their old address, until every importer uses their homes: the word tables
(:mod:`tracker.core.domain.amount_words`), the parser (:mod:`tracker.core.domain.amount_parser`) and
formatting (:mod:`tracker.core.domain.amount_format`). Nothing is defined here."""

from __future__ import annotations

from tracker.core.domain.amount_format import describe, format_amount, format_plain  # re-export until integration
from tracker.core.domain.amount_parser import (  # re-export until integration
    MAX_AMOUNT,
    MAX_TEXT_LENGTH,
    AmountError,
    ParsedAmount,
    is_currency,
    normalise_currency,
    parse_amount,
)
from tracker.core.domain.amount_words import CURRENCIES, SYMBOLS, YEN_NOTE  # re-export until integration

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
