"""Indexing the deals a bulk load left out of the search index (SQLite), in small write transactions.

``python -P -m tracker.core.storage.searchbuild TARGET`` runs :func:`build_pending` and exits silently: the
import starts it in the background (:func:`spawn`) when it leaves more than
:data:`~tracker.core.storage.search.INLINE_BUILD` deals unindexed, and the app runs :func:`build_pending` in a
worker when it opens a database that still has some. Each step holds the write lock for one chunk (about a
second at most), so other writers only wait that long; any number of builders may run at once, each step
reading the gap again under the lock. Searches are exact all along (the gap is scanned).
"""

from __future__ import annotations

import os
import subprocess
import sys

from tracker.core.storage.handle import Database
from tracker.core.storage.search import BUILD_CHUNK, build_step, gap


def pending(db: Database) -> bool:
    """True when some deals are not in the search index yet."""
    if not db.is_sqlite:
        return False
    with db.read() as conn:
        return gap(conn) is not None


def build_pending(db: Database, chunk: int = BUILD_CHUNK) -> None:
    """Index every deal the index lacks, one chunk per write transaction."""
    more = pending(db)
    while more:
        with db.write() as conn:
            more = build_step(conn, chunk)


def spawn(target: str) -> None:
    """Start a builder for ``target`` in the background, detached (at a lower priority); it outlives us."""
    subprocess.Popen(
        [sys.executable, "-P", "-m", "tracker.core.storage.searchbuild", target],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )


def index_in_background(db: Database) -> None:
    """After a bulk load: start a builder when deals were left out of the index (a big SQLite load)."""
    if not db.read_only and db.url.database and pending(db):
        spawn(db.url.database)


def main(argv: list[str]) -> int:
    from tracker.core.storage.opening import open_database

    try:
        os.nice(10)
        db = open_database(argv[0])
        try:
            build_pending(db)
        finally:
            db.dispose()
    except Exception:  # nobody is listening: the next builder (or the app) picks up where this one stopped
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
