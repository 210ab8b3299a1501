"""The old home of the storage names, split into target, urls, errors, handle, opening and copying.

Only re-imports remain, for the modules that still import from here; the lead rewrites them and deletes
this module.
"""

from __future__ import annotations

from tracker.core.storage.errors import DatabaseBusy, DatabaseError  # re-export until integration
from tracker.core.storage.handle import Database  # re-export until integration
from tracker.core.storage.opening import open_database  # re-export until integration
from tracker.core.storage.urls import mask, scrub  # re-export until integration

__all__ = ["Database", "DatabaseBusy", "DatabaseError", "mask", "open_database", "scrub"]
