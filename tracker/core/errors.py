"""The errors a user can cause, each with a message meant for them (the CLI and app show it)."""

from __future__ import annotations

from tracker.core.csvio import CsvError
from tracker.core.dates import DateError
from tracker.core.db import DatabaseError
from tracker.core.deals import DealError
from tracker.core.money import AmountError

USER_ERRORS: tuple[type[Exception], ...] = (DatabaseError, CsvError, DealError, AmountError, DateError)
