"""The analysis commands: ``map`` (the ecosystem map and its circular flows) and ``totals``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal

import click

from tracker.cli.common import UserError, open_db, user_errors

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
@click.pass_context
@user_errors
def map_cmd(
    ctx: click.Context,
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
    db = open_db(ctx)
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


def _money(value: Decimal) -> str:
    return f"{value:,.2f}" if value else "-"


@click.command("totals")
@click.option("--by", "by", type=click.Choice(["org", "country", "kind", "year", "alliance", "group"]),
              default="org", show_default=True, help="group: organisations rolled up into their parent.")  # fmt: skip
@click.option(
    "--currency", default=None, help="Reporting currency (needs an FX rate); default: the settings' currency, else USD."
)
@click.option("--at", "at", default=None, metavar="DATE", help="Use the rates in force on DATE (default: latest).")
@click.option("--format", "fmt", type=TOTALS_FORMATS, default="table", show_default=True)
@click.pass_context
@user_errors
def totals_cmd(ctx: click.Context, by: str, currency: str | None, at: str | None, fmt: str) -> None:
    """Honest totals: exact, up to, at least and estimated apart; undisclosed counted; GW on its own."""
    from tracker.core.analysis.figures import TotalsError
    from tracker.core.analysis.totals import compute_totals

    code = _parse_currency(currency or ctx.find_root().obj.setting("currency", "USD"))
    day = _parse_date("--at", at)
    db = open_db(ctx)
    with db.read() as conn:
        try:
            totals = compute_totals(conn, by, code, day)
        except TotalsError as exc:
            raise UserError(str(exc)) from exc
    fmt = fmt.lower()
    if fmt == "json":
        from tracker.core.records.listing import json_text

        click.echo(json_text(json.dumps(totals.as_json(), indent=2, ensure_ascii=False)))
        return
    from tracker.core.analysis.cells import NAME_WIDTH, clip
    from tracker.core.domain.formula import defuse
    from tracker.core.domain.text import visible

    header = ["group", "side", "deals", f"exact {code}", f"up to {code}", f"at least {code}", f"estimated {code}",
              "undisclosed", "GW", "no rate"]  # fmt: skip
    rows: list[list[str]] = []
    csv_rows: list[list[str]] = []
    for r in (*totals.rows, None):
        label, side, f = ("TOTAL", "", totals.total) if r is None else (r.label, r.side or "", r.figures)
        unrated = "; ".join(f"{c} {a:,} ({n})" for c, a, n in f.unrated)
        rows.append([clip(visible(label), NAME_WIDTH), side, str(f.deals), _money(f.exact), _money(f.up_to), _money(f.at_least),
                     _money(f.estimated), str(f.undisclosed), format(f.capacity_gw, "f") if f.capacity_gw else "-",
                     visible(unrated)])  # fmt: skip
        csv_rows.append([defuse(label), side, str(f.deals), format(f.exact, "f"), format(f.up_to, "f"),
                         format(f.at_least, "f"), format(f.estimated, "f"), str(f.undisclosed),
                         format(f.capacity_gw, "f"), defuse(unrated)])  # fmt: skip
    if fmt == "csv":
        import csv

        # defused as the export defuses (a label may be any organisation's name); shown safely on a terminal
        terminal = sys.stdout.isatty()
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(header)
        w.writerows([[visible(c) for c in row] for row in csv_rows] if terminal else csv_rows)
        return
    from rich.cells import cell_len

    from tracker.core.analysis.cells import pad

    keep = [i for i in range(len(header)) if i != 9 or any(r[9] for r in rows)]
    if by not in ("org", "country", "group"):
        keep.remove(1)
    widths = {i: max(cell_len(header[i]), *(cell_len(r[i]) for r in rows)) for i in keep}
    when = f"in force on {day.isoformat()}" if day else "latest"
    click.echo(f"Totals by {by} in {code} (rates: {when}; amounts of different qualifiers are never added)")
    click.echo("  ".join(pad(header[i], widths[i], i >= 2) for i in keep).rstrip())
    for n, row in enumerate(rows):
        if n == len(rows) - 1:
            click.echo("  ".join("-" * widths[i] for i in keep))
        click.echo("  ".join(pad(row[i], widths[i], 2 <= i <= 8) for i in keep).rstrip())
    click.echo("")
    click.echo(f"Rates (1 unit = … {code}):")
    for rate in totals.rates:
        if rate.currency == code:
            click.echo(f"  {code} 1  (reporting currency)")
            continue
        factor = totals.rate_in_reporting(rate.currency)
        shown = "?" if factor is None else format(factor.quantize(Decimal("0.000001")).normalize(), "f")
        currency = visible(rate.currency)
        base = "" if code == "USD" else f" (1 {currency} = {rate.rate} USD)"
        click.echo(f"  {currency} {shown}  as of {rate.as_of.isoformat()}{base}")
    ignored = {r.currency: r for r in totals.ignored_rates}
    for c, n in totals.unrated:
        why = ""
        if c in ignored:
            bad = ignored[c]
            why = (f" (the stored rate {visible(format(bad.rate, 'f'))} as of {bad.as_of.isoformat()} is out of range"
                   f": `tracker fx set {visible(c)} RATE` replaces it)")  # fmt: skip
        click.echo(f"  {visible(c)}: no rate{' on or before ' + day.isoformat() if day else ''}{why} — {n} deal(s) "
                   "not converted, shown under 'no rate'")  # fmt: skip
