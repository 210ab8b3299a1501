"""A bulk import whose two passes overlap: a second process checks the file while this one writes.

The import's two passes (tracker/core/csvio/check.py and write.py) cost about the same on a big file, and
each keeps one core busy. When a big file goes into an empty SQLite database, a checking process (forked: it
shares nothing it uses with this one but the arguments) runs pass one and spools each checked block; this
process writes each block as soon as it is spooled, inside one write transaction, and commits only if the
whole file checked clean. So the rules hold: any bad row means nothing is written (the transaction is rolled
back), every bad row is reported, and the summary is the same as the two passes one after the other would
give. The difference: the write lock is taken at the start, not after the check.

Used only when it cannot change a result: a file (not standard input) of at least
:data:`PIPELINE_MIN_BYTES`, SQLite, an empty deal table, no dry run, and no ``id`` numbers in the file
(they decide the ids of the rows without one, so they must all be known first). Should a row turn out to
carry an id, the transaction is rolled back and the classic second pass runs from the checking process's
spool, which is complete by then.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
from collections.abc import Iterator
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tracker.core.csvio.check import Plan, check_rows
from tracker.core.csvio.report import CsvError, ImportFailed, ImportReport
from tracker.core.csvio.source import CsvSource, Progress, parse_header, read_rows
from tracker.core.csvio.spool import read_block
from tracker.core.csvio.write import WriteProgress, write_checked
from tracker.core.storage.handle import Database
from tracker.core.storage.handles import DEAL

PIPELINE_MIN_BYTES = 16 << 20  # ~50,000 rows of the benchmark file: below this two passes cost little


class _Fallback(Exception):
    """A row carries an id: roll back and run the classic second pass instead."""


def pipeline_applies(db: Database, source: CsvSource, dry_run: bool) -> bool:
    """Whether the overlapped import can give exactly what the two passes give (see the module's docstring)."""
    if dry_run or not db.is_sqlite or source.path is None or (source.size or 0) < PIPELINE_MIN_BYTES:
        return False
    if _first_row_has_id(source):
        return False  # an exported file: ids on every row
    with db.read() as conn:
        return conn.execute(select(DEAL.c.id).limit(1)).first() is None


def _first_row_has_id(source: CsvSource) -> bool:
    try:
        rows = read_rows(source)
        try:
            header = parse_header(next(rows)[1], source.label)
            first = next(rows, None)
        finally:
            rows.close()
    except (CsvError, StopIteration):
        return True  # let the classic path report it
    column = header.index.get("id")
    # a number is a deal id; other text is a reference (``ref``), which decides no id
    return first is not None and column is not None and column < len(first[1]) and first[1][column].strip().isdigit()


def import_pipelined(db: Database, source: CsvSource, index: dict[str, int], report: ImportReport,
                     progress: Progress | None, write_progress: WriteProgress | None) -> ImportReport:  # fmt: skip
    """Check in a second process while writing here; raises CsvError or ImportFailed as the classic path."""
    fd, spool_path = tempfile.mkstemp(prefix="tracker-import-", suffix=".spool")
    os.close(fd)
    # fork where there is one (Linux, macOS until 3.14's default changes): the child starts at once with the
    # modules already imported, and never touches this process's database connections; spawn elsewhere
    fork = "fork" in multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork") if fork else multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    assert source.path is not None
    child = ctx.Process(
        target=check_in_child,
        args=(str(source.path), source.encoding, source.label, source.size, index, spool_path, sender),
        daemon=True,
        name="tracker-import-check",
    )
    try:
        with open(spool_path, "rb") as spool:
            _start_deaf_to_ctrl_c(child)
            sender.close()
            stream = _Stream(receiver, spool, progress, report)
            stream.expect_ready()
            os.unlink(spool_path)  # both processes hold it open: nothing is left behind if either dies
            try:
                with db.write(checked_keys=True) as conn:
                    if conn.execute(select(DEAL.c.id).limit(1)).first() is not None:
                        raise _Fallback  # another process filled the table meanwhile
                    write_checked(
                        db, conn, None, Plan(), report, write_progress, blocks=stream.blocks(), label=source.label
                    )
                    stream.finish(report)  # the whole file was checked; raises ImportFailed (rollback)
                return report
            except _Fallback:
                plan = stream.finish(report)
                report.added = report.updated = report.unchanged = 0
                report.created_orgs.clear()
                report.reference_orgs.clear()
                report.close_names.clear()
                report.created_alliances.clear()
                spool.seek(0)
                with db.write(checked_keys=True) as conn:
                    write_checked(db, conn, spool, plan, report, write_progress, label=source.label)
                return report
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(timeout=5)
        Path(spool_path).unlink(missing_ok=True)


def _start_deaf_to_ctrl_c(child: Any) -> None:
    """Start ``child`` with Ctrl-C blocked, so that it never sees the terminal's SIGINT (it goes to the whole
    process group): this process alone handles it (the import is rolled back and the child killed), and
    the child prints no traceback. SIGINT is blocked around the start, so none arrives before the child
    ignores it; one that reaches this process meanwhile is delivered once it is unblocked."""
    block = hasattr(signal, "pthread_sigmask")
    if block:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        child.start()
    finally:
        if block:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _deaf_to_ctrl_c() -> None:
    """In the checking process: ignore SIGINT (and drop one pending), then unblock it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


class _Stream:
    """The checking process's messages: spooled blocks, then the plan and report (or an error)."""

    def __init__(self, receiver: Pipe, spool: Any, progress: Progress | None, report: ImportReport) -> None:
        self.receiver, self.spool, self.progress, self.report = receiver, spool, progress, report
        self.done: tuple[Plan, ImportReport] | None = None

    def expect_ready(self) -> None:
        msg = self._next()
        if msg[0] != "ready":
            raise CsvError(f"the checking process said {msg[0]!r} first; nothing was written")

    def _next(self) -> tuple[Any, ...]:
        try:
            msg = self.receiver.recv()
        except EOFError:
            raise CsvError("the checking process stopped unexpectedly; nothing was written") from None
        if msg[0] == "error":
            raise CsvError(msg[1])
        return msg

    def blocks(self) -> Iterator[list[tuple[Any, ...]]]:
        while True:
            msg = self._next()
            if msg[0] == "done":
                self.done = (msg[1], msg[2])
                if msg[2].error_count:
                    raise ImportFailed(self._fold())  # before the indexes are built: roll back now
                return
            _kind, read = msg
            if self.progress is not None:
                self.progress(read)
            rows = read_block(self.spool)
            if rows is None:
                raise CsvError("the checking process announced a block it had not written; nothing was written")
            if any(t[1] is not None for t in rows):
                raise _Fallback
            yield rows

    def finish(self, report: ImportReport) -> Plan:
        """Wait for the check's end; fold its findings into ``report``; raise ImportFailed on bad rows."""
        self.report = report
        while self.done is None:
            msg = self._next()
            if msg[0] == "done":
                self.done = (msg[1], msg[2])
        self._fold()
        if not report.ok:
            raise ImportFailed(report)
        return self.done[0]

    def _fold(self) -> ImportReport:
        assert self.done is not None
        plan, checked = self.done
        report = self.report
        report.rows = plan.rows
        report.unknown_columns = checked.unknown_columns
        report.errors = checked.errors
        report.error_count = checked.error_count
        return report


def check_in_child(path: str, encoding: str, label: str, size: int | None, index: dict[str, int],
                   spool_path: str, sender: Pipe) -> None:  # fmt: skip
    """Pass one in the checking process (its target): spool into ``spool_path``, announce every block on
    ``sender`` once it is on disk, then the plan and report (or the error)."""
    _deaf_to_ctrl_c()
    source = CsvSource(Path(path), None, encoding, label, size)
    report = ImportReport()
    read = [0]
    parent = os.getppid()
    try:
        _check_and_send(source, index, report, read, parent, spool_path, sender)
    except (BrokenPipeError, EOFError, OSError):
        os._exit(0)  # the writer stopped listening (it rolled back, or was killed)


def _check_and_send(source: CsvSource, index: dict[str, int], report: ImportReport, read: list[int], parent: int,
                    spool_path: str, sender: Pipe) -> None:  # fmt: skip
    label = source.label

    def progress(n: int) -> None:
        read[0] = n

    try:
        with open(spool_path, "r+b") as spool:  # the file the writer already holds (not a new one)
            sender.send(("ready",))

            def on_block(_rows: int) -> None:
                if os.getppid() != parent:
                    os._exit(0)  # the writer is gone (killed): nobody will read on
                spool.flush()
                sender.send(("block", read[0]))

            plan = check_rows(source, index, report, progress, spool, on_block)
        sender.send(("done", plan, report))
    except CsvError as exc:
        sender.send(("error", str(exc)))
    except Exception as exc:  # never a traceback: the writer rolls back and says what happened
        sender.send(("error", f"{label}: the check failed: {type(exc).__name__}: {exc}"))
    finally:
        sender.close()
