"""Export of a big SQLite database by two worker processes, each making the CSV lines of every other block
of deal ids.

SQLite runs a query on one core; making a million CSV lines (``linesql.line_sql``) keeps that core busy
for about 7 s while the other one idles. Here two worker processes (tracker/core/csvio/worker.py: fresh
interpreters, so no SQLite state is shared across a fork) run the same query, each over alternate blocks of
:data:`BLOCK_IDS` ids, and this process writes their blocks in id order: the file is byte for byte what the
one-process path writes (tests/core/test_csvexport_parallel.py).

One snapshot for everybody. Each process reads in its own transaction, so this module proves they all see
one state: ``PRAGMA data_version`` of a separate connection (it changes when any other connection commits)
is read before this process's transaction begins and again once every worker's transaction has taken its
snapshot. Unchanged means no commit came in between, so every reader sees that one state. Changed means
a writer got in: the workers are stopped before anything is written, :func:`export_parallel` returns
None, and the caller runs the one-process export instead.

A line SQLite cannot make exactly, or a block that is not valid UTF-8, is made again here by the general
path, in this process's transaction (the same snapshot).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from typing import IO, Any

from tracker.core.csvio import linesql
from tracker.core.csvio.general import counted, remake_lines, write_header
from tracker.core.records.fx import latest_rates
from tracker.core.storage.errors import DatabaseError
from tracker.core.storage.handle import Database

BLOCK_IDS = 25_000
"""Deal ids per block: about 8 MB of CSV at the benchmark's rows."""
MIN_DEALS = 200_000
"""Below this, starting two processes costs more than it saves."""
WORKERS = 2


def parallel_applies(db: Database) -> bool:
    """A SQLite file this user may write, on a POSIX machine (the workers' pipe is passed by descriptor) with
    a second core and a Python to start."""
    database = db.url.database
    return (
        db.is_sqlite
        and not db.read_only  # the workers' connections are not made read-only: one process reads it
        and bool(database)
        and database != ":memory:"
        and os.name == "posix"
        and bool(sys.executable)
        and (os.cpu_count() or 1) >= 2
    )


class WorkerFailed(DatabaseError):
    """A worker process stopped with an error (its message says which), or died."""


def export_parallel(db: Database, out: IO[str], progress: Callable[[int], None] | None = None,
                    *, binary: IO[bytes] | None = None, workers: int = WORKERS, block_ids: int = BLOCK_IDS,
                    min_deals: int = MIN_DEALS,
                    after_start: Callable[[], None] | None = None) -> int | None:  # fmt: skip
    """Write the header and every deal's line with ``workers`` processes; the number of rows, or None when
    the one-process path must run instead (too few deals, no worker could start, or a commit came in while
    the workers took their snapshots): nothing at all is written then. ``binary``: the file under ``out``
    (see export_deals). ``after_start``: called once the workers hold their snapshots (tests commit there)."""
    path = db.url.database
    assert path
    uri = Path(path).absolute().as_uri() + "?mode=ro"
    try:
        check = sqlite3.connect(uri, uri=True, timeout=30)
    except sqlite3.Error:
        return None
    try:
        before = _data_version(check)
        with db.read() as conn:  # begins after `before`: the check below covers this snapshot too
            driver = conn.connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            blocks = id_blocks(driver, block_ids)
            if sum(n for _first, _last, n in blocks) < min_deals or not blocks:
                return None
            rates = latest_rates(conn)
            cursor = driver.cursor()
            try:
                # looked up at each call, so that a test can hand the workers a query that fails
                sql, params = linesql.line_sql(rates, linesql.unclean_orgs(cursor), ranged=True)
            finally:
                cursor.close()
            pool = _Pool(uri, rates, sql, params, [(first, last) for first, last, _n in blocks], workers)
            try:
                try:
                    pool.start()
                except WorkerFailed:
                    return None  # nothing is written yet: the one-process path says what is wrong, if anything
                if after_start is not None:
                    after_start()
                if _data_version(check) != before:
                    return None  # a writer committed while the snapshots were taken: not one state
                write_header(out)
                return _write_blocks(conn, pool, out, binary, rates, progress)
            finally:
                pool.stop()
    finally:
        check.close()


def id_blocks(driver: Any, size: int) -> list[tuple[int, int, int]]:
    """The deal ids cut into blocks of ``size`` deals: (first id, last id, deals), from the ids that exist
    (a walk of the id b-tree, about 50 ms at a million), so gaps and huge ids cost nothing."""
    blocks: list[tuple[int, int, int]] = []
    first = driver.execute("SELECT min(id) FROM deal").fetchone()[0]
    while first is not None:
        last = driver.execute(
            "SELECT id FROM deal WHERE id >= ? ORDER BY id LIMIT 1 OFFSET ?", (first, size - 1)
        ).fetchone()
        if last is None:  # the last block: up to the last id
            last_id, n = driver.execute("SELECT max(id), count(*) FROM deal WHERE id >= ?", (first,)).fetchone()
            blocks.append((first, last_id, n))
            break
        blocks.append((first, last[0], size))
        first = driver.execute("SELECT min(id) FROM deal WHERE id > ?", (last[0],)).fetchone()[0]
    return blocks


def _data_version(con: Any) -> int:
    return int(con.execute("PRAGMA data_version").fetchone()[0])


class _Pool:
    """The worker processes and their pipes; worker ``w`` makes blocks ``w``, ``w + workers``, …"""

    def __init__(self, uri: str, rates: dict[str, Decimal], sql: str, params: list[str],
                 blocks: list[tuple[int, int]], workers: int) -> None:  # fmt: skip
        """``blocks``: (first id, last id), both included, in id order."""
        self.blocks = blocks
        self.workers = max(1, min(workers, len(blocks)))
        self.jobs = [
            {"uri": uri, "rates": rates, "sql": sql, "params": params, "blocks": blocks[w :: self.workers]}
            for w in range(self.workers)
        ]
        self.receivers: list[Pipe] = []
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        """Start every worker and wait until each has taken its snapshot; WorkerFailed if one cannot."""
        for w, job in enumerate(self.jobs):
            read_end, write_end = os.pipe()
            try:
                # -P: the current directory does not go first on the worker's sys.path (a folder holding a
                # `tracker` or `sqlite3.py` of its own must not change what the export runs)
                process = subprocess.Popen(
                    [sys.executable, "-P", "-m", "tracker.core.csvio.worker", str(write_end)],
                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    pass_fds=(write_end,),
                )  # fmt: skip
            except OSError as exc:
                os.close(read_end)
                raise WorkerFailed(f"export worker {w + 1} could not start: {exc}") from None
            finally:
                os.close(write_end)
            self.processes.append(process)
            self.receivers.append(Pipe(read_end, writable=False))
            assert process.stdin is not None
            try:
                process.stdin.write(pickle.dumps(job))
            except OSError:
                pass  # it died at once: its silence is reported below
            finally:
                with contextlib.suppress(OSError):
                    process.stdin.close()
        for w in range(self.workers):
            message = self._receive(w)
            if message[0] != "ready":
                raise WorkerFailed(f"export worker {w + 1}: {message[1]}")

    def block(self, index: int) -> tuple[int, bytes, list[bytes] | None, set[int], bool]:
        """Block ``index``: its number of deals, its lines joined (or apart, when some must be made again),
        the deals whose lines must be made again, and whether the block is valid UTF-8."""
        w = index % self.workers
        message = self._receive(w)
        if message[0] == "error":
            raise WorkerFailed(f"export worker {w + 1}: {message[1]}")
        if message[0] == "lines":
            _, lines, broken, valid = message
            return len(lines), b"", lines, set(broken), valid
        try:
            blob = self.receivers[w].recv_bytes()
        except (EOFError, OSError) as exc:
            raise WorkerFailed(f"export worker {w + 1} stopped before its block was whole ({exc!r})") from None
        return message[1], blob, None, set(), True

    def _receive(self, w: int) -> tuple[Any, ...]:
        try:
            return self.receivers[w].recv()
        except (EOFError, OSError) as exc:
            raise WorkerFailed(f"export worker {w + 1} stopped without a word ({exc!r})") from None

    def stop(self) -> None:
        for receiver in self.receivers:
            receiver.close()
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)


def _write_blocks(conn: Any, pool: _Pool, out: IO[str], binary: IO[bytes] | None, rates: dict[str, Decimal],
                  progress: Callable[[int], None] | None) -> int:  # fmt: skip
    """Every block, in id order, to ``out`` (or its UTF-8 bytes straight to ``binary``, the file under it)."""
    if binary is not None:
        out.flush()  # the header, written as text
    count = 0
    for index in range(len(pool.blocks)):
        n, blob, lines, broken, valid = pool.block(index)
        if lines is not None:
            blob = remake_lines(conn, lines, rates, broken, every=not valid).encode()
        if binary is not None:
            binary.write(blob)
        else:
            out.write(blob.decode())
        count = counted(progress, count, n)
    return count
