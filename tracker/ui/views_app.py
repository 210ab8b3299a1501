"""Saved views and the column choice in the app: the views read from the database (for the palette and keys
1-9), saved and deleted there, and the default columns kept in the settings file (``columns = "id,capacity"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.core.domain.text import visible
from tracker.ui.delivery import ExportingApp

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from tracker.core.config.settings import Config
    from tracker.core.records.views import SavedView

__all__ = ["ViewsApp"]


class ViewsApp(ExportingApp):
    """The saved views (``saved_views``, by name) and the default columns of the deals table."""

    config: Config | None = None
    saved_views: tuple[SavedView, ...] = ()
    """Every saved view, by name (case ignored): keys 1-9 apply the first nine; read when the database opens
    and after each save or delete (`r` reads them again)."""

    @property
    def default_columns(self) -> tuple[str, ...]:
        """The optional columns the deals table opens with: the settings file's ``columns``, else
        :data:`~tracker.core.domain.columns.DEFAULT_COLUMNS`."""
        from tracker.core.domain.columns import DEFAULT_COLUMNS, parse_columns

        text = self.config.value("columns") if self.config is not None else None
        if text is None:
            return DEFAULT_COLUMNS
        return parse_columns(text) or ()

    def remember_columns(self, columns: tuple[str, ...]) -> None:
        """Keep ``columns`` as the default in the settings file (the rest of the file kept)."""
        if self.config is None:
            return
        from tracker.core.config.settings import Setting, save_setting

        try:
            save_setting(self.config.path, "columns", ",".join(columns))
        except OSError as exc:
            self.notify(visible(f"Columns not saved to {self.config.path}: {exc}"), severity="warning", markup=False)
            return
        self.config.settings["columns"] = Setting("columns", ",".join(columns), "file", str(self.config.path))

    def load_views(self) -> None:
        """Read the saved views again (quietly: a database without them keeps the last list)."""
        from tracker.core.records.views import list_views

        def done(views: list[SavedView]) -> None:
            self.saved_views = tuple(views)

        db = self.db
        if db is not None:
            self.db_call(lambda conn: list_views(conn), done, failed=lambda _message: None)

    def store_view(self, view: SavedView, *, replace_existing: bool = False) -> None:
        """Save ``view``; a name taken asks whether to replace that view."""
        from tracker.core.records.views import ViewError, get_view, save_view

        user = (self.config.value("user") if self.config is not None else None) or ""

        def run(conn: Connection) -> tuple[SavedView | None, str | None]:
            if not replace_existing:
                old = get_view(conn, view.name)
                if old is not None:
                    return None, old.name
            try:
                return save_view(conn, view, replace_existing=replace_existing, user=user), None
            except ViewError as exc:
                self.call_from_thread(self.show_error, "View not saved", str(exc))
                return None, None

        def done(result: tuple[SavedView | None, str | None]) -> None:
            stored, taken = result
            if taken is not None:
                self._ask_replace(view, taken)
                return
            if stored is not None:
                self.notify(f"Saved view {stored.name}: {stored.describe()}", timeout=4, markup=False)
                self.load_views()

        self.db_call(run, done, write=True, title="View not saved")

    def _ask_replace(self, view: SavedView, taken: str) -> None:
        from tracker.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.store_view(view, replace_existing=True)

        question = f"A view named {taken} exists. Replace it with the current filter, sort and columns?"
        self.push_screen(ConfirmScreen("Replace view", question, yes="Replace", focus_no=True), answered)

    def action_delete_view(self, name: str) -> None:
        """The palette's "Delete view: NAME"."""
        self.confirm_delete_view(name)

    def confirm_delete_view(self, name: str) -> None:
        """Delete the saved view ``name`` once confirmed (no undo: the question says so)."""
        if self.writable_or_warning() is None:
            return
        from tracker.core.records.views import delete_view
        from tracker.ui.screens.confirm import ConfirmScreen

        def deleted(view: SavedView) -> None:
            self.notify(f"Deleted view {view.name}", timeout=3, markup=False)
            self.load_views()

        def answered(yes: bool | None) -> None:
            if yes:
                self.db_call(lambda conn: delete_view(conn, name), deleted, write=True, title="View not deleted")

        question = f"Delete the saved view {name}? Everyone on this database loses it; u cannot bring it back."
        self.push_screen(ConfirmScreen("Delete view", question, yes="Delete", focus_no=True), answered)

    def view_named(self, name: str) -> SavedView | None:
        from tracker.core.records.views import view_key

        return next((v for v in self.saved_views if view_key(v.name) == view_key(name)), None)
