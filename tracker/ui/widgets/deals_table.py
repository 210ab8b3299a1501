"""The deals table: a `PagedTable` whose movement keys stay out of the footer (they are in `?` help),
so the footer has room for the deal actions at 80 columns."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from tracker.ui.widgets.paged_table import PagedTable


class DealsTable(PagedTable):
    """`PagedTable` with quiet movement bindings (same keys, same ids)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(b.key, b.action, b.description, show=b.key == "enter", id=b.id, tooltip=b.tooltip)
        for b in PagedTable.BINDINGS
        if isinstance(b, Binding)
    ]
