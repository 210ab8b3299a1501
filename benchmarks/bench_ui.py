"""The app's speed: time to first screen (seed and 1,000,000 deals), filter-keystroke and page-down
latency at 1,000,000 deals, and memory, each beside a bare Textual app measured in the same run.

Usage:
    .venv/bin/python benchmarks/bench_ui.py [--db1m PATH] [--runs 5]

First screen is measured from a subprocess in a pseudo-terminal (120x30): process start → the app's
first frame with rows → exit. The app honours ``TRACKER_EXIT_AFTER_FIRST_PAINT``: ``1`` (or ``data``)
exits right after the first screen is shown with its rows, ``paint`` right after the very first
frame (before the database is open). The bare reference is a minimal Textual app that exits after its
first frame (``call_after_refresh``). Both are the same measurement: the wall time of the whole process,
from ``Popen`` to the parent's ``wait4``, so each includes its exit and the interpreter's teardown. The bare
app's exit includes Textual's input-thread naps (0.1-0.2 s: its Linux driver joins a thread that notices
the exit only when its ``select(0.1)`` times out); tracker's driver (tracker/ui/driver.py) wakes that
thread, as every quit with ``q`` does. The app's exit is the one a user pressing ``q``
gets: ``App.exit`` then ``TrackerApp.run_async`` waiting for the workers that must finish, never for the
SQLAlchemy/SQLModel import still running in the background (see ``QuitFriendlyExecutor`` in
tracker/ui/app.py). The runs are interleaved (bare, ours, bare, …; medians), so a busy neighbour slows
all of them alike; before 2026-11-29 they ran in blocks, one configuration after the other. Latencies are measured in-process with ``App.run_test``: the time
from the key press until the deals table has settled (the new query counted and the visible rows
loaded). Memory is the peak resident set (``ru_maxrss``) of each process.

The 1,000,000-deal database: ``--db1m``, else ``benchmarks/out/bench.db`` (from bench_csv.py), else
``/tmp/tracker-ui-bench-1m.db``, built if missing with ``tracker --empty import`` of
``benchmarks/out/deals-1m.csv`` (``tests/support/gen_deals.py`` writes it; a minute or two).
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED_DB = HERE / "out" / "bench.db"
OWN_DB = Path("/tmp/tracker-ui-bench-1m.db")
CSV_1M = HERE / "out" / "deals-1m.csv"
TRACKER = Path(sys.executable).with_name("tracker")
SIZE = (120, 30)

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App):
    def compose(self):
        yield Static("hello")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.exit)

Bare().run()
"""


# ---------------------------------------------------------------------------------------------- helpers


def run_in_pty(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Run `argv` on a pseudo-terminal; return (wall seconds, peak RSS MiB, exit code)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))

    def drain() -> None:  # keep the terminal's buffer empty so the app never blocks on output
        while True:
            try:
                if not os.read(master, 65536):
                    return
            except OSError:
                return

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    os.close(slave)
    os.close(master)
    reader.join(timeout=1)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def alternated(configs: dict[str, tuple[list[str], dict[str, str]]], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall time and peak RSS of each configuration, the runs interleaved (bare, ours, bare, ours, …)
    so that a noisy neighbour slows every configuration alike."""
    times: dict[str, list[float]] = {name: [] for name in configs}
    peaks: dict[str, list[float]] = {name: [] for name in configs}
    for _ in range(runs):
        for name, (argv, env) in configs.items():
            elapsed, peak, code = run_in_pty(argv, env)
            if code != 0:
                raise SystemExit(f"{' '.join(argv)} exited with {code}")
            times[name].append(elapsed)
            peaks[name].append(peak)
    return {name: (statistics.median(times[name]), max(peaks[name])) for name in configs}


def app_env(mode: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", TRACKER_EXIT_AFTER_FIRST_PAINT=mode)
    return env


def direct_argv(db: Path) -> list[str]:
    """The app without the command line (``tracker.cli.main`` may import the core before the app starts)."""
    code = f"from tracker.ui.app import TrackerApp; TrackerApp(db_target={str(db)!r}).run()"
    return [sys.executable, "-c", code]


def tracker_argv(db: Path) -> list[str]:
    program = [str(TRACKER)] if TRACKER.exists() else [sys.executable, "-m", "tracker"]
    return [*program, "--db", str(db)]


def _deal_count(db: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            return int(con.execute("SELECT count(*) FROM deal").fetchone()[0])
    except sqlite3.Error:
        return 0


def check_schema(db: Path) -> None:
    """Stop unless `db` is at the schema this checkout writes: the app would upgrade it (a write into a
    file that may be shared) and the start-up figure would time the upgrade."""
    import sqlite3

    from tracker.migrations import HEAD

    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            found = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        raise SystemExit(f"{db}: {exc}") from None
    if found != (HEAD,):
        raise SystemExit(
            f"{db} is at schema {found[0] if found else None}, this checkout at {HEAD}: upgrade a copy "
            f"(`tracker --db COPY list`) and pass it with --db1m"
        )


def find_or_build_1m(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    if SHARED_DB.exists() and _deal_count(SHARED_DB) >= 900_000:
        return SHARED_DB
    if OWN_DB.exists():
        return OWN_DB
    if not CSV_1M.exists():
        raise SystemExit(
            f"no 1M database: neither {SHARED_DB} nor {OWN_DB} exists, and {CSV_1M} is missing "
            "(run .venv/bin/python tests/support/gen_deals.py first)"
        )
    print(f"building {OWN_DB} from {CSV_1M} with `tracker import` (a minute or two)…", flush=True)
    subprocess.run([*tracker_argv(OWN_DB), "--empty", "import", str(CSV_1M)], check=True)
    return OWN_DB


# ---------------------------------------------------------------------------------------------- in-process


async def _until(pilot: Any, done: Callable[[], bool], timeout: float = 30.0) -> float:
    """Seconds from now until `done()` holds, polling the event loop every millisecond."""
    start = time.perf_counter()
    while not done():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the table did not settle")
        await asyncio.sleep(0.001)
    return time.perf_counter() - start


def send_key(app: Any, key: str, char: str | None = None) -> None:
    """Deliver a key the way the terminal driver does, without Pilot's idle waits (they add ~40 ms)."""
    from textual import events

    event = events.Key(key, char if char is not None else (key if len(key) == 1 else None))
    event.set_sender(app)
    app._driver.send_message(event)


def _settled(app: Any) -> bool:
    table = app.main.table
    if table.is_busy or table.is_loading:
        return False
    first = int(table.scroll_offset.y)
    last = min(table.row_count, first + max(1, table.scrollable_content_region.height - 1))
    return all(table.get_row_at(i) is not None for i in range(first, last))


async def latencies(db: Path, text: str, pages: int) -> dict[str, list[float]]:
    from tracker.ui.app import TrackerApp

    app = TrackerApp(db_target=str(db))
    out: dict[str, list[float]] = {"filter": [], "pagedown": [], "clear": [], "exact": []}
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: app.db is not None and app.main.table.row_count > 0 and _settled(app), 120)
        # page-down through the unfiltered million, from the top
        app.main.table.focus()
        for _ in range(pages):
            start = time.perf_counter()
            row = app.main.table.cursor_row
            send_key(app, "pagedown")
            await _until(
                pilot,
                lambda r=row: (app.main.table.cursor_row > r or r == app.main.table.row_count - 1) and _settled(app),
            )
            out["pagedown"].append(time.perf_counter() - start)
        # filter keystrokes: each one a new query; measure until its count and rows are shown
        await pilot.press("slash")
        typed = ""
        for char in text:
            typed += char
            start = time.perf_counter()
            send_key(app, char)
            await _until(pilot, lambda t=typed: app.main.deal_query.spec.text == t and _settled(app))
            out["filter"].append(time.perf_counter() - start)
        start = time.perf_counter()
        await _until(pilot, lambda: not app.main.status.more and _settled(app), 120)
        out["exact"].append(time.perf_counter() - start)
        await pilot.press("escape")  # back to the table
        start = time.perf_counter()
        send_key(app, "escape")  # clear the filter
        await _until(pilot, lambda: not app.main.deal_query.active and _settled(app))
        out["clear"].append(time.perf_counter() - start)
    return out


def pick_filter_text(db: Path) -> str:
    """The first word of a busy organisation's name in the database (so the filter matches)."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        name = con.execute(
            "SELECT o.name FROM organization o JOIN deal d ON d.from_org_id = o.id "
            "WHERE o.name GLOB '[A-Za-z]*' GROUP BY o.id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return (name[0].split()[0] if name else "nvidia").lower()


# ---------------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db1m", help="a tracker database with about 1,000,000 deals")
    parser.add_argument("--runs", type=int, default=5, help="start-ups per measurement (median)")
    parser.add_argument("--pages", type=int, default=20, help="page-downs to time")
    args = parser.parse_args()

    db1m = find_or_build_1m(args.db1m)
    check_schema(db1m)
    tmp = Path(tempfile.mkdtemp(prefix="tracker-ui-bench-"))
    seed_db = tmp / "seed.db"
    subprocess.run([*tracker_argv(seed_db), "list"], check=True, capture_output=True)  # create + seed
    import sqlite3

    with sqlite3.connect(db1m) as con:
        deals_1m = con.execute("SELECT count(*) FROM deal").fetchone()[0]

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, terminal {SIZE[0]}x{SIZE[1]}, runs={args.runs}")
    print(f"1M database: {db1m} ({deals_1m:,} deals)\n", flush=True)

    starts = alternated(
        {
            "bare": ([sys.executable, "-c", BARE_APP], app_env("")),
            "paint": (tracker_argv(seed_db), app_env("paint")),
            "seed": (tracker_argv(seed_db), app_env("1")),
            "big": (tracker_argv(db1m), app_env("1")),
            "d_paint": (direct_argv(seed_db), app_env("paint")),
            "d_seed": (direct_argv(seed_db), app_env("1")),
            "d_big": (direct_argv(db1m), app_env("1")),
        },
        args.runs,
    )
    (bare_t, bare_mem), (paint_t, _), (seed_t, seed_mem), (big_t, big_mem) = (
        starts[k] for k in ("bare", "paint", "seed", "big")
    )
    d_paint_t, d_seed_t, d_big_t = (starts[k][0] for k in ("d_paint", "d_seed", "d_big"))

    text = pick_filter_text(db1m)
    lat = asyncio.run(latencies(db1m, text, args.pages))
    in_process_mem = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.0f} ms (max {max(values) * 1000:.0f})"

    target = 1.5 * bare_t
    rows = [
        ("bare Textual app: start, first paint, exit", f"{bare_t:.2f} s", "reference", ""),
        ("`tracker`: first frame (before the database)", f"{paint_t:.2f} s", f"≤ {target:.2f} s",
         f"{paint_t / bare_t:.2f}x"),
        ("`tracker`: first screen with rows, seed", f"{seed_t:.2f} s", f"≤ {target:.2f} s", f"{seed_t / bare_t:.2f}x"),
        (f"`tracker`: first screen with rows, {deals_1m:,} deals", f"{big_t:.2f} s", f"≤ {target:.2f} s",
         f"{big_t / bare_t:.2f}x"),
        ("TrackerApp without the CLI: first frame", f"{d_paint_t:.2f} s", f"≤ {target:.2f} s",
         f"{d_paint_t / bare_t:.2f}x"),
        ("TrackerApp without the CLI: rows, seed", f"{d_seed_t:.2f} s", f"≤ {target:.2f} s",
         f"{d_seed_t / bare_t:.2f}x"),
        (f"TrackerApp without the CLI: rows, {deals_1m:,}", f"{d_big_t:.2f} s", f"≤ {target:.2f} s",
         f"{d_big_t / bare_t:.2f}x"),
        (f"filter keystroke → rows at {deals_1m:,} ({text!r})", ms(lat["filter"]), "< 100 ms", ""),
        (f"page-down at {deals_1m:,} ({args.pages} presses)", ms(lat["pagedown"]), "< 100 ms", ""),
        ("  then its exact count (after typing pauses)", ms(lat["exact"]), "", ""),
        ("clearing the filter (escape) at 1M", ms(lat["clear"]), "", ""),
        ("peak memory: bare app", f"{bare_mem:.0f} MiB", "", ""),
        ("peak memory: tracker, seed", f"{seed_mem:.0f} MiB", "< 250 MiB", ""),
        ("peak memory: tracker, 1M deals", f"{big_mem:.0f} MiB", "< 250 MiB", ""),
        ("peak memory: in-process latency run, 1M deals", f"{in_process_mem:.0f} MiB", "< 250 MiB", ""),
    ]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print(f"{'measurement':<{width}}  {'result':>22}  {'target':>12}  vs bare")
    for name, value, goal, ratio in rows:
        print(f"{name:<{width}}  {value:>22}  {goal:>12}  {ratio}")
    print(f"\nper keystroke (ms): {[round(v * 1000) for v in lat['filter']]}")
    print(f"per page-down (ms): {[round(v * 1000) for v in lat['pagedown']]}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
