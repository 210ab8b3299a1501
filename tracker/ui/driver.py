"""Textual's Linux terminal driver with an input thread that stops at once when the app quits.

Textual 8.2's ``LinuxDriver`` reads keys in a thread that polls the terminal with ``select(0.1)``; to stop
it, ``disable_input`` sets an event and joins the thread, which notices the event only when its poll times
out, then polls once more with nothing registered (another 0.1 s). So every quit (and every
``App.suspend``) waits 0.1-0.2 s for nothing. This driver adds a wake-up pipe to the poll: stopping writes
to it, the thread returns at once, and nothing else changes (same parser, same events, same final flush of
the parser). `TrackerApp.get_driver_class` uses it only where Textual would use ``LinuxDriver`` itself.

``run_input_thread`` follows Textual 8.2.8's (pinned in pyproject.toml); `tests/ui/test_driver.py` checks
that keys still arrive and that stopping no longer waits for the poll.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import termios
from codecs import getincrementaldecoder

from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver


class PromptExitDriver(LinuxDriver):
    """``LinuxDriver`` whose input thread is woken by a pipe when input is disabled (quit or suspend)."""

    POLL_SECONDS = 0.1
    """How long one poll of the terminal waits (Textual's value); stopping never waits for it."""

    _wake_fds: tuple[int, int] | None = None

    def start_application_mode(self) -> None:
        # the pipe exists before Textual starts the input thread: `disable_input` always finds (and closes) it
        self._wake_fds = os.pipe()
        super().start_application_mode()

    def run_input_thread(self) -> None:
        """Wait for input and dispatch events (Textual's loop, plus the wake-up pipe)."""
        assert self._wake_fds is not None
        wake_read = self._wake_fds[0]
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        selector.register(wake_read, selectors.EVENT_READ)

        fileno = self.fileno
        EVENT_READ = selectors.EVENT_READ

        parser = XTermParser(self._debug)
        feed = parser.feed
        tick = parser.tick

        decode = getincrementaldecoder("utf-8")().decode
        read = os.read

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False
        ) -> None:
            for last, (_selector_key, mask) in loop_last(selector_events):
                if mask & EVENT_READ:
                    unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        # This can occur if the stdin is piped
                        break
                    for event in feed(unicode_data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                ready = selector.select(self.POLL_SECONDS)
                process_selector_events([(key, mask) for key, mask in ready if key.fd == fileno])
            selector.unregister(self.fileno)
            process_selector_events([], final=True)  # Textual polls nothing for 0.1 s here first
        finally:
            selector.close()
            with contextlib.suppress(EOFError, ParseError):
                for _event in feed(""):
                    pass

    def disable_input(self) -> None:
        """Disable further input: Textual's, with a byte on the wake-up pipe once the stop event is set."""
        try:
            if not self.exit_event.is_set():
                signal.signal(signal.SIGWINCH, signal.SIG_DFL)
                self._disable_mouse_support()
                self.exit_event.set()
                wake = self._wake_fds
                if wake is not None:
                    os.write(wake[1], b"\0")
                if self._key_thread is not None:
                    self._key_thread.join()
                self.exit_event.clear()
                if wake is not None:  # closed here, after the join: the thread never writes or closes them
                    self._wake_fds = None
                    os.close(wake[0])
                    os.close(wake[1])
                with contextlib.suppress(termios.error):
                    termios.tcflush(self.fileno, termios.TCIFLUSH)
        except Exception:  # as Textual's: stopping the input must not stop the quit
            pass
