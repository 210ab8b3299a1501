"""Reusable widgets of the tracker UI, one module per widget with its .tcss beside it."""

from tracker.ui.widgets.paged_table import Column, PagedTable, PageSource, Row

__all__ = ["Column", "PageSource", "PagedTable", "Row"]
