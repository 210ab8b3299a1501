"""What a `PagedTable` shows: its columns, its rows, and the `PageSource` protocol that supplies them.

Plain data (no Textual): the deals table's sources (tracker/ui/sources/) build these, the first one before
the core has loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

__all__ = ["Align", "Column", "PageSource", "Row"]

Align = Literal["left", "right"]


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the table.

    Attributes:
        key: Identifies the column (e.g. the sort key the app uses).
        label: Header text (plain text, never markup).
        width: Fixed width in cells, or None to size from the label and the loaded rows
            (measured on the first page, then only widened, up to `max_column_width`).
        align: "left" or "right" (amounts).
    """

    key: str
    label: str
    width: int | None = None
    align: Align = "left"


@dataclass(frozen=True, slots=True)
class Row:
    """A row supplied by a `PageSource`.

    Attributes:
        key: Opaque keyset cursor (e.g. `(date, id)`), passed back to `page_after`/`page_before`.
        id: Identity of the record (e.g. the deal id).
        cells: Already formatted plain text, one per column. Never interpreted as markup.
    """

    key: Any
    id: int
    cells: tuple[str, ...]


class PageSource(Protocol):
    """Supplies rows to the table. Called from a thread worker (blocking calls are fine), except that a
    source with a true ``in_memory`` attribute has its first window read on the UI thread (no thread hop
    for rows already in hand)."""

    @property
    def columns(self) -> Sequence[Column]:
        """The columns, in display order."""
        ...

    def count(self) -> int:
        """Number of rows under the current query."""
        ...

    def page_after(self, key: Any | None, limit: int) -> Sequence[Row]:
        """Rows strictly after sort key `key` (None = from the start), in display order."""
        ...

    def page_before(self, key: Any, limit: int) -> Sequence[Row]:
        """Rows strictly before sort key `key`, returned in display order."""
        ...

    def page_at(self, index: int, limit: int) -> Sequence[Row]:
        """Rows from position `index` (may use OFFSET); used only for big jumps."""
        ...
