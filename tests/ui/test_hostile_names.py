"""Every screen of the app with hostile names (findings 13 and 15 of issue 17): no text from the data is
parsed as markup (``Acme [/x]`` crashed the link screen with a MarkupError; ``Nvidia [NVDA]`` showed as
``Nvidia``), and no control character from the data reaches the terminal (an OSC 52 in a name wrote the
clipboard through tmux).

The app runs under Pilot with a driver that keeps every byte Textual writes for the terminal (the headless
driver writes nothing), so the test reads exactly what a terminal would receive, screen after screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.drivers.headless_driver import HeadlessDriver

from tests.support.terminal import settle
from tests.trust.test_terminal_escapes import CLEAR, NAMES, OSC52, assert_safe, plant_hostile
from tracker.core.csvio.seed import load_seed
from tracker.core.storage.opening import open_database
from tracker.ui import terminal_text
from tracker.ui.app import TrackerApp
from tracker.ui.screens.confirm import ConfirmScreen
from tracker.ui.screens.link import LinkScreen


class RecordingDriver(HeadlessDriver):
    """The headless driver, except that the app renders for it and every write is kept."""

    written: list[str]

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        type(self).written.append(data)

    def flush(self) -> None:
        pass


_CSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]")
_POINTER = re.compile(r"\x1b\]22;[a-z-]*\x07")
"""Textual's own OSC 22 (the mouse pointer's shape), the one sequence of its own that ends with BEL."""


def safe(written: str, where: str) -> None:
    assert_safe(_POINTER.sub("", written), where)


_OSC8 = re.compile(r"\x1b\]8;[^\x1b\x07]*(\x1b\\|\x07)")


def plain(written: str) -> str:
    """The text of what was written, without the program's own CSI sequences and hyperlinks."""
    return _OSC8.sub("", _CSI.sub("", written))


@pytest.fixture
def hostile_path(tmp_path: Path) -> str:
    db = open_database(tmp_path / "hostile.db", populate=load_seed)
    with db.write() as conn:
        plant_hostile(conn)
    db.dispose()
    return str(tmp_path / "hostile.db")


@pytest.fixture
def own_escaping_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Without the app's last line of defence (tracker/ui/terminal_text.py): the widgets escape by themselves."""
    terminal_text.uninstall()
    monkeypatch.setattr(terminal_text, "install", lambda: False)
    yield
    monkeypatch.undo()
    terminal_text.install()


@pytest.fixture
def recorded() -> Iterator[list[str]]:
    RecordingDriver.written = []
    yield RecordingDriver.written


def _since(recorded: list[str], start: int) -> str:
    return "".join(recorded[start:])


async def _step(pilot: Any, recorded: list[str], what: str, *keys: str) -> str:
    start = len(recorded)
    if keys:
        await pilot.press(*keys)
    await settle(pilot)
    await pilot.pause(0.05)
    written = _since(recorded, start)
    safe(written, what)
    assert pilot.app.is_running, f"{what}: the app stopped"
    return written


async def test_every_screen_with_hostile_names(hostile_path: str, recorded: list[str], own_escaping_only: None) -> None:
    """The app's own screens and widgets, each escaping the data itself (no safety net)."""
    app = TrackerApp(db_target=hostile_path)
    app.driver_class = RecordingDriver
    async with app.run_test(size=(160, 50), headless=False, notifications=True) as pilot:
        shown = await _step(pilot, recorded, "the deals table")
        assert "Acme [/x]" in plain(shown) and "Nvidia [NVDA]" in plain(shown)
        assert "Evil\\x1b]52;c;" in plain(shown)
        await _step(pilot, recorded, "the detail pane", "down")
        await _step(pilot, recorded, "the next deal's detail", "down")
        # the filter bar, searching the hostile names
        await _step(pilot, recorded, "the filter", "slash", *"evil", "enter")
        await _step(pilot, recorded, "the filter cleared", "escape")
        # the organisations and their detail
        orgs = await _step(pilot, recorded, "the organisations", "o")
        assert "Nvidia [NVDA]" in plain(orgs)
        await _step(pilot, recorded, "an organisation's detail", "down", "down")
        await _step(pilot, recorded, "the organisations searched", "slash", *"acme", "enter")
        await _step(pilot, recorded, "an organisation chosen: its deals", "enter")
        await _step(pilot, recorded, "back", "escape")
        # the alliances
        alliances = await _step(pilot, recorded, "the alliances", "n")
        assert "Alliance\\x1b]52" in plain(alliances) and "[/x]" in plain(alliances)
        await _step(pilot, recorded, "an alliance chosen", "enter")
        await _step(pilot, recorded, "back", "escape")
        # the map: nodes, edges, the cycles list
        drawn = await _step(pilot, recorded, "the map", "m")
        assert "Acme [/x]" in plain(drawn)
        for key in ("right", "right", "e", "e", "down", "f", "f", "g", "g", "n", "c", "down", "down"):
            await _step(pilot, recorded, f"the map after {key}", key)
        await _step(pilot, recorded, "a cycle's deals", "enter")
        await _step(pilot, recorded, "back", "escape")
        # the totals, by every grouping
        await _step(pilot, recorded, "the totals", "t")
        for key in ("o", "c", "a", "p", "K", "y", "b"):
            await _step(pilot, recorded, f"the totals by {key}", key)
        await _step(pilot, recorded, "back", "escape")
        app.action_deals()  # back to the first screen (the views were opened one above the other)
        # the link screen (it crashed on ``Acme [/x]``), its organisation choices, and a refused name
        app.main.show_org(next(iter(await _org_ids(hostile_path, "markup"))), NAMES["markup"])
        await _step(pilot, recorded, "Acme's deals")
        linking = await _step(pilot, recorded, "the link screen", "l")
        assert isinstance(app.screen, LinkScreen)
        assert "Acme [/x]" in plain(linking)
        await _step(pilot, recorded, "link: what to link", "enter")  # the kinds drop down
        await _step(pilot, recorded, "link: an organisation and an alliance", "down", "down", "enter")
        await _step(pilot, recorded, "link: the organisations", "tab", "enter")
        for _ in range(3):  # the open drop-down, then the screen
            if isinstance(app.screen, LinkScreen):
                await _step(pilot, recorded, "cancelled", "escape")
        assert not isinstance(app.screen, LinkScreen)
        # delete asks first, naming the parties; undo notifications
        await _step(pilot, recorded, "the delete question", "d")
        assert isinstance(app.screen, ConfirmScreen), (app.screen, app.focused, app.main.table.current_row)
        await _step(pilot, recorded, "deleted", "y")
        await _step(pilot, recorded, "undone", "u")
        await _step(pilot, recorded, "the keys", "question_mark")
        await _step(pilot, recorded, "back", "escape")
    safe("".join(recorded), "the whole session")


async def test_the_edit_form_with_hostile_names(hostile_path: str, recorded: list[str]) -> None:
    """The deal form (tracker/ui/screens/deal_form.py) opened on a deal between hostile names: its inputs
    hold the names as stored (saved unchanged, they stay as they are) and are drawn through the app's
    last line of defence."""
    app = TrackerApp(db_target=hostile_path)
    app.driver_class = RecordingDriver
    async with app.run_test(size=(160, 50), headless=False, notifications=True) as pilot:
        await _step(pilot, recorded, "the deals table")
        await _step(pilot, recorded, "the edit form", "e")
        await _step(pilot, recorded, "the form's fields", "tab", "tab", "tab")
        await _step(pilot, recorded, "cancelled", "escape")
        await _step(pilot, recorded, "the add form, parties suggested", "a", "tab", "tab", *"Ev")
        await _step(pilot, recorded, "cancelled", "escape")


async def _org_ids(path: str, key: str) -> list[int]:
    from tracker.core.records.orgs import find_org_id

    db = open_database(path)
    try:
        with db.read() as conn:
            found = find_org_id(conn, NAMES[key])
    finally:
        db.dispose()
    assert found is not None
    return [found]


def test_the_last_line_of_defence_escapes_what_rich_and_textual_draw() -> None:
    from rich.text import Text
    from textual.content import Content

    assert terminal_text.install()
    for made in (Text(f"a{OSC52}b").plain, Content(f"a{OSC52}b").plain, Text("x").append(CLEAR).plain):
        assert "\x1b" not in made and "\x07" not in made and "\\x1b" in made
    assert Text("tab\tand\nline").plain == "tab\tand\nline"
    assert Text("bell\x07gone").plain == "bellgone"  # what the libraries stripped stays stripped


async def test_the_link_screen_takes_names_as_typed(db_path: str) -> None:
    """It crashed the app with a MarkupError on ``Acme [/x]`` and showed ``Nvidia [NVDA]`` as ``Nvidia``."""
    from textual.widgets import Select

    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        parties = [(1, "Acme [/x]"), (2, "Nvidia [NVDA]")]
        app.push_screen(
            LinkScreen(1, "#1 investment Acme [/x] → Nvidia [NVDA]", parties, ["[b]Allied"], "org-alliance")
        )
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LinkScreen) and app.is_running
        select = screen.query_one("#link-org", Select)
        select.value = 2
        await settle(pilot)
        shown = select.query_one("SelectCurrent").query_one("#label").render()
        assert "Nvidia [NVDA]" in str(shown)
        assert "Acme [/x] → Nvidia [NVDA]" in str(screen.query_one(".dialog-title").render())
