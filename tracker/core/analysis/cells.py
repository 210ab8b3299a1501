"""Text measured, cut and split by terminal cells (Rich's ``cell_len``: the width a terminal gives), never by
characters: CJK and most emoji are two cells, combining marks and zero-width characters none. The map's
boxes, the totals' name column (CLI and app) and their chart use these."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

NAME_WIDTH = 40
"""The widest name column of the totals (CLI and app), in cells: a longer name is cut with … there."""


def clip(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells: cut with ``…`` when longer (never through a wide character: a
    cut one leaves a space, so the result is exactly ``width`` cells then)."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    return set_cell_size(text, width - 1) + "…"


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` cells (on the left when ``right``); never cut."""
    gap = " " * max(width - cell_len(text), 0)
    return gap + text if right else text + gap


def cells_of(text: str) -> list[str]:
    """``text`` as terminal cells: a wide character takes two (itself, then ``""``), a zero-width one joins
    the cell before it."""
    out: list[str] = []
    for ch in text:
        w = cell_len(ch)
        if w == 0 and out:
            out[-1 if out[-1] or len(out) < 2 else -2] += ch
        elif w == 2:
            out += [ch, ""]
        else:
            out.append(ch)
    return out
