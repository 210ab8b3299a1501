"""Test databases made and read the way the tests need: the seed, the real data set, and one piece of work
done through a connection of its own (as another process would, while the app has the file open)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.data import CIRCULAR_CSV
from tracker.core.csvio.importer import import_deals
from tracker.core.csvio.seed import load_seed
from tracker.core.storage.opening import open_database


def seeded(path: Path | str) -> str:
    """A new database at ``path`` with the article's seed (8 deals); its target, as the app takes it."""
    open_database(path, populate=load_seed).dispose()
    return str(path)


def real_data(path: Path | str, *, seed: bool = False) -> str:
    """A new database at ``path`` with the real data set (91 deals, 28 organisations), over the seed if
    ``seed``; its target."""
    db = open_database(path, populate=load_seed) if seed else open_database(path)
    try:
        import_deals(db, CIRCULAR_CSV)
    finally:
        db.dispose()
    return str(path)


def on_db(target: str, fn: Callable[[Any], Any], write: bool = False) -> Any:
    """``fn(conn)`` in a read (or a write) transaction of a connection of its own to ``target``."""
    db = open_database(target)
    try:
        with db.write() if write else db.read() as conn:
            return fn(conn)
    finally:
        db.dispose()
