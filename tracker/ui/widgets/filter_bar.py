"""The filter bar: free text (names, aliases in any script, description, kind) plus kind, confidence, date
range and amount range in USD. Posts `FilterBar.Changed` with the parsed `FilterSpec` on every keystroke; the
table drops stale results itself, so no debounce is needed. Invalid parts are reported inline and
left out of the filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select

from tracker.ui.sources.query import FilterSpec


class FilterBar(Vertical):
    """Text, kind, dates and amounts; hidden until `/` (or while a filter is active)."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "done", "Back to table", id="filter.done"),
    ]

    @dataclass
    class Changed(Message):
        """The filter changed (a keystroke, a choice): ``spec`` is what the fields say now."""

        spec: FilterSpec

    class Done(Message):
        """Enter or escape: the user is done typing (the filter stays)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.built = False

    async def build(self) -> None:
        """Mount the fields on first use (`/`): the app's first frame stays small and fast."""
        if not self.built:
            self.built = True
            await self.mount_all(self._fields())

    def _fields(self) -> list[Widget]:
        from tracker.core.domain.vocab import CONFIDENCES, KINDS

        text = Input(
            placeholder="organisation or alias (nvidia, 英伟达, 阿里), description, kind",
            id="filter-text",
            compact=True,
        )
        return [
            Horizontal(Label("Filter", classes="filter-label"), text, classes="filter-row"),
            Horizontal(
                Select([(k, k) for k in KINDS], prompt="any kind", id="filter-kind", compact=True),
                Select([(c, c) for c in CONFIDENCES], prompt="any confidence", id="filter-confidence", compact=True),
                Input(placeholder="from date", id="filter-from", compact=True),
                Input(placeholder="to date", id="filter-to", compact=True),
                Input(placeholder="min USD", id="filter-min", compact=True),
                Input(placeholder="max USD", id="filter-max", compact=True),
                classes="filter-row",
            ),
            Label("", id="filter-error", markup=False),
        ]

    def focus_text(self) -> None:
        self.query_one("#filter-text", Input).focus()

    def clear(self) -> None:
        if not self.built:
            return
        for input_ in self.query(Input):
            input_.value = ""
        self.query_one("#filter-kind", Select).value = Select.NULL
        self.query_one("#filter-confidence", Select).value = Select.NULL
        self._show_errors([])

    async def show(self, spec: FilterSpec) -> None:
        """Fill the fields with ``spec`` (a saved view applied) without announcing a change."""
        if not spec.active and not self.built:
            return
        await self.build()
        with self.prevent(Input.Changed, Select.Changed):
            self.query_one("#filter-text", Input).value = spec.text
            self.query_one("#filter-kind", Select).value = spec.kind if spec.kind else Select.NULL
            self.query_one("#filter-from", Input).value = spec.date_from.isoformat() if spec.date_from else ""
            self.query_one("#filter-to", Input).value = spec.date_to.isoformat() if spec.date_to else ""
            for id_, amount in (("filter-min", spec.amount_min), ("filter-max", spec.amount_max)):
                self.query_one(f"#{id_}", Input).value = "" if amount is None else str(amount)
        self._show_errors([])

    @property
    def spec(self) -> FilterSpec:
        if not self.built:
            return FilterSpec()
        spec, _ = self._parse()
        return spec

    def _parse(self) -> tuple[FilterSpec, list[str]]:
        from tracker.core.domain.amount_parser import AmountError, parse_amount
        from tracker.core.domain.dates import FORMS, DateError, parse_date, period_end

        errors: list[str] = []

        def value(id_: str) -> str:
            return self.query_one(f"#{id_}", Input).value.strip()

        def date(id_: str, label: str, end: bool = False):  # type: ignore[no-untyped-def]
            """The date typed; ``end``: the last day of its period ("to 2025-09" keeps all of September)."""
            raw = value(id_)
            if not raw:
                return None
            try:
                day, precision = parse_date(raw)
            except DateError as exc:
                why = str(exc).split("': ", 1)[-1] if "ambiguous" in str(exc) else f"use {FORMS}"
                errors.append(f"{label} {raw!r}: {why}")
                return None
            return period_end(day, precision) if end else day

        def amount(id_: str, label: str):  # type: ignore[no-untyped-def]
            raw = value(id_)
            if not raw:
                return None
            try:
                parsed = parse_amount(raw, "USD")
            except AmountError:
                errors.append(f"{label} {raw!r}: not an amount in USD (e.g. 1B or 500M)")
                return None
            return parsed.amount

        kind = self.query_one("#filter-kind", Select).value
        confidence = self.query_one("#filter-confidence", Select).value
        spec = FilterSpec(
            text=value("filter-text"),
            kind=kind if isinstance(kind, str) else None,
            date_from=date("filter-from", "from date"),
            date_to=date("filter-to", "to date", end=True),
            amount_min=amount("filter-min", "min USD"),
            amount_max=amount("filter-max", "max USD"),
            confidence=confidence if isinstance(confidence, str) else None,
        )
        return spec, errors

    def _show_errors(self, errors: list[str]) -> None:
        label = self.query_one("#filter-error", Label)
        label.update("; ".join(errors))
        label.display = bool(errors)

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self, event: Input.Changed | Select.Changed) -> None:
        event.stop()
        spec, errors = self._parse()
        self._show_errors(errors)
        self.post_message(self.Changed(spec))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done())

    def action_done(self) -> None:
        self.post_message(self.Done())
