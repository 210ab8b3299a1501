"""`tracker totals` as a table for people: compact figures by default (``$53.35B``, ``≤ $100B``), every digit
with ``--exact``; which rates converted the amounts; what the TOTAL row adds. Laid out by terminal cells."""

from __future__ import annotations

from decimal import Decimal

from rich.cells import cell_len

from tracker.core.analysis.behind import PARTY_GROUPINGS
from tracker.core.analysis.cells import NAME_WIDTH, clip, pad
from tracker.core.analysis.shown import people_cells
from tracker.core.analysis.totals import Totals, total_note
from tracker.core.domain.text import visible

__all__ = ["totals_text"]

NO_RATE = 9  # the index of the "no rate" column


def totals_text(totals: Totals, *, exact: bool = False) -> list[str]:
    """The lines of the table, the TOTAL's note and the rates used."""
    code = totals.currency
    header = ["group", "side", "deals", f"exact {code}", f"up to {code}", f"at least {code}", f"estimated {code}",
              "undisclosed", "GW", "no rate"]  # fmt: skip
    rows: list[list[str]] = []
    for r in totals.rows:
        rows.append(
            [
                clip(visible(r.label), NAME_WIDTH),
                visible(r.side or ""),
                *map(visible, people_cells(r.figures, code, exact)),
            ]
        )
    rows.append([totals.total_label, "", *map(visible, people_cells(totals.total, code, exact))])
    keep = [i for i in range(len(header)) if i != NO_RATE or any(r[NO_RATE] for r in rows)]
    if totals.by not in PARTY_GROUPINGS:
        keep.remove(1)
    widths = {i: max(cell_len(header[i]), *(cell_len(r[i]) for r in rows)) for i in keep}
    shown = "every digit" if exact else "compact figures, --exact for every digit"
    lines = [f"Totals by {totals.by} in {code} ({totals.rates_text}; qualifiers are never added together; {shown})"]
    if totals.confirmed:
        lines.append("Confirmed deals only (a filing, or a press release by a party); without --confirmed: every deal")
    lines.append("  ".join(pad(header[i], widths[i], i >= 2) for i in keep).rstrip())
    for n, row in enumerate(rows):
        if n == len(rows) - 1:
            lines.append("  ".join("-" * widths[i] for i in keep))
        lines.append("  ".join(pad(row[i], widths[i], 2 <= i <= 8) for i in keep).rstrip())
    lines.append(f"({total_note(totals.by)})")
    lines.append("")
    lines.extend(_rates_lines(totals))
    return lines


def _rates_lines(totals: Totals) -> list[str]:
    code = totals.currency
    day = totals.at
    if totals.rates_mode == "deal-date":
        out = [f"Rates: {totals.rates_text}; the rates used (1 unit = … USD):"]
        for rate in totals.rates:
            if rate.currency != "USD":
                out.append(f"  {visible(rate.currency)} {rate.rate}  as of {rate.as_of.isoformat()}")
    else:
        out = [f"Rates (1 unit = … {code}):"]
        for rate in totals.rates:
            if rate.currency == code:
                out.append(f"  {code} 1  (reporting currency)")
                continue
            factor = totals.rate_in_reporting(rate.currency)
            shown = "?" if factor is None else format(factor.quantize(Decimal("0.000001")).normalize(), "f")
            currency = visible(rate.currency)
            base = "" if code == "USD" else f" (1 {currency} = {rate.rate} USD)"
            out.append(f"  {currency} {shown}  as of {rate.as_of.isoformat()}{base}")
    ignored = {r.currency: r for r in totals.ignored_rates}
    for c, n in totals.unrated:
        why = ""
        if c in ignored:
            bad = ignored[c]
            why = (f" (the stored rate {visible(format(bad.rate, 'f'))} as of {bad.as_of.isoformat()} is out of range"
                   f": `tracker fx set {visible(c)} RATE` replaces it)")  # fmt: skip
        out.append(f"  {visible(c)}: no rate{' on or before ' + day.isoformat() if day else ''}{why} — {n} deal(s) "
                   "not converted, shown under 'no rate'")  # fmt: skip
    return out
