"""The FX rate commands: ``fx set`` and ``fx list``."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from tracker.cli.common import UserError, open_db, shown, user_errors


@click.group("fx")
def fx_group() -> None:
    """FX rates: 1 unit of a currency = RATE units of the reporting currency (USD)."""


@fx_group.command("set")
@click.argument("currency")
@click.argument("rate")
@click.option("--as-of", "as_of", default=None, help="The date from which the rate holds (default: today).")
@click.pass_context
@user_errors
def fx_set(ctx: click.Context, currency: str, rate: str, as_of: str | None) -> None:
    """Set the rate of CURRENCY: `tracker fx set CNY 0.14 --as-of 2025-09-29`."""
    from tracker.core.domain.amount_parser import AmountError, normalise_currency
    from tracker.core.records.fx import parse_rate, set_rate

    try:
        code = normalise_currency(currency)
    except AmountError as exc:
        raise UserError(f"CURRENCY {currency!r}: not an ISO 4217 currency code") from exc
    value = parse_rate(rate, label="RATE", currency=code)  # bounds, decimals, USD = 1: the one set of rules
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        raise UserError(f"--as-of {as_of!r}: not a date (YYYY-MM-DD)") from None
    db = open_db(ctx)
    with db.write() as conn:
        new = set_rate(conn, code, value, day)
    click.echo(f"{'set' if new else 'replaced'} 1 {code} = {value} USD as of {day.isoformat()}")


@fx_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.pass_context
@user_errors
def fx_list(ctx: click.Context, fmt: str) -> None:
    """List every FX rate with its as-of date."""
    from tracker.core.records.fx import list_rates

    db = open_db(ctx)
    with db.read() as conn:
        rates = list_rates(conn)
    if fmt == "json":
        click.echo(json.dumps([{"currency": r.currency, "rate": format(r.rate, "f"), "as_of": r.as_of.isoformat()}
                               for r in rates], indent=2))  # fmt: skip
    elif fmt == "csv":
        import csv

        from tracker.core.domain.formula import defuse

        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(("currency", "rate", "as_of"))
        for r in rates:  # defused as every CSV the program writes (a currency is any stored text of 3)
            w.writerow((shown(defuse(r.currency)), format(r.rate, "f"), r.as_of.isoformat()))
    else:
        for r in rates:
            click.echo(f"{shown(r.currency)}  {format(r.rate, 'f'):>12}  {r.as_of.isoformat()}")
