"""Where a ``--db`` target points, worked out with the standard library alone.

A target is the ``--db`` value, else ``TRACKER_DB``, else the default file in the user's data folder. A
plain path (or a ``sqlite:///`` URL) names a SQLite file; anything else with ``://`` is a server's URL,
parsed by :func:`tracker.core.storage.urls.resolve_url`. The first screen's quick reader uses
:func:`sqlite_path` to find the file without importing SQLAlchemy, and ``resolve_url`` uses it too, so both
always agree on the file.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tracker"
_SQLITE_URL = "sqlite:///"


def default_path() -> Path:
    """The database file used when neither ``--db`` nor ``TRACKER_DB`` names one."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "tracker.db"


def target_text(target: str | os.PathLike[str] | None) -> str | None:
    """The target as text: ``target``, else ``TRACKER_DB``, else None (the default file)."""
    return os.fspath(target) if target is not None else os.environ.get("TRACKER_DB") or None


def sqlite_path(target: str | os.PathLike[str] | None) -> Path | None:
    """The SQLite file ``tracker`` opens for ``target`` (absolute), or None when the target is not a plain
    file: a server's URL, an in-memory database, a ``sqlite:///`` URL with query options."""
    raw = target_text(target)
    if raw is None:
        return default_path()
    if "://" not in raw:
        return Path(raw).expanduser().absolute()
    if raw.startswith(_SQLITE_URL) and "?" not in raw:
        name = raw[len(_SQLITE_URL) :]
        if name and name != ":memory:":
            return Path(name).absolute()  # as SQLite opens it: relative to the working folder, no ~
    return None
