"""Reading a deals CSV: the source (a file, or standard input or a pipe spooled to a temporary file), its
records with their line numbers, and the header.

Every way a file can fail to be a CSV at all (missing, a folder, empty, binary, undecodable, an encoding
that is not a text encoding, a quoted field never closed, a NUL character, a field over :data:`MAX_FIELD`,
too many columns, a missing or doubled column) raises :class:`CsvError` here, naming the line.

A source is opened once: a regular file is read again by path (each pass, and the overlapped import's
checking process, open it anew); anything else (``-``, a pipe such as ``<(...)``, a FIFO, a device) is
copied into a temporary file as it is read, and read back from there.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import stat
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
NOT_FILE_ENCODINGS = frozenset({"punycode", "idna", "unicode-escape", "raw-unicode-escape", "utf-7", "undefined"})
"""Text codecs that are not encodings of a text file (or can decode to lone surrogates): refused."""
WIDE = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
"""Encodings whose text has NUL bytes; their NUL characters are looked for in the decoded records."""
_BOMS = {"utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)}

csv.field_size_limit(MAX_FIELD)

Progress = Callable[[int], None]
"""Told the bytes read so far, for a progress bar."""


class _Counting(io.RawIOBase):
    """A binary stream that reports how many bytes were read, for the progress bar, and notes whether a NUL
    byte went by (``nul``), so that only then are records looked at for a NUL character."""

    def __init__(self, inner: BinaryIO, progress: Progress | None, watch_nul: bool = False) -> None:
        self._inner = inner
        self._progress = progress
        self._watch = watch_nul
        self.count = 0
        self.nul = False

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._inner.read(len(b))
        n = len(data)
        b[:n] = data
        self.count += n
        if self._watch and b"\x00" in data:
            self.nul = True
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
    """The source named ``name`` (``-`` is standard input, or ``stdin``), opened once: a regular file is
    read by path; standard input, a pipe or a FIFO is copied into a temporary file first."""
    enc = check_encoding(encoding)
    if os.fspath(name) == "-":
        src = stdin if stdin is not None else sys.stdin.buffer
        with _spooled(src, enc, "<stdin>") as source:
            yield source
        return
    path = Path(name)
    with _open(path) as f:
        info = os.fstat(f.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise CsvError(f"{path}: is a directory, not a CSV file")
        if stat.S_ISREG(info.st_mode):
            yield CsvSource(path, None, enc, str(path), info.st_size)
            return
        with _spooled(f, enc, str(path)) as source:  # a pipe, FIFO or device: it can be read only once
            yield source


def _open(path: Path) -> BinaryIO:
    """``path`` opened for reading (once: a FIFO opened twice would wait for a second writer)."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise CsvError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CsvError(f"{path}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise CsvError(f"{path}: {exc.strerror}") from None


@contextmanager
def _spooled(src: BinaryIO, enc: str, label: str) -> Iterator[CsvSource]:
    with tempfile.TemporaryFile() as spool:
        size = 0
        try:
            while chunk := src.read(1 << 20):
                spool.write(chunk)
                size += len(chunk)
        except OSError as exc:
            raise CsvError(f"{label}: {exc.strerror or exc}") from None
        yield CsvSource(None, spool, enc, label, size)


def check_encoding(encoding: str | None) -> str:
    """The codec name to read with (UTF-8 reads a BOM too); CsvError for an unknown codec, or one that is not
    the encoding of a text file (``rot13``, ``base64``, ``hex``, ``punycode``, ...)."""
    enc = encoding or "utf-8-sig"
    try:
        info = codecs.lookup(enc)
    except LookupError:
        raise CsvError(f"--encoding {encoding!r}: unknown encoding (try utf-8, gb18030, cp1252)") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in NOT_FILE_ENCODINGS:
        raise CsvError(
            f"--encoding {encoding!r}: not a text file encoding (a codec such as rot13, base64, hex or punycode "
            f"transforms data; try utf-8, gb18030, cp1252)"
        )
    if info.name == "utf-8":
        return "utf-8-sig"  # a BOM is welcome either way
    return enc


def sniff(source: CsvSource) -> None:
    """Refuse an empty file, or a binary one, from its first 8 KiB, before any row is read; and a UTF-16 or
    UTF-32 file without the byte-order mark that says which byte order it has."""
    f = source.open_binary()
    try:
        head = f.read(8192)
    finally:
        if source.spool is None:
            f.close()
    codec = codecs.lookup(source.encoding).name
    if codec in _BOMS and not head.startswith(_BOMS[codec]):
        raise CsvError(
            f"{source.label}: --encoding {source.encoding}: the file does not start with a byte-order mark; "
            f"say which byte order it has: --encoding {codec}-le or {codec}-be"
        )
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise CsvError(f"{source.label}: the file is empty (a deals CSV needs a header and rows)")
    if b"\x00" in head and codec not in WIDE:
        raise CsvError(f"{source.label}: this looks like a binary file, not a CSV")


def read_rows(source: CsvSource, progress: Progress | None = None) -> Generator[tuple[int, list[str]], None, None]:
    """(first line number of the record, fields) for every record, header included.

    Strict: a quoted field that is never closed, text after a closing quote, and a NUL character anywhere
    are CsvErrors naming the line."""
    raw = source.open_binary()
    wide = codecs.lookup(source.encoding).name in WIDE
    counting = _Counting(raw, progress, watch_nul=not wide)
    text = io.TextIOWrapper(io.BufferedReader(counting, 1 << 16), encoding=source.encoding, newline="")
    reader = csv.reader(text, strict=True)
    line = 1
    header: list[str] = []
    try:
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except UnicodeError as exc:
                reason = getattr(exc, "reason", str(exc))
                raise CsvError(
                    f"{source.label}: line {reader.line_num + 1}: cannot decode the bytes as {source.encoding} "
                    f"({reason}); if the file comes from Chinese Excel try --encoding gb18030, "
                    f"from Western Excel --encoding cp1252"
                ) from None
            except csv.Error as exc:
                raise CsvError(f"{source.label}: {_csv_problem(source, str(exc), line, reader.line_num)}") from None
            if counting.nul or wide:
                _refuse_nul(source, header or record, record, line)
            if not header:
                header = record
            yield line, record
            line = reader.line_num + 1
    finally:
        if source.spool is None:
            raw.close()


def _csv_problem(source: CsvSource, msg: str, start: int, last: int) -> str:
    """The user's sentence for the csv module's error ``msg`` in the record that began on line ``start``."""
    if "field larger than field limit" in msg:
        return f"line {last}: a field is longer than {MAX_FIELD // (1 << 20)} MiB; refused"
    if msg == "unexpected end of data":
        opened = _unclosed_quote_line(source, start)
        return (
            f"line {opened}: a quoted field begins here and is never closed (the file ends inside it: "
            f"cut short, or a stray quote)"
        )
    if "expected after" in msg:
        return (
            f"line {last}: text after the closing quote of a quoted field (a quote inside a quoted field is "
            f'written twice: "")'
        )
    return f"line {last}: {msg}"


def _unclosed_quote_line(source: CsvSource, start: int) -> int:
    """The line where the quoted field left open at the end of the file begins, the record having begun on
    line ``start`` (read again: this is the error's path only)."""
    raw = source.open_binary()
    try:
        text = io.TextIOWrapper(io.BufferedReader(_Counting(raw, None)), encoding=source.encoding, newline="")
        opened, state = start, "start"  # start of a field, unquoted, quoted, a quote inside a quoted field
        for n, physical in enumerate(text, 1):
            if n < start:
                continue
            for ch in physical:
                if state == "quoted":
                    if ch == '"':
                        state = "quote"
                elif ch == '"' and state in ("start", "quote"):
                    if state == "start":
                        opened = n
                    state = "quoted"
                elif ch in ",\r\n":
                    state = "start"
                else:
                    state = "unquoted"
        return opened if state == "quoted" else start
    finally:
        if source.spool is None:
            raw.close()


def _refuse_nul(source: CsvSource, header: list[str], record: list[str], line: int) -> None:
    """A CsvError for the first cell of ``record`` holding a NUL character (no database stores one as text)."""
    for i, cell in enumerate(record):
        if "\x00" in cell:
            column = header[i].strip() if i < len(header) and header is not record else f"column {i + 1}"
            shown = cell if len(cell) <= 60 else cell[:57] + "..."
            raise CsvError(
                f"{source.label}: line {line}: {column} {shown!r}: holds a NUL character (\\x00), which is not "
                f"text; is this a binary file?"
            )


@dataclass
class Header:
    """Where each known column is (lower-cased name -> position), the unknown names, the width, and the
    fields a row needs at least (up to the last named column: empty names at the end may go unwritten)."""

    index: dict[str, int]
    unknown: list[str]
    width: int
    needed: int = 0


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
    needed = max((i + 1 for i, name in enumerate(record) if name.strip()), default=0)
    return Header(index, unknown, len(record), needed)


def row_problem(header: Header, record: list[str]) -> str | None:
    """Why ``record`` does not fit ``header``: more fields than the header, or fewer (a row cut short is not
    a row whose columns keep their values: only a column absent from the header does that), or None."""
    n = len(record)
    if n > header.width:
        return f"has {n} fields, the header has {header.width}"
    if n < header.needed:
        return f"has {n} field{'s' if n != 1 else ''}, the header has {header.width} (a row cut short?)"
    return None


def row_dict(header: Header, record: list[str]) -> dict[str, str]:
    """A record as {known column: cell} (a record :func:`row_problem` accepts; past its end reads "")."""
    n = len(record)
    return {k: (record[i] if i < n else "") for k, i in header.index.items()}
