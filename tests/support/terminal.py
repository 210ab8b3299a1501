"""Helpers for the app's tests: wait until workers and the deals table have settled (Pilot); read a
pseudo-terminal until some text appears (real processes)."""

from __future__ import annotations

import os
import select
import time
from typing import Any

from textual.pilot import Pilot


async def settle(pilot: Pilot[object], rounds: int = 200) -> None:
    """Wait until no worker runs and the deals table has nothing in flight (twice in a row)."""
    app = pilot.app
    quiet = 0
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        opened = getattr(app, "db", None) is not None
        failed = getattr(app, "db_error", None) is not None
        busy = any(not worker.is_finished for worker in app.workers)
        if opened and app.screen_stack:
            for screen in app.screen_stack:  # the main screen, and the deals screens opened from views
                for table in screen.query("#deals"):
                    busy = busy or table.is_busy or table.is_loading  # type: ignore[attr-defined]
        opened = opened or failed
        if not busy and opened:
            quiet += 1
            if quiet >= 2:
                return
        else:
            quiet = 0
    raise AssertionError("the app did not settle")


def read_until(master: int, wanted: bytes, timeout: float) -> bytes:
    """Everything the program on the pseudo-terminal ``master`` writes, until ``wanted`` appears (or it
    closes its end); AssertionError after ``timeout`` seconds."""
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{wanted!r} never appeared; the terminal got {seen[-2000:]!r}")
        if select.select([master], [], [], left)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


def fill_form(form: Any, **fields: str) -> None:
    """Type ``fields`` into the deal form's inputs and selects (``""`` clears a select)."""
    from textual.widgets import Input, Select

    for column, value in fields.items():
        widget = form.query_one(f"#f-{column}")
        if isinstance(widget, Select):
            widget.value = value or Select.NULL
        else:
            assert isinstance(widget, Input)
            widget.value = value
