"""Database URLs: a ``--db`` target as a SQLAlchemy URL, and passwords kept out of every message.

URLs are shown with ``***`` for the password (:func:`mask`), and a driver's message is scrubbed of the
password it may quote (:func:`scrub`).
"""

from __future__ import annotations

import os
import re

from sqlalchemy.engine import URL, make_url
from sqlalchemy.engine.url import quote
from sqlalchemy.exc import ArgumentError

from tracker.core.storage.errors import DatabaseError
from tracker.core.storage.target import sqlite_path, target_text


def resolve_url(target: str | os.PathLike[str] | None) -> URL:
    """A path or URL (or ``TRACKER_DB``, or the default file) as a SQLAlchemy URL.

    A target that names no place to keep the data is refused, never opened: an empty path or one of only
    spaces (an unset variable: ``--db "$DB"``), SQLite's ``:memory:``, ``sqlite://`` and ``sqlite:///`` (an
    in-memory database: "added deal 9", exit 0, nothing kept), ``mode=memory``, a server's URL without a
    database name."""
    raw = target_text(target)
    if raw is not None and not raw.strip():
        raise DatabaseError(f"--db {raw!r}: an empty database path (an unset variable?); name a file or a URL")
    if raw is None or "://" not in raw:
        if raw is not None and raw.strip() == ":memory:":
            raise DatabaseError(_IN_MEMORY.format(raw=raw))
        return URL.create("sqlite", database=str(sqlite_path(raw)))
    try:
        url = make_url(raw)
        url.port  # noqa: B018 - a port that is not a number raises ValueError here
    except (ArgumentError, ValueError) as exc:
        raise DatabaseError(f"--db {mask(raw)!r}: not a file path or a database URL") from exc
    if url.host and "@" in url.host:
        raise DatabaseError(f"--db {mask(raw)!r}: the user name or password contains '@'; write it as %40 in a URL")
    if url.get_backend_name() == "sqlite":
        name = (url.database or "").strip()
        memory = str(url.query.get("mode", "")) == "memory" or name.startswith("file::memory:")
        if not name or name == ":memory:" or memory:
            raise DatabaseError(_IN_MEMORY.format(raw=mask(raw)))
    elif not (url.database or "").strip():
        raise DatabaseError(f"--db {mask(raw)!r}: no database name (an unset variable?); end the URL with /dbname")
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


_IN_MEMORY = (
    "--db {raw!r}: an in-memory database keeps nothing once the command ends (an unset variable?); "
    "name a file, e.g. --db deals.db"
)


# scheme://user:password@ ... up to the last '@' (a password may hold '@', '/', ':'), so a URL that
# SQLAlchemy cannot parse, or parses wrongly, is still shown without its password.
_USERINFO = re.compile(r"(?P<head>\b[A-Za-z][\w+.-]*://[^:/?#@\s]*:)(?P<password>\S*)@")


def mask(url: str | URL) -> str:
    """A URL (or any text holding URLs) with every password replaced by ***, for every message and log."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    return _USERINFO.sub(lambda m: f"{m['head']}***@", url)


def scrub(message: str, url: URL | None) -> str:
    """A message (from a driver, say) with URLs masked and the password of ``url`` removed wherever it appears."""
    message = mask(message)
    password = url.password if url is not None else None
    if password:
        for form in {str(password), quote(str(password))}:
            message = message.replace(form, "***")
    return message
