"""A worker process of the parallel export (tracker/core/csvio/parallel.py).

Run as ``python -m tracker.core.csvio.worker FD``: it reads its job (pickled) from standard input,
opens its own read-only connection, starts one read transaction, says ``ready`` once that transaction has
its snapshot, then makes the CSV lines of each of its blocks of deal ids and sends them down the pipe
``FD`` (a ``multiprocessing.connection.Connection``), in order. A fresh interpreter, not a fork: it shares
no SQLite state with the exporting process, and it imports no SQLAlchemy (a few tens of milliseconds).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sqlite3
import sys
from multiprocessing.connection import Connection
from typing import Any

from tracker.core.csvio.cells import BROKEN, ExportFunctions


def run(job: dict[str, Any], sender: Connection) -> None:
    parent = os.getppid()
    con = sqlite3.connect(job["uri"], uri=True, timeout=30, isolation_level=None)
    functions = ExportFunctions(job["rates"])
    functions.register(con)
    con.execute("BEGIN")
    con.execute("SELECT 1 FROM deal LIMIT 1").fetchall()  # a read transaction takes its snapshot at its first read
    con.text_factory = bytes
    sender.send(("ready",))
    sql, params, nul = job["sql"], job["params"], BROKEN.encode()
    for start, end in job["blocks"]:  # first and last id, both included
        if os.getppid() != parent:
            return  # the exporting process is gone: nobody will read on
        lines = [row[0] for row in con.execute(sql, [*params, start, end, start, end]).fetchall()]
        blob = b"".join(lines)
        try:
            blob.decode()  # the general path would raise on text that is not UTF-8: the exporter remakes it
            valid = True
        except UnicodeDecodeError:
            valid = False
        broken = sorted(functions.broken)
        functions.broken.clear()
        if broken or not valid or nul in blob:
            sender.send(("lines", lines, broken, valid))
        else:
            sender.send(("block", len(lines)))
            sender.send_bytes(blob)


def main() -> None:
    # Ctrl-C reaches the whole process group: the exporting process decides (it stops the workers, and a
    # worker whose exporter is gone stops at its next block or on the broken pipe), never a traceback here
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sender = Connection(int(sys.argv[1]), readable=False)
    try:
        run(pickle.load(sys.stdin.buffer), sender)
    except (BrokenPipeError, EOFError):
        pass  # the exporting process stopped listening
    except Exception as exc:  # said to the exporting process, which reports it: never a traceback here
        with contextlib.suppress(OSError):
            sender.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()


if __name__ == "__main__":
    main()
