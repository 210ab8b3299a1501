"""The deal commands: ``list`` and ``add``."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from tracker.cli.common import UserError, as_of_option, open_db, user_errors

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from tracker.core.domain.fields import DealValues

FORMATS = click.Choice(["table", "csv", "json"], case_sensitive=False)


@click.command("list")
@click.option(
    "--search",
    "-s",
    default="",
    help='Words a deal must all contain ("quoted phrases" whole) in its parties\' names and aliases, '
    "alliances, description, source outlet or title, or kind: 英伟达 finds Nvidia.",
)
@click.option(
    "--kind", "kinds", multiple=True, help="investment, purchase, infrastructure or partnership (repeatable)."
)
@click.option("--org", default=None, help="Deals of this organisation (name or alias), on either side.")
@click.option(
    "--since", default=None, help="Deals whose period reaches this date or later (YYYY-MM-DD, YYYY-MM, YYYY)."
)
@click.option(
    "--until", default=None, help="Deals whose period starts by this date (2025-09: to the end of September)."
)
@click.option(
    "--sort",
    default="date",
    show_default=True,
    help="date, kind, from, to, amount, value (the amount in USD at the latest rates), status or confidence "
    "(surest first).",
)
@click.option(
    "--confidence",
    "confidences",
    multiple=True,
    help="Only deals this sure: confirmed, reported, rumored, unsourced (comma-separated or repeated).",
)
@click.option("--reverse", is_flag=True, help="The other order (default: newest and biggest first, names A to Z).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many deals.")
@click.option("--view", "view_name", default=None, metavar="NAME",
              help="Apply a saved view (tracker view list); --search, --kind, --org, --since, --until, --sort "
              "and --reverse given beside it override its fields.")  # fmt: skip
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@as_of_option
@click.pass_context
@user_errors
def list_cmd(
    ctx: click.Context,
    as_of: str | None,
    search: str,
    kinds: tuple[str, ...],
    org: str | None,
    since: str | None,
    until: str | None,
    sort: str,
    confidences: tuple[str, ...],
    reverse: bool,
    limit: int | None,
    view_name: str | None,
    fmt: str,
) -> None:
    """List deals, newest first."""
    from tracker.core.records.listing import ListOptions, iter_deals, list_filter, write_deals

    levels = tuple(c for given in confidences for c in given.split(",") if c.strip())
    options = ListOptions(search=search, kinds=kinds, org=org, since=since, until=until, sort=sort, reverse=reverse,
                          confidences=levels)  # fmt: skip
    options.check()  # bad values: one line, before the database is opened
    db = open_db(ctx, as_of=as_of)
    if view_name is not None:
        from tracker.cli.views import view_with_flags

        given = {"search": search, "kinds": kinds, "org": org, "since": since, "until": until, "sort": sort,
                 "reverse": reverse}  # fmt: skip
        options = view_with_flags(ctx, db, view_name, given).options()
        options.check()
    with db.read() as conn:
        f = list_filter(conn, options)
        rows = iter_deals(conn, f, sort=options.sort.strip().lower(), descending=options.descending, limit=limit)
        write_deals(conn, rows, sys.stdout, fmt)


@click.command("add")
@click.option("--kind", required=True, help="investment, purchase, infrastructure or partnership.")
@click.option("--from", "from_org", required=True, help="The party money or commitment flows from.")
@click.option("--to", "to_org", default=None, help="The counterparty (none for infrastructure).")
@click.option("--amount", default=None, help="As written: 100000000000, $100B, up to $100B, 3800亿元 ...")
@click.option("--currency", default=None, help="ISO 4217 code, if the amount's text has none.")
@click.option("--qualifier", default=None, help="exact, up to, at least, estimated, undisclosed.")
@click.option("--date", "date", required=True, help="YYYY-MM-DD, YYYY-MM, YYYY-Q3 (a quarter) or YYYY.")
@click.option("--status", default=None, help="announced, agreed, completed, cancelled.")
@click.option("--capacity-gw", default=None, help="Compute capacity in GW.")
@click.option("--description", default=None)
@click.option("--alliance", "alliances", multiple=True, help="Alliance name (repeatable).")
@click.option("--source-outlet", default=None)
@click.option("--source-author", default=None)
@click.option("--source-title", default=None)
@click.option("--source-url", default=None)
@click.option("--source-date", default=None)
@click.option(
    "--allow-duplicate", is_flag=True, help="Add it even if it looks like a stored deal (see tracker dedupe)."
)
@click.option("--new-org", is_flag=True, help="Create a party whose name is close to an existing one (Nvdia).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
@user_errors
def add_cmd(
    ctx: click.Context, fmt: str, alliances: tuple[str, ...], allow_duplicate: bool, new_org: bool,
    **fields: str | None,
) -> None:  # fmt: skip
    """Add one deal. Aliases resolve to existing organisations; a name of the reference list creates that
    organisation with its fields; a name close to an existing one (Nvdia) is refused, naming it, unless
    --new-org is given; any other new name creates an organisation and says so. A deal that looks like a
    stored one (same kind and parties, amount, dates within 31 days) is refused, naming it, unless
    --allow-duplicate is given."""
    from tracker.core.domain.fields import parse_deal_fields
    from tracker.core.domain.formula import defuse
    from tracker.core.domain.namelist import join_names
    from tracker.core.domain.text import visible
    from tracker.core.records.changes import add_deal
    from tracker.core.records.duplicates import refuse_duplicate
    from tracker.core.records.reference import reference_for

    # parse_deal_fields undoes the CSV formula escape; escaping first keeps typed text exactly as typed
    row = {k: defuse(v) for k, v in fields.items() if v is not None}
    if alliances:  # one list cell, as in a deals CSV: a name holding ';' is escaped (tracker.core.domain.namelist)
        row["alliances"] = defuse(join_names(alliances))
    values, errors = parse_deal_fields(row)
    if errors:
        e = errors[0]
        flag = "--" + {"from_org": "from", "to_org": "to"}.get(e.column, e.column.replace("_", "-"))
        raise UserError(f"{flag} {e.value!r}: {e.message}")
    from tracker.core.records.alliances import unknown_alliances

    db = open_db(ctx)
    with db.write() as conn:
        if not new_org:
            refuse_close_names(conn, values)
        if not allow_duplicate:
            refuse_duplicate(conn, values)
        new_alliances = unknown_alliances(conn, values.alliances or ())  # the same alliance, dashes aside
        deal_id, created = add_deal(conn, values, create_orgs=True)
    known = [name for name in created if reference_for(name) is not None]  # created from the reference list
    if fmt == "json":
        out = {"id": deal_id, "created_organizations": created, "from_reference_list": known}
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    for name in created:
        came = " from the reference list" if name in known else ""
        click.echo(f"created organisation {visible(repr(name))}{came}", err=True)
    for name in new_alliances:
        click.echo(f"created alliance {visible(repr(name))}", err=True)
    click.echo(f"added deal {deal_id}")


def refuse_close_names(conn: Connection, values: DealValues) -> None:
    """Raise UserError for the first party that names nothing stored but is close to a name (Nvdia)."""
    from tracker.core.records.resolve import close_parties, did_you_mean

    for party in close_parties(conn, values):
        flag = "--from" if party.column == "from_org" else "--to"
        name = repr(party.name)  # UserError's message is printed through visible()
        raise UserError(
            f"{flag} {name}: no such organisation; {did_you_mean(party.candidates)} Use --new-org to create {name}"
        )
