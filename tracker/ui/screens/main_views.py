"""The deals screen's saved views and columns: `v` saves the filter, sort and columns under a name, keys 1-9
apply the first nine saved views (by name), `c` opens the column chooser. The command palette lists every
view ("View: NAME", "Delete view: NAME", tracker/ui/commands.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from tracker.core.domain.vocab import DESCENDING_FIRST
from tracker.ui.sources.query import DealQuery, FilterSpec

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from tracker.core.records.pages import DealFilter
    from tracker.core.records.views import SavedView
    from tracker.ui.app import TrackerApp
    from tracker.ui.widgets.filter_bar import FilterBar

__all__ = ["ViewKeys", "view_of_query"]

VIEW_KEYS = 9


def view_of_query(name: str, q: DealQuery) -> tuple[SavedView, list[str]]:
    """The view of what the table shows, and what of it a view cannot keep (said to the user)."""
    from tracker.core.records.views import SavedView

    s = q.spec
    left_out = []
    if s.amount_min is not None or s.amount_max is not None:
        left_out.append("the USD range")
    if q.alliance_id is not None or q.deal_ids is not None:
        left_out.append(q.scope_label or "the deals opened from another view")
    org = q.scope_label.removeprefix("organisation ") if q.org_id is not None else None
    view = SavedView(
        name=name, search=s.text, kinds=q.kinds or ((s.kind,) if s.kind else ()), org=org,
        since=s.date_from.isoformat() if s.date_from else None, until=s.date_to.isoformat() if s.date_to else None,
        sort=q.sort, reverse=q.descending != (q.sort in DESCENDING_FIRST), columns=q.columns,
        confidences=(level,) if (level := getattr(s, "confidence", None)) else (),  # the filter bar's, schema 0011
    )  # fmt: skip
    return view, left_out


class ViewKeys(Screen[None]):
    """Keys 1-9, `v` and `c` (mixed into MainScreen, which has ``deal_query``, ``apply_query``, ``filter_bar``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "save_view", "Save view", show=False, id="main.save-view",
                tooltip="Save the filter, sort and columns as a named view (shared on this database)"),
        Binding("c", "choose_columns", "Columns", show=False, id="main.columns",
                tooltip="Show or hide the id, capacity, alliances and description columns"),
        *(Binding(str(n), f"apply_view({n})", f"View {n}", show=False, id=f"main.view-{n}",
                  tooltip=f"Apply the saved view number {n} (by name; ctrl+p lists them all)")
          for n in range(1, VIEW_KEYS + 1)),
    ]  # fmt: skip

    deal_query: DealQuery

    @property
    def tracker(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    @property
    def filter_bar(self) -> FilterBar:
        raise NotImplementedError

    def apply_query(self, query: DealQuery | None = None, *, force: bool = False) -> None:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys 2-9 are active only when that many views are saved (`1` always: it says how to save one)."""
        if action == "apply_view" and parameters and isinstance(parameters[0], int):
            return parameters[0] == 1 or parameters[0] <= len(self.tracker.saved_views)
        return True

    def describe_binding(self, binding_id: str) -> str | None:
        """The help's text for keys 1-9: the name of the view each applies."""
        if not binding_id.startswith("main.view-"):
            return None
        number = int(binding_id.removeprefix("main.view-"))
        views = self.tracker.saved_views
        return f"View: {views[number - 1].name}" if number <= len(views) else "View 1: none saved (v saves one)"

    def action_apply_view(self, number: int) -> None:
        views = self.tracker.saved_views
        if number > len(views):
            self.notify("No saved view yet: v saves the filter, sort and columns under a name.", timeout=4)
            return
        self.apply_saved_view(views[number - 1])

    def action_apply_view_named(self, name: str) -> None:
        """The palette's "View: NAME"."""
        view = self.tracker.view_named(name)
        if view is None:
            self.notify(f"No view named {name} (deleted meanwhile?)", severity="warning", markup=False)
            return
        self.apply_saved_view(view)

    def apply_saved_view(self, view: SavedView) -> None:
        """Show the deals of ``view`` (its organisation and dates checked again in the database)."""
        from tracker.core.records.listing import list_filter

        options = view.options()

        def read(conn: Connection) -> DealFilter:
            options.check()
            return list_filter(conn, options)

        async def show(f: DealFilter) -> None:
            levels: tuple[str, ...] = getattr(f, "confidences", ())  # where deals carry a confidence (0011)
            sure: dict[str, Any] = {"confidence": levels[0]} if len(levels) == 1 else {}
            spec = FilterSpec(
                text=f.text,
                kind=f.kinds[0] if len(f.kinds) == 1 else None,
                date_from=f.date_from,
                date_to=f.date_to,
                **sure,
            )
            q = DealQuery(
                spec=spec, sort=options.sort, descending=options.descending, org_id=f.org_id,
                scope_label=f"organisation {view.org}" if view.org else "", kinds=f.kinds if len(f.kinds) > 1 else (),
                columns=self.deal_query.columns if view.columns is None else view.columns,
            )  # fmt: skip
            await self.filter_bar.show(spec)
            self.filter_bar.set_class(spec.active, "-shown")
            self.apply_query(q)
            self.notify(f"View {view.name}: {view.describe()}", timeout=3, markup=False)
            if len(levels) > 1:
                self.notify("The table filters by one confidence: the view's others are not applied here "
                            "(tracker list --view applies them all).", severity="warning", timeout=5)  # fmt: skip
            if view.confidence_ignored:
                self.notify("Deals have no confidence here yet: the view's confidence filter is not applied.",
                            severity="warning", timeout=5)  # fmt: skip

        self.tracker.db_call(read, show, title=f"Cannot apply the view {view.name}")

    def action_save_view(self) -> None:
        if self.tracker.writable_or_warning() is None:
            return
        from tracker.ui.screens.view_name import ViewNameScreen

        def named(name: str | None) -> None:
            if name:
                view, left_out = view_of_query(name, self.deal_query)
                if left_out:
                    self.notify("Not kept in a view: " + ", ".join(left_out), severity="warning", markup=False)
                self.tracker.store_view(view)

        what, not_kept = view_of_query("?", self.deal_query)
        text = what.describe() + (f" (not kept: {', '.join(not_kept)})" if not_kept else "")
        self.app.push_screen(ViewNameScreen(text, [v.name for v in self.tracker.saved_views]), named)

    def action_choose_columns(self) -> None:
        from tracker.ui.screens.columns import ColumnsScreen

        def chosen(columns: tuple[str, ...] | None) -> None:
            if columns is None:
                return
            self.apply_query(replace(self.deal_query, columns=columns))
            self.tracker.remember_columns(columns)

        self.app.push_screen(ColumnsScreen(self.deal_query.columns), chosen)
