"""Quitting while the database is still loading: prompt, no traceback, and nothing that must finish is cut.

The app's thread workers run on `QuitFriendlyExecutor`: its exit waits for work started once the database
is open and for sections marked `must_finish` (opening the database, which may create or upgrade it), but
not for work started before the database was open (imports and the read-only first page).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from concurrent.futures import CancelledError

import pytest

from tests.support.terminal import read_until
from tracker.ui.executor import QuitFriendlyExecutor, Quitting


class Gate:
    """What decides whether new tasks are abandonable (the app: `db is None`)."""

    def __init__(self, abandonable: bool) -> None:
        self.abandonable = abandonable

    def __call__(self) -> bool:
        return self.abandonable


def test_shutdown_leaves_abandonable_work_behind() -> None:
    started, release = threading.Event(), threading.Event()
    executor = QuitFriendlyExecutor(Gate(True))
    future = executor.submit(lambda: (started.set(), release.wait(30)))
    assert started.wait(5)
    start = time.perf_counter()
    executor.shutdown(wait=True)
    assert time.perf_counter() - start < 1
    release.set()
    time.sleep(0.1)
    assert not future.done()  # the abandoned result is dropped (its event loop may be gone)


def test_shutdown_waits_for_work_started_once_open() -> None:
    gate = Gate(True)
    executor = QuitFriendlyExecutor(gate)
    gate.abandonable = False  # the database is open: this task may write
    done: list[str] = []
    future = executor.submit(lambda: (time.sleep(0.3), done.append("written")))
    executor.shutdown(wait=True)
    assert done == ["written"]
    assert future.done()


def test_shutdown_waits_for_a_must_finish_section_and_refuses_to_start_one() -> None:
    executor = QuitFriendlyExecutor(Gate(True))
    inside, waiting, quitting = threading.Event(), threading.Event(), threading.Event()
    log: list[str] = []

    def opening() -> None:
        with executor.must_finish():
            inside.set()
            time.sleep(0.3)
            log.append("opened")

    def late() -> None:
        waiting.set()
        quitting.wait(5)
        try:
            with executor.must_finish():
                log.append("started after quit")
        except Quitting:
            log.append("refused")

    executor.submit(opening)
    executor.submit(late)
    assert inside.wait(5) and waiting.wait(5)
    executor.shutdown(wait=True)
    assert log == ["opened"]
    quitting.set()
    deadline = time.monotonic() + 5
    while len(log) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert log == ["opened", "refused"]


def test_queued_abandonable_work_is_cancelled_and_queued_writes_run() -> None:
    gate = Gate(True)
    executor = QuitFriendlyExecutor(gate, max_workers=1)
    started, release = threading.Event(), threading.Event()
    executor.submit(lambda: (started.set(), release.wait(30)))  # occupies the only thread
    assert started.wait(5)
    read = executor.submit(lambda: "read")
    gate.abandonable = False
    write = executor.submit(lambda: "write")
    threading.Timer(0.2, release.set).start()
    executor.shutdown(wait=True)
    with pytest.raises(CancelledError):
        read.result(timeout=0)
    assert write.result(timeout=0) == "write"


def test_the_event_loop_runs_thread_work_on_it() -> None:
    async def main() -> str:
        loop = asyncio.get_running_loop()
        loop.set_default_executor(QuitFriendlyExecutor(Gate(False)))
        return await loop.run_in_executor(None, lambda: "ok")

    assert asyncio.run(main()) == "ok"


# ------------------------------------------------------------------------- the real thing, in a terminal

SLOW_CORE = """
import sys, time
from importlib.abc import MetaPathFinder

class SlowCore(MetaPathFinder):
    # The core's first import (SQLAlchemy) takes 30 s instead of about one: q must not wait for it.
    def find_spec(self, name, path=None, target=None):
        if name == "sqlalchemy":
            sys.meta_path.remove(self)
            time.sleep(30)
        return None

sys.meta_path.insert(0, SlowCore())
from tracker.ui.app import TrackerApp
TrackerApp(db_target=sys.argv[1]).run()
"""


def test_q_quits_promptly_while_the_core_is_still_loading(db_path: str) -> None:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "TRACKER"))}
    env.update(TERM="xterm-256color", LANG="C.UTF-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_CORE, db_path], stdin=slave, stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    try:
        read_until(master, b"Nvidia", timeout=20)  # the first page (standard library) is on screen
        time.sleep(0.3)  # the worker is now inside the slow import
        start = time.perf_counter()
        os.write(master, b"q")
        rest = b""
        while proc.poll() is None and time.perf_counter() - start < 10:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    rest += os.read(master, 65536)
                except OSError:
                    break
        elapsed = time.perf_counter() - start
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert elapsed < 5, f"q took {elapsed:.1f} s while the core was loading"
    assert b"Traceback" not in rest and b"Error" not in rest, rest[-2000:]
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT count(*) FROM deal").fetchone()[0] > 0
