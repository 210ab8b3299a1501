"""The footer: the screen's most used keys that fit the width, then `?` and quit, then the command palette.

Which keys, in which order, is each screen's `FOOTER_KEYS` (binding ids, most used first); the choice is
made in tracker/ui/keys.py from the bindings active now, so a key the screen does not have is never shown.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tracker.ui.keys import PALETTE, binding_keys, footer_bindings, key_name

__all__ = ["TrackerFooter"]


class TrackerFooter(Footer):
    """`Footer` with the keys chosen by priority (tracker/ui/keys.py) instead of every `show=True` binding."""

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)
        self._width = 0

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        screen = self.screen
        width = self.size.width or self.app.size.width
        self._width = width
        active = screen.active_bindings
        enabled = {id(a.binding): a.enabled for a in active.values()}
        chosen = footer_bindings(screen, width)
        self.styles.grid_size_columns = len(chosen) + 1
        for binding in chosen:
            keys = binding_keys(binding)
            yield FooterKey(
                binding.key.split(",")[0],
                keys[0],
                binding.description,
                binding.action,
                disabled=not enabled.get(id(binding), True),
                tooltip=binding.tooltip or binding.description,
            ).data_bind(compact=Footer.compact)
        palette = next((a for a in active.values() if a.binding.action == PALETTE), None)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            yield FooterKey(
                palette.binding.key,
                key_name(palette.binding.key),
                palette.binding.description,
                palette.binding.action,
                classes="-command-palette",
                tooltip=palette.binding.tooltip or palette.binding.description,
            )

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._width and self._bindings_ready:
            self.call_after_refresh(self.recompose)
