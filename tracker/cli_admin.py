"""Administrative commands (moving a database between servers)."""

from __future__ import annotations
