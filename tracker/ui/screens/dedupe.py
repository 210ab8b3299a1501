"""The dedupe screen (command palette: "Find duplicate deals"): walks the likely duplicate pairs one by one.

Each pair shows both deals in full side by side and why they look alike (tracker/core/records/duplicates.py).
`m` merges the right deal into the left one (`w` swaps which one is kept), `k` keeps both (remembered in the
database: the pair is not asked again, nor listed by ``tracker dedupe``), `s` skips to the next pair (asked
again next time). Merge and keep both are changes of the app: `u` undoes them. Data is `Text`, never markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from tracker.ui.widgets.detail_pane import DetailPane

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from tracker.core.records.duplicates import DuplicatePair
    from tracker.core.storage.handle import Database

CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")


class DedupeScreen(Screen[None]):
    """Likely duplicate deals, a pair at a time: merge, keep both, skip."""

    DEFAULT_CSS = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "merge", "Merge", id="dedupe.merge", tooltip="Merge the right deal into the left one"),
        Binding("k", "keep_both", "Keep both", id="dedupe.keep-both", tooltip="Not duplicates: do not ask again"),
        Binding("s", "skip", "Skip", id="dedupe.skip", tooltip="The next pair (asked again next time)"),
        Binding("w", "swap", "Swap", id="dedupe.swap", tooltip="Swap which deal is kept", show=False),
        Binding("escape", "back", "Back", id="dedupe.back"),
    ]

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.pairs: list[DuplicatePair] = []
        self.skipped: set[tuple[int, int]] = set()
        self.current: DuplicatePair | None = None
        self.swapped = False
        self.busy = False
        self.details: tuple[Any, Any] | None = None
        """The two deals shown (``DealDetail``), lower id first."""

    def compose(self) -> ComposeResult:
        yield Static(Text("Likely duplicates"), id="dedupe-title", classes="list-title")
        yield Label("", id="dedupe-reason", markup=False)
        with Horizontal(id="dedupe-body"):
            yield DetailPane("Loading…", id="dedupe-left")
            yield DetailPane("", id="dedupe-right")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    # ---------------------------------------------------------------- loading

    def reload(self) -> None:
        """Read the pairs again (after a change) and show the first one not skipped."""
        self._load()

    @work(thread=True, exclusive=True, group="dedupe", exit_on_error=False)
    def _load(self) -> None:
        from tracker.core.records.details import get_deal
        from tracker.core.records.duplicates import duplicate_pairs

        try:
            with self.db.read() as conn:
                pairs = [p for p in duplicate_pairs(conn) if (p.first, p.second) not in self.skipped]
                first = pairs[0] if pairs else None
                details = (get_deal(conn, first.first), get_deal(conn, first.second)) if first else None
        except Exception as exc:
            self.app.call_from_thread(self._show_problem, f"Could not load: {exc}")
            return
        self.app.call_from_thread(self._show, pairs, details)

    def _show_problem(self, message: str) -> None:
        self.query_one("#dedupe-left", DetailPane).show(message)

    def _show(self, pairs: list[DuplicatePair], details: tuple[Any, Any] | None) -> None:
        self.busy = False
        self.pairs = pairs
        self.current = pairs[0] if pairs else None
        self.swapped = False
        title = self.query_one("#dedupe-title", Static)
        reason = self.query_one("#dedupe-reason", Label)
        left = self.query_one("#dedupe-left", DetailPane)
        right = self.query_one("#dedupe-right", DetailPane)
        if self.current is None or details is None or None in details:
            title.update(Text("Likely duplicates — none left to look at; esc goes back"))
            reason.update("")
            left.show(
                "No likely duplicate deals" + (" (some skipped: asked again next time)." if self.skipped else ".")
            )
            right.show("")
            self.details = None
            return
        self.details = details
        n = len(pairs)
        left_word = f"{n} pair{'s' if n != 1 else ''} left"
        title.update(Text(f"Likely duplicates ({left_word}): m merge, k keep both, s skip, w swap, esc back"))
        reason.update(f"Why: {self.current.reason}")
        self._paint()

    def _paint(self) -> None:
        from tracker.ui.formatting import deal_text

        if self.details is None or self.current is None:
            return
        keep, drop = self.details if not self.swapped else self.details[::-1]
        left_text = Text(f"KEEP #{keep.id}\n", style="bold")
        left_text.append_text(deal_text(keep))
        right_text = Text(f"MERGE INTO #{keep.id} AND DELETE #{drop.id}\n", style="bold")
        right_text.append_text(deal_text(drop))
        self.query_one("#dedupe-left", DetailPane).show(left_text)
        self.query_one("#dedupe-right", DetailPane).show(right_text)

    def keep_and_drop(self) -> tuple[int, int] | None:
        """The ids of the pair shown: (kept, merged into it), as swapped."""
        if self.current is None:
            return None
        a, b = self.current.first, self.current.second
        return (b, a) if self.swapped else (a, b)

    # ---------------------------------------------------------------- actions

    def action_swap(self) -> None:
        self.swapped = not self.swapped
        self._paint()

    def action_skip(self) -> None:
        if self.current is None or self.busy:
            return
        self.skipped.add((self.current.first, self.current.second))
        self.busy = True
        self.reload()

    def action_merge(self) -> None:
        pair = self.keep_and_drop()
        if pair is None or self.busy:
            return
        from tracker.core.records import undo as ops

        keep, drop = pair

        def merge(conn: Connection) -> Any:
            return ops.merge(conn, keep, drop)

        self._change(merge, lambda result: (result[1], result[0].summary().capitalize()))

    def action_keep_both(self) -> None:
        pair = self.keep_and_drop()
        if pair is None or self.busy:
            return
        from tracker.core.records import undo as ops

        a, b = pair
        self._change(
            lambda conn: ops.keep_both(conn, a, b),
            lambda entry: (entry, f"Kept both deals #{min(a, b)} and #{max(a, b)}: not asked again"),
        )

    def _change(self, fn: Any, entry_and_message: Any) -> None:
        """Write ``fn`` through the app (its undo stack: ``TrackerApp.record``), then show the next pair."""
        app: Any = self.app
        self.busy = True

        def done(result: Any) -> None:
            entry, message = entry_and_message(result)
            app.record(entry, message)
            self.reload()

        def failed(message: str) -> None:
            self.busy = False
            app.show_error("Not changed", message)

        app.db_call(fn, done, write=True, failed=failed)

    def action_back(self) -> None:
        self.dismiss(None)
