"""Streaming export of every deal as a deals CSV (the header of :data:`EXPORT_HEADER`), headless.

Two paths write the same bytes. The general one (:func:`_export_lines` and ``csv.writer``) fetches each
deal's columns into Python and is used on PostgreSQL; it is the reference. On SQLite, :func:`_sqlite_export`
has SQLite build each CSV line (quoting, formula defusing, plain amounts) so Python only fetches one string
per deal and writes it; any line SQLite cannot make exactly is made by the general path instead (see
:func:`_line_sql`). ``tests/core/test_csvexport_fast.py`` compares the two on hostile values. A big SQLite
database is exported by two worker processes running that query (tracker/core/csvio/parallel.py).
"""

from __future__ import annotations

import csv
import decimal
import io
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from sqlalchemy import BigInteger, Connection, String, cast, func, select, type_coerce

from tracker.core.csvio.cells import ALLIANCES_FUNCTION as _ALLIANCES_FUNCTION
from tracker.core.csvio.cells import BROKEN as _BROKEN
from tracker.core.csvio.cells import CELL_FUNCTION as _CELL_FUNCTION
from tracker.core.csvio.cells import FACTOR as _FACTOR
from tracker.core.csvio.cells import USD_FUNCTION as _USD_FUNCTION
from tracker.core.csvio.cells import ExportFunctions as _Functions
from tracker.core.csvio.cells import csv_cell as _csv_cell
from tracker.core.csvio.cells import plain as _plain
from tracker.core.domain.fields import DEAL_COLUMNS, EXTRA_COLUMNS
from tracker.core.domain.formula import DEFUSE_FIRST, FORMULA_CHARS, defuse
from tracker.core.domain.names import name_key
from tracker.core.domain.vocab import KINDS, QUALIFIERS, STATUSES
from tracker.core.storage.database import Database
from tracker.core.storage.tables import SCALE, Alliance, AllianceDeal, Deal, Organization

DEAL = Deal.__table__
ORG = Organization.__table__
ALLIANCE = Alliance.__table__
ALLIANCE_DEAL = AllianceDeal.__table__


# ---------------------------------------------------------------------------------------------
# Export


def _alliance_names_by_deal(conn: Connection, ids: Sequence[int] | None = None) -> Any:
    """(deal_id, 'a\x1fb') for deals in alliances (only the deals ``ids`` when given)."""
    agg = (
        func.group_concat(ALLIANCE.c.name, "\x1f")
        if conn.dialect.name == "sqlite"
        else func.string_agg(ALLIANCE.c.name, "\x1f")
    )
    stmt = select(ALLIANCE_DEAL.c.deal_id, agg.label("names")).join(
        ALLIANCE, ALLIANCE.c.id == ALLIANCE_DEAL.c.alliance_id
    )
    if ids is not None:
        stmt = stmt.where(ALLIANCE_DEAL.c.deal_id.in_(ids))
    return stmt.group_by(ALLIANCE_DEAL.c.deal_id).subquery()


EXPORT_HEADER: tuple[str, ...] = DEAL_COLUMNS + EXTRA_COLUMNS
# first characters after which defuse() may change a cell; any other cell is written as it is


def _export_statement(conn: Connection, ids: Sequence[int] | None = None) -> Any:
    """Every deal's export columns in id order (only the deals ``ids`` when given)."""
    frm = ORG.alias("f")
    to = ORG.alias("t")
    names = _alliance_names_by_deal(conn, ids)
    stmt = (
        select(
            DEAL.c.id, cast(DEAL.c.date, String), DEAL.c.date_precision, DEAL.c.kind, frm.c.name, to.c.name,
            type_coerce(DEAL.c.amount, BigInteger), DEAL.c.currency, DEAL.c.qualifier,
            type_coerce(DEAL.c.capacity_gw, BigInteger), DEAL.c.status, names.c.names, DEAL.c.description,
            DEAL.c.source_outlet, DEAL.c.source_title, DEAL.c.source_url, DEAL.c.source_date, DEAL.c.ref,
            DEAL.c.amount_text, DEAL.c.source_author,
        )
        .join(frm, frm.c.id == DEAL.c.from_org_id)
        .outerjoin(to, to.c.id == DEAL.c.to_org_id)
        .outerjoin(names, names.c.deal_id == DEAL.c.id)
        .order_by(DEAL.c.id)
    )  # fmt: skip
    return stmt if ids is None else stmt.where(DEAL.c.id.in_(ids))


def _export_rows(conn: Connection) -> Iterator[Sequence[Any]]:
    stmt = _export_statement(conn)
    if conn.dialect.name == "sqlite":
        # The driver's cursor streams rows without SQLAlchemy's per-row processing (the columns are
        # plain integers and text); same statement, compiled once.
        sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.arraysize = 1000
        try:
            yield from cursor.execute(sql)
        finally:
            cursor.close()
        return
    yield from conn.execution_options(yield_per=10_000).execute(stmt)


def export_deals(db: Database, out: IO[str], *, progress: Callable[[int], None] | None = None,
                 conn: Connection | None = None, fast: bool = True, parallel: bool = True,
                 binary: IO[bytes] | None = None) -> int:  # fmt: skip
    """Write every deal as a deals CSV, streaming; returns the number of rows.

    ``fast=False`` takes the general path on SQLite too (the reference the fast path is tested against);
    ``parallel=False`` keeps a big SQLite export in this process (tracker/core/csvio/parallel.py).
    ``binary``: the binary file under ``out`` when ``out`` encodes UTF-8 with no newline translation; the
    SQLite paths then write the lines SQLite made as bytes, without decoding and encoding them again."""
    if conn is None:
        # The parallel path reads in transactions of its own: only when the caller has none to honour.
        if fast and parallel:
            from tracker.core.csvio.parallel import export_parallel, parallel_applies

            if parallel_applies(db):
                n = export_parallel(db, out, progress, binary=binary)
                if n is not None:
                    return n
        with db.read() as rconn:
            return export_deals(db, out, progress=progress, conn=rconn, fast=fast, binary=binary)
    from tracker.core.records.fx import latest_rates

    rates = latest_rates(conn)
    write_header(out)
    if fast and conn.dialect.name == "sqlite":
        return _sqlite_export(conn, out, rates, progress, binary)
    count = [0]
    csv.writer(out, lineterminator="\r\n").writerows(_export_lines(_export_rows(conn), rates, progress, count))
    return count[0]


def write_header(out: IO[str]) -> None:
    csv.writer(out, lineterminator="\r\n").writerow(EXPORT_HEADER)


_DATE_CHARS = {"day": 10, "month": 7, "year": 4}  # format_date, inlined for the million-row loop


def _export_lines(rows: Iterator[Sequence[Any]], rates: dict[str, Decimal],
                  progress: Callable[[int], None] | None, count: list[int]) -> Iterator[tuple[Any, ...]]:  # fmt: skip
    """The CSV cells of each deal. ``None`` is written as an empty cell by csv.writer."""
    usd_rate: dict[str, Decimal | None] = {}
    first = DEFUSE_FIRST
    factor = _FACTOR
    for n, (deal_id, date, precision, kind, from_name, to_name, amount, currency, qualifier, capacity, status,
         alliances, description, outlet, title, url, source_date, ref, amount_text, author) in enumerate(rows, 1):  # fmt: skip
        amount_usd = ""
        if amount is None:
            plain_amount = ""
        else:
            plain_amount = str(amount // factor) if amount % factor == 0 else _plain(amount)
            if currency:
                if currency in usd_rate:
                    rate = usd_rate[currency]
                else:
                    rate = usd_rate[currency] = rates.get(currency)
                if rate is not None:
                    amount_usd = plain_amount if rate == 1 else _plain(int(Decimal(amount) * rate))
        yield (
            deal_id, (date if type(date) is str else str(date))[: _DATE_CHARS[precision]], kind,
            defuse(from_name) if from_name and from_name[0] in first else from_name,
            defuse(to_name) if to_name and to_name[0] in first else to_name,
            plain_amount, currency, qualifier, _plain(capacity) if capacity is not None else "", status,
            defuse(";".join(sorted(alliances.split("\x1f"), key=name_key))) if alliances else "",
            defuse(description) if description and description[0] in first else description,
            defuse(outlet) if outlet and outlet[0] in first else outlet,
            defuse(title) if title and title[0] in first else title,
            defuse(url) if url and url[0] in first else url,
            source_date,
            defuse(ref) if ref and ref[0] in first else ref,
            defuse(amount_text) if amount_text and amount_text[0] in first else amount_text,
            defuse(author) if author and author[0] in first else author,
            amount_usd,
        )  # fmt: skip
        count[0] = n
        if progress is not None and n % 10_000 == 0:
            progress(n)


# ---------------------------------------------------------------------------------------------
# SQLite: each CSV line made by SQLite
#
# The general path costs about 1 µs per deal to fetch 20 columns into Python and as much again for
# csv.writer. Here SQLite writes each deal's line with one printf() and Python joins and writes the lines.
# Every cell is made exactly as the general path makes it or handed to it:
# - cells whose values are known to need no quoting (the vocabularies, ISO-like currency codes, plain
#   dates, organisation names checked once before the query) are written as they are;
# - free text is quoted when it holds , " \n or \r (LIKE '%c%' is SQLite's fast strcspn search; these
#   characters are no letters, so LIKE's case folding does not apply) and defused when it begins with a
#   quote or a formula character (GLOB of the first character);
# - amounts are exact integer arithmetic on the stored 10^-4 units;
# - anything else (an unexpected vocabulary value, a name that needs quoting, the alliances, amount_usd
#   when the integer product could overflow) is made by Python functions registered on the connection,
#   which are the general path's own code;
# - a deal SQLite cannot write exactly (an odd date or precision, a non-integer or negative amount, text
#   holding a NUL, which printf() would cut) comes out as "<id>,\0", or is reported by a registered
#   function, and its line is made again by the general path.

_MAX_INT64 = 2**63 - 1
_ANY_QUOTE_CHAR = ',"\n\r'  # csv.writer quotes a cell holding one (QUOTE_MINIMAL, lineterminator "\r\n")
# GLOB of a text that defuse() may change: its first character is a quote or a formula character ("-"
# comes first in the class: a literal there, not a range)
_DEFUSE_GLOB = "'[" + "".join(sorted(DEFUSE_FIRST, key=lambda c: (c != "-", c))).replace("'", "''") + "]*'"
_FORMULA_GLOB = "'[" + "".join(sorted(FORMULA_CHARS, key=lambda c: (c != "-", c))) + "]*'"
assert all(len(c) == 1 and c not in "]^[" for c in FORMULA_CHARS)
_COMMON_CURRENCIES = ("USD", "CNY", "EUR", "JPY", "GBP")
_CURRENCY_CHECK = "d.currency GLOB '[A-Z][A-Z][A-Z]' AND length(CAST(d.currency AS BLOB)) = 3"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _needs_quotes_sql(x: str) -> str:
    """SQL: the text ``x`` holds a character for which csv.writer quotes it (a NUL stops LIKE: see the
    guard in :func:`_line_sql`)."""
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
    clean = dict.fromkeys(v for v in values if _csv_cell(defuse(v) if defused else v) == v and _BROKEN not in v)
    other = f"{_CELL_FUNCTION}(d.id, {x}, {int(defused)})"
    if check is not None:
        other = f"CASE WHEN {check} THEN {x} ELSE {other} END"
    if clean:
        other = f"CASE {x}{''.join(f' WHEN {_literal(v)} THEN {x}' for v in clean)} ELSE {other} END"
    return f"CASE WHEN {x} IS NULL THEN NULL ELSE {other} END"


_MAX_LISTED_ORGS = 10_000


def _name_sql(alias: str, unclean: Sequence[int]) -> str:
    """SQL of the cell of an organisation's name: as it is, except for the organisations ``unclean``."""
    if not unclean:
        return f"{alias}.name"
    if len(unclean) > _MAX_LISTED_ORGS:  # a shorter query: Python makes every name's cell
        return f"CASE WHEN {alias}.name IS NULL THEN NULL ELSE {_CELL_FUNCTION}(d.id, {alias}.name, 1) END"
    ids = ", ".join(str(int(i)) for i in unclean)
    return f"CASE WHEN {alias}.id IN ({ids}) THEN {_CELL_FUNCTION}(d.id, {alias}.name, 1) ELSE {alias}.name END"


def _date_check(x: str) -> str:
    """SQL: ``x`` is YYYY, YYYY-MM or YYYY-MM-DD and nothing else (the byte length rules out a NUL)."""
    d4 = "[0-9][0-9][0-9][0-9]"
    d2 = "[0-9][0-9]"
    return (
        f"CASE length(CAST({x} AS BLOB)) WHEN 10 THEN {x} GLOB '{d4}-{d2}-{d2}' WHEN 7 THEN {x} GLOB '{d4}-{d2}'"
        f" WHEN 4 THEN {x} GLOB '{d4}' ELSE 0 END"
    )


def _plain_sql(x: str) -> str:
    """SQL of :func:`_plain` of the integer expression ``x`` >= 0."""
    return (
        f"CASE WHEN ({x}) % {_FACTOR} = 0 THEN ({x}) / {_FACTOR}"
        f" ELSE rtrim(printf('%d.%0{SCALE}d', ({x}) / {_FACTOR}, ({x}) % {_FACTOR}), '0') END"
    )


def _usd_sql(rates: dict[str, Decimal]) -> tuple[str, list[str]]:
    """SQL of the amount_usd cell and its parameters.

    Exactly ``_plain(int(Decimal(amount) * rate))`` for an integer amount >= 0: with rate = c * 10^e,
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
            expr = _plain_sql("d.amount")
        else:
            expr = f"{_USD_FUNCTION}(d.id, d.amount, d.currency)"
            if exact_context and rate.is_finite() and rate >= 0:
                _, digits, exponent = rate.as_tuple()
                assert isinstance(exponent, int)
                coefficient = int("".join(map(str, digits)))
                mult, div = (coefficient * 10**exponent, 1) if exponent >= 0 else (coefficient, 10**-exponent)
                if mult <= _MAX_INT64 and div <= 10**18:
                    bound = _MAX_INT64 // mult if mult else _MAX_INT64
                    product = f"d.amount * {mult}" if div == 1 else f"(d.amount * {mult}) / {div}"
                    expr = f"CASE WHEN d.amount <= {bound} THEN {_plain_sql(product)} ELSE {expr} END"
        whens.append(f"WHEN ? THEN {expr}")
        params.append(currency)
    if not whens:
        return "NULL", []
    return f"CASE WHEN d.amount IS NULL THEN NULL ELSE CASE d.currency {' '.join(whens)} END END", params


_FREE_TEXT = ("d.description", "d.source_outlet", "d.source_title", "d.source_url", "d.ref", "d.amount_text",
              "d.source_author")  # fmt: skip
# The columns most often quoted: their quoting is chosen in printf()'s template, which saves a nested printf()
_TEMPLATE_QUOTED = ("d.description", "d.source_title")


def _line_sql(rates: dict[str, Decimal], unclean_orgs: Sequence[int], *, ranged: bool = False) -> tuple[str, list[str]]:
    """The query of every deal's CSV line (with its terminator) in id order, and its parameters.

    ``ranged``: only the deals with ``first <= id <= last``; the caller appends ``first, last`` twice to the
    parameters (for the alliances' subquery, then for the deals)."""
    usd, params = _usd_sql(rates)
    currencies = [*_COMMON_CURRENCIES, *(c for c in rates if c)]
    cells: list[tuple[str, str]] = [  # (printf conversion, SQL of its arguments)
        ("%d", "d.id"),
        ("%.*s", "CASE d.date_precision WHEN 'day' THEN 10 WHEN 'month' THEN 7 ELSE 4 END, d.date"),
        ("%s", _known_sql("d.kind", KINDS)),
        ("%s", _name_sql("f", unclean_orgs)),
        ("%s", _name_sql("t", unclean_orgs)),
        ("%s", f"CASE WHEN d.amount IS NULL THEN NULL ELSE {_plain_sql('d.amount')} END"),
        ("%s", _known_sql("d.currency", currencies, check=_CURRENCY_CHECK)),
        ("%s", _known_sql("d.qualifier", QUALIFIERS)),
        ("%s", f"CASE WHEN d.capacity_gw IS NULL THEN NULL ELSE {_plain_sql('d.capacity_gw')} END"),
        ("%s", _known_sql("d.status", STATUSES)),
        ("%s", f"CASE WHEN n.names IS NULL THEN NULL ELSE {_ALLIANCES_FUNCTION}(d.id, n.names) END"),
        *((x, f"CASE WHEN {_defused_sql(x)} THEN '''' END, {x}") if x in _TEMPLATE_QUOTED else ("%s", _free_text_sql(x))
          for x in _FREE_TEXT[:4]),
        ("%s", _known_sql("d.source_date", check=_date_check("d.source_date"))),
        *(("%s", _free_text_sql(x)) for x in _FREE_TEXT[4:]),
        ("%s", usd),
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
            # an integer >= 0 (a text or a fraction is not equal to its CAST)
            *(f"({x} IS NULL OR ({x} >= 0 AND {x} = CAST({x} AS INTEGER)))" for x in ("d.amount", "d.capacity_gw")),
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
LEFT OUTER JOIN (
    SELECT ad.deal_id AS deal_id, group_concat(a.name, char(31)) AS names
    FROM {ALLIANCE_DEAL.name} AS ad JOIN {ALLIANCE.name} AS a ON a.id = ad.alliance_id{range_of("ad.deal_id")}
    GROUP BY ad.deal_id
) AS n ON n.deal_id = d.id{range_of("d.id")}
ORDER BY d.id"""
    return sql, params


def _unclean_orgs(cursor: Any) -> list[int]:
    """The organisations whose name is not its own CSV cell (quoted or defused, or holding a NUL)."""
    return [
        org_id
        for org_id, name in cursor.execute(f"SELECT id, name FROM {ORG.name}")
        if type(name) is not str or _BROKEN in name or _csv_cell(defuse(name)) != name
    ]


_FETCH = 2000


def _sqlite_export(conn: Connection, out: IO[str], rates: dict[str, Decimal],
                   progress: Callable[[int], None] | None, binary: IO[bytes] | None = None) -> int:  # fmt: skip
    """Write every deal's line as SQLite makes it (after the header); returns the number of rows."""
    if binary is not None:
        out.flush()  # the header, written as text
    driver = conn.connection.driver_connection
    assert driver is not None
    functions = _Functions(rates)
    functions.register(driver)
    broken = functions.broken
    cursor = driver.cursor()
    text_factory = driver.text_factory
    count = 0
    try:
        sql, params = _line_sql(rates, _unclean_orgs(cursor))
        cursor.execute(sql, params)
        fetch = cursor.fetchmany
        write = out.write
        while True:
            # the lines as bytes, decoded once per batch (a str per row costs more)
            driver.text_factory = bytes
            try:
                rows = fetch(_FETCH)
            finally:
                driver.text_factory = text_factory
            if not rows:
                break
            blob = b"".join([row[0] for row in rows])
            try:
                text = blob.decode()  # checked even when the bytes are written: the general path would raise
            except UnicodeDecodeError:  # the general path reports it
                text = None
            if text is None or broken or _BROKEN in text:
                text = _remade(conn, [row[0] for row in rows], rates, broken, every=text is None)
                blob = text.encode()
            if binary is not None:
                binary.write(blob)
            else:
                write(text)
            count = _counted(progress, count, len(rows))
    finally:
        driver.text_factory = text_factory
        cursor.close()
    return count


def _counted(progress: Callable[[int], None] | None, before: int, rows: int) -> int:
    """``before + rows``, calling ``progress`` at every multiple of 10,000 reached (as the general path does)."""
    count = before + rows
    if progress is not None:
        for n in range(before - before % 10_000 + 10_000, count + 1, 10_000):
            progress(n)
    return count


def _remade(conn: Connection, lines: list[bytes], rates: dict[str, Decimal], broken: set[int], *,
            every: bool) -> str:  # fmt: skip
    """A batch of SQLite-made ``lines`` (bytes) with the lines :func:`_remake_broken_lines` picks made again."""
    return _remake_broken_lines(conn, [line.decode(errors="replace") for line in lines], rates, broken, every=every)


def _deal_id(line: str) -> int:
    return int(line[: line.index(",")])


def _remake_broken_lines(conn: Connection, lines: list[str], rates: dict[str, Decimal], broken: set[int], *,
                         every: bool = False) -> str:  # fmt: skip
    """``lines`` with the line of every deal in ``broken`` or holding a NUL (or every line) made again by the
    general path (the ids of ``broken`` found here are removed from it)."""
    ids = [i for i in map(_deal_id, lines) if every or i in broken]
    ids += [_deal_id(line) for line in lines if _BROKEN in line]
    if not ids:
        return "".join(lines)
    sql = str(_export_statement(conn, ids).compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        rows = cursor.execute(sql).fetchall()
    finally:
        cursor.close()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    remade: dict[int, str] = {}
    for row, cells in zip(rows, _export_lines(iter(rows), rates, None, [0]), strict=True):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        remade[row[0]] = buffer.getvalue()
    broken.difference_update(remade)
    return "".join([remade.get(_deal_id(line), line) for line in lines])
