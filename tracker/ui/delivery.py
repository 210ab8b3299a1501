"""Export from the app: every deal as the deals CSV, handed to the user through Textual's delivery.

In a terminal the file lands in the user's downloads folder; served to a browser (`tracker serve`) it
arrives as a download. The bytes are those of `tracker export FILE`: the same ``export_deals``, read in
one transaction, written as UTF-8 without newline translation."""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.core.csvio.export import export_deals

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from tracker.core.storage.handle import Database

__all__ = ["export_name", "export_to_temporary"]


def export_to_temporary(db: Database, conn: Connection) -> Path:
    """Write every deal to a new private temporary file (the caller delivers, then removes it)."""
    fd, name = tempfile.mkstemp(prefix="tracker-export-", suffix=".csv")
    try:
        with open(fd, "wb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as out:
            export_deals(db, out, conn=conn, binary=raw)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def export_name(today: dt.date | None = None) -> str:
    """``deals-2026-12-07.csv``: the name the download is saved under."""
    return f"deals-{(today or dt.date.today()).isoformat()}.csv"
