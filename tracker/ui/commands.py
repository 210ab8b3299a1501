"""Command-palette commands (ctrl+p): every action of the app, added beside Textual's own commands."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from tracker.ui.app import TrackerApp

# (title, help, action on the app); "main:" actions run on the main screen (going back to it first).
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Deals", "Every deal (the first screen)", "deals"),
    (
        "Open the deal",
        "Every field of the highlighted deal, its parties, alliances, links and source",
        "main:open_deal",
    ),
    ("Filter deals", "Search names, aliases (英伟达, 阿里), descriptions, kinds; dates and amounts", "main:filter"),
    ("Add a deal", "Open the add form", "main:add_deal"),
    ("Edit the deal", "Edit the highlighted deal", "main:edit_deal"),
    ("Delete the deal", "Delete the highlighted deal (asks first)", "main:delete_deal"),
    ("Link the deal", "To an alliance or another deal, or its organisation to an alliance", "main:link"),
    ("Undo the last change", "Add, edit, delete, link, merge or keep both", "undo"),
    ("Redo", "What undo undid (U, ctrl+r)", "redo"),
    (
        "Extract deals from text",
        "Paste or load an article: its deals proposed, accept, edit or reject (E)",
        "main:extract_text",
    ),
    ("Find duplicate deals", "Likely duplicates a pair at a time: merge, keep both, skip", "dedupe"),
    ("Sort by the next column", "date, kind, from, to, amount, value (USD), status", "main:cycle_sort"),
    ("Reverse the sort", "Ascending or descending", "main:reverse_sort"),
    ("Clear the filter", "Show all deals", "main:back"),
    ("Refresh", "Re-read the database (another process's import appears)", "refresh"),
    ("Organisations", "Deals in and out, aliases, parent, alliances", "organizations"),
    ("Alliances", "Members and deals", "alliances"),
    ("Ecosystem map", "Who deals with whom", "map"),
    ("Totals", "Sums by organisation and currency", "totals"),
    ("Copy the deal", "The highlighted deal as a CSV line, the export's columns (y)", "main:copy_deal"),
    (
        "Copy the deals shown",
        "The filtered deals as CSV with the header, the first 1,000 at most (Y)",
        "main:copy_view",
    ),
    ("Open the source URL", "The highlighted deal's source in the browser (w)", "main:open_source"),
    ("Save the view", "The filter, sort and columns under a name, shared on this database (v)", "main:save_view"),
    ("Columns", "Show or hide id, capacity, alliances, description (c)", "main:choose_columns"),
    ("As of a recorded time", "The database as recorded at a date or time (@; empty: back to now)", "as_of"),
    ("Export deals (CSV)", "Every deal as the deals CSV: a download in a browser, else the downloads folder", "export"),
    ("Keys", "The keys of the screen you are on", "help"),
)


class TrackerCommands(Provider):
    """The tracker's actions by name."""

    def _run(self, action: str) -> None:
        app: TrackerApp = self.app  # type: ignore[assignment]
        app.run_command(action)

    def _commands(self) -> list[tuple[str, str, str]]:
        """The fixed commands, then "View: NAME" and "Delete view: NAME" for each saved view."""
        app: TrackerApp = self.app  # type: ignore[assignment]
        views: list[tuple[str, str, str]] = []
        for number, view in enumerate(app.saved_views, 1):
            key = f" (key {number})" if number <= 9 else ""
            views.append((f"View: {view.name}", view.describe() + key, f"main:apply_view_named({view.name!r})"))
        for view in app.saved_views:
            views.append((f"Delete view: {view.name}", "Asks first; there is no undo", f"delete_view({view.name!r})"))
        return [*COMMANDS, *views]

    async def discover(self) -> Hits:
        for title, help_text, action in self._commands():
            yield DiscoveryHit(title, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, action), text=title, help=help_text)
