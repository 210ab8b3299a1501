"""The one base of every error a user can cause (bad input, a busy or unreadable database).

Each such error carries a message meant for the user; the CLI and the app catch ``TrackerError`` and show
that message (one line, no traceback). Anything else is a bug and is reported as "unexpected error".
"""

from __future__ import annotations


class TrackerError(Exception):
    """An error a user can cause; ``str(error)`` is the sentence to show them."""
