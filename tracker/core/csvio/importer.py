"""Streaming CSV import and export of deals, headless (no UI), in bounded memory.

Import works in two passes. The first reads and checks every row without holding any lock and
stops at nothing (every bad row is reported, up to 20, then a count), spooling each checked row to a
temporary file; only a clean file gets the second pass, which reads the spool back (the CSV is parsed
and checked once, and cannot change between the passes) and writes everything in one transaction (all
or nothing) with the driver's ``executemany`` in batches (``COPY`` on PostgreSQL), organisation ids
resolved from an in-memory map. Standard input is spooled to a temporary file first as well.
"""

from __future__ import annotations

import codecs
import csv
import io
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, BinaryIO

from sqlalchemy import BigInteger, Connection, String, cast, func, insert, select, text, type_coerce

from tracker.core.domain.dates import DateError, format_date, parse_date
from tracker.core.domain.errors import TrackerError
from tracker.core.domain.fields import (
    IGNORED_COLUMNS,
    KNOWN_COLUMNS,
    REQUIRED_COLUMNS,
    SHORT_TEXT,
    DealValues,
    clean_text,
    parse_capacity,
    parse_deal_fields,
    restore,
)
from tracker.core.domain.money import AmountError, normalise_currency
from tracker.core.domain.names import name_key
from tracker.core.domain.vocab import KINDS, QUALIFIER_SYNONYMS, QUALIFIERS, STATUS_SYNONYMS, STATUSES, normalise
from tracker.core.records.orgs import MAX_NAME, load_name_index
from tracker.core.storage.database import Database
from tracker.core.storage.sums import TABLES, Accumulator, TriggersOff
from tracker.core.storage.tables import SCALE, Alliance, AllianceDeal, Deal, Organization

DEAL = Deal.__table__
ORG = Organization.__table__
ALLIANCE = Alliance.__table__
ALLIANCE_DEAL = AllianceDeal.__table__

MAX_FIELD = 1 << 20  # 1 MiB: a longer cell is refused with a message, not read into memory whole
MAX_COLUMNS = 1000
MAX_REPORTED = 20
BATCH = 5000
BULK_REBUILD_INDEXES = 50_000  # rows added to an empty table above which indexes are rebuilt after
_FACTOR = 10**SCALE

csv.field_size_limit(MAX_FIELD)

Progress = Callable[[int], None]  # bytes read so far
WriteProgress = Callable[[int, int], None]  # rows written so far, rows in all


class CsvError(TrackerError):
    """A file that cannot be read as a deals CSV at all (empty, binary, undecodable, no header)."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return f"line {self.line}: {self.message}"
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"line {self.line}: {self.column} {shown!r}: {self.message}"


@dataclass
class ImportReport:
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    created_orgs: list[str] = field(default_factory=list)
    created_alliances: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(error)

    def error_lines(self) -> list[str]:
        lines = [str(e) for e in self.errors]
        if self.error_count > len(self.errors):
            lines.append(f"... and {self.error_count - len(self.errors)} more bad rows")
        return lines

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        parts = [
            f"{verb} {self.added}",
            f"updated {self.updated}" if not self.dry_run else f"would update {self.updated}",
            f"unchanged {self.unchanged}",
        ]
        text = f"{self.rows} rows: " + ", ".join(parts)
        if self.created_orgs:
            label = "new organisations" if not self.dry_run else "would create organisations"
            text += f"\n{label} ({len(self.created_orgs)}): " + ", ".join(self.created_orgs[:50])
            if len(self.created_orgs) > 50:
                text += f", ... ({len(self.created_orgs) - 50} more)"
        if self.created_alliances:
            text += "\nnew alliances: " + ", ".join(self.created_alliances)
        if self.unknown_columns:
            text += "\nignored unknown columns: " + ", ".join(self.unknown_columns)
        if self.dry_run:
            text += "\ndry run: nothing was written"
        return text


class ImportFailed(TrackerError):
    def __init__(self, report: ImportReport) -> None:
        super().__init__("\n".join(report.error_lines()))
        self.report = report


# ---------------------------------------------------------------------------------------------
# Reading


class _Counting(io.RawIOBase):
    """A binary stream that reports how many bytes were read, for the progress bar."""

    def __init__(self, inner: BinaryIO, progress: Progress | None) -> None:
        self._inner = inner
        self._progress = progress
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._inner.read(len(b))
        n = len(data)
        b[:n] = data
        self.count += n
        if self._progress is not None:
            self._progress(self.count)
        return n


@dataclass
class CsvSource:
    """A CSV file (or spooled standard input) that can be read more than once."""

    path: Path | None
    spool: IO[bytes] | None
    encoding: str
    label: str
    size: int | None

    def open_binary(self) -> BinaryIO:
        if self.spool is not None:
            self.spool.seek(0)
            return self.spool  # type: ignore[return-value]
        assert self.path is not None
        return open(self.path, "rb")


@contextmanager
def open_source(name: str | os.PathLike[str], encoding: str | None = None,
                stdin: BinaryIO | None = None) -> Iterator[CsvSource]:  # fmt: skip
    enc = encoding or "utf-8-sig"
    try:
        codecs.lookup(enc)
    except LookupError:
        raise CsvError(f"--encoding {encoding!r}: unknown encoding (try utf-8, gb18030, cp1252)") from None
    if enc.replace("-", "").replace("_", "").lower() == "utf8":
        enc = "utf-8-sig"  # a BOM is welcome either way
    if os.fspath(name) == "-":
        with tempfile.TemporaryFile() as spool:
            src = stdin if stdin is not None else sys.stdin.buffer
            size = 0
            while chunk := src.read(1 << 20):
                spool.write(chunk)
                size += len(chunk)
            yield CsvSource(None, spool, enc, "<stdin>", size)
        return
    path = Path(name)
    if not path.exists():
        raise CsvError(f"{path}: no such file")
    if path.is_dir():
        raise CsvError(f"{path}: is a directory, not a CSV file")
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise CsvError(f"{path}: {exc.strerror}") from None
    yield CsvSource(path, None, enc, str(path), path.stat().st_size)


def _sniff(source: CsvSource) -> None:
    f = source.open_binary()
    try:
        head = f.read(8192)
    finally:
        if source.spool is None:
            f.close()
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise CsvError(f"{source.label}: the file is empty (a deals CSV needs a header and rows)")
    if b"\x00" in head and not source.encoding.lower().startswith("utf-16"):
        raise CsvError(f"{source.label}: this looks like a binary file, not a CSV")


def read_rows(source: CsvSource, progress: Progress | None = None) -> Iterator[tuple[int, list[str]]]:
    """(first line number of the record, fields) for every record, header included."""
    raw = source.open_binary()
    counting = _Counting(raw, progress)
    text = io.TextIOWrapper(io.BufferedReader(counting, 1 << 16), encoding=source.encoding, newline="")
    reader = csv.reader(text, strict=False)
    line = 1
    try:
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise CsvError(
                    f"{source.label}: line {reader.line_num + 1}: cannot decode the bytes as {source.encoding} "
                    f"({exc.reason}); if the file comes from Chinese Excel try --encoding gb18030, "
                    f"from Western Excel --encoding cp1252"
                ) from None
            except csv.Error as exc:
                msg = str(exc)
                if "field larger than field limit" in msg:
                    msg = f"a field is longer than {MAX_FIELD // (1 << 20)} MiB; refused"
                raise CsvError(f"{source.label}: line {reader.line_num}: {msg}") from None
            yield line, record
            line = reader.line_num + 1
    finally:
        if source.spool is None:
            raw.close()


@dataclass
class Header:
    index: dict[str, int]
    unknown: list[str]
    width: int


def parse_header(record: list[str], label: str, required: Sequence[str] = REQUIRED_COLUMNS,
                 known: frozenset[str] = KNOWN_COLUMNS) -> Header:  # fmt: skip
    if len(record) > MAX_COLUMNS:
        raise CsvError(f"{label}: the header has {len(record):,} columns; at most {MAX_COLUMNS:,} are read")
    index: dict[str, int] = {}
    unknown: list[str] = []
    for i, name in enumerate(record):
        key = name.strip().lstrip("\ufeff").casefold()
        if key in known:
            if key in index:
                raise CsvError(f"{label}: line 1: column {name!r} appears twice in the header")
            index[key] = i
        elif key and key not in IGNORED_COLUMNS:
            unknown.append(name.strip())
    missing = [c for c in required if c not in index]
    if missing:
        names = ", ".join(repr(m) for m in missing)
        raise CsvError(
            f"{label}: line 1: missing required column{'s' if len(missing) > 1 else ''} {names} "
            f"(the header must name {', '.join(required)})"
        )
    return Header(index, unknown, len(record))


def _row_dict(header: Header, record: list[str]) -> dict[str, str]:
    n = len(record)
    return {k: (record[i] if i < n else "") for k, i in header.index.items()}


# ---------------------------------------------------------------------------------------------
# Import
#
# Every row becomes one "spooled" tuple (see _SPOOL_FIELDS) in the first pass, written with ``marshal``
# to a temporary file; the second pass reads that file back instead of the CSV, so a row is parsed and
# checked once, the file cannot change between the passes, and memory stays flat. Ordinary rows take
# _FastRows (plain-digit amounts, ISO dates, memoised vocabularies and names); anything it is not sure
# about goes through parse_deal_fields, which also produces every error message. tests/core/
# test_csv_speed_paths.py checks that both paths give the same tuple.

_SPOOL_FIELDS = (
    "line", "id", "ref", "alliances", "from_name", "from_key", "to_name", "to_key",
    "date", "date_precision", "kind", "amount", "currency", "qualifier", "amount_text", "capacity_gw",
    "status", "description", "source_outlet", "source_author", "source_title", "source_url", "source_date",
)  # fmt: skip
_SPOOL_BATCH = 1000  # also the batch of look-ups in the second pass, as before the spool
_SPOOL_BYTES = 8 << 20  # ... and at most this much text, so rows of ~1 MiB fields keep memory bounded
_MEMO_MAX = 50_000  # entries per memo table; beyond that values are computed every time
_BAD = object()  # a memoised "let parse_deal_fields decide" (it reports the error, or knows better)
# an amount the fast path reads exactly as parse_amount does: no leading zero, no trailing zero in the
# fraction, at most 4 decimals, below MAX_AMOUNT (10^14); anything else takes the slow path
_PLAIN_AMOUNT = re.compile(r"(?:0|[1-9][0-9]{0,13})(?:\.[0-9]{0,3}[1-9])?")


def _scaled(value: Decimal | None) -> int | None:
    return None if value is None else int(value * _FACTOR)


def _clean_cell(value: str) -> str | None:
    """``fields.clean_text`` for a str, faster: ``isspace`` and ``strip`` share one definition of whitespace."""
    if not value:
        return None
    if value[0] == "'":
        value = restore(value)
    return None if value.isspace() else value


def _spool_tuple(line: int, v: DealValues) -> tuple[Any, ...]:
    """The spooled form of a deal checked by parse_deal_fields (the slow path)."""
    assert v.date is not None
    to_name = v.to_org
    return (
        line, v.id, v.ref, v.alliances, v.from_org, name_key(v.from_org), to_name,
        name_key(to_name) if to_name else None, v.date.isoformat(), v.date_precision, v.kind, _scaled(v.amount),
        v.currency, v.qualifier, v.amount_text, _scaled(v.capacity_gw), v.status, v.description, v.source_outlet,
        v.source_author, v.source_title, v.source_url, v.source_date,
    )  # fmt: skip


def _memo_date(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return _BAD
    try:
        d, precision = parse_date(raw)
    except DateError:
        return _BAD
    return d.isoformat(), precision


def _memo_source_date(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return None
    try:
        d, precision = parse_date(raw)
    except DateError:
        return _BAD
    return format_date(d, precision)


def _memo_kind(cell: str) -> Any:
    raw = clean_text(cell)
    kind = normalise(raw, KINDS) if raw else None
    return _BAD if kind is None else kind


def _memo_name(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return None, None
    if len(raw) > SHORT_TEXT:
        return _BAD
    name = raw.strip()
    return name, name_key(name)


def _memo_short(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return None
    return _BAD if len(raw) > SHORT_TEXT else raw.strip()


def _memo_currency(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return None
    try:
        return normalise_currency(raw)
    except AmountError:
        return _BAD


def _memo_qualifier(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return None
    q = normalise(raw, QUALIFIERS, QUALIFIER_SYNONYMS)
    return _BAD if q is None else q


def _memo_status(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return "announced"
    s = normalise(raw, STATUSES, STATUS_SYNONYMS)
    return _BAD if s is None else s


def _memo_capacity(cell: str) -> Any:
    raw = clean_text(cell)
    if raw is None:
        return None
    try:
        return _scaled(parse_capacity(raw))
    except ValueError:
        return _BAD


def _memo_alliances(cell: str) -> Any:
    raw = clean_text(cell) or ""
    names = [n.strip() for n in raw.split(";") if n.strip()]
    if any(len(n) > MAX_NAME for n in names):
        return _BAD
    seen: dict[str, str] = {}
    for n in names:
        seen.setdefault(name_key(n), n)
    return tuple(seen.values())


def _plain_scaled(text: str) -> int:
    """A string matched by _PLAIN_AMOUNT as a count of 10^-4 units."""
    whole, _, frac = text.partition(".")
    return int(whole) * _FACTOR + (int(frac.ljust(SCALE, "0")) if frac else 0)


class _FastRows:
    """parse_deal_fields for ordinary rows, to the spooled tuple directly; ``None`` means "not sure"."""

    def __init__(self, header: Header) -> None:
        self.width = header.width
        pad = header.width  # an absent column reads the "" appended to every record
        self.cols = {c: header.index.get(c, pad) for c in KNOWN_COLUMNS}
        self.has_alliances = "alliances" in header.index
        self.memos: dict[Callable[[str], Any], dict[str, Any]] = {}

    def _memo(self, fn: Callable[[str], Any]) -> Callable[[str], Any]:
        table = self.memos.setdefault(fn, {})
        get = table.get

        def lookup(cell: str) -> Any:
            value = get(cell, _BAD)
            if value is _BAD and cell not in table:
                value = fn(cell)
                if len(table) < _MEMO_MAX:
                    table[cell] = value
            return value

        return lookup

    def parser(self) -> Callable[[list[str], int], tuple[Any, ...] | None]:
        c = self.cols
        i_id, i_ref, i_date, i_kind = c["id"], c["ref"], c["date"], c["kind"]
        i_from, i_to, i_amount, i_cur = c["from_org"], c["to_org"], c["amount"], c["currency"]
        i_qual, i_text, i_cap, i_status = c["qualifier"], c["amount_text"], c["capacity_gw"], c["status"]
        i_all, i_desc, i_outlet, i_author = c["alliances"], c["description"], c["source_outlet"], c["source_author"]
        i_title, i_url, i_sdate = c["source_title"], c["source_url"], c["source_date"]
        width, has_alliances = self.width, self.has_alliances
        date_of, kind_of, name_of = self._memo(_memo_date), self._memo(_memo_kind), self._memo(_memo_name)
        cur_of, qual_of, status_of = self._memo(_memo_currency), self._memo(_memo_qualifier), self._memo(_memo_status)
        cap_of, short_of, sdate_of = self._memo(_memo_capacity), self._memo(_memo_short), self._memo(_memo_source_date)
        alliances_of = self._memo(_memo_alliances)
        plain = _PLAIN_AMOUNT.fullmatch
        clean = _clean_cell
        max_id = 2**62

        def parse(record: list[str], line: int) -> tuple[Any, ...] | None:
            n = len(record)
            if n < width:
                record.extend([""] * (width - n))
            record.append("")
            cell = record[i_id]
            deal_id = None
            if cell:
                if not (cell.isdigit() and cell.isascii()):
                    return None
                deal_id = int(cell)
                if deal_id <= 0 or deal_id > max_id:
                    return None
            if record[i_ref]:
                return None
            date = date_of(record[i_date])
            kind = kind_of(record[i_kind])
            from_name_key = name_of(record[i_from])
            to_name_key = name_of(record[i_to])
            if date is _BAD or kind is _BAD or from_name_key is _BAD or to_name_key is _BAD:
                return None
            from_name, from_key = from_name_key
            to_name, to_key = to_name_key
            if from_name is None:
                return None
            if kind == "infrastructure":
                if to_name is not None:
                    return None
            elif to_name is None or to_key == from_key:
                return None
            currency = cur_of(record[i_cur])
            qualifier = qual_of(record[i_qual])
            if currency is _BAD or qualifier is _BAD or record[i_text]:
                return None
            cell = record[i_amount]
            if not cell or cell.isspace():
                if qualifier is not None and qualifier != "undisclosed":
                    return None
                amount = None
                qualifier = "undisclosed"
            else:
                if qualifier == "undisclosed" or plain(cell) is None:
                    return None
                amount = _plain_scaled(cell)
                qualifier = qualifier or "exact"
            capacity = cap_of(record[i_cap])
            status = status_of(record[i_status])
            outlet = short_of(record[i_outlet])
            author = short_of(record[i_author])
            source_date = sdate_of(record[i_sdate])
            alliances = alliances_of(record[i_all]) if has_alliances else None
            if (capacity is _BAD or status is _BAD or outlet is _BAD or author is _BAD or source_date is _BAD
                    or alliances is _BAD):  # fmt: skip
                return None
            return (
                line, deal_id, None, alliances, from_name, from_key, to_name, to_key, date[0], date[1], kind,
                amount, currency, qualifier, None, capacity, status, clean(record[i_desc]), outlet, author,
                clean(record[i_title]), clean(record[i_url]), source_date,
            )  # fmt: skip

        return parse


@dataclass
class _Plan:
    """What the first pass learned, small whatever the file's size."""

    rows: int = 0
    new_orgs: dict[str, str] = field(default_factory=dict)  # key -> name as first written
    alliances: dict[str, str] = field(default_factory=dict)
    max_id: int = 0
    has_ids: bool = False
    present: frozenset[str] = frozenset()


def _check_rows(source: CsvSource, index: dict[str, int], report: ImportReport, progress: Progress | None,
                spool: IO[bytes], on_block: Callable[[int], None] | None = None) -> _Plan:  # fmt: skip
    plan = _Plan()
    seen_ids: set[int] = set()
    seen_refs: set[str] = set()
    rows = read_rows(source, progress)
    first = next(rows, None)
    if first is None:
        raise CsvError(f"{source.label}: the file is empty (a deals CSV needs a header and rows)")
    header = parse_header(first[1], source.label)
    report.unknown_columns = header.unknown
    plan.present = frozenset(header.index)
    width = header.width
    fast = _FastRows(header).parser()
    new_orgs, alliances = plan.new_orgs, plan.alliances
    out: list[tuple[Any, ...]] = []
    out_bytes = 0  # text held in `out`: a block is cut at _SPOOL_BATCH rows or _SPOOL_BYTES, whichever first
    for line, record in rows:
        n = len(record)
        t = fast(record, line) if n <= width else None
        if t is None:
            del record[n:]  # the fast path's padding
            if not any(cell.strip() for cell in record):
                continue
            plan.rows += 1
            if len(record) > width:
                report.add_error(RowError(line, "", "", f"has {len(record)} fields, the header has {width}"))
                continue
            values, errors = parse_deal_fields(_row_dict(header, record))
            for e in errors:
                report.add_error(RowError(line, e.column, e.value, e.message))
            if values.id is not None:
                plan.has_ids = True
                if values.id in seen_ids:
                    report.add_error(RowError(line, "id", str(values.id), "duplicate id (appears earlier in the file)"))
                seen_ids.add(values.id)
                plan.max_id = max(plan.max_id, values.id)
            if values.ref is not None:
                if values.ref in seen_refs:
                    report.add_error(RowError(line, "id", values.ref, "duplicate id (appears earlier in the file)"))
                seen_refs.add(values.ref)
            if errors:
                continue
            t = _spool_tuple(line, values)
        else:
            plan.rows += 1
            deal_id = t[1]
            if deal_id is not None:
                plan.has_ids = True
                if deal_id in seen_ids:
                    report.add_error(RowError(line, "id", str(deal_id), "duplicate id (appears earlier in the file)"))
                seen_ids.add(deal_id)
                if deal_id > plan.max_id:
                    plan.max_id = deal_id
        from_key, to_key = t[5], t[7]
        a = index.get(from_key)
        if a is None:
            if from_key not in new_orgs:
                new_orgs[from_key] = t[4]
            a = from_key
        if to_key is not None:
            b = index.get(to_key)
            if b is None:
                if to_key not in new_orgs:
                    new_orgs[to_key] = t[6]
                b = to_key
            if a == b:
                report.add_error(RowError(line, "to_org", t[6] or "", f"the same organisation as from_org {t[4]!r}"))
        if t[3]:
            for name in t[3]:
                alliances.setdefault(name_key(name), name)
        if report.error_count:
            continue  # nothing will be written: stop spooling
        out.append(t)
        out_bytes += sum(map(len, record))
        if len(out) >= _SPOOL_BATCH or out_bytes >= _SPOOL_BYTES:
            _spool_write(spool, out)
            if on_block is not None:
                on_block(len(out))
            out.clear()
            out_bytes = 0
    if out:
        _spool_write(spool, out)
        if on_block is not None:
            on_block(len(out))
    return plan


def _spool_write(spool: IO[bytes], rows: list[tuple[Any, ...]]) -> None:
    block = marshal.dumps(rows)
    spool.write(len(block).to_bytes(8, "little"))
    spool.write(block)


def _spooled(spool: IO[bytes]) -> Iterator[list[tuple[Any, ...]]]:
    """The spooled batches, in order."""
    spool.seek(0)
    while (block := _read_block(spool)) is not None:
        yield block


def _read_block(spool: IO[bytes]) -> list[tuple[Any, ...]] | None:
    """The next block of :func:`_spool_write` at the spool's position, or None at its end (length-prefixed
    blocks: ``marshal.load`` from a file reads in tiny pieces)."""
    size = spool.read(8)
    if not size:
        return None
    return marshal.loads(spool.read(int.from_bytes(size, "little")))  # type: ignore[no-any-return]


def import_deals(db: Database, name: str | os.PathLike[str], *, encoding: str | None = None,
                 dry_run: bool = False, progress: Progress | None = None,
                 write_progress: WriteProgress | None = None,
                 stdin: BinaryIO | None = None, conn: Connection | None = None) -> ImportReport:  # fmt: skip
    """Import a deals CSV. Raises CsvError (unreadable file) or ImportFailed (bad rows, nothing written)."""
    with open_source(name, encoding, stdin) as source:
        return import_source(db, source, dry_run=dry_run, progress=progress, write_progress=write_progress, conn=conn)


def import_source(db: Database, source: CsvSource, *, dry_run: bool = False,
                  progress: Progress | None = None, write_progress: WriteProgress | None = None,
                  conn: Connection | None = None) -> ImportReport:  # fmt: skip
    _sniff(source)
    report = ImportReport(dry_run=dry_run)
    if conn is None:
        with db.read() as rconn:
            index = load_name_index(rconn)
    else:
        index = load_name_index(conn)
    if conn is None:
        from tracker.core.csvio.pipeline import import_pipelined, pipeline_applies

        if pipeline_applies(db, source, dry_run):
            return import_pipelined(db, source, index, report, progress, write_progress)
    with tempfile.TemporaryFile() as spool:
        plan = _check_rows(source, index, report, progress, spool)
        report.rows = plan.rows
        if not report.ok:
            raise ImportFailed(report)
        if conn is not None:
            _write(db, conn, spool, plan, report, write_progress)
            return report
        with db.write(checked_keys=True) as wconn:
            _write(db, wconn, spool, plan, report, write_progress)
            if dry_run:
                wconn.rollback()
    return report


_STORED = (
    "date", "date_precision", "kind", "from_org_id", "to_org_id", "amount", "currency", "qualifier",
    "amount_text", "capacity_gw", "status", "description", "source_outlet", "source_author",
    "source_title", "source_url", "source_date", "ref",
)  # fmt: skip
# DealValues attribute behind each deals-CSV column, for partial updates
_COLUMN_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("date", "date_precision"),
    "kind": ("kind",),
    "from_org": ("from_org_id",),
    "to_org": ("to_org_id",),
    "amount": ("amount", "currency", "qualifier", "amount_text"),
    "currency": ("currency",),
    "qualifier": ("qualifier",),
    "amount_text": ("amount_text",),
    "capacity_gw": ("capacity_gw",),
    "status": ("status",),
    "description": ("description",),
    "source_outlet": ("source_outlet",),
    "source_author": ("source_author",),
    "source_title": ("source_title",),
    "source_url": ("source_url",),
    "source_date": ("source_date",),
    "ref": ("ref",),
    "id": ("ref",),
}


def _stored_tuple(t: tuple[Any, ...], index: dict[str, int]) -> tuple[Any, ...]:
    """A spooled row as the values of the _STORED columns, parties resolved to organisation ids."""
    to_key = t[7]
    return (t[8], t[9], t[10], index[t[5]], index[to_key] if to_key is not None else None, *t[11:], t[2])


_RAW_COLUMNS = [type_coerce(DEAL.c[c], BigInteger) if c in ("amount", "capacity_gw") else
                cast(DEAL.c[c], String) if c == "date" else DEAL.c[c] for c in ("id", *_STORED)]  # fmt: skip


def _raw_row(row: Sequence[Any]) -> dict[str, Any]:
    d = dict(zip(("id", *_STORED), row, strict=True))
    d["date"] = str(d["date"])[:10]
    return d


class _Writer:
    """Batches of new rows, updates and alliance links inside the import's transaction."""

    def __init__(self, db: Database, conn: Connection) -> None:
        self.db, self.conn = db, conn
        self.pending: list[tuple[Any, ...]] = []  # (id, *_STORED)
        self.links: list[dict[str, int]] = []
        self.pg = not db.is_sqlite
        cols = ("id", *_STORED)
        self.cols = cols
        marks = ", ".join("?" if db.is_sqlite else "%s" for _ in cols)
        self.insert_sql = f"INSERT INTO deal ({', '.join(cols)}) VALUES ({marks})"
        self.sums: Accumulator | None = None  # set for a bulk load with the running-sums triggers off

    def add(self, row: tuple[Any, ...]) -> None:
        self.pending.append(row)
        if len(self.pending) >= BATCH:
            self.flush()

    def link(self, alliance_id: int, deal_id: int) -> None:
        self.links.append({"alliance_id": alliance_id, "deal_id": deal_id})

    def flush(self) -> None:
        if self.pending:
            if self.sums is not None:  # (id, date, precision, kind, from, to, amount, currency, qualifier, text, gw
                self.sums.add_many((r[1], r[3], r[4], r[5], r[6], r[7], r[8], r[10]) for r in self.pending)
            dbapi = self.conn.connection.driver_connection
            if self.pg:
                sql = f"COPY deal ({', '.join(self.cols)}) FROM STDIN"
                with dbapi.cursor() as cur, cur.copy(sql) as copy:  # type: ignore[union-attr]
                    for r in self.pending:
                        copy.write_row(r)
            else:
                dbapi.executemany(self.insert_sql, self.pending)  # type: ignore[union-attr]
            self.pending.clear()
        if self.links:
            self.conn.execute(insert(ALLIANCE_DEAL), self.links)
            self.links.clear()


def _deal_indexes(conn: Connection, is_sqlite: bool) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the deal table's plain indexes (not those behind constraints)."""
    if is_sqlite:
        rows = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deal' AND sql IS NOT NULL "
            "ORDER BY name"
        )
    else:
        rows = conn.exec_driver_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'deal' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname"
        )
    return [(name, sql) for name, sql in rows]


def _write(db: Database, conn: Connection, spool: IO[bytes] | None, plan: _Plan, report: ImportReport,
           write_progress: WriteProgress | None = None, *,
           blocks: Iterator[list[tuple[Any, ...]]] | None = None) -> None:  # fmt: skip
    """Pass two. ``blocks``, when given, replaces the spool: checked rows still arriving from a checking
    process (tracker/core/csvio/pipeline.py) into an empty table; their organisations and alliances are
    created as they first appear, and the load is a bulk load."""
    index = load_name_index(conn)  # again, inside the lock: another process may have added some
    fresh = [(key, org_name) for key, org_name in plan.new_orgs.items() if key not in index]
    if fresh:  # what create_org does for each, in one executemany (a new organisation has no aliases)
        conn.execute(insert(ORG), [{"name": org_name, "name_key": key} for key, org_name in fresh])
        report.created_orgs.extend(org_name for _key, org_name in fresh)
        index = load_name_index(conn)
    alliance_ids = {k: i for k, i in conn.execute(select(ALLIANCE.c.name_key, ALLIANCE.c.id))}
    for key, a_name in plan.alliances.items():
        if key not in alliance_ids:
            _create_alliance(conn, key, a_name, alliance_ids, report)

    existing_count = conn.execute(select(func.count()).select_from(DEAL)).scalar_one()
    max_existing = conn.execute(select(func.max(DEAL.c.id))).scalar() or 0
    start = max(max_existing, plan.max_id)
    if db.is_sqlite:
        counter = iter(range(start + 1, 1 << 62))

        def next_id() -> int:
            return next(counter)
    else:
        seq = "pg_get_serial_sequence('deal', 'id')"
        if plan.max_id:
            conn.exec_driver_sql(f"SELECT setval({seq}, GREATEST((SELECT last_value FROM deal_id_seq), %s))",
                                 (plan.max_id,))  # fmt: skip
        pool: list[int] = []

        def next_id() -> int:
            if not pool:
                got = conn.exec_driver_sql(f"SELECT nextval({seq}) FROM generate_series(1, 1000)").scalars()
                pool.extend(reversed(list(got)))
            return pool.pop()

    # Bulk load into an empty table: drop the deal indexes, build them once at the end (inside the same
    # transaction, so a failure rolls the drop back too). Index maintenance row by row costs 5-8x.
    rebuild = existing_count == 0 and (blocks is not None or plan.rows >= BULK_REBUILD_INDEXES) and not report.dry_run
    deal_indexes = _deal_indexes(conn, db.is_sqlite) if rebuild else []
    for name, _sql in deal_indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    # ... and the triggers that keep the running sums (tracker/core/storage/sums.py): 3 upserts per row would
    # cost more than the load itself; the sums are added up in Python as the rows go by instead
    triggers = TriggersOff(conn) if rebuild else None
    if triggers is not None:
        triggers.__enter__()
        for table in TABLES:
            conn.exec_driver_sql(f"DELETE FROM {table}")
    if db.is_sqlite:
        conn.exec_driver_sql("PRAGMA cache_size = -65536")  # 64 MiB of page cache for this connection

    writer = _Writer(db, conn)
    if triggers is not None:
        writer.sums = Accumulator()
    settle = _Settler(conn, writer, next_id, alliance_ids, report, plan.present, existing_count > 0)
    done = 0
    if blocks is None:
        assert spool is not None
        blocks = _spooled(spool)
        arriving = False
    else:
        arriving = True
    for batch in blocks:
        if arriving:
            _create_parties(conn, batch, index, alliance_ids, report)
        settle([(t, _stored_tuple(t, index)) for t in batch])
        if len(batch) < _SPOOL_BATCH:  # a block cut by its size: big rows, so write them out now
            writer.flush()
        if write_progress is not None:
            done += len(batch)
            write_progress(done, max(plan.rows, done))
    writer.flush()
    for _name, sql in deal_indexes:
        conn.exec_driver_sql(sql)
    if triggers is not None and writer.sums is not None:
        writer.sums.write(conn)
        triggers.__exit__(None, None, None)
    if not db.is_sqlite and plan.max_id:
        conn.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('deal', 'id'), GREATEST((SELECT max(id) FROM deal), 1))"
        )
    if report.added + report.updated > 10_000:
        if db.is_sqlite:  # sampled statistics: enough for the planner, seconds cheaper than a full ANALYZE at 1M
            conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
        conn.exec_driver_sql("ANALYZE")


def _create_alliance(conn: Connection, key: str, a_name: str, alliance_ids: dict[str, int],
                     report: ImportReport) -> None:  # fmt: skip
    alliance_ids[key] = conn.execute(
        insert(ALLIANCE).values(name=a_name, name_key=key).returning(ALLIANCE.c.id)
    ).scalar_one()
    report.created_alliances.append(a_name)


def _create_parties(conn: Connection, batch: list[tuple[Any, ...]], index: dict[str, int],
                    alliance_ids: dict[str, int], report: ImportReport) -> None:  # fmt: skip
    """Create the organisations and alliances that ``batch`` names for the first time (spooled rows)."""
    fresh: dict[str, str] = {}
    for t in batch:
        if t[5] not in index and t[5] not in fresh:
            fresh[t[5]] = t[4]
        if t[7] is not None and t[7] not in index and t[7] not in fresh:
            fresh[t[7]] = t[6]
        for a_name in t[3] or ():
            key = name_key(a_name)
            if key not in alliance_ids:
                _create_alliance(conn, key, a_name, alliance_ids, report)
    if fresh:
        conn.execute(insert(ORG), [{"name": org_name, "name_key": key} for key, org_name in fresh.items()])
        for key, org_id in conn.execute(select(ORG.c.name_key, ORG.c.id).where(ORG.c.name_key.in_(list(fresh)))):
            index[key] = org_id
        report.created_orgs.extend(fresh.values())


class _Settler:
    """Decides, for a batch of spooled rows, which are new, which update a deal and which change nothing."""

    def __init__(self, conn: Connection, writer: _Writer, next_id: Callable[[], int], alliance_ids: dict[str, int],
                 report: ImportReport, present: frozenset[str], check_existing: bool) -> None:  # fmt: skip
        self.conn, self.writer, self.next_id, self.alliance_ids = conn, writer, next_id, alliance_ids
        self.report, self.present, self.check_existing = report, present, check_existing
        self.match = _NaturalMatcher(conn) if check_existing else None

    def __call__(self, batch: list[tuple[tuple[Any, ...], tuple[Any, ...]]]) -> None:
        if not batch:
            return
        conn, writer, report, alliance_ids = self.conn, self.writer, self.report, self.alliance_ids
        by_id: dict[int, dict[str, Any]] = {}
        by_ref: dict[str, dict[str, Any]] = {}
        ids = [t[1] for t, _ in batch if t[1] is not None]
        refs = [t[2] for t, _ in batch if t[2] is not None]
        if ids or refs or self.check_existing:
            writer.flush()  # rows of earlier batches must be visible to the look-ups below
        if ids:
            for row in conn.execute(select(*_RAW_COLUMNS).where(DEAL.c.id.in_(ids))):
                by_id[row[0]] = _raw_row(row)
        if refs:
            for row in conn.execute(select(*_RAW_COLUMNS).where(DEAL.c.ref.in_(refs))):
                r = _raw_row(row)
                by_ref[r["ref"]] = r
        for t, stored in batch:
            deal_id, ref, alliances = t[1], t[2], t[3]
            old = None
            if deal_id is not None:
                old = by_id.get(deal_id)
            elif ref is not None:
                old = by_ref.get(ref)
            elif self.match is not None:
                old = self.match(stored)
            if old is None:
                if deal_id is None:
                    deal_id = self.next_id()
                writer.add((deal_id, *stored))
                if alliances:
                    for a in alliances:
                        writer.link(alliance_ids[name_key(a)], deal_id)
                report.added += 1
                continue
            new = dict(zip(_STORED, stored, strict=True))
            changed = _changes(self.present, ref, old, new)
            links_changed = False
            if alliances is not None:
                wanted = {alliance_ids[name_key(a)] for a in alliances}
                have = set(
                    conn.execute(
                        select(ALLIANCE_DEAL.c.alliance_id).where(ALLIANCE_DEAL.c.deal_id == old["id"])
                    ).scalars()
                )
                if wanted != have:
                    links_changed = True
                    conn.execute(ALLIANCE_DEAL.delete().where(ALLIANCE_DEAL.c.deal_id == old["id"]))
                    for a_id in wanted:
                        writer.link(a_id, old["id"])
            if changed:
                sets = ", ".join(f"{c} = :{c}" for c in changed)
                conn.execute(
                    text(f"UPDATE deal SET {sets} WHERE id = :id"), {**{c: new[c] for c in changed}, "id": old["id"]}
                )
            if changed or links_changed:
                report.updated += 1
            else:
                report.unchanged += 1


def _changes(present: frozenset[str], ref: str | None, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    fields: list[str] = []
    for column in present:
        for f in _COLUMN_FIELDS.get(column, ()):
            if f not in fields:
                fields.append(f)
    for f in ("date", "kind", "from_org_id"):  # required columns are always present
        if f not in fields:
            fields.append(f)
    if "date" in fields and "date_precision" not in fields:
        fields.append("date_precision")
    if ref is None and "ref" in fields:
        fields.remove("ref")  # an integer id does not clear an outside key
    return [f for f in fields if old.get(f) != new.get(f)]


class _NaturalMatcher:
    """An existing deal with the same date, kind, parties, amount and currency (the lowest id)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        if self.sqlite:  # one prepared statement; ``IS`` is SQLite's null-safe equality
            cols = ", ".join(f"CAST({c} AS VARCHAR)" if c == "date" else c for c in ("id", *_STORED))
            self.sql = (
                f"SELECT {cols} FROM deal WHERE date = ? AND kind = ? AND from_org_id = ? AND to_org_id IS ? "
                "AND amount IS ? AND currency IS ? ORDER BY id LIMIT 1"
            )

    def __call__(self, stored: tuple[Any, ...]) -> dict[str, Any] | None:
        if self.sqlite:
            dbapi = self.conn.connection.driver_connection
            row = dbapi.execute(self.sql, (*stored[0:1], stored[2], *stored[3:6], stored[6])).fetchone()  # type: ignore[union-attr]
            return _raw_row(row) if row is not None else None
        return _match_natural(self.conn, dict(zip(_STORED, stored, strict=True)))


def _match_natural(conn: Connection, new: dict[str, Any]) -> dict[str, Any] | None:
    """An existing deal with the same date, kind, parties, amount and currency."""

    def eq(col: Any, value: Any) -> Any:
        return col.is_(None) if value is None else col == value

    stmt = (
        select(*_RAW_COLUMNS)
        .where(
            DEAL.c.date == _as_date(new["date"]),
            DEAL.c.kind == new["kind"],
            DEAL.c.from_org_id == new["from_org_id"],
            eq(DEAL.c.to_org_id, new["to_org_id"]),
            eq(type_coerce(DEAL.c.amount, BigInteger), new["amount"]),
            eq(DEAL.c.currency, new["currency"]),
        )
        .order_by(DEAL.c.id)
        .limit(1)
    )
    row = conn.execute(stmt).first()
    return _raw_row(row) if row is not None else None


def _as_date(iso: str) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(iso)


# Export lives in tracker/core/csvio/export.py; re-exported here for callers of the CSV module.
from tracker.core.csvio.export import EXPORT_HEADER, export_deals  # noqa: E402, F401  (re-export until integration)
