"""`PromptExitDriver` (tracker/ui/driver.py): keys arrive as with Textual's Linux driver, and stopping the
input thread (every quit) no longer waits for the thread's poll of the terminal to time out."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest
from textual.drivers.linux_driver import LinuxDriver

from tests.support.terminal import read_until
from tracker.ui.app import TrackerApp
from tracker.ui.driver import PromptExitDriver

# A poll of 60 s: Textual's own loop would hold a quit for a minute (60 s until the poll times out, then
# another 60 s polling nothing); the driver must not wait for it at all.
APP = """
import sys
from textual.app import App
from textual.widgets import Static
from tracker.ui.driver import PromptExitDriver

PromptExitDriver.POLL_SECONDS = 60

class KeyApp(App):
    def compose(self):
        yield Static("ready")

    def on_key(self, event):
        if event.key == "x":
            self.exit("got " + event.key)

print(KeyApp(driver_class=PromptExitDriver).run())
"""


def test_keys_arrive_and_quitting_does_not_wait_for_the_poll() -> None:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8")
    proc = subprocess.Popen([sys.executable, "-c", APP], stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    try:
        read_until(master, b"ready", 30)
        os.write(master, b"x")  # read by the input thread, mid-poll
        out = read_until(master, b"got x", 30)  # printed after the app has ended
        assert proc.wait(timeout=30) == 0, out[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert b"Traceback" not in out


@pytest.mark.skipif(sys.platform == "win32", reason="Textual's Linux driver")
def test_the_app_uses_it_where_textual_would_use_its_linux_driver() -> None:
    assert issubclass(PromptExitDriver, LinuxDriver)
    assert TrackerApp(db_target=":memory:").get_driver_class() is PromptExitDriver
