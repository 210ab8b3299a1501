"""Helpers for the app's Pilot tests: wait until workers and the deals table have settled."""

from __future__ import annotations

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
            table = app.screen_stack[0].query_one("#deals")
            busy = busy or table.is_busy or table.is_loading  # type: ignore[attr-defined]
        opened = opened or failed
        if not busy and opened:
            quiet += 1
            if quiet >= 2:
                return
        else:
            quiet = 0
    raise AssertionError("the app did not settle")
