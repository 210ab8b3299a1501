"""End to end in a real terminal: `tracker --db <fresh file>` under tmux, `/`, type 英伟达, read the
screen, quit with `q`. Skipped when tmux is not installed."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (apt-get install tmux)"),
]


def tracker_command(db: Path, marker: Path) -> str:
    exe = Path(sys.executable).with_name("tracker")
    program = [str(exe)] if exe.exists() else [sys.executable, "-m", "tracker"]
    # The shell writes the exit code to `marker` when the app ends, so the test can see it quit.
    return f"{shlex.join([*program, '--db', str(db)])}; echo $? > {shlex.quote(str(marker))}; sleep 60"


class Tmux:
    def __init__(self, session: str) -> None:
        self.session = session

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout

    def send(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if predicate(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"timed out; the screen was:\n{text}")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[tuple[Tmux, Path]]:
    session = f"tracker-e2e-{uuid.uuid4().hex[:8]}"
    marker = tmp_path / "exit-code"
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    env.pop("TRACKER_EXIT_AFTER_FIRST_PAINT", None)
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "30",
         tracker_command(tmp_path / "fresh.db", marker)],
        check=True,
        env=env,
    )  # fmt: skip
    try:
        yield Tmux(session), marker
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_filter_in_chinese_then_quit(tmux: tuple[Tmux, Path]) -> None:
    term, marker = tmux
    term.wait_for(lambda s: "8 deals" in s and "CNY 380B" in s, timeout=60)
    term.send("/")
    term.wait_for(lambda s: "Filter" in s and "any kind" in s)
    term.send("英伟达", literal=True)
    term.send("Enter")
    screen = term.wait_for(lambda s: "4 deals" in s and "“英伟达”" in s)
    assert "Nvidia" in screen
    assert "≤ $100B" in screen  # Nvidia's investment in OpenAI
    assert "CNY 380B" not in screen  # Alibaba's plan is filtered out
    term.send("q")  # enter moved focus back to the table, so q quits
    deadline = time.monotonic() + 15
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists(), "tracker did not exit after q:\n" + term.screen()
    assert marker.read_text().strip() == "0"
