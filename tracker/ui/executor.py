"""The app's thread pool: an executor whose exit waits only for the work that must finish.

Textual's thread workers run on the event loop's default executor; the app installs `QuitFriendlyExecutor`
there (`TrackerApp.run_async`), so that quitting while the core is still loading is prompt: threads doing
work started before the database was open (imports and reads) do not hold the process up. Work started once
the database is open, and sections marked `must_finish` (opening the database, which may create, seed or
upgrade the file), are always waited for: a write is never cut.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = ["QuitFriendlyExecutor", "Quitting"]


class Quitting(Exception):
    """Raised by `QuitFriendlyExecutor.must_finish` in abandonable work once the app is quitting."""


@dataclass(eq=False)
class _Task:
    """One submitted call and its future; pinned while inside `must_finish`."""

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
        """True once `shutdown` has begun (the app is quitting)."""
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
