"""Turning exceptions into one clear sentence for the user (no tracebacks in the app)."""

from __future__ import annotations


def user_message(exc: BaseException) -> str:
    """The core's own message for errors a user can cause; a short description for anything else."""
    from tracker.core.domain.errors import TrackerError

    if isinstance(exc, TrackerError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return f"unexpected error: {type(exc).__name__}: {exc}"
