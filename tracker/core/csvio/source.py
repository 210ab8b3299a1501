"""Reading a deals CSV: the source (a file, or standard input spooled to a temporary file), its records
with their line numbers, and the header.

Every way a file can fail to be a CSV at all (missing, a folder, empty, binary, undecodable, a field
over :data:`MAX_FIELD`, too many columns, a missing or doubled column) raises :class:`CsvError` here.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import sys
import tempfile
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from tracker.core.csvio.report import CsvError
from tracker.core.domain.fields import IGNORED_COLUMNS, KNOWN_COLUMNS, REQUIRED_COLUMNS

MAX_FIELD = 1 << 20  # 1 MiB: a longer cell is refused with a message, not read into memory whole
MAX_COLUMNS = 1000

csv.field_size_limit(MAX_FIELD)

Progress = Callable[[int], None]
"""Told the bytes read so far, for a progress bar."""


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
    """The source named ``name`` (``-`` is standard input, or ``stdin``), checked to exist and be readable."""
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


def sniff(source: CsvSource) -> None:
    """Refuse an empty file, or a binary one, from its first 8 KiB, before any row is read."""
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


def read_rows(source: CsvSource, progress: Progress | None = None) -> Generator[tuple[int, list[str]], None, None]:
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
    """Where each known column is (lower-cased name -> position), the unknown names, and the width."""

    index: dict[str, int]
    unknown: list[str]
    width: int


def parse_header(record: list[str], label: str, required: Sequence[str] = REQUIRED_COLUMNS,
                 known: frozenset[str] = KNOWN_COLUMNS) -> Header:  # fmt: skip
    """The header of a file labelled ``label``; raises CsvError for a missing or doubled column."""
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


def row_dict(header: Header, record: list[str]) -> dict[str, str]:
    """A record as {known column: cell}; a short record reads "" for its missing cells."""
    n = len(record)
    return {k: (record[i] if i < n else "") for k, i in header.index.items()}
