"""Fixtures for the app's Pilot and snapshot tests: a seeded database per test, no cursor blink."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.support.databases import seeded

SNAPSHOT_DIR = Path("/tmp/tracker-ui-snapshot-db")
"""Snapshots show the database path in the status line, so their database lives at a fixed path."""


FIXED_PATH_FIXTURES = {"snapshot_db", "cjk_db"}
"""Fixtures that build their database at a fixed path: their tests run on one pytest-xdist worker, in turn."""


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own, which reads the group into the test's id
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if FIXED_PATH_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("fixed-path-databases"))


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Input cursor stays visible instead of blinking, so screenshots are stable (as Harlequin does)."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    """A fresh database with the article's seed (8 deals), as the app's db_target."""
    return seeded(tmp_path / "t.db")


@pytest.fixture
def snapshot_db() -> Iterator[str]:
    """A fresh seeded database at a fixed path (deterministic status line)."""
    shutil.rmtree(SNAPSHOT_DIR, ignore_errors=True)
    SNAPSHOT_DIR.mkdir(parents=True)
    yield seeded(SNAPSHOT_DIR / "deals.db")
    shutil.rmtree(SNAPSHOT_DIR, ignore_errors=True)
