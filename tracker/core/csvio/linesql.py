"""The SQLite query that makes each deal's whole CSV line (quoting, formula defusing, plain amounts), so that
Python only fetches one string per deal: :func:`line_sql`, and the organisations whose names it must hand
to Python (:func:`unclean_orgs`). Run in one process by tracker/core/csvio/sqlitelines.py and by the
workers of tracker/core/csvio/parallel.py.

The general path costs about 1 µs per deal to fetch 20 columns into Python and as much again for
csv.writer. Here SQLite writes each deal's line with one printf(). Every cell is made exactly as the
general path (tracker/core/csvio/general.py) makes it, or handed to it:
- cells whose values are known to need no quoting (the vocabularies, ISO-like currency codes, plain
  dates, organisation names checked once before the query) are written as they are;
- free text is quoted when it holds , " \\n or \\r (LIKE '%c%' is SQLite's fast strcspn search; these
  characters are no letters, so LIKE's case folding does not apply) and defused when it begins with a
  quote or a formula character (GLOB of the first character);
- amounts are cut from their stored digits (tracker.core.domain.scaled), capacities exact integer arithmetic
  on the stored 10^-4 units;
- anything else (an unexpected vocabulary value, a name that needs quoting, the alliances, amount_usd
  when the integer product could overflow) is made by Python functions registered on the connection
  (tracker/core/csvio/cells.py), which are the general path's own code;
- a deal SQLite cannot write exactly (an odd date or precision, a non-integer or negative amount, text
  holding a NUL, which printf() would cut) comes out as "<id>,\\0", or is reported by a registered
  function, and its line is made again by the general path.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tracker.core.csvio.cells import ALLIANCES_FUNCTION, BROKEN, CELL_FUNCTION, USD_FUNCTION, csv_cell
from tracker.core.csvio.general import EXPORT_HEADER
from tracker.core.domain.formula import DEFUSE_FIRST, FORMULA_CHARS, defuse
from tracker.core.domain.scaled import DIGITS, FACTOR, SCALE
from tracker.core.domain.vocab import CONFIDENCES, KINDS, QUALIFIERS, SOURCE_KINDS, STATUSES
from tracker.core.storage.handles import ALLIANCE, ALLIANCE_DEAL, DEAL, ORG, SOURCE

MAX_LISTED_ORGS = 10_000
"""Up to this many organisations whose names need Python are listed in the query by id; past it, Python
makes every name's cell (a shorter query)."""

_MAX_INT64 = 2**63 - 1
_ANY_QUOTE_CHAR = ',"\n\r'  # csv.writer quotes a cell holding one (QUOTE_MINIMAL, lineterminator "\r\n")
# GLOB of a text that defuse() may change: its first character is a quote or a formula character ("-"
# comes first in the class: a literal there, not a range)
_DEFUSE_GLOB = "'[" + "".join(sorted(DEFUSE_FIRST, key=lambda c: (c != "-", c))).replace("'", "''") + "]*'"
_FORMULA_GLOB = "'[" + "".join(sorted(FORMULA_CHARS, key=lambda c: (c != "-", c))) + "]*'"
assert all(len(c) == 1 and c not in "]^[" for c in FORMULA_CHARS)
_COMMON_CURRENCIES = ("USD", "CNY", "EUR", "JPY", "GBP")
_CURRENCY_CHECK = "d.currency GLOB '[A-Z][A-Z][A-Z]' AND length(CAST(d.currency AS BLOB)) = 3"


def unclean_orgs(cursor: Any) -> list[int]:
    """The organisations whose name is not its own CSV cell (quoted or defused, or holding a NUL), read
    with the driver's ``cursor``: :func:`line_sql` hands their names to Python."""
    return [
        org_id
        for org_id, name in cursor.execute(f"SELECT id, name FROM {ORG.name}")
        if type(name) is not str or BROKEN in name or csv_cell(defuse(name)) != name
    ]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _needs_quotes_sql(x: str) -> str:
    """SQL: the text ``x`` holds a character for which csv.writer quotes it (a NUL stops LIKE: see the
    guard in :func:`line_sql`)."""
    return "(" + " OR ".join(f"{x} LIKE '%{c}%'" for c in _ANY_QUOTE_CHAR) + ")"


def _defused_sql(x: str) -> str:
    """SQL: :func:`defuse` puts a quote before the text ``x``. Every character that starts a defused text
    sorts before "A", and a comparison costs less than a GLOB."""
    return f"{x} < 'A' AND {x} GLOB {_DEFUSE_GLOB} AND ltrim({x}, '''') GLOB {_FORMULA_GLOB}"


def _free_text_sql(x: str) -> str:
    """SQL of the cell of the text column ``x``, defused like :func:`defuse` (NULL for NULL)."""
    defused = _defused_sql(x)
    return (
        f"CASE WHEN {x} IS NULL THEN NULL WHEN {_needs_quotes_sql(x)} THEN printf('\"%s%w\"', CASE WHEN {defused}"
        f" THEN '''' END, {x}) WHEN {defused} THEN '''' || {x} ELSE {x} END"
    )


def _known_sql(x: str, values: Sequence[str] = (), *, defused: bool = False, check: str | None = None) -> str:
    """SQL of the cell of the text column ``x`` (NULL for NULL): as it is when it is one of ``values``
    that needs no quoting (nor defusing) or passes the SQL ``check``, else made by Python."""
    clean = dict.fromkeys(v for v in values if csv_cell(defuse(v) if defused else v) == v and BROKEN not in v)
    other = f"{CELL_FUNCTION}(d.id, {x}, {int(defused)})"
    if check is not None:
        other = f"CASE WHEN {check} THEN {x} ELSE {other} END"
    if clean:
        other = f"CASE {x}{''.join(f' WHEN {_literal(v)} THEN {x}' for v in clean)} ELSE {other} END"
    return f"CASE WHEN {x} IS NULL THEN NULL ELSE {other} END"


def _name_sql(alias: str, unclean: Sequence[int]) -> str:
    """SQL of the cell of an organisation's name: as it is, except for the organisations ``unclean``."""
    if not unclean:
        return f"{alias}.name"
    if len(unclean) > MAX_LISTED_ORGS:  # a shorter query: Python makes every name's cell
        return f"CASE WHEN {alias}.name IS NULL THEN NULL ELSE {CELL_FUNCTION}(d.id, {alias}.name, 1) END"
    ids = ", ".join(str(int(i)) for i in unclean)
    return f"CASE WHEN {alias}.id IN ({ids}) THEN {CELL_FUNCTION}(d.id, {alias}.name, 1) ELSE {alias}.name END"


def _date_check(x: str) -> str:
    """SQL: ``x`` is YYYY, YYYY-MM or YYYY-MM-DD and nothing else (the byte length rules out a NUL)."""
    d4 = "[0-9][0-9][0-9][0-9]"
    d2 = "[0-9][0-9]"
    return (
        f"CASE length(CAST({x} AS BLOB)) WHEN 10 THEN {x} GLOB '{d4}-{d2}-{d2}' WHEN 7 THEN {x} GLOB '{d4}-{d2}'"
        f" WHEN 4 THEN {x} GLOB '{d4}' ELSE 0 END"
    )


def _plain_sql(x: str) -> str:
    """SQL of :func:`~tracker.core.csvio.cells.plain` of the integer expression ``x`` >= 0."""
    return (
        f"CASE WHEN ({x}) % {FACTOR} = 0 THEN ({x}) / {FACTOR}"
        f" ELSE rtrim(printf('%d.%0{SCALE}d', ({x}) / {FACTOR}, ({x}) % {FACTOR}), '0') END"
    )


_INT_DIGITS = DIGITS - SCALE


def _amount_plain_sql(x: str) -> str:
    """SQL of :func:`~tracker.core.csvio.cells.plain` of the stored amount ``x`` (DIGITS digits): its whole
    units without leading zeros, then the fraction without trailing zeros (no arithmetic: exact at any size)."""
    whole = f"coalesce(nullif(ltrim(substr({x}, 1, {_INT_DIGITS}), '0'), ''), '0')"
    frac = f"rtrim(substr({x}, {_INT_DIGITS + 1}), '0')"
    return f"CASE WHEN {frac} = '' THEN {whole} ELSE {whole} || '.' || {frac} END"


_FITS_INT64 = f"substr(d.amount, 1, {DIGITS - 18}) = '{'0' * (DIGITS - 18)}'"
"""SQL: the stored amount's integer is below 10^18 (so it fits 64 bits and SQLite may multiply it)."""


def _usd_sql(rates: dict[str, Decimal]) -> tuple[str, list[str]]:
    """SQL of the amount_usd cell and its parameters.

    Exactly ``plain(int(Decimal(amount) * rate))`` for an integer amount >= 0: with rate = c * 10^e,
    the product is amount * c shifted by e, exact in Decimal while it has at most 19 digits, and int()
    truncates like SQLite's integer division of numbers >= 0. SQLite computes it when amount * c fits in
    64 bits; otherwise (and for odd rates) Python does."""
    whens: list[str] = []
    params: list[str] = []
    exact_context = decimal.getcontext().prec >= 20
    for currency, rate in rates.items():
        if not currency:
            continue  # the general path writes no amount_usd without a currency
        if rate == 1:
            expr = _amount_plain_sql("d.amount")
        else:
            expr = f"{USD_FUNCTION}(d.id, d.amount, d.currency)"
            if exact_context and rate.is_finite() and rate >= 0:
                _, digits, exponent = rate.as_tuple()
                assert isinstance(exponent, int)
                coefficient = int("".join(map(str, digits)))
                mult, div = (coefficient * 10**exponent, 1) if exponent >= 0 else (coefficient, 10**-exponent)
                if mult <= _MAX_INT64 and div <= 10**18:
                    bound = _MAX_INT64 // mult if mult else _MAX_INT64
                    scaled = "CAST(d.amount AS INTEGER)"
                    product = f"{scaled} * {mult}" if div == 1 else f"({scaled} * {mult}) / {div}"
                    expr = f"CASE WHEN {_FITS_INT64} AND {scaled} <= {bound} THEN {_plain_sql(product)} ELSE {expr} END"
        whens.append(f"WHEN ? THEN {expr}")
        params.append(currency)
    if not whens:
        return "NULL", []
    return f"CASE WHEN d.amount IS NULL THEN NULL ELSE CASE d.currency {' '.join(whens)} END END", params


_FREE_TEXT = ("d.description", "d.source_outlet", "d.source_title", "d.source_url", "d.ref", "d.amount_text",
              "d.source_author", "s.excerpt", "s.lang")  # fmt: skip
# The columns most often quoted: their quoting is chosen in printf()'s template, which saves a nested printf()
_TEMPLATE_QUOTED = ("d.description", "d.source_title")


def line_sql(rates: dict[str, Decimal], unclean: Sequence[int], *, ranged: bool = False) -> tuple[str, list[str]]:
    """The query of every deal's CSV line (with its terminator) in id order, and its parameters.

    ``rates``: the latest FX rates (for amount_usd); ``unclean``: :func:`unclean_orgs`. The query
    calls the functions of :class:`~tracker.core.csvio.cells.ExportFunctions`, which must be registered on
    the connection that runs it. ``ranged``: only the deals with ``first <= id <= last``; the caller
    appends ``first, last`` twice to the parameters (for the alliances' subquery, then for the deals)."""
    usd, params = _usd_sql(rates)
    currencies = [*_COMMON_CURRENCIES, *(c for c in rates if c)]
    cells: list[tuple[str, str]] = [  # (printf conversion, SQL of its arguments)
        ("%d", "d.id"),
        ("%.*s", "CASE d.date_precision WHEN 'day' THEN 10 WHEN 'month' THEN 7 ELSE 4 END, d.date"),
        ("%s", _known_sql("d.kind", KINDS)),
        ("%s", _name_sql("f", unclean)),
        ("%s", _name_sql("t", unclean)),
        ("%s", f"CASE WHEN d.amount IS NULL THEN NULL ELSE {_amount_plain_sql('d.amount')} END"),
        ("%s", _known_sql("d.currency", currencies, check=_CURRENCY_CHECK)),
        ("%s", _known_sql("d.qualifier", QUALIFIERS)),
        ("%s", f"CASE WHEN d.capacity_gw IS NULL THEN NULL ELSE {_plain_sql('d.capacity_gw')} END"),
        ("%s", _known_sql("d.status", STATUSES)),
        ("%s", f"CASE WHEN n.names IS NULL THEN NULL ELSE {ALLIANCES_FUNCTION}(d.id, n.names) END"),
        *((x, f"CASE WHEN {_defused_sql(x)} THEN '''' END, {x}") if x in _TEMPLATE_QUOTED else ("%s", _free_text_sql(x))
          for x in _FREE_TEXT[:4]),
        ("%s", _known_sql("d.source_date", check=_date_check("d.source_date"))),
        *(("%s", _free_text_sql(x)) for x in _FREE_TEXT[4:7]),
        ("%s", usd),
        ("%s", _known_sql("d.capacity_qualifier", QUALIFIERS)),
        ("%s", _known_sql("s.kind", SOURCE_KINDS)),  # the rest of the first source (schema 0011)
        *(("%s", _free_text_sql(x)) for x in _FREE_TEXT[7:]),
        ("%s", _known_sql("s.retrieved", check=_date_check("s.retrieved"))),
        ("%s", _known_sql("d.confidence", CONFIDENCES)),
        ("%d", f"(SELECT count(*) FROM {SOURCE.name} AS x WHERE x.deal_id = d.id)"),
    ]  # fmt: skip
    assert len(cells) == len(EXPORT_HEADER)
    args = ", ".join(arg for _, arg in cells)

    def template(quoted: frozenset[str]) -> str:
        pieces = [('"%s%w"' if c in quoted else "%s%s") if c in _TEMPLATE_QUOTED else c for c, _ in cells]
        return _literal(",".join(pieces) + "\r\n")

    def choose(todo: tuple[str, ...], quoted: frozenset[str]) -> str:
        if not todo:
            return template(quoted)
        x, rest = todo[0], todo[1:]
        return f"CASE WHEN {_needs_quotes_sql(x)} THEN {choose(rest, quoted | {x})} ELSE {choose(rest, quoted)} END"

    exact = " AND ".join(
        [
            "d.date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'",
            "(d.date_precision = 'day' OR d.date_precision = 'month' OR d.date_precision = 'year')",
            # an amount of DIGITS digits; a capacity an integer >= 0 (a text or a fraction is not equal to its CAST)
            f"(d.amount IS NULL OR (length(CAST(d.amount AS BLOB)) = {DIGITS} AND d.amount NOT GLOB '*[^0-9]*'))",
            "(d.capacity_gw IS NULL OR (d.capacity_gw >= 0 AND d.capacity_gw = CAST(d.capacity_gw AS INTEGER)))",
            # printf() would cut a text at its first NUL
            *(f"({x} IS NULL OR NOT instr({x}, char(0)))" for x in _FREE_TEXT),
        ]
    )

    def range_of(column: str) -> str:
        return f"\n    WHERE {column} >= ? AND {column} <= ?" if ranged else ""

    sql = f"""\
SELECT CASE WHEN {exact} THEN printf({choose(_TEMPLATE_QUOTED, frozenset())}, {args}) ELSE d.id || ',' || char(0) END
FROM {DEAL.name} AS d
JOIN {ORG.name} AS f ON f.id = d.from_org_id
LEFT OUTER JOIN {ORG.name} AS t ON t.id = d.to_org_id
LEFT OUTER JOIN {SOURCE.name} AS s ON s.deal_id = d.id AND s.position = 0
LEFT OUTER JOIN (
    SELECT ad.deal_id AS deal_id, group_concat(a.name, char(31)) AS names
    FROM {ALLIANCE_DEAL.name} AS ad JOIN {ALLIANCE.name} AS a ON a.id = ad.alliance_id{range_of("ad.deal_id")}
    GROUP BY ad.deal_id
) AS n ON n.deal_id = d.id{range_of("d.id")}
ORDER BY d.id"""
    return sql, params
