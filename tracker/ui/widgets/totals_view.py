"""The totals pane (`t`): honest totals by a grouping, a bar chart, the rates used, FX rate editing.

All database work runs in thread workers. Keys: `o` organisation, `c` country, `K` kind, `y` year,
`a` alliance, `p` parent group (k/j and g/G move in the list, as in every list); `e` switches compact figures (`$53.35B`, `≤ $100B`) and every digit;
`s` sorts the rows by the next column (`S` reverses; a click on a header sorts by it; the TOTAL stays
last); `enter` opens the deals behind the row in the deals table (`ShowDeals`); `b` switches the chart
between every qualifier (each its own bar: exact █, up to ▒, at least ▓, estimated ░, never added
together) and one of them; `d` switches the rates between the latest and each deal's date; `x` edits
an FX rate (currency, rate, as-of), after which the totals reload (the form is `RateModal`,
tracker/ui/screens/rate.py); `r` reloads. Labels are data: never parsed as markup, control characters
shown escaped. A rate stored outside the bounds of tracker/core/records/fx.py (before they existed) is
named beside its currency's "no rate".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Context, Decimal
from pathlib import Path
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Static

from tracker.core.analysis.behind import PARTY_GROUPINGS, deals_behind
from tracker.core.analysis.cells import NAME_WIDTH, clip, pad
from tracker.core.analysis.figures import QUALIFIED
from tracker.core.analysis.shown import people_cells
from tracker.core.analysis.totals import Totals, TotalsRow, compute_totals, total_note
from tracker.core.domain.amount_format import format_amount
from tracker.core.domain.text import visible
from tracker.core.domain.vocab import GROUPING_LABELS, GROUPINGS
from tracker.core.records.fx import set_rate
from tracker.core.storage.handle import Database
from tracker.ui.messages import ShowDeals
from tracker.ui.screens.rate import RateEdit, RateModal
from tracker.ui.widgets.list_table import ListTable
from tracker.ui.widgets.totals_sort import COLUMNS, sort_rows

__all__ = ["TotalsView"]

DbSource = Database | Callable[[], Database]
GROUPING_KEYS = {"org": "o", "country": "c", "kind": "K", "year": "y", "alliance": "a", "group": "p"}
"""The key that groups the totals by each of `GROUPINGS` (in this order in the pane's header)."""
CHART_ROWS = 10
BAR_WIDTH = 40
BARS = {"exact": "█", "up to": "▒", "at least": "▓", "estimated": "░"}
"""Each qualifier's bar: told apart without colour."""
CHART_MODES = ("every", *QUALIFIED)
"""What the chart shows: every qualifier (each its own bar), or one."""
OPEN_CAP = 10_000
"""At most this many deals are opened from a row (the newest; the app says how many more there are)."""


class TotalsView(Widget):
    """Totals by a grouping. ``db``: a Database, or a callable returning one (called in a worker)."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    HELP_TITLE = "Totals"

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                key,
                f"group('{by}')",
                GROUPING_LABELS[by].capitalize(),
                id=f"totals.{by}",
                tooltip=f"Totals by {GROUPING_LABELS[by]}",
            )
            for by, key in GROUPING_KEYS.items()
        ),
        Binding("enter", "open_row", "Deals", id="totals.open", tooltip="Open the deals behind this row"),
        Binding("e", "toggle_exact", "Exact", id="totals.exact", tooltip="Compact figures or every digit"),
        Binding("s", "sort", "Sort", id="totals.sort", tooltip="Sort the rows by the next column"),
        Binding("S", "reverse", "Reverse", show=False, id="totals.reverse", tooltip="Reverse the rows' order"),
        Binding("b", "chart_qualifier", "Chart", id="totals.chart", tooltip="Which qualifiers the bars show"),
        Binding("d", "toggle_rates", "Rates", show=False, id="totals.rates", tooltip="Latest or deal-date rates"),
        Binding(
            "C",
            "toggle_confirmed",
            "Confirmed",
            show=False,
            id="totals.confirmed",
            tooltip="Every deal, or the confirmed deals only",
        ),
        Binding("x", "edit_rate", "FX rate", id="totals.rate", tooltip="Edit an FX rate"),
        Binding("r", "reload", "Reload", show=False, id="totals.reload"),
    ]

    @dataclass
    class Loaded(Message):
        """Totals were (re)computed; ``totals`` is None when loading failed (``error`` says why)."""

        totals: Totals | None
        error: str | None = None

    def __init__(
        self,
        db: DbSource,
        *,
        by: str = "org",
        currency: str = "USD",
        at: dt.date | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._source = db
        self.by = by if by in GROUPINGS else "org"
        self.currency = currency
        self.at = at
        self.chart_qualifier = "every"
        self.exact = False
        self.rates = "latest"
        self.confirmed = False
        """Count the confirmed deals only (a filing or a party's press release: `C`)."""
        self.sort_column: int | None = None
        """The index in `COLUMNS` the rows are sorted by; None: the core's order (biggest first, years ascending)."""
        self.descending = True
        self.totals: Totals | None = None
        self.shown_rows: list[TotalsRow | None] = []
        """The rows as the table shows them, in order (None: the TOTAL)."""

    def compose(self) -> ComposeResult:
        yield Static(self._groupings_text(), id="totals-groupings", markup=False)
        yield Static(Text("loading…"), id="totals-status", markup=False)
        table: DataTable[Any] = ListTable(id="totals-table", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        yield table
        yield Static(Text(""), id="totals-chart", markup=False)
        yield Static(Text(""), id="totals-rates", markup=False)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.reload()

    def _database(self) -> Database:
        return self._source if isinstance(self._source, Database) else self._source()

    def reload(self) -> None:
        self._load(self.by, self.currency, self.at, self.rates, self.confirmed)

    @work(thread=True, exclusive=True, group="totals-load", exit_on_error=False)
    def _load(self, by: str, currency: str, at: dt.date | None, rates: str, confirmed: bool = False) -> None:
        try:
            with self._database().read() as conn:
                day = None if rates == "deal-date" else at
                totals = compute_totals(conn, by, currency, day, rates, confirmed=confirmed)
        except Exception as exc:  # shown in the pane
            self.post_message(self.Loaded(None, str(exc)))
            return
        self.post_message(self.Loaded(totals))

    @on(Loaded)
    def _on_loaded(self, message: Loaded) -> None:
        if message.totals is None:
            self.query_one("#totals-status", Static).update(Text(visible(f"could not compute totals: {message.error}")))
            return
        self.totals = message.totals
        self._fill()

    # ---------------------------------------------------------------- drawing

    def _groupings_text(self) -> Text:
        text = Text()
        for by, key in GROUPING_KEYS.items():
            label = f" {key} {GROUPING_LABELS[by]} "
            text.append(label, style="reverse" if by == self.by else "")
            text.append(" ")
        text.append(
            f"  b chart: {self.chart_qualifier}  x FX rate  C: {'confirmed only' if self.confirmed else 'all deals'}"
        )
        return text

    def _fill(self) -> None:
        t = self.totals
        if t is None:
            return
        self.query_one("#totals-groupings", Static).update(self._groupings_text())
        figures = "every digit" if self.exact else "compact (e: every digit)"
        status = f"Totals by {GROUPING_LABELS[t.by]} in {t.currency}, {t.rates_text}; {figures}; qualifiers never added"
        if t.confirmed:
            status = "Confirmed deals only · " + status
        self.query_one("#totals-status", Static).update(Text(status))
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        party = t.by in PARTY_GROUPINGS
        columns = ["", *(["side"] if party else []), "deals", "exact", "up to", "at least", "estimated",
                   "undisclosed", "GW", "no rate"]  # fmt: skip
        sorted_at = None
        if self.sort_column is not None:
            sorted_at = self.sort_column if party or self.sort_column == 0 else self.sort_column - 1
        for i, label in enumerate(columns):
            if i == sorted_at:
                label = f"{label or 'name'} {'↓' if self.descending else '↑'}"
            table.add_column(Text(label, justify="right" if i >= (2 if party else 1) else "left"), key=str(i))
        self.shown_rows = [*sort_rows(t.rows, self.sort_column, self.descending), None]
        for n, r in enumerate(self.shown_rows):
            label, side, f = (t.total_label, "", t.total) if r is None else (r.label, r.side or "", r.figures)
            cells: list[Text] = [Text(clip(visible(label), NAME_WIDTH), style="bold" if r is None else "")]
            if party:
                cells.append(Text(visible(side)))
            cells.extend(Text(visible(c), justify="right") for c in people_cells(f, t.currency, self.exact))
            table.add_row(*cells, key=str(n))
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))
        self.query_one("#totals-chart", Static).update(self._chart())
        self.query_one("#totals-rates", Static).update(self._rates_text())

    def _chart(self) -> Text:
        t = self.totals
        if t is None:
            return Text("")
        shown = QUALIFIED if self.chart_qualifier == "every" else (self.chart_qualifier,)
        ranked = []
        for r in t.rows:
            bars = [(q, v) for q in shown for v in (r.figures.figure(q),) if v is not None and v > 0]
            if bars:
                ranked.append((max(v for _q, v in bars), visible(f"{r.label}{' · ' + r.side if r.side else ''}"), bars))
        ranked = sorted(ranked, key=lambda x: -x[0])[:CHART_ROWS]
        which = "every qualifier" if self.chart_qualifier == "every" else f"{self.chart_qualifier} amounts"
        text = Text(f"{which} in {t.currency}, largest {CHART_ROWS}: ")
        for q in shown:
            text.append(f"{BARS[q]} {q}  ")
        text.append(f"(b: {'one qualifier' if self.chart_qualifier == 'every' else 'next'})")
        text.append("\n")
        if not ranked:
            text.append(f"no {' or '.join(shown)} amounts")
            return text
        top = ranked[0][0]
        width = min(max(cell_len(label) for _m, label, _b in ranked), 28)
        lines = 0
        for _m, label, bars in ranked:
            for i, (q, value) in enumerate(bars):
                cells = int(value / top * BAR_WIDTH) or 1
                if lines:
                    text.append("\n")
                text.append(pad(clip(label, width) if i == 0 else "", width) + " ")
                text.append(BARS[q] * cells, style="bold" if q == "exact" else "")
                text.append(f" {format_amount(value, t.currency, q)}")
                lines += 1
        return text

    def _rates_text(self) -> Text:
        t = self.totals
        if t is None:
            return Text("")
        parts = []
        for rate in t.rates:
            if rate.currency == t.currency:
                continue
            factor = t.rate_in_reporting(rate.currency)
            shown = "?" if factor is None else format(factor.quantize(Decimal("0.000001")).normalize(), "f")
            parts.append(f"1 {rate.currency} = {shown} {t.currency} (as of {rate.as_of.isoformat()})")
        if t.rates_mode == "deal-date":
            parts = [
                f"1 {r.currency} = {r.rate} USD (from {r.as_of.isoformat()})" for r in t.rates if r.currency != "USD"
            ]
        text = Text(total_note(t.by) + "\n")
        text.append(visible("Rates: " + ("; ".join(parts) if parts else f"all amounts are in {t.currency}")))
        ignored = {r.currency: r for r in t.ignored_rates}
        for c, n in t.unrated:
            why = ""
            if c in ignored:
                bad = ignored[c]
                why = f" (its rate {bad.rate.normalize(Context(prec=60))} as of {bad.as_of.isoformat()} is out of range: x sets a new one)"
            text.append(visible(f"\n{c}: no rate{why} — {n} deal(s) not converted, shown under 'no rate'", lines=True))
        return text

    # ---------------------------------------------------------------- actions

    def action_group(self, by: str) -> None:
        if by in GROUPINGS:
            self.by = by
            self.query_one("#totals-groupings", Static).update(self._groupings_text())
            self.reload()

    def action_chart_qualifier(self) -> None:
        self.chart_qualifier = CHART_MODES[(CHART_MODES.index(self.chart_qualifier) + 1) % len(CHART_MODES)]
        self.query_one("#totals-groupings", Static).update(self._groupings_text())
        self.query_one("#totals-chart", Static).update(self._chart())

    def action_reload(self) -> None:
        self.reload()

    def action_toggle_exact(self) -> None:
        self.exact = not self.exact
        self._fill()

    def action_toggle_confirmed(self) -> None:
        self.confirmed = not self.confirmed
        if self.confirmed and self.rates == "deal-date":  # not together yet (tracker/core/analysis/totals.py)
            self.rates = "latest"
            self.notify("Confirmed deals only: at the latest rates (deal-date rates count every deal)", timeout=4)
        self.query_one("#totals-groupings", Static).update(self._groupings_text())
        self.reload()

    def action_toggle_rates(self) -> None:
        self.rates = "deal-date" if self.rates == "latest" else "latest"
        self.confirmed = self.confirmed and self.rates == "latest"
        self.query_one("#totals-groupings", Static).update(self._groupings_text())
        self.reload()

    def action_sort(self) -> None:
        """Sort by the next column (the first press: by name); a party grouping's side column included."""
        self.sort_column = 0 if self.sort_column is None else (self.sort_column + 1) % len(COLUMNS)
        if self.totals is not None and self.totals.by not in PARTY_GROUPINGS and COLUMNS[self.sort_column] == "side":
            self.sort_column += 1
        self.descending = COLUMNS[self.sort_column] not in ("name", "side")
        self._fill()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        if self.sort_column is None:
            self.sort_column = COLUMNS.index("deals")
        self._fill()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        party = self.totals is not None and self.totals.by in PARTY_GROUPINGS
        index = event.column_index if party or event.column_index == 0 else event.column_index + 1
        if self.sort_column == index:
            self.descending = not self.descending
        else:
            self.sort_column = index
            self.descending = COLUMNS[index] not in ("name", "side")
        self._fill()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_row()

    def action_open_row(self) -> None:
        """Open the deals behind the highlighted row (the TOTAL: every deal) in the deals table."""
        t = self.totals
        row = self.query_one(DataTable).cursor_row
        if t is None or not 0 <= row < len(self.shown_rows):
            return
        r = self.shown_rows[row]
        title = f"totals: {t.total_label}" if r is None else f"totals: {r.label}{' · ' + r.side if r.side else ''}"
        self._open(t.by, None if r is None else r.key, None if r is None else r.side, r is None, visible(title))

    @work(thread=True, group="totals-open", exit_on_error=False)
    def _open(self, by: str, key: Any, side: str | None, total: bool, title: str) -> None:
        with self._database().read() as conn:
            ids, count = deals_behind(conn, by, key, side, total=total, cap=OPEN_CAP)
        if count > len(ids):
            self.app.call_from_thread(
                self.notify, f"{count:,} deals behind this row: the newest {len(ids):,} are shown", timeout=4
            )
        self.post_message(ShowDeals(tuple(ids), title))

    def action_edit_rate(self) -> None:
        if self._database().read_only:  # said before the form, not after it is filled
            self.notify("The database is read-only: you may read it, not change it.", severity="warning")
            return
        used = [r.currency for r in self.totals.rates if r.currency != "USD"] if self.totals else []
        self.app.push_screen(RateModal(used[0] if used else ""), self._rate_edited)

    def _rate_edited(self, edit: RateEdit | None) -> None:
        if edit is not None:
            self._save_rate(edit)

    @work(thread=True, group="totals-rate", exit_on_error=False)
    def _save_rate(self, edit: RateEdit) -> None:
        with self._database().write() as conn:
            set_rate(conn, edit.currency, edit.rate, edit.as_of)
        self.app.call_from_thread(self.reload)
