"""Keys as people write them, and what `?` and the footer show, read from the bindings that are active now.

Both the help (`?`, tracker/ui/screens/help.py) and the footer (tracker/ui/widgets/footer.py) are built from
`Screen.active_bindings` (the focused widget, its ancestors, the screen, the app), so they cannot drift from
what the keys do. A binding is listed once, with every key of it that is active here (`S` once, not
`S, shift+s`), under its node's `HELP_GROUP` or `HELP_TITLE`. Only bindings with an `id` are listed (Textual's own
text-editing keys are not), plus the command palette.

The footer shows a screen's `FOOTER_KEYS` (binding ids, most used first): as many as fit the width, then
`?` and quit, which always stay, then the command palette at the right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.binding import ActiveBinding
from textual.keys import format_key

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.dom import DOMNode
    from textual.screen import Screen

__all__ = [
    "ALWAYS",
    "HelpGroup",
    "HelpKey",
    "footer_bindings",
    "footer_width",
    "help_groups",
    "key_name",
    "screen_title",
]

ALWAYS = (("app.help", "app.help_anywhere"), ("app.quit",))
"""What the footer always shows after the screen's own keys, where active: the first binding id of each that
is (`?`, or `f1` while a text field takes `?`), then quit."""

PALETTE = "command_palette"
"""The action of Textual's command-palette binding (it has no id)."""

NAMES = {
    "escape": "escape",
    "enter": "enter",
    "tab": "tab",
    "space": "space",
    "backspace": "backspace",
    "delete": "delete",
    "home": "Home",
    "end": "End",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def key_name(key: str) -> str:
    """``key`` (a Textual key name) as people write it: `?`, `/`, `S`, `+`, `ctrl+p`, `enter`, `PgUp`."""
    *modifiers, base = key.split("+") if key != "+" else ["+"]
    if base in NAMES:
        name = NAMES[base]
    elif len(base) == 1:
        name = base
    else:
        name = format_key(base)  # question_mark -> ?, slash -> /, plus -> +
        if not (len(name) == 1 and name.isprintable()):
            name = base
    if modifiers == ["shift"] and len(name) == 1 and name.isalpha():
        return name.upper()
    return "+".join([*modifiers, name])


def binding_keys(binding: Binding) -> list[str]:
    """Every key of ``binding``, as people write them, without repeats."""
    names: list[str] = []
    for key in binding.key.split(","):
        name = key_name(key.strip())
        if name not in names:
            names.append(name)
    return names


@dataclass(frozen=True)
class HelpKey:
    """One line of the help: the keys, what they do, the binding's id (keys can be remapped by it)."""

    keys: str
    description: str
    id: str


@dataclass(frozen=True)
class HelpGroup:
    """The keys of one node (the table, the screen, the app), titled for people."""

    title: str
    keys: tuple[HelpKey, ...]


def screen_title(node: DOMNode) -> str:
    """A node's `HELP_TITLE`, else its class name in words (`LinkScreen` -> "Link", `RateModal` -> "Rate")."""
    title = getattr(node, "HELP_TITLE", None)
    if isinstance(title, str):
        return title
    name = type(node).__name__.removesuffix("Screen").removesuffix("Modal") or type(node).__name__
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", name)
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else name


def _title(node: DOMNode) -> str:
    group = getattr(node, "HELP_GROUP", None)
    return group if isinstance(group, str) else screen_title(node)


def _listed(binding: Binding) -> bool:
    return binding.id is not None or binding.action in (PALETTE, f"app.{PALETTE}")


def _under(screen: Screen[object], node: DOMNode, key: str) -> ActiveBinding | None:
    """The binding with an id that ``key`` reaches when ``node``'s own binding of it (a Textual scroll key,
    which passes the key on when there is nothing to scroll: `SkipAction`) lets it through, if any."""
    chain: list[DOMNode] = list(screen.focused.ancestors_with_self) if screen.focused else [screen, screen.app]
    if node not in chain:
        return None
    for later in chain[chain.index(node) + 1 :]:
        for binding in later._bindings.key_to_bindings.get(key, []):  # Textual's merged bindings of the node
            if binding.id is not None:
                return ActiveBinding(later, binding, True, binding.tooltip)
        if later.is_modal:
            break
    return None


def help_groups(screen: Screen[object]) -> list[HelpGroup]:
    """The keys active on ``screen`` now, grouped by the node that binds them (innermost first). Textual keeps
    one copy of a binding per key: they are put together again, and so are the bindings of one node that do
    the same thing (`↑` and `k`), with all their ids."""
    lines: dict[tuple[int, str, str], tuple[list[str], list[str]]] = {}
    nodes: dict[int, DOMNode] = {}
    describe = getattr(screen, "describe_binding", None)  # a screen's own words for a key (keys 1-9: the views)
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not _listed(binding):
            found = _under(screen, active.node, key)
            if found is None:
                continue
            active = found
            binding = found.binding
        nodes.setdefault(id(active.node), active.node)
        own = describe(binding.id) if callable(describe) and binding.id else None
        description = own or binding.description or binding.tooltip or binding.action
        names, ids = lines.setdefault((id(active.node), binding.action, description), ([], []))
        name = key_name(key)
        if name not in names:
            names.append(name)
        binding_id = binding.id or PALETTE
        if binding_id not in ids:
            ids.append(binding_id)
    groups: list[HelpGroup] = []
    for number, node in nodes.items():
        keys = tuple(
            HelpKey(", ".join(names), description, ", ".join(ids))
            for (owner, _action, description), (names, ids) in lines.items()
            if owner == number
        )
        groups.append(HelpGroup(_title(node), keys))
    return groups


def footer_width(key: str, description: str) -> int:
    """Cells one footer item takes (Textual's `FooterKey`: a space, the key, a space, the text, a space)."""
    return cell_len(key) + cell_len(description) + 3


def footer_bindings(screen: Screen[object], width: int) -> list[Binding]:
    """What the footer shows on ``screen`` at ``width`` cells: the screen's `FOOTER_KEYS` that fit, in that
    order (the first are the most used), then `?` and quit; the command palette's room is kept."""
    active: dict[str, Binding] = {}
    for a in screen.active_bindings.values():  # one copy per key: the first key of a binding is kept
        if a.binding.id:
            active.setdefault(a.binding.id, a.binding)
    palette = next((a.binding for a in screen.active_bindings.values() if a.binding.action == PALETTE), None)
    wanted: tuple[str, ...] = getattr(screen, "FOOTER_KEYS", ())
    always = [active[ids[0]] for ids in ([i for i in choice if i in active] for choice in ALWAYS) if ids]
    shown_always = {b.id for b in always}
    room = width - sum(footer_width(binding_keys(b)[0], b.description) for b in always)
    if palette is not None:
        room -= footer_width(key_name(palette.key), palette.description)
    chosen: list[Binding] = []
    for binding_id in wanted:
        binding = active.get(binding_id)
        if binding is None or binding_id in shown_always:
            continue
        need = footer_width(binding_keys(binding)[0], binding.description)
        if need <= room:
            chosen.append(binding)
            room -= need
    return chosen + always
