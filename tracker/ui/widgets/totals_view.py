"""The totals pane (`t`): honest totals by a grouping, a bar chart, the rates used, FX rate editing.

All database work runs in thread workers. Keys: `o` organisation, `c` country, `K` kind, `y` year,
`a` alliance, `p` parent group (k/j and g/G move in the list, as in every list); `b` switches the qualifier the chart shows (exact, up to, at least,
estimated: never added together); `x` edits an FX rate (currency, rate, as-of), after which the
totals reload (the form is `RateModal`, tracker/ui/screens/rate.py); `r` reloads. Labels are data: never
parsed as markup, control characters shown escaped. A rate stored outside the bounds of
tracker/core/records/fx.py (before they existed) is named beside its currency's "no rate".
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

from tracker.core.analysis.cells import NAME_WIDTH, clip, pad
from tracker.core.analysis.figures import QUALIFIED
from tracker.core.analysis.totals import Totals, compute_totals
from tracker.core.domain.amount_format import format_amount
from tracker.core.domain.text import visible
from tracker.core.domain.vocab import GROUPING_LABELS, GROUPINGS
from tracker.core.records.fx import set_rate
from tracker.core.storage.handle import Database
from tracker.ui.screens.rate import RateEdit, RateModal
from tracker.ui.widgets.list_table import ListTable

__all__ = ["TotalsView"]

DbSource = Database | Callable[[], Database]
GROUPING_KEYS = {"org": "o", "country": "c", "kind": "K", "year": "y", "alliance": "a", "group": "p"}
"""The key that groups the totals by each of `GROUPINGS` (in this order in the pane's header)."""
CHART_ROWS = 10
BAR_WIDTH = 40


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
        Binding("b", "chart_qualifier", "Chart", id="totals.chart", tooltip="Which qualifier the bars show"),
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
        self.chart_qualifier = "exact"
        self.totals: Totals | None = None

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
        self._load(self.by, self.currency, self.at)

    @work(thread=True, exclusive=True, group="totals-load", exit_on_error=False)
    def _load(self, by: str, currency: str, at: dt.date | None) -> None:
        try:
            with self._database().read() as conn:
                totals = compute_totals(conn, by, currency, at)
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
        text.append(f"  b chart: {self.chart_qualifier}  x FX rate")
        return text

    def _fill(self) -> None:
        t = self.totals
        if t is None:
            return
        self.query_one("#totals-groupings", Static).update(self._groupings_text())
        when = f"rates in force on {t.at.isoformat()}" if t.at else "latest rates"
        self.query_one("#totals-status", Static).update(
            Text(f"Totals by {GROUPING_LABELS[t.by]} in {t.currency}, {when}; qualifiers are never added together")
        )
        table = self.query_one(DataTable)
        table.clear(columns=True)
        party = t.by in ("org", "country", "group")
        columns = ["", *(["side"] if party else []), "deals", "exact", "up to", "at least", "estimated",
                   "undisclosed", "GW", "no rate"]  # fmt: skip
        for i, label in enumerate(columns):
            table.add_column(Text(label, justify="right" if i >= (2 if party else 1) else "left"), key=str(i))
        for r in (*t.rows, None):
            label, side, f = ("TOTAL", "", t.total) if r is None else (r.label, r.side or "", r.figures)
            cells: list[Text] = [Text(clip(visible(label), NAME_WIDTH), style="bold" if r is None else "")]
            if party:
                cells.append(Text(visible(side)))
            cells.append(Text(str(f.deals), justify="right"))
            for value in (f.exact, f.up_to, f.at_least, f.estimated):
                cells.append(Text(f"{value:,.2f}" if value else "-", justify="right"))
            cells.append(Text(str(f.undisclosed), justify="right"))
            cells.append(Text(format(f.capacity_gw, "f") if f.capacity_gw else "-", justify="right"))
            cells.append(Text(visible("; ".join(f"{c} {a:,} ({n})" for c, a, n in f.unrated)), justify="right"))
            table.add_row(*cells)
        self.query_one("#totals-chart", Static).update(self._chart())
        self.query_one("#totals-rates", Static).update(self._rates_text())

    def _chart(self) -> Text:
        t = self.totals
        if t is None:
            return Text("")
        q = self.chart_qualifier
        values = [
            (visible(f"{r.label}{' · ' + r.side if r.side else ''}"), r.figures.by_qualifier()[q]) for r in t.rows
        ]
        values = sorted((v for v in values if v[1] > 0), key=lambda v: -v[1])[:CHART_ROWS]
        text = Text(f"{q} amounts in {t.currency} (largest {CHART_ROWS}; b: another qualifier)\n")
        if not values:
            text.append(f"no {q} amounts")
            return text
        top = values[0][1]
        width = min(max(cell_len(label) for label, _v in values), 28)
        for i, (label, value) in enumerate(values):
            eighths = int(value / top * BAR_WIDTH * 8)
            bar = "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]
            text.append(pad(clip(label, width), width) + " ")
            text.append(bar or "▏", style="bold")
            text.append(f" {format_amount(value, t.currency, 'exact')}")
            if i < len(values) - 1:
                text.append("\n")
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
        text = Text(visible("Rates: " + ("; ".join(parts) if parts else f"all amounts are in {t.currency}")))
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
        self.chart_qualifier = QUALIFIED[(QUALIFIED.index(self.chart_qualifier) + 1) % len(QUALIFIED)]
        self.query_one("#totals-groupings", Static).update(self._groupings_text())
        self.query_one("#totals-chart", Static).update(self._chart())

    def action_reload(self) -> None:
        self.reload()

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
