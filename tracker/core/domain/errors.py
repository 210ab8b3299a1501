"""The errors a user can cause, each with a message meant for them (the CLI and app show it)."""

from __future__ import annotations

from tracker.core.csvio.importer import CsvError
from tracker.core.domain.dates import DateError
from tracker.core.domain.money import AmountError
from tracker.core.records.deals import DealError
from tracker.core.storage.database import DatabaseError

USER_ERRORS: tuple[type[Exception], ...] = (DatabaseError, CsvError, DealError, AmountError, DateError)
