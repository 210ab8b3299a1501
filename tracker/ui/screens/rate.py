"""The FX rate form (`x` in the totals pane): currency, rate (1 unit = rate USD) and as-of date.

`RateModal` returns a checked `RateEdit` (or None when cancelled); `parse_rate_edit` is its check, whose
`ValueError` names the field and the value (the rate itself is read by the core's one rate parser,
`tracker.core.records.fx.parse_rate`, as ``tracker fx set`` reads it). The totals pane writes the rate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tracker.core.domain.amount_parser import AmountError, normalise_currency
from tracker.core.records.fx import parse_rate

__all__ = ["RateEdit", "RateModal", "parse_rate_edit"]


@dataclass(frozen=True)
class RateEdit:
    """A checked rate: 1 unit of ``currency`` = ``rate`` USD from ``as_of`` on."""

    currency: str
    rate: Decimal
    as_of: dt.date


class RateModal(ModalScreen[RateEdit | None]):
    """Currency, rate (1 unit = rate USD) and as-of date; enter saves, escape cancels."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="rate.cancel")]

    def __init__(self, currency: str = "", today: dt.date | None = None) -> None:
        super().__init__()
        self._currency = currency
        self._today = today or dt.date.today()

    def compose(self) -> ComposeResult:
        with Vertical(id="rate-form"):
            yield Label("FX rate: 1 unit of the currency = RATE USD")
            yield Input(self._currency, placeholder="currency (CNY)", id="rate-currency")
            yield Input(placeholder="rate (0.14)", id="rate-value")
            yield Input(self._today.isoformat(), placeholder="as of (YYYY-MM-DD)", id="rate-as-of")
            yield Static(Text(""), id="rate-error", markup=False)
            yield Static(Text("enter: save · escape: cancel"), id="rate-help", markup=False)

    def on_mount(self) -> None:
        self.query_one("#rate-value" if self._currency else "#rate-currency", Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        currency = self.query_one("#rate-currency", Input).value
        rate = self.query_one("#rate-value", Input).value
        as_of = self.query_one("#rate-as-of", Input).value
        try:
            edit = parse_rate_edit(currency, rate, as_of)
        except ValueError as exc:
            self.query_one("#rate-error", Static).update(Text(str(exc)))
            return
        self.dismiss(edit)

    def action_cancel(self) -> None:
        self.dismiss(None)


def parse_rate_edit(currency: str, rate: str, as_of: str) -> RateEdit:
    """Check a rate form; ValueError names the field and the value."""
    try:
        code = normalise_currency(currency.strip())
    except AmountError:
        raise ValueError(f"currency {currency!r}: not an ISO 4217 code") from None
    # RateError (a ValueError): "rate '-3': must be a positive number such as 0.14"; bounds; USD is 1
    value = parse_rate(rate, currency=code)
    try:
        day = dt.date.fromisoformat(as_of.strip())
    except ValueError:
        raise ValueError(f"as of {as_of!r}: not a date (YYYY-MM-DD)") from None
    return RateEdit(code, value, day)
