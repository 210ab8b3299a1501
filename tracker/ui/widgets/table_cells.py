"""Cell text of a `PagedTable`: plain text fitted to a width in terminal cells, and the column widths.

Text is padded and truncated by terminal cells (`rich.cells`), so wide (CJK) characters keep the columns
aligned; control characters (line breaks and escapes included) are shown escaped
(:func:`tracker.core.domain.text.visible`), so one row is one line and nothing reaches the terminal raw:
the table writes its segments itself. Nothing here parses markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size

from tracker.core.domain.text import visible
from tracker.ui.widgets.table_data import Align, Column, Row

__all__ = ["column_widths", "fit", "one_line", "widened"]


def one_line(value: str) -> str:
    """``value`` as one line safe to write: every control character (line breaks too) shown escaped."""
    return visible(value)


def fit(value: str, width: int, align: Align) -> str:
    """Pad or truncate plain text to exactly `width` cells."""
    if width <= 0:
        return ""
    value = visible(value)
    length = cell_len(value)
    if length > width:
        if width == 1:
            return set_cell_size(value, 1)
        # set_cell_size pads with a space when it cuts a wide character in half.
        return set_cell_size(value, width - 1) + "…"
    if align == "right":
        return " " * (width - length) + value
    return value + " " * (width - length)


def column_widths(columns: Sequence[Column], rows: Sequence[Row], max_width: int) -> list[int]:
    """Each column's width: its fixed width, else the widest of its label (with room for the sort mark) and
    its cells in `rows`, capped at `max_width`."""
    widths: list[int] = []
    for index, column in enumerate(columns):
        if column.width is not None:
            widths.append(max(1, column.width))
            continue
        width = cell_len(column.label) + 2  # room for the sort mark
        for row in rows:
            if index < len(row.cells):
                width = max(width, cell_len(visible(row.cells[index])))
        widths.append(min(width, max_width))
    return widths


def widened(columns: Sequence[Column], widths: list[int], rows: Sequence[Row], max_width: int) -> list[int]:
    """`widths` widened for longer values in `rows` (computed columns only: they never shrink)."""
    return [
        max(old, new) if column.width is None else old
        for column, old, new in zip(columns, widths, column_widths(columns, rows, max_width), strict=True)
    ]
