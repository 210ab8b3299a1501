"""The app's database: opened after the first frame, every call on it in a thread worker.

`DatabaseApp` is the base of `TrackerApp` (tracker/ui/app.py): the main screen, the first page shown before
the database is open, opening the database (and importing the SQLAlchemy/SQLModel core) in a thread worker
after the first frame, `db_call` for every read and write, and the error screen. Start-up paints first: this
module imports only Textual and the UI's own light modules.

Every notification is plain text shown visibly (`notify`), and Rich's and Textual's own text sanitisers
escape control characters (tracker/ui/terminal_text.py): no text from the data reaches the terminal raw.

The app's thread workers run on `QuitFriendlyExecutor` (tracker/ui/executor.py): quitting while the core is
still loading is prompt, and a write (or the opening, which may create, seed or upgrade the file) is never cut.

``TRACKER_EXIT_AFTER_FIRST_PAINT`` (for benchmarks): ``1`` or ``data`` exits right after the first
screen is shown with its rows; ``paint`` exits right after the very first frame. The exit code is 1
if the database could not be opened.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tracker.core.domain.text import visible
from tracker.ui.errors import user_message
from tracker.ui.executor import QuitFriendlyExecutor, Quitting
from tracker.ui.screens.main import MainScreen

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from textual.app import AutopilotCallbackType

    from tracker.core.records.firstpage import QuickPage
    from tracker.core.storage.handle import Database

__all__ = ["EXIT_ENV", "DatabaseApp"]

EXIT_ENV = "TRACKER_EXIT_AFTER_FIRST_PAINT"


class DatabaseApp(App[None]):
    """An app over one database (``db_target``), opened in a worker once the first frame is on screen."""

    def __init__(
        self, db_target: str | None = None, empty: bool = False, preview: Future[QuickPage | None] | None = None
    ) -> None:
        """``preview``: the first page being read already (tracker/ui/preview.py); started here if None."""
        from tracker.ui.terminal_text import install

        install()  # before anything is drawn: no text from the data reaches the terminal raw
        super().__init__()
        if preview is None:
            from tracker.ui.preview import start_first_page

            preview = start_first_page(db_target)
        self._preview = preview
        self._preview_shown = False
        self.db_target = db_target
        self.empty = empty
        self.db: Database | None = None
        self.db_error: str | None = None
        self._exit_after = os.environ.get(EXIT_ENV, "").strip().lower()
        self._first_rows_painted = threading.Event()
        # Before the database is open no worker can write: quitting need not wait for those workers.
        self.executor = QuitFriendlyExecutor(abandonable=lambda: self.db is None)

    async def run_async(
        self,
        *,
        headless: bool = False,
        inline: bool = False,
        inline_no_clear: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
        auto_pilot: AutopilotCallbackType | None = None,
    ) -> None:
        """Run the app with its thread workers on `self.executor`; on the way out, wait for the workers
        that must finish (never for the core still loading)."""
        loop = asyncio.get_running_loop()
        loop.set_default_executor(self.executor)
        try:
            return await super().run_async(
                headless=headless,
                inline=inline,
                inline_no_clear=inline_no_clear,
                mouse=mouse,
                size=size,
                auto_pilot=auto_pilot,
            )
        finally:
            # In a thread, as asyncio's own shutdown does, so that a worker's last call_from_thread can run.
            done = loop.create_future()

            def shut_down() -> None:
                self.executor.shutdown(wait=True)
                loop.call_soon_threadsafe(done.set_result, None)

            threading.Thread(target=shut_down, name="tracker-exit").start()
            await done

    def get_default_screen(self) -> Screen[Any]:
        return MainScreen()

    @property
    def main(self) -> MainScreen:
        """The main screen (the deals), always at the bottom of the screen stack."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    # ---------------------------------------------------------------- start-up

    def on_mount(self) -> None:
        if self._exit_after == "paint":
            self.call_after_refresh(self.exit)
            return
        # Paint first: the database (and SQLAlchemy) load after the first frame is on screen.
        self.call_after_refresh(self._open_database)

    def show_ready_preview(self) -> None:
        """Called by the main screen as it mounts: the first page, if it has been read already, goes into the
        very first frame (otherwise `_open_database` shows it when it arrives)."""
        if self._exit_after == "paint" or not self._preview.done():
            return
        try:
            page = self._preview.result()
        except Exception as exc:
            self.log.warning(f"first-page preview skipped: {exc!r}")
            return
        self._show_preview(page)

    def _show_preview(self, page: QuickPage | None) -> None:
        if page is None or self._preview_shown or self.db is not None:
            return
        from tracker.ui.sources.cells import PreviewSource

        self._preview_shown = True
        self.main.show_preview(PreviewSource(page.rows, page.count, page.rates))

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open_database(self) -> None:
        try:
            # Real rows first: an existing SQLite file's newest deals, read with the standard library
            # (tracker/ui/preview.py) while SQLAlchemy and SQLModel (about a second) load below.
            page = self._preview.result()
            if page is not None:
                if not self._preview_shown and not self._to_ui(self._show_preview, page):
                    return
                # Imports hold the GIL: let the UI paint those rows before SQLAlchemy starts loading.
                self._first_rows_painted.wait(timeout=1.0)
        except Exception as exc:  # only a head start: the real source follows whatever happens here
            self.log.warning(f"first-page preview skipped: {exc!r}")
        try:
            # Imports only: quitting does not wait for them (see QuitFriendlyExecutor).
            from tracker.core.csvio.seed import load_seed
            from tracker.core.storage.history import set_context
            from tracker.core.storage.opening import open_database
            from tracker.core.storage.searchbuild import index_in_background
            from tracker.ui.sources import deals as deal_source  # noqa: F401  (warm the import off the UI thread)

            config = getattr(self, "config", None)  # who the history records for the app's changes
            set_context(actor=(config.value("user") if config is not None else None) or None, command="app")
            with self.executor.must_finish():  # opening may create, seed or upgrade the file: never cut
                db = open_database(self.db_target, populate=None if self.empty else load_seed)
            index_in_background(db)  # deals a big import left out of the search index (another process)
        except Quitting:
            return
        except Exception as exc:
            self._to_ui(self._database_failed, user_message(exc))
            return
        if not self._to_ui(self._database_opened, db):
            db.dispose()  # the app quit meanwhile

    def _to_ui(self, callback: Callable[..., Any], *args: Any) -> bool:
        """`call_from_thread`, or False when the app has quit (or is quitting) and nothing was called."""
        if self.executor.quitting:
            return False
        try:
            self.call_from_thread(callback, *args)
        except RuntimeError:  # "App is not running"
            return False
        return True

    def search_before_open(self, text: str) -> None:
        """A search typed before the database is open (the first second after start): read from the search
        index with the standard library (tracker.core.records.firstpage.quick_search), shown until the
        database opens and the real source takes over."""
        if self.db is None and self.db_error is None:
            self._quick_search(text)

    @work(thread=True, exclusive=True, group="quick-search", exit_on_error=False)
    def _quick_search(self, text: str) -> None:
        from tracker.core.records.firstpage import quick_search

        try:
            page = quick_search(self.db_target, text)
        except Exception as exc:  # only a head start: the real source follows once the database is open
            self.log.warning(f"quick search skipped: {exc!r}")
            return
        if page is not None:
            self._to_ui(self._show_search, text, page)

    def _show_search(self, text: str, page: QuickPage) -> None:
        if self.db is not None:
            return
        from tracker.ui.sources.cells import PreviewSource

        # a floor counts one more, as a capped DealSource does: the status line shows "20,000+"
        self.main.show_search_preview(
            text, PreviewSource(page.rows, page.count + page.more, page.rates, more=page.more)
        )

    def _database_opened(self, db: Database) -> None:
        self.db = db
        if db.read_only:
            self.notify("The database is read-only: listing, search, map, totals and export work.", timeout=6)
        self.main.database_ready(db)
        if db.created:
            self.notify(f"Created {db.display}" + ("" if self.empty else " with the article's seed"), markup=False)

    def _database_failed(self, message: str) -> None:
        self.db_error = message
        self.main.database_failed(message)
        if self._exit_after in ("1", "data", "true"):
            self.exit(return_code=1)
            return
        self.show_error(
            "Cannot open the database",
            message,
            hint="Start tracker with --db PATH (a SQLite file or a postgresql:// URL) or set TRACKER_DB. q quits.",
        )

    def first_data_shown(self) -> None:
        """Called by the main screen when its first rows are on screen."""
        self.call_after_refresh(self._first_rows_painted.set)
        if self._exit_after in ("1", "data", "true"):
            self.call_after_refresh(self.exit)

    def on_unmount(self) -> None:
        if self.db is not None:
            self.db.dispose()

    # ---------------------------------------------------------------- database calls

    def db_call(
        self,
        fn: Callable[[Connection], Any],
        done: Callable[[Any], Any],
        *,
        write: bool = False,
        title: str = "Database error",
        failed: Callable[[str], Any] | None = None,
    ) -> None:
        """Run `fn(conn)` in a thread worker (a read or a write transaction); `done(result)` on the UI."""
        db = self.writable_or_warning() if write else self.database_or_warning()
        if db is not None:
            self._db_worker(db, fn, done, write, title, failed)

    def writable_or_warning(self) -> Database | None:
        """The open database if this user may change it; otherwise None after one warning saying why (a
        read-only database: said before any form is opened, not after it is filled)."""
        db = self.database_or_warning()
        if db is not None and db.read_only:
            if db.label is not None:  # the as-of mode (tracker/ui/asof.py)
                self.notify(visible(f"{db.label}: changes are refused."), severity="warning", markup=False)
            else:
                self.notify("The database is read-only: you may read it, not change it.", severity="warning")
            return None
        return db

    def database_or_warning(self) -> Database | None:
        """The open database, or None after a warning saying why there is none (not open yet, or failed)."""
        if self.db is None:
            self.notify(self.db_error or "The database is not open yet.", severity="warning", markup=False)
        return self.db

    @work(thread=True, group="db", exit_on_error=False)
    def _db_worker(
        self,
        db: Database,
        fn: Callable[[Connection], Any],
        done: Callable[[Any], Any],
        write: bool,
        title: str,
        failed: Callable[[str], Any] | None,
    ) -> None:
        try:
            with db.write() if write else db.read() as conn:
                result = fn(conn)
        except Exception as exc:
            message = user_message(exc)
            self.call_from_thread(failed or (lambda m: self.show_error(title, m)), message)
            return
        self.call_from_thread(done, result)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification of the app (widgets' too) as plain text: never markup, control characters shown
        escaped (a message may quote a name or a database error). ``markup`` is accepted and ignored."""
        super().notify(
            visible(message, lines=True), title=visible(title), severity=severity, timeout=timeout, markup=False
        )

    def show_error(self, title: str, message: str, hint: str = "") -> None:
        """Log the error and show it on an `ErrorScreen` (plain text, no traceback)."""
        from tracker.ui.screens.error import ErrorScreen

        self.log.error(title, message)
        self.push_screen(ErrorScreen(title, message, hint))
