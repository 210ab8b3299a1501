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

from textual import events

from tracker.ui.database_app import DatabaseApp

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from tracker.core.storage.handle import Database

__all__ = ["ExportingApp", "export_name", "export_to_temporary"]


def export_to_temporary(db: Database, conn: Connection) -> Path:
    """Write every deal to a new private temporary file (the caller delivers, then removes it)."""
    from tracker.core.csvio.export import export_deals  # here: the app's start imports no core module

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


class ExportingApp(DatabaseApp):
    """The app's export (`X`, "Export deals" in the palette): every deal delivered as the deals CSV."""

    exports: set[Path]
    """Temporary export files being delivered (removed when the delivery ends); set by the app."""

    def action_export(self) -> None:
        db = self.db

        def deliver(path: Path) -> None:
            self.exports.add(path)
            self.deliver_binary(path, save_filename=export_name(), mime_type="text/csv")

        if db is not None:
            self.notify("Exporting every deal…", timeout=2)
        self.db_call(
            lambda conn: export_to_temporary(db, conn) if db is not None else None, deliver, title="Export failed"
        )

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        self.forget_exports()
        self.notify(f"Exported to {event.path}" if event.path is not None else "Export delivered.", timeout=4)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        self.forget_exports()
        self.notify(f"Export failed: {event.exception}", severity="error")

    def forget_exports(self) -> None:
        for path in self.exports:
            path.unlink(missing_ok=True)
        self.exports.clear()
