"""The settings file in the app (#16): theme and [keys] applied, unknown ids said, a theme change saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.databases import seeded
from tracker.core.config.settings import load_config
from tracker.ui.app import TrackerApp


class Recording(TrackerApp):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes: list[str] = []

    def notify(self, message: str, **kwargs: Any) -> None:  # type: ignore[override]
        self.notes.append(message)
        super().notify(message, **kwargs)


async def test_theme_and_keys_from_the_file(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    seeded(db)
    config = tmp_path / "config.toml"
    config.write_text('theme = "gruvbox"\n[keys]\n"app.map" = "ctrl+g"\n"nope.nothing" = "f5"\n')
    app = Recording(db_target=str(db), config=load_config(config, env={}))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.theme == "gruvbox"
        assert any("[keys] 'nope.nothing': no key has this id" in n and ":4:" in n for n in app.notes)
        await pilot.press("ctrl+g")  # the map, on the key the file gave it
        await pilot.pause(0.3)
        assert type(app.screen).__name__ != "MainScreen"
        app.theme = "nord"  # as the command palette's theme picker sets it
        await pilot.pause()
    assert 'theme = "nord"' in config.read_text() and '"app.map" = "ctrl+g"' in config.read_text()
