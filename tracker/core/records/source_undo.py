"""The app's changes to a deal's sources, each returning its `UndoEntry` (tracker/core/records/undo.py): add →
remove, edit → edit back, remove → put back under its id and position; each undo returns the redo."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from tracker.core.domain.source_fields import SourceValues
from tracker.core.records.sources import Source, add_source, edit_source, remove_source, restore_source
from tracker.core.records.undo import UndoEntry


def _label(source: Source, what: str) -> str:
    return f"{what} of source {source.id} of deal #{source.deal_id}"


def add(conn: Connection, deal_id: int, values: SourceValues) -> UndoEntry:
    """Add a source to the deal (last)."""
    source = add_source(conn, deal_id, values)
    return UndoEntry(_label(source, "add"), _removing(source.id, _label(source, "add")), deal_id)


def _removing(source_id: int, label: str) -> Callable[[Connection], UndoEntry]:
    def undo(c: Connection) -> UndoEntry:
        gone = remove_source(c, source_id)
        return UndoEntry(label, _restoring(gone, label), gone.deal_id)

    return undo


def _restoring(source: Source, label: str) -> Callable[[Connection], UndoEntry]:
    def undo(c: Connection) -> UndoEntry:
        back = restore_source(c, source)
        return UndoEntry(label, _removing(back.id, label), back.deal_id)

    return undo


def edit(conn: Connection, source_id: int, values: SourceValues) -> UndoEntry:
    """Replace a source's fields."""
    before, after = edit_source(conn, source_id, values)
    label = _label(after, "edit")

    def undo(c: Connection) -> UndoEntry:
        return edit(c, source_id, before.values)

    return UndoEntry(label, undo, after.deal_id)


def remove(conn: Connection, source_id: int) -> UndoEntry:
    """Remove a source (put back by undo, under its id and at its position)."""
    gone = remove_source(conn, source_id)
    label = _label(gone, "removal")
    return UndoEntry(label, _restoring(gone, label), gone.deal_id)
