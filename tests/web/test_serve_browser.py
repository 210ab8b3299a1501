"""`tracker serve` driven by a real headless Chromium (Debian's, through Selenium and its chromedriver):
the page loads, the first screen's text arrives over the websocket, a key typed in the page changes what
the app shows, an export arrives as a download whose bytes are `tracker export`'s, and the token is
required. `.ci/run` installs chromium and chromium-driver; on a machine without them the test is skipped,
except in CI, where it fails."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

# Every frame the page receives on its websocket, decoded, in window.trackerFrames (the terminal's bytes:
# the text of the screen with its escape sequences).
RECORD_FRAMES = """
window.trackerFrames = [];
const Original = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const ws = protocols === undefined ? new Original(url) : new Original(url, protocols);
  const decoder = new TextDecoder();
  ws.addEventListener("message", (event) => {
    window.trackerFrames.push(typeof event.data === "string" ? event.data : decoder.decode(event.data));
  });
  return ws;
};
window.WebSocket.prototype = Original.prototype;
Object.assign(window.WebSocket, Original);
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tracker(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "tracker", *args], capture_output=True, timeout=120, **kwargs)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    """A seeded database served on a free loopback port with a token: (base URL, database, token)."""
    if CHROMIUM is None or CHROMEDRIVER is None:
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver are missing: .ci/run installs chromium and chromium-driver")
        pytest.skip("no chromium/chromedriver here (apt-get install chromium chromium-driver)")
    db = tmp_path / "served.db"
    assert _tracker("--db", str(db), "list", "--limit", "1").returncode == 0
    port, token = _free_port(), "s3cret-token"
    server = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", str(db), "serve", "--port", str(port), "--token", token],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + f"?token={token}", timeout=1).close()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        yield base, db, token
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C: the server stops cleanly, with its app processes
        try:
            _, err = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
        assert server.returncode == 0, err.decode(errors="replace")
        assert b"Traceback" not in err


def _wait(check: Callable[[], bool], what: str, timeout: float = 45) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {timeout:.0f} s for {what}")


def test_the_app_in_a_browser(served: tuple[str, Path, str], tmp_path: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    base, db, token = served
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-popup-blocking", "--window-size=1400,900"):  # fmt: skip
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})  # fmt: skip
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_FRAMES})
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})

        def screen_text() -> str:
            return str(driver.execute_script("return (window.trackerFrames || []).join('')"))

        driver.get(base)  # no token: refused
        assert "needs its token" in driver.find_element(By.TAG_NAME, "body").text
        driver.get(base + f"?token={token}")
        _wait(lambda: "OpenAI" in screen_text() and "Nvidia" in screen_text(), "the deals table's first screen")
        driver.find_element(By.CSS_SELECTOR, ".xterm").click()  # the terminal takes the keyboard, as a click does
        before = len(screen_text())
        for _attempt in range(6):  # the first key may come while the app still opens its database
            ActionChains(driver).send_keys("m").perform()  # the ecosystem map
            try:
                _wait(lambda: "edges" in screen_text()[before:], "the map after `m` was typed in the page", 10)
                break
            except AssertionError:
                continue
        assert "edges" in screen_text()[before:], "the map never showed after `m` was typed in the page"
        ActionChains(driver).send_keys("X").perform()  # export every deal: a download in the browser
        expected = tmp_path / "expected.csv"
        assert _tracker("--db", str(db), "export", str(expected)).returncode == 0

        def delivered() -> list[Path]:
            return [p for p in downloads.iterdir() if p.suffix == ".csv"]

        _wait(lambda: bool(delivered()), "the export's download")
        assert delivered()[0].name.startswith("deals-")
        assert delivered()[0].read_bytes() == expected.read_bytes()
    finally:
        driver.quit()
