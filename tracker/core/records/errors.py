"""The error of a deal change or query that cannot be made (a user's doing: the message says why)."""

from __future__ import annotations

from tracker.core.domain.errors import TrackerError


class DealError(TrackerError, ValueError):
    """A change that cannot be made; the message names the field and the value."""
