"""The analysis commands: ``map`` (the ecosystem map and its circular flows) and ``totals``."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

import click

from tracker.cli.common import UserError, as_of_option, echo_json, open_db, user_errors

if TYPE_CHECKING:
    from tracker.core.analysis.totals import Totals

MAP_FORMATS = click.Choice(["text", "json", "dot", "mermaid"], case_sensitive=False)
TOTALS_FORMATS = click.Choice(["table", "csv", "json"], case_sensitive=False)


def _parse_date(flag: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{flag} {value!r}: not a date (YYYY-MM-DD)") from None


def _parse_currency(value: str) -> str:
    from tracker.core.domain.amount_parser import AmountError, normalise_currency

    try:
        return normalise_currency(value)
    except AmountError:
        raise UserError(f"--currency {value!r}: not an ISO 4217 currency code") from None


@click.command("map")
@click.option("--org", "org", default=None, metavar="NAME", help="Focus on this organisation (name or alias).")
@click.option("--hops", type=click.IntRange(min=0, max=10), default=1, show_default=True,
              help="With --org: how many deals away from it to draw.")  # fmt: skip
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="Only the N busiest organisations: most deals, then most volume (default: the top 50).")  # fmt: skip
@click.option("--all", "everything", is_flag=True, help="Draw every organisation (no top-N cut; large on big data).")
@click.option(
    "--group-parents", is_flag=True, help="Roll organisations up into their parent (Alibaba Cloud → Alibaba)."
)
@click.option("--cycles", "show_cycles", is_flag=True,
              help="List circular flows (2 to 5 parties); text: one per line, A → B → A.")  # fmt: skip
@click.option("--format", "fmt", type=MAP_FORMATS, default="text", show_default=True)
@as_of_option
@click.pass_context
@user_errors
def map_cmd(
    ctx: click.Context,
    as_of: str | None,
    org: str | None,
    hops: int,
    top: int | None,
    everything: bool,
    group_parents: bool,
    show_cycles: bool,
    fmt: str,
) -> None:
    """The ecosystem map: who funds or buys from whom, edges aggregated per pair, and its circular flows."""
    from tracker.core.analysis.cycles import find_cycles
    from tracker.core.analysis.graph import build_graph
    from tracker.core.analysis.render import (
        render_cycles_json,
        render_cycles_text,
        render_dot,
        render_json,
        render_mermaid,
        render_text,
    )
    from tracker.core.records.orgs import find_org_id

    if everything and top is not None:
        raise UserError("--all and --top: choose one (--all draws every organisation, --top N the first N)")
    db = open_db(ctx, as_of=as_of)
    with db.read() as conn:
        focus = None
        if org is not None:
            focus = find_org_id(conn, org)
            if focus is None:
                raise UserError(f"--org {org!r}: no organisation of that name or alias")
        graph = build_graph(conn, focus=focus, hops=hops, top=top, group_parents=group_parents, everything=everything)
        cycles = None
        if show_cycles:
            within = list(graph.nodes) if (focus is not None or top is not None) else None
            cycles = find_cycles(conn, nodes=within, group_parents=group_parents)
    fmt = fmt.lower()
    if fmt == "json":
        click.echo(render_json(graph) if cycles is None else render_cycles_json(cycles))
    elif fmt == "dot":
        click.echo(render_dot(graph, cycles))
    elif fmt == "mermaid":
        click.echo(render_mermaid(graph, cycles))
    elif cycles is not None:
        for line in render_cycles_text(cycles):
            click.echo(line)
        click.echo(f"tracker: {cycles.note} ({cycles.elapsed:.2f} s)", err=True)
    else:
        click.echo(render_text(graph))


@click.command("totals")
@click.option("--by", "by", type=click.Choice(["org", "country", "kind", "year", "alliance", "group"]),
              default="org", show_default=True, help="group: organisations rolled up into their parent.")  # fmt: skip
@click.option(
    "--currency", default=None, help="Reporting currency (needs an FX rate); default: the settings' currency, else USD."
)
@click.option("--rates", "rates", type=click.Choice(["latest", "deal-date"]), default="latest", show_default=True,
              help="latest: the rates in force now (or on --at); deal-date: each deal at the rate in force on its date.")  # fmt: skip
@click.option("--at", "at", default=None, metavar="DATE",
              help="Use the FX rates in force on DATE, a date of the world (default: latest); not --as-of.")  # fmt: skip
@click.option("--exact", is_flag=True, help="Every digit (53,352,000,000) instead of compact figures ($53.35B).")
@click.option("--confirmed", is_flag=True,
              help="Count confirmed deals only (a filing, or a press release by a party: see tracker source).")  # fmt: skip
@click.option("--format", "fmt", type=TOTALS_FORMATS, default="table", show_default=True,
              help="csv and json always hold every digit; a figure with no amounts is empty/null, never 0.")  # fmt: skip
@as_of_option
@click.pass_context
@user_errors
def totals_cmd(
    ctx: click.Context,
    by: str,
    currency: str | None,
    rates: str,
    at: str | None,
    exact: bool,
    confirmed: bool,
    fmt: str,
    as_of: str | None,
) -> None:
    """Honest totals: exact, up to, at least and estimated apart; undisclosed counted; GW on its own."""
    from tracker.core.analysis.figures import TotalsError
    from tracker.core.analysis.totals import compute_totals

    code = _parse_currency(currency or ctx.find_root().obj.setting("currency", "USD"))
    day = _parse_date("--at", at)
    if day is not None and rates == "deal-date":
        raise UserError("--at and --rates deal-date: choose one (deal-date converts each deal at its own date)")
    db = open_db(ctx, as_of=as_of)
    with db.read() as conn:
        try:
            totals = compute_totals(conn, by, code, day, rates, confirmed=confirmed)
        except TotalsError as exc:
            raise UserError(str(exc)) from exc
    fmt = fmt.lower()
    if fmt == "json":
        echo_json(totals.as_json())
    elif fmt == "csv":
        _totals_csv(totals)
    else:
        from tracker.cli.totals_text import totals_text

        for line in totals_text(totals, exact=exact):
            click.echo(line)


def _totals_csv(totals: Totals) -> None:
    """The rows and the TOTAL as CSV: plain digits, an empty cell for a figure with no amounts (never 0)."""
    import csv

    from tracker.core.analysis.shown import csv_cells
    from tracker.core.domain.formula import defuse
    from tracker.core.domain.text import visible

    code = totals.currency
    header = ["group", "side", "deals", f"exact {code}", f"up to {code}", f"at least {code}", f"estimated {code}",
              "undisclosed", "GW", "GW up to", "GW at least", "GW estimated", "no rate"]  # fmt: skip
    rows = [[defuse(r.label), r.side or "", *csv_cells(r.figures)] for r in totals.rows]
    rows.append(["TOTAL", "", *csv_cells(totals.total)])
    # defused as the export defuses (a label may be any organisation's name); shown safely on a terminal
    terminal = sys.stdout.isatty()
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(header)
    w.writerows([[visible(c) for c in row] for row in rows] if terminal else rows)
