"""Where an export writes: never onto the database, and whole or not at all.

- :func:`refuse_database`: an output path that is the SQLite database, its ``-wal``, ``-shm`` or
  ``-journal`` file, the same file under another name (a hard or symbolic link, another spelling: compared
  by device and inode), or (for ``export --all``) a folder holding the database, is refused before anything
  is opened for writing.
- :func:`atomic_file`: the export is written to a temporary file beside the target (``.NAME.*.part``, in
  the same folder so that the rename cannot cross file systems), flushed to disk (fsync) and renamed onto
  the target only once it is whole; on any failure (an error, a full disk, Ctrl-C) the temporary file is
  removed and the target is left as it was. A new file is created readable by its owner only (0600, like
  the database: it holds the same data); a file that is replaced keeps its permission bits. A target that
  exists and is no regular file (``/dev/stdout``, a named pipe) is written in place, streaming, as standard
  output is.
- :func:`atomic_folder`: the same for a folder (``export --all``): written as a temporary folder beside the
  target and renamed into place. A folder that is replaced may hold only the files an export writes (it is
  a previous export): any other file is refused rather than deleted. Replacing an existing folder takes two
  renames (the old folder aside, the new one in); a process killed between them leaves both beside the
  target, under their temporary names.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from tracker.core.domain.errors import TrackerError
from tracker.core.storage.handle import Database

BUFFER = 1 << 20
"""The text file's buffer (the default 8 KiB one costs about 15% at a million rows)."""
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


class OutputError(TrackerError):
    """An export that cannot be written where it was asked to go; the target was left as it was."""


def _sqlite_files(db: Database) -> list[Path]:
    """The database's file and the files SQLite keeps beside it (absolute, links resolved), or []."""
    if not db.is_sqlite or not db.url.database or db.url.database == ":memory:":
        return []
    base = os.path.realpath(db.url.database)
    return [Path(base + suffix) for suffix in SQLITE_SUFFIXES]


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _stat(path: Path | str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def refuse_database(db: Database, target: str | os.PathLike[str], *, folder: bool = False) -> None:
    """Raise :class:`OutputError` if writing ``target`` (a file, or with ``folder`` a folder that is replaced
    whole) could overwrite the database ``db`` or the files beside it."""
    files = _sqlite_files(db)
    if not files:
        return
    real = Path(os.path.realpath(target))
    there = _stat(real)
    if folder:
        ancestors = [p for p in files[0].parents]
        if real in ancestors or (
            there is not None and any(_same_file(there, s) for s in map(_stat, ancestors) if s is not None)
        ):
            raise OutputError(
                f"{os.fspath(target)}: this folder holds the database {db.url.database}; export --all replaces "
                "the whole folder: choose a new or empty folder"
            )
        return
    hit = real in files
    if not hit and there is not None:
        hit = any(_same_file(there, s) for s in map(_stat, files) if s is not None)
    if hit:
        raise OutputError(
            f"{os.fspath(target)}: that is the database {db.url.database} (or a file SQLite keeps beside it); "
            "export to another file"
        )


def _write_error(target: str | os.PathLike[str], exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc)
    return OutputError(f"cannot write {os.fspath(target)}: {reason}; it was left as it was")


def _fsync_folder(folder: Path) -> None:
    """The folder's entries (a rename) on disk, where the system allows it."""
    with contextlib.suppress(OSError):
        sync_file(folder)


@contextmanager
def atomic_file(target: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A UTF-8 text file (no newline translation, 1 MiB buffer) that becomes ``target`` on success."""
    real = Path(os.path.realpath(target))  # a symbolic link: the file it points to is replaced
    there = _stat(real)
    if there is not None and stat.S_ISDIR(there.st_mode):
        raise OutputError(f"cannot write {os.fspath(target)}: it is a folder")
    if there is not None and not stat.S_ISREG(there.st_mode):
        # a device or a pipe: nothing to replace, streamed as standard output is
        try:
            stream = open(real, "w", encoding="utf-8", newline="", buffering=BUFFER)  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise _write_error(target, exc) from exc
        try:
            with stream:
                yield stream
        except OSError as exc:
            raise _write_error(target, exc) from exc
        return
    folder = real.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {os.fspath(target)}: the folder {folder} does not exist")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".part", dir=folder)  # mode 0600
    except OSError as exc:
        raise _write_error(target, exc) from exc
    try:
        if there is not None:
            os.fchmod(fd, stat.S_IMODE(there.st_mode))
        out = open(fd, "w", encoding="utf-8", newline="", buffering=BUFFER)  # noqa: SIM115 (closed below)
    except BaseException:
        os.close(fd)
        os.unlink(temp)
        raise
    try:
        yield out
        out.flush()
        os.fsync(out.fileno())
        out.close()
        os.replace(temp, real)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            out.close()
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise _write_error(target, exc) from exc
        raise
    _fsync_folder(folder)


def sync_file(path: Path) -> None:
    """``path``'s contents on disk (fsync; a folder: its entries)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_folder(target: str | os.PathLike[str], owned: Collection[str]) -> Iterator[Path]:
    """An empty private folder (0700) that becomes ``target`` on success; ``owned``: the names an export
    writes, the only ones a folder it replaces may hold. The caller syncs the files it writes there."""
    real = Path(os.path.realpath(target))
    there = _stat(real)
    if there is not None and not stat.S_ISDIR(there.st_mode):
        raise OutputError(f"{os.fspath(target)}: not a folder (export --all writes a folder of CSV files)")
    if there is not None:
        try:
            others = sorted(n for n in os.listdir(real) if n not in owned)
        except OSError as exc:
            raise _write_error(target, exc) from exc
        if others:
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            raise OutputError(
                f"{os.fspath(target)}: holds files that are not part of an export ({shown}); export --all "
                "replaces the whole folder: choose a new or empty folder"
            )
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{real.name}.", suffix=".part", dir=real.parent))
        if there is not None:
            os.chmod(temp, stat.S_IMODE(there.st_mode))
    except OSError as exc:
        raise _write_error(target, exc) from exc
    try:
        yield temp
        _fsync_folder(temp)
        _move_into_place(temp, real)
    except BaseException as exc:
        shutil.rmtree(temp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _write_error(target, exc) from exc
        raise
    _fsync_folder(real.parent)


def _move_into_place(temp: Path, real: Path) -> None:
    if not real.exists() or not any(real.iterdir()):
        os.rename(temp, real)  # onto nothing, or onto an empty folder: one atomic rename
        return
    old = Path(tempfile.mkdtemp(prefix=f".{real.name}.", suffix=".old", dir=real.parent))
    os.rename(real, old)  # an empty folder is replaced by the rename
    try:
        os.rename(temp, real)
    except BaseException:
        os.rename(old, real)
        raise
    shutil.rmtree(old, ignore_errors=True)
