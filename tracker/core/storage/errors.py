"""The errors of the storage layer a user can cause (a bad target, a busy or unreadable database)."""

from __future__ import annotations

from tracker.core.domain.errors import TrackerError


class DatabaseError(TrackerError):
    """A database that cannot be opened or written; the message is meant for the user."""


class DatabaseBusy(DatabaseError):
    """Another process held the write lock for longer than the busy timeout."""


class DatabaseReadOnly(DatabaseError):
    """A write to a database this user may only read (a file without write permission, a role without
    INSERT rights); said before anything is attempted."""
