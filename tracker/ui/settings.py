"""The settings file in the app: its theme and its [keys] applied at start, a theme change saved."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.dom import DOMNode

from tracker.core.config.settings import Config, Setting, save_setting
from tracker.ui.database_app import DatabaseApp

if TYPE_CHECKING:
    from textual.app import App

__all__ = ["SettingsApp", "apply_settings", "binding_ids", "save_theme"]


def _classes(cls: type) -> Iterator[type]:
    subclasses: list[type] = type.__subclasses__(cls)
    for sub in subclasses:
        yield sub
        yield from _classes(sub)


def binding_ids() -> set[str]:
    """Every binding id of the app's screens and widgets (what ``[keys]`` may remap)."""
    ids: set[str] = set()
    for cls in [DOMNode, *_classes(DOMNode)]:
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids


def apply_settings(app: App[Any], config: Config) -> list[str]:
    """Apply the theme and the keymap; what could not be applied, one line each (with the file's
    problems, which the command line printed before the app took the screen)."""
    problems = list(config.problems)
    theme = config.value("theme")
    if theme is not None:
        if theme in app.available_themes:
            app.theme = theme
        else:
            where = config.settings["theme"].where
            problems.append(f"{where}: theme '{theme}': not a Textual theme (ctrl+p lists them); using the default")
    known = binding_ids()
    keymap = {}
    for binding_id, keys in config.keys.items():
        if binding_id in known:
            keymap[binding_id] = keys
        else:
            line = config.key_lines.get(binding_id, 0)
            problems.append(f"{config.path}:{line}: [keys] '{binding_id}': no key has this id (? shows them); ignored")
    if keymap:
        app.set_keymap(keymap)
    return problems


def save_theme(config: Config, theme: str) -> None:
    """Save ``theme`` to the settings file (the rest of the file kept) and remember it as the file's."""
    save_setting(config.path, "theme", theme)
    config.settings["theme"] = dataclasses.replace(
        config.settings.get("theme", Setting("theme", None, "default")), value=theme, source="file",
        where=str(config.path),
    )  # fmt: skip


class SettingsApp(DatabaseApp):
    """The settings file in the app: theme and keymap applied at start, a theme change saved."""

    config: Config | None = None
    settings_applied: bool = False

    def on_mount(self) -> None:
        if self.config is not None:
            for line in apply_settings(self, self.config):
                self.notify(line, severity="warning", timeout=8)
        self.settings_applied = True

    def watch_theme(self, theme: str) -> None:
        """A theme chosen in the app (ctrl+p) is saved to the settings file, as the next start's theme."""
        if self.settings_applied and self.config is not None and theme != self.config.value("theme"):
            save_theme(self.config, theme)
