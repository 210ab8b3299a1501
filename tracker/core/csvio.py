"""Streaming CSV import and export of deals, headless (no UI), in bounded memory.

Import reads the file twice: a first pass checks every row without holding any lock and stops at
nothing (every bad row is reported, up to 20, then a count); only a clean file gets the second pass,
which writes everything in one transaction (all or nothing) with the driver's ``executemany`` in
batches (``COPY`` on PostgreSQL), organisation ids resolved from an in-memory map. Standard input is
spooled to a temporary file so that it can be read twice.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, BinaryIO

from sqlalchemy import BigInteger, Connection, String, cast, func, insert, select, text, type_coerce

from tracker.core.dates import format_date
from tracker.core.db import Database
from tracker.core.dealrow import (
    DEAL_COLUMNS,
    EXTRA_COLUMNS,
    IGNORED_COLUMNS,
    KNOWN_COLUMNS,
    REQUIRED_COLUMNS,
    DealValues,
    defuse,
    parse_deal_fields,
)
from tracker.core.models import SCALE, Alliance, AllianceDeal, Deal, Organization
from tracker.core.orgs import OrgFields, create_org, load_name_index, name_key

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


class CsvError(Exception):
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


class ImportFailed(Exception):
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


@dataclass
class _Plan:
    """What the first pass learned, small whatever the file's size."""

    rows: int = 0
    new_orgs: dict[str, str] = field(default_factory=dict)  # key -> name as first written
    alliances: dict[str, str] = field(default_factory=dict)
    max_id: int = 0
    has_ids: bool = False


def _check_rows(source: CsvSource, index: dict[str, int], report: ImportReport,
                progress: Progress | None) -> _Plan:  # fmt: skip
    plan = _Plan()
    seen_ids: set[int] = set()
    seen_refs: set[str] = set()
    rows = read_rows(source, progress)
    first = next(rows, None)
    if first is None:
        raise CsvError(f"{source.label}: the file is empty (a deals CSV needs a header and rows)")
    header = parse_header(first[1], source.label)
    report.unknown_columns = header.unknown
    for line, record in rows:
        if not any(cell.strip() for cell in record):
            continue
        plan.rows += 1
        if len(record) > header.width:
            report.add_error(RowError(line, "", "", f"has {len(record)} fields, the header has {header.width}"))
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
        ids = []
        for name in (values.from_org, values.to_org):
            if name is None:
                continue
            key = name_key(name)
            org = index.get(key)
            if org is None:
                plan.new_orgs.setdefault(key, name)
                ids.append(key)
            else:
                ids.append(org)
        if len(ids) == 2 and ids[0] == ids[1]:
            report.add_error(
                RowError(line, "to_org", values.to_org or "", f"the same organisation as from_org {values.from_org!r}")
            )
        for a in values.alliances or ():
            plan.alliances.setdefault(name_key(a), a)
    return plan


def import_deals(db: Database, name: str | os.PathLike[str], *, encoding: str | None = None,
                 dry_run: bool = False, progress: Progress | None = None,
                 stdin: BinaryIO | None = None, conn: Connection | None = None) -> ImportReport:  # fmt: skip
    """Import a deals CSV. Raises CsvError (unreadable file) or ImportFailed (bad rows, nothing written)."""
    with open_source(name, encoding, stdin) as source:
        return import_source(db, source, dry_run=dry_run, progress=progress, conn=conn)


def import_source(db: Database, source: CsvSource, *, dry_run: bool = False,
                  progress: Progress | None = None, conn: Connection | None = None) -> ImportReport:  # fmt: skip
    _sniff(source)
    report = ImportReport(dry_run=dry_run)
    if conn is None:
        with db.read() as rconn:
            index = load_name_index(rconn)
    else:
        index = load_name_index(conn)
    plan = _check_rows(source, index, report, progress)
    report.rows = plan.rows
    if not report.ok:
        raise ImportFailed(report)
    if conn is not None:
        _write(db, conn, source, plan, report)
        return report
    with db.write() as wconn:
        _write(db, wconn, source, plan, report)
        if dry_run:
            wconn.rollback()
    return report


def _scaled(value: Decimal | None) -> int | None:
    return None if value is None else int(value * _FACTOR)


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


def _stored_values(v: DealValues, from_id: int, to_id: int | None) -> dict[str, Any]:
    assert v.date is not None
    return {
        "date": v.date.isoformat(),
        "date_precision": v.date_precision,
        "kind": v.kind,
        "from_org_id": from_id,
        "to_org_id": to_id,
        "amount": _scaled(v.amount),
        "currency": v.currency,
        "qualifier": v.qualifier,
        "amount_text": v.amount_text,
        "capacity_gw": _scaled(v.capacity_gw),
        "status": v.status,
        "description": v.description,
        "source_outlet": v.source_outlet,
        "source_author": v.source_author,
        "source_title": v.source_title,
        "source_url": v.source_url,
        "source_date": v.source_date,
        "ref": v.ref,
    }


_RAW_COLUMNS = [type_coerce(DEAL.c[c], BigInteger) if c in ("amount", "capacity_gw") else
                cast(DEAL.c[c], String) if c == "date" else DEAL.c[c] for c in ("id", *_STORED)]  # fmt: skip


def _raw_row(row: Sequence[Any]) -> dict[str, Any]:
    d = dict(zip(("id", *_STORED), row, strict=True))
    d["date"] = str(d["date"])[:10]
    return d


class _Writer:
    """Batches of new rows, updates and alliance links inside the import's transaction."""

    def __init__(self, db: Database, conn: Connection, next_id: Callable[[], int]) -> None:
        self.db, self.conn, self.next_id = db, conn, next_id
        self.pending: list[dict[str, Any]] = []
        self.links: list[dict[str, int]] = []
        self.pg = not db.is_sqlite
        cols = ("id", *_STORED)
        self.cols = cols
        marks = ", ".join("?" if db.is_sqlite else "%s" for _ in cols)
        self.insert_sql = f"INSERT INTO deal ({', '.join(cols)}) VALUES ({marks})"

    def add(self, values: dict[str, Any]) -> None:
        self.pending.append(values)
        if len(self.pending) >= BATCH:
            self.flush()

    def link(self, alliance_id: int, deal_id: int) -> None:
        self.links.append({"alliance_id": alliance_id, "deal_id": deal_id})

    def flush(self) -> None:
        if self.pending:
            rows = [tuple(r[c] for c in self.cols) for r in self.pending]
            if self.pg:
                dbapi = self.conn.connection.driver_connection
                sql = f"COPY deal ({', '.join(self.cols)}) FROM STDIN"
                with dbapi.cursor() as cur, cur.copy(sql) as copy:  # type: ignore[union-attr]
                    for r in rows:
                        copy.write_row(r)
            else:
                self.conn.exec_driver_sql(self.insert_sql, rows)
            self.pending.clear()
        if self.links:
            self.conn.execute(insert(ALLIANCE_DEAL), self.links)
            self.links.clear()


def _write(db: Database, conn: Connection, source: CsvSource, plan: _Plan, report: ImportReport) -> None:
    index = load_name_index(conn)  # again, inside the lock: another process may have added some
    for key, org_name in plan.new_orgs.items():
        if key not in index:
            index[key] = create_org(conn, OrgFields(name=org_name))
            report.created_orgs.append(org_name)
    alliance_ids = dict(conn.execute(select(ALLIANCE.c.name_key, ALLIANCE.c.id)).tuples().all())
    for key, a_name in plan.alliances.items():
        if key not in alliance_ids:
            alliance_ids[key] = conn.execute(
                insert(ALLIANCE).values(name=a_name, name_key=key).returning(ALLIANCE.c.id)
            ).scalar_one()
            report.created_alliances.append(a_name)

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

    rebuild = existing_count == 0 and plan.rows >= BULK_REBUILD_INDEXES and not report.dry_run
    deal_indexes = sorted(DEAL.indexes, key=lambda i: i.name or "")
    if rebuild:
        for idx in deal_indexes:
            idx.drop(conn)
    if db.is_sqlite:
        conn.exec_driver_sql("PRAGMA cache_size = -65536")

    writer = _Writer(db, conn, next_id)
    rows = read_rows(source)
    header = parse_header(next(rows)[1], source.label)
    batch: list[tuple[int, DealValues, dict[str, Any]]] = []

    def settle() -> None:
        _settle(conn, batch, writer, alliance_ids, report, check_existing=existing_count > 0)
        batch.clear()

    for line, record in rows:
        if not any(cell.strip() for cell in record):
            continue
        values, errors = parse_deal_fields(_row_dict(header, record))
        if errors:  # the file changed between the passes
            report.add_error(RowError(line, errors[0].column, errors[0].value, errors[0].message))
            raise ImportFailed(report)
        from_id = index[name_key(values.from_org)]
        to_id = index[name_key(values.to_org)] if values.to_org else None
        batch.append((line, values, _stored_values(values, from_id, to_id)))
        if len(batch) >= 1000:
            settle()
    settle()
    writer.flush()
    if rebuild:
        for idx in deal_indexes:
            idx.create(conn)
    if not db.is_sqlite and plan.max_id:
        conn.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('deal', 'id'), GREATEST((SELECT max(id) FROM deal), 1))"
        )
    if report.added + report.updated > 10_000:
        conn.exec_driver_sql("ANALYZE")


def _settle(conn: Connection, batch: list[tuple[int, DealValues, dict[str, Any]]], writer: _Writer,
            alliance_ids: dict[str, int], report: ImportReport, *, check_existing: bool) -> None:  # fmt: skip
    if not batch:
        return
    by_id: dict[int, dict[str, Any]] = {}
    by_ref: dict[str, dict[str, Any]] = {}
    ids = [v.id for _, v, _ in batch if v.id is not None]
    refs = [v.ref for _, v, _ in batch if v.ref is not None]
    writer.flush()  # rows of earlier batches must be visible to the look-ups below
    if ids:
        for row in conn.execute(select(*_RAW_COLUMNS).where(DEAL.c.id.in_(ids))):
            by_id[row[0]] = _raw_row(row)
    if refs:
        for row in conn.execute(select(*_RAW_COLUMNS).where(DEAL.c.ref.in_(refs))):
            r = _raw_row(row)
            by_ref[r["ref"]] = r
    for _line, values, new in batch:
        old = None
        if values.id is not None:
            old = by_id.get(values.id)
        elif values.ref is not None:
            old = by_ref.get(values.ref)
        elif check_existing:
            old = _match_natural(conn, new)
        if old is None:
            deal_id = values.id if values.id is not None else writer.next_id()
            new["id"] = deal_id
            writer.add(new)
            for a in values.alliances or ():
                writer.link(alliance_ids[name_key(a)], deal_id)
            report.added += 1
            continue
        changed = _changes(values, old, new)
        links_changed = False
        if values.alliances is not None:
            wanted = {alliance_ids[name_key(a)] for a in values.alliances}
            have = set(
                conn.execute(select(ALLIANCE_DEAL.c.alliance_id).where(ALLIANCE_DEAL.c.deal_id == old["id"])).scalars()
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


def _changes(values: DealValues, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    fields: list[str] = []
    for column in values.present:
        for f in _COLUMN_FIELDS.get(column, ()):
            if f not in fields:
                fields.append(f)
    for f in ("date", "kind", "from_org_id"):  # required columns are always present
        if f not in fields:
            fields.append(f)
    if "date" in fields and "date_precision" not in fields:
        fields.append("date_precision")
    if values.ref is None and "ref" in fields:
        fields.remove("ref")  # an integer id does not clear an outside key
    return [f for f in fields if old.get(f) != new.get(f)]


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


# ---------------------------------------------------------------------------------------------
# Export


def _plain(scaled: int | None) -> str:
    """A stored integer of 10^-4 units as a plain decimal number."""
    if scaled is None:
        return ""
    whole, frac = divmod(int(scaled), _FACTOR)
    if not frac:
        return str(whole)
    return f"{whole}.{frac:0{SCALE}d}".rstrip("0")


def _alliance_names_by_deal(conn: Connection) -> Any:
    """(deal_id, 'a;b') for deals in alliances, ordered by deal id."""
    agg = (
        func.group_concat(ALLIANCE.c.name, "\x1f")
        if conn.dialect.name == "sqlite"
        else func.string_agg(ALLIANCE.c.name, "\x1f")
    )
    return (
        select(ALLIANCE_DEAL.c.deal_id, agg.label("names"))
        .join(ALLIANCE, ALLIANCE.c.id == ALLIANCE_DEAL.c.alliance_id)
        .group_by(ALLIANCE_DEAL.c.deal_id)
        .subquery()
    )


EXPORT_HEADER: tuple[str, ...] = DEAL_COLUMNS + EXTRA_COLUMNS


def export_deals(db: Database, out: IO[str], *, progress: Callable[[int], None] | None = None,
                 conn: Connection | None = None) -> int:  # fmt: skip
    """Write every deal as a deals CSV, streaming; returns the number of rows."""
    if conn is None:
        with db.read() as rconn:
            return export_deals(db, out, progress=progress, conn=rconn)
    from tracker.core.fx import latest_rates

    rates = latest_rates(conn)
    frm = ORG.alias("f")
    to = ORG.alias("t")
    names = _alliance_names_by_deal(conn)
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
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    n = 0
    result = conn.execution_options(yield_per=10_000).execute(stmt)
    usd_cache: dict[str, Decimal | None] = {}
    for (deal_id, date, precision, kind, from_name, to_name, amount, currency, qualifier, capacity, status,
         alliances, description, outlet, title, url, source_date, ref, amount_text, author) in result:  # fmt: skip
        amount_usd = ""
        if amount is not None and currency:
            rate = usd_cache.get(currency)
            if currency not in usd_cache:
                rate = usd_cache[currency] = rates.get(currency)
            if rate is not None:
                amount_usd = _plain(int(Decimal(amount) * rate))
        writer.writerow((
            deal_id, format_date(str(date), precision), kind, defuse(from_name), defuse(to_name or ""),
            _plain(amount), currency or "", qualifier, _plain(capacity), status,
            defuse(";".join(sorted(alliances.split("\x1f"), key=name_key))) if alliances else "",
            defuse(description or ""), defuse(outlet or ""), defuse(title or ""), defuse(url or ""),
            source_date or "", defuse(ref or ""), defuse(amount_text or ""), defuse(author or ""), amount_usd,
        ))  # fmt: skip
        n += 1
        if progress is not None and n % 10_000 == 0:
            progress(n)
    return n
