"""The first page of deals, read in a background thread from the moment the app is started.

``tracker`` starts this before it imports Textual (about 0.3 s), so that the newest deals of an existing
SQLite file (:func:`tracker.core.records.firstpage.first_page`, standard library only) are usually in hand when
the main screen mounts and are drawn in the app's first frame. This module imports nothing heavy.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.core.records.firstpage import QuickPage


def start_first_page(target: str | None) -> Future[QuickPage | None]:
    """Read the first page of ``target`` in a daemon thread; the future holds it, or None when the quick
    read does not apply (see quickpage), or the exception it raised."""
    future: Future[QuickPage | None] = Future()
    future.set_running_or_notify_cancel()

    def read() -> None:
        try:
            from tracker.core.records.firstpage import first_page

            future.set_result(first_page(target))
        except BaseException as exc:  # handed to whoever looks at the future
            future.set_exception(exc)

    threading.Thread(target=read, name="tracker-first-page", daemon=True).start()
    return future
