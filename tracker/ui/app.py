"""The tracker app: screens, app-wide keys, the command palette, the database and the undo stack.

Start-up paints first: this module imports only Textual and the UI's own light modules. The database
is opened (and the SQLAlchemy/SQLModel core imported) in a thread worker after the first frame.

Quitting while that worker is still loading is prompt: the app's thread workers run on
`QuitFriendlyExecutor`, whose threads do not hold the process up when all they are doing is work started
before the database was open (imports and reads). Work started once the database is open, and the
opening itself (which may create, seed or upgrade the file), is always waited for: a write is never cut.

``TRACKER_EXIT_AFTER_FIRST_PAINT`` (for benchmarks): ``1`` or ``data`` exits right after the first
screen is shown with its rows; ``paint`` exits right after the very first frame. The exit code is 1
if the database could not be opened.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tracker.ui.commands import TrackerCommands
from tracker.ui.errors import user_message
from tracker.ui.screens.main import MainScreen

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from textual.app import AutopilotCallbackType
    from textual.driver import Driver

    from tracker.core.records.firstpage import QuickPage
    from tracker.core.records.undo import LinkRequest, UndoEntry
    from tracker.core.storage.database import Database
    from tracker.ui.screens.deal_form import DealFormResult

EXIT_ENV = "TRACKER_EXIT_AFTER_FIRST_PAINT"
UNDO_LIMIT = 100


class Quitting(Exception):
    """Raised by `QuitFriendlyExecutor.must_finish` in abandonable work once the app is quitting."""


@dataclass(eq=False)
class _Task:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    abandonable: bool
    future: Future[Any] = field(default_factory=Future)
    pinned: int = 0

    @property
    def blocks_exit(self) -> bool:
        return not self.abandonable or self.pinned > 0


class QuitFriendlyExecutor(ThreadPoolExecutor):
    """The event loop's default executor (so Textual's thread workers run here) with an exit that waits
    only for work that must finish.

    A task is *abandonable* when `abandonable()` held as it was submitted (for the app: the database was
    not open yet, so nothing it does can write) and it is not inside `must_finish()`. `shutdown` waits for
    every other task, queued or running, exactly as `ThreadPoolExecutor.shutdown(wait=True)` does, then
    returns; abandonable tasks still running are left behind on daemon threads (their results dropped),
    and abandonable tasks still queued are cancelled. Python cannot stop a thread, so an import in
    progress simply ends with the process.
    """

    def __init__(self, abandonable: Callable[[], bool], max_workers: int | None = None) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="tracker-worker")
        self._abandonable = abandonable
        self._cond = threading.Condition()
        self._queue: deque[_Task] = deque()
        self._live: set[_Task] = set()
        self._threads_started = 0
        self._idle = 0
        self._closing = False
        self._local = threading.local()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        task = _Task(fn, args, kwargs, abandonable=self._abandonable())
        with self._cond:
            if self._closing:
                raise RuntimeError("cannot schedule new futures after shutdown")
            self._queue.append(task)
            self._live.add(task)
            self._cond.notify_all()
            if len(self._queue) > self._idle and self._threads_started < self._max_workers:
                self._threads_started += 1
                name = f"{self._thread_name_prefix}-{self._threads_started}"
                threading.Thread(target=self._work, name=name, daemon=True).start()
        return task.future

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._queue:
                    if self._closing:
                        return
                    self._idle += 1
                    self._cond.wait()
                    self._idle -= 1
                task = self._queue.popleft()
            if not task.future.set_running_or_notify_cancel():
                self._forget(task)
                continue
            self._local.task = task
            try:
                result = task.fn(*task.args, **task.kwargs)
            except BaseException as exc:
                if self._forget(task):
                    task.future.set_exception(exc)
            else:
                if self._forget(task):
                    task.future.set_result(result)
            finally:
                self._local.task = None

    def _forget(self, task: _Task) -> bool:
        """The task is done: True unless it was abandoned (nobody awaits it; the loop may be closed)."""
        with self._cond:
            self._live.discard(task)
            self._cond.notify_all()
            return not (self._closing and task.abandonable)

    @contextmanager
    def must_finish(self) -> Iterator[None]:
        """Mark a section of the current task that quitting must wait for (a write, or opening the database,
        which may create it). Raises `Quitting` instead of starting it in an abandonable task once the app
        is quitting. Outside this executor's threads (tests' event loops) it only runs the section."""
        task: _Task | None = getattr(self._local, "task", None)
        if task is None:
            yield
            return
        with self._cond:
            if self._closing and task.abandonable and not task.pinned:
                raise Quitting
            task.pinned += 1
        try:
            yield
        finally:
            with self._cond:
                task.pinned -= 1
                self._cond.notify_all()

    @property
    def quitting(self) -> bool:
        return self._closing

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._cond:
            self._closing = True
            for task in [t for t in self._queue if cancel_futures or not t.blocks_exit]:
                self._queue.remove(task)
                self._live.discard(task)
                task.future.cancel()
            self._cond.notify_all()
            if wait:
                self._cond.wait_for(lambda: not any(t.blocks_exit for t in self._live))


class TrackerApp(App[None]):
    """Browse, search, add, edit and link deals."""

    TITLE = "tracker"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS = App.COMMANDS | {TrackerCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit tracker"),
        Binding("question_mark", "help", "Keys", id="app.help", tooltip="Every key"),
        Binding("u", "undo", "Undo", id="app.undo", tooltip="Undo the last change"),
        Binding("o", "organisations", "Orgs", id="app.organisations", tooltip="Organisations"),
        Binding("n", "alliances", "Alliances", id="app.alliances", tooltip="Alliances"),
        Binding("m", "map", "Map", id="app.map", tooltip="Ecosystem map"),
        Binding("t", "totals", "Totals", id="app.totals", tooltip="Totals"),
        Binding("r", "refresh", "Refresh", id="app.refresh", tooltip="Re-read the database"),
    ]

    def __init__(
        self, db_target: str | None = None, empty: bool = False, preview: Future[QuickPage | None] | None = None
    ) -> None:
        """``preview``: the first page being read already (tracker/ui/preview.py); started here if None."""
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
        self.undo_stack: list[UndoEntry] = []
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

    def get_driver_class(self) -> type[Driver]:
        """Textual's choice, except that its Linux driver becomes `PromptExitDriver` (quits without waiting
        0.1-0.2 s for the input thread's poll)."""
        driver_class = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver_class is LinuxDriver:
            from tracker.ui.driver import PromptExitDriver

            return PromptExitDriver
        return driver_class

    def get_default_screen(self) -> Screen[Any]:
        return MainScreen()

    @property
    def main(self) -> MainScreen:
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
            from tracker.core.storage.database import open_database
            from tracker.ui.sources import deals as deal_source  # noqa: F401  (warm the import off the UI thread)

            with self.executor.must_finish():  # opening may create, seed or upgrade the file: never cut
                db = open_database(self.db_target, populate=None if self.empty else load_seed)
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

    def _database_opened(self, db: Database) -> None:
        self.db = db
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
        if self.db is None:
            self.notify(self.db_error or "The database is not open yet.", severity="warning", markup=False)
            return
        self._db_worker(self.db, fn, done, write, title, failed)

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

    def show_error(self, title: str, message: str, hint: str = "") -> None:
        from tracker.ui.screens.error import ErrorScreen

        self.log.error(title, message)
        self.push_screen(ErrorScreen(title, message, hint))

    def record(self, entry: UndoEntry, message: str) -> None:
        """Remember a change for `u` and say what happened."""
        self.undo_stack.append(entry)
        del self.undo_stack[:-UNDO_LIMIT]
        self.notify(f"{message} — u undoes it", timeout=4, markup=False)
        self.main.refresh_data()

    # ---------------------------------------------------------------- deal changes

    def open_deal_form(self, deal_id: int | None) -> None:
        def load(conn: Connection) -> tuple[list[str], dict[str, str] | None]:
            from tracker.core.records.deals import values_of
            from tracker.core.records.orgs import all_org_names
            from tracker.ui.screens.deal_form import fields_of

            initial = fields_of(values_of(conn, deal_id)) if deal_id is not None else None
            return all_org_names(conn), initial

        def show(loaded: tuple[list[str], dict[str, str] | None]) -> None:
            from tracker.ui.screens.deal_form import DealFormScreen

            assert self.db is not None
            names, initial = loaded
            self.push_screen(DealFormScreen(self.db, deal_id=deal_id, initial=initial, names=names), self._form_done)

        self.db_call(load, show, title="Cannot open the form")

    def _form_done(self, result: DealFormResult | None) -> None:
        if result is None:
            return
        what = "Added" if result.undo.label.startswith("add") else "Saved"
        created = f" (new: {', '.join(result.created_orgs)})" if result.created_orgs else ""
        self.record(result.undo, f"{what} deal #{result.deal_id}{created}")

    def confirm_delete(self, deal_id: int, cells: tuple[str, ...]) -> None:
        from tracker.ui.screens.confirm import ConfirmScreen

        question = Text(f"Delete deal #{deal_id}?\n\n")
        question.append("  " + "  ".join(c for c in cells if c) + "\n\n", style="bold")
        question.append("Its alliance memberships and deal links go with it; u brings everything back.")

        def answered(yes: bool | None) -> None:
            if yes:
                from tracker.core.records import undo as ops

                self.db_call(
                    lambda conn: ops.delete(conn, deal_id),
                    lambda entry: self.record(entry, f"Deleted deal #{deal_id}"),
                    write=True,
                    title="Not deleted",
                )

        self.push_screen(ConfirmScreen("Delete deal", question, yes="Delete"), answered)

    def open_link_form(self, deal_id: int) -> None:
        def load(conn: Connection) -> tuple[Any, list[str]]:
            from tracker.core.records.deals import get_deal
            from tracker.core.records.lookups import alliance_names

            return get_deal(conn, deal_id), alliance_names(conn)

        def show(loaded: tuple[Any, list[str]]) -> None:
            from tracker.core.records.deals import DealError
            from tracker.ui.screens.link import LinkScreen

            detail, alliances = loaded
            if detail is None:
                self.show_error("Cannot link", str(DealError(f"deal {deal_id}: no such deal (deleted meanwhile?)")))
                return
            parties = [(p.id, p.name) for p in (detail.from_party, detail.to_party) if p is not None]
            label = f"#{deal_id} {detail.kind} {detail.from_party.name}"
            if detail.to_party:
                label += f" → {detail.to_party.name}"
            self.push_screen(LinkScreen(deal_id, label, parties, alliances), self._link_chosen)

        self.db_call(load, show, title="Cannot link")

    def _link_chosen(self, request: LinkRequest | None) -> None:
        if request is None:
            return
        from tracker.core.records import undo as ops

        self.db_call(
            lambda conn: ops.link(conn, request),
            lambda entry: self.record(entry, f"Linked: {entry.label.removeprefix('link of ')}"),
            write=True,
            title="Not linked",
        )

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.", timeout=2)
            return
        entry = self.undo_stack.pop()

        def done(_: Any) -> None:
            self.notify(f"Undone: {entry.label}", timeout=4, markup=False)
            self.main.refresh_data()

        def failed(message: str) -> None:
            self.undo_stack.append(entry)
            self.show_error("Could not undo", message)

        self.db_call(entry.undo, done, write=True, failed=failed)

    # ---------------------------------------------------------------- navigation

    def _push_view(self, screen_type: str) -> None:
        if self.db is None:
            self.notify(self.db_error or "The database is not open yet.", severity="warning", markup=False)
            return
        from tracker.ui.screens import alliances, map, organisations, totals

        factories = {
            "organisations": organisations.OrganisationsScreen,
            "alliances": alliances.AlliancesScreen,
            "map": map.map_screen,
            "totals": totals.totals_screen,
        }
        screen = factories[screen_type](self.db)
        current = self.screen
        if type(current) is type(screen) and getattr(current, "slot_key", None) == getattr(screen, "slot_key", None):
            return  # already there
        self.push_screen(screen, self._view_done)

    def _view_done(self, result: tuple[Any, ...] | None) -> None:
        if not result:
            return
        self._to_main()
        kind = result[0]
        if kind == "org":
            org_id, name = result[1], result[2]
            if name:
                self.main.show_org(org_id, name)
            else:
                from tracker.core.records.lookups import org_name

                self.db_call(
                    lambda conn: org_name(conn, org_id), lambda n: self.main.show_org(org_id, n or f"#{org_id}")
                )
        elif kind == "alliance":
            self.main.show_alliance(result[1], result[2])
        elif kind == "deals":
            self.main.show_deals(tuple(result[1]), result[2])

    def _to_main(self) -> None:
        while len(self.screen_stack) > 1 and not self.screen.is_modal:
            self.pop_screen()

    def action_organisations(self) -> None:
        self._push_view("organisations")

    def action_alliances(self) -> None:
        self._push_view("alliances")

    def action_map(self) -> None:
        self._push_view("map")

    def action_totals(self) -> None:
        self._push_view("totals")

    def action_help(self) -> None:
        from tracker.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        groups = [
            ("Deals", list(MainScreen.BINDINGS)),
            ("App", list(self.BINDINGS)),
            ("Table", [b for b in self.main.table.BINDINGS if isinstance(b, Binding) and b.show]),
        ]
        self.push_screen(HelpScreen([(t, [b for b in bs if isinstance(b, Binding)]) for t, bs in groups]))

    def action_refresh(self) -> None:
        if self.db is None:
            self.notify(self.db_error or "The database is not open yet.", severity="warning", markup=False)
            return
        self.main.refresh_data()
        self.notify("Refreshed from the database.", timeout=2)

    def run_command(self, action: str) -> None:
        """Run a command-palette action; `main:` actions go back to the deals first."""
        if action.startswith("main:"):
            self._to_main()
            self.call_later(self.main.run_action, action.removeprefix("main:"))
        else:
            self.call_later(self.run_action, action)
