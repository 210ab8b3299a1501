"""Rich `Text` for the detail panes. Data is appended as plain text, never parsed as markup, so an
organisation called ``[bold]Acme`` shows exactly as typed; every value from the data goes through
:func:`tracker.core.domain.text.visible` (control characters shown escaped, line breaks kept only in
descriptions and notes), so none reaches the terminal raw. A source URL is a terminal hyperlink only when it
is a plain http(s) address: the link itself is written into an escape sequence.

Imported once the database is open (it reads the core's data classes and formatters).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from tracker.core.domain.text import has_control, visible

if TYPE_CHECKING:
    from tracker.core.records.alliances import AllianceSummary
    from tracker.core.records.details import DealDetail, Party
    from tracker.core.records.orgs import OrgSummary

LABEL = "bold"
MUTED = "dim"


def _line(text: Text, label: str, value: str | Text | None, *, width: int = 10) -> None:
    """``label`` then ``value`` (a str from the data is shown visibly; a Text is already built safely)."""
    text.append(f"{label:<{width}}", style=LABEL)
    if value is None or value == "":
        text.append("—", style=MUTED)
    else:
        text.append(visible(value) if isinstance(value, str) else value)
    text.append("\n")


def _party(party: Party | None) -> Text:
    if party is None:
        return Text("—", style=MUTED)
    out = Text(visible(party.name))
    if party.aliases:
        out.append(" (" + ", ".join(visible(a) for a in party.aliases) + ")", style=MUTED)
    return out


def _linkable(url: str) -> bool:
    """A URL safe inside the terminal's hyperlink sequence: http(s), no control characters, no spaces."""
    return url.startswith(("https://", "http://")) and not has_control(url) and " " not in url


def _plain(value: Decimal | None) -> str:
    from tracker.core.domain.amount_format import format_plain

    return "" if value is None else format_plain(value)


def deal_text(d: DealDetail, *, links: bool = True) -> Text:
    """Everything about deal ``d``; ``links=False`` leaves the linked deals out (the deal view lists them)."""
    from tracker.core.domain.amount_format import format_amount
    from tracker.core.domain.capacity import format_capacity
    from tracker.core.domain.dates import PRECISION_WORDS, format_date

    text = Text()
    title = f"#{d.id} {d.kind}"
    text.append(title + "\n", style="bold")
    _line(text, "From", _party(d.from_party))
    _line(text, "To", _party(d.to_party))
    amount = Text(visible(format_amount(d.amount, d.currency, d.qualifier)))
    if d.amount_text:
        amount.append(f"  as written: {visible(d.amount_text)}", style=MUTED)
    _line(text, "Amount", amount)
    if d.amount is not None and d.qualifier != "undisclosed":
        normalised = f"{d.amount:,} {d.currency or ''}".strip()
        if d.amount_usd is not None and d.currency != "USD":
            normalised += f" ≈ {d.amount_usd.quantize(Decimal(1)):,} USD"
            if d.usd_rate is not None:
                normalised += f" (rate {d.usd_rate}"
                normalised += f" as of {d.usd_rate_as_of})" if d.usd_rate_as_of else ")"
        _line(text, "Exactly", normalised)
    _line(text, "Qualifier", d.qualifier)
    if d.capacity_gw is not None:
        _line(text, "Capacity", f"{format_capacity(d.capacity_gw, d.capacity_qualifier)} GW")
    _line(
        text,
        "Date",
        f"{format_date(d.date, d.date_precision)} (precision: {PRECISION_WORDS.get(d.date_precision, d.date_precision)})",
    )
    _line(text, "Status", d.status)
    _line(text, "Alliances", "; ".join(name for _, name in d.alliances))
    if links and d.links:
        text.append("Linked deals\n", style=LABEL)
        for link in d.links:
            text.append(f"  {link.relation}: ", style=MUTED)
            text.append(visible(link.label) + "\n")
    elif links:
        _line(text, "Linked", None)
    if d.description:
        text.append("\n")
        text.append(visible(d.description, lines=True) + "\n")
    text.append("\n")
    source = " · ".join(x for x in (d.source_outlet, d.source_author, d.source_date) if x)
    _line(text, "Source", source)
    if d.source_title:
        _line(text, "Title", d.source_title)
    if d.source_url:
        url = d.source_url
        _line(text, "URL", Text(visible(url), style=Style(link=url)) if _linkable(url) else url)
    if d.ref:
        _line(text, "Ref", d.ref)
    text.rstrip()
    return text


def org_text(o: OrgSummary) -> Text:
    text = Text()
    text.append(visible(o.name) + "\n", style="bold")
    _line(text, "Native", o.native_name)
    _line(text, "Aliases", ", ".join(o.aliases))
    _line(text, "Country", o.country)
    _line(text, "Sector", o.sector)
    _line(text, "Parent", o.parent)
    _line(text, "Children", ", ".join(o.children))
    _line(text, "Deals out", str(o.deals_out))
    _line(text, "Deals in", str(o.deals_in))
    _line(text, "Alliances", "; ".join(o.alliances))
    if o.notes:
        text.append("\n" + visible(o.notes, lines=True))
    text.rstrip()
    return text


def alliance_text(a: AllianceSummary) -> Text:
    text = Text()
    text.append(visible(a.name) + "\n", style="bold")
    _line(text, "Deals", str(a.deal_count))
    _line(text, "Members", ", ".join(name for _, name in a.members))
    if a.description:
        text.append("\n" + visible(a.description, lines=True))
    text.rstrip()
    return text
