"""Saved views: ``tracker view save|list|delete``, and the view ``list --view`` and ``export --view`` apply."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

import click

from tracker.cli.common import Options, open_db, shown, user_errors

if TYPE_CHECKING:
    from tracker.core.records.views import SavedView
    from tracker.core.storage.handle import Database

OVERRIDES = ("search", "kinds", "org", "since", "until", "sort", "reverse")
"""The options of ``list`` and ``export`` that, given beside ``--view``, override the view's field."""


def view_with_flags(ctx: click.Context, db: Database, name: str, given: Mapping[str, object]) -> SavedView:
    """The saved view ``name`` with each of ``given`` that was typed on the command line in its place."""
    from tracker.core.records.views import ViewError, get_view

    with db.read() as conn:
        view = get_view(conn, name)
    if view is None:
        raise ViewError(f"--view {name!r}: no view has this name (tracker view list shows them)")
    from dataclasses import replace

    typed = {k: v for k, v in given.items() if ctx.get_parameter_source(k) is click.core.ParameterSource.COMMANDLINE}
    view = replace(view, **typed)  # type: ignore[arg-type]
    if view.confidence_ignored:
        click.echo(f"tracker: view {shown(repr(view.name))}: deals have no confidence here yet; its confidence "
                   "filter is not applied", err=True)  # fmt: skip
    return view


@click.group("view")
def view_group() -> None:
    """Saved views: a filter, a sort and the app's visible columns under a name, stored in the database
    (everyone on one PostgreSQL server shares them). `tracker list --view NAME` and `tracker export --view
    NAME` apply one; in the app they are in the command palette and on keys 1-9."""


@view_group.command("save")
@click.argument("name")
@click.option("--search", "-s", default="", help="Words a deal must all contain (as tracker list --search).")
@click.option(
    "--kind", "kinds", multiple=True, help="investment, purchase, infrastructure or partnership (repeatable)."
)
@click.option("--org", default=None, help="Deals of this organisation (name or alias), on either side.")
@click.option(
    "--since", default=None, help="Deals whose period reaches this date or later (YYYY-MM-DD, YYYY-MM, YYYY)."
)
@click.option("--until", default=None, help="Deals whose period starts by this date.")
@click.option("--confidence", "confidences", multiple=True,
              help="confirmed, reported, rumored or unsourced (repeatable); applied where deals have a confidence.")  # fmt: skip
@click.option("--sort", default="date", show_default=True, help="date, kind, from, to, amount, value or status.")
@click.option("--reverse", is_flag=True, help="The other order (as tracker list --reverse).")
@click.option("--columns", default=None,
              help="The app's extra columns, comma-separated: id, capacity, alliances, description, confidence (where "
              "deals have one); '' for none; not given: the app's default.")  # fmt: skip
@click.option("--replace", "replace_existing", is_flag=True, help="Replace a view of that name (case ignored).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
@user_errors
def save_cmd(ctx: click.Context, name: str, columns: str | None, replace_existing: bool, fmt: str,
             kinds: tuple[str, ...], confidences: tuple[str, ...], **fields: str | bool | None) -> None:  # fmt: skip
    """Save a view under NAME (unique, case ignored). The organisation must exist; the rest is checked as
    tracker list checks it."""
    from tracker.core.domain.columns import OPTIONAL_COLUMNS, parse_columns, unknown_column
    from tracker.core.records.errors import DealError
    from tracker.core.records.listing import list_filter
    from tracker.core.records.views import SavedView, save_view

    cols = None
    if columns is not None:
        cols = parse_columns(columns)
        if cols is None:
            raise DealError(f"--columns {unknown_column(columns)!r}: one of {', '.join(OPTIONAL_COLUMNS)}")
    view = SavedView(name=name, kinds=kinds, confidences=confidences, columns=cols, **fields).check()  # type: ignore[arg-type]
    opts: Options = ctx.find_root().obj
    db = open_db(ctx)
    with db.write() as conn:
        list_filter(conn, view.options())  # an organisation that is not there: refused, naming it
        stored = save_view(conn, view, replace_existing=replace_existing, user=opts.setting("user", ""))
    if fmt == "json":
        click.echo(json.dumps(stored.as_json(), ensure_ascii=False))
    else:
        click.echo(f"saved view {shown(repr(stored.name))}: {shown(stored.describe())}")


@view_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
@user_errors
def list_cmd(ctx: click.Context, fmt: str) -> None:
    """The saved views by name (the order of the app's keys 1-9), with what each shows."""
    from tracker.core.records.listing import json_text
    from tracker.core.records.views import list_views

    db = open_db(ctx)
    with db.read() as conn:
        views = list_views(conn)
    if fmt == "json":
        click.echo(json_text(json.dumps([v.as_json() for v in views], ensure_ascii=False)))
        return
    if not views:
        click.echo("no saved views (tracker view save NAME ... saves one)")
    for number, v in enumerate(views, 1):
        key = f"{number}" if number <= 9 else " "
        click.echo(f"{key}  {shown(v.name)}: {shown(v.describe())}  (by {shown(v.created_by)}, {v.created})")


@view_group.command("delete")
@click.argument("name")
@click.pass_context
@user_errors
def delete_cmd(ctx: click.Context, name: str) -> None:
    """Delete the view NAME (case ignored)."""
    from tracker.core.records.views import delete_view

    db = open_db(ctx)
    with db.write() as conn:
        view = delete_view(conn, name)
    click.echo(f"deleted view {shown(repr(view.name))}")
