"""`tracker serve`'s refusals and its warning (the browser test is tests/web/test_serve_browser.py)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import pytest

from tracker.cli.serve import app_command, is_loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True), ("localhost", True),
     ("0.0.0.0", False), ("192.168.1.5", False), ("example.org", False)],
)  # fmt: skip
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_another_host_needs_public(run_cli) -> None:  # type: ignore[no-untyped-def]
    proc = run_cli("serve", "--host", "0.0.0.0")
    assert proc.code == 1
    assert proc.err.strip() == "tracker: --host '0.0.0.0': not a loopback address; add --public to serve other machines"


def test_an_empty_token_is_refused(run_cli) -> None:  # type: ignore[no-untyped-def]
    proc = run_cli("serve", "--token", " ")
    assert proc.code == 1 and "--token '': empty" in proc.err


def test_each_tab_runs_tracker_on_the_same_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    command = app_command("rel.db", empty=False)
    assert command.startswith(sys.executable) and "-m tracker --db" in command and command.endswith("/rel.db")
    assert app_command("postgresql+psycopg://u@h/db", empty=True).endswith("--db postgresql+psycopg://u@h/db --empty")


def test_public_without_a_token_warns_and_ctrl_c_stops_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", str(tmp_path / "x.db"), "serve", "--host", "0.0.0.0",
         "--public", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    time.sleep(3)
    server.send_signal(signal.SIGINT)
    _, err = server.communicate(timeout=20)
    assert server.returncode == 0
    assert b"WARNING: serving on 0.0.0.0 with no authentication" in err and b"Traceback" not in err
    assert b"tracker serve: stopped" in err
