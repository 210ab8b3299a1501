"""The administrative commands: ``copy`` (moving a whole database between files and servers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from tracker.cli.common import Options, UserError, open_db, shown, user_errors

if TYPE_CHECKING:
    from tracker.core.storage.handle import Database


@click.command("copy")
@click.option(
    "--to",
    "target",
    required=True,
    metavar="URL",
    help="The database to copy into: a new SQLite file or an empty PostgreSQL database "
    "(postgresql+psycopg://user:password@host/dbname).",
)
@click.pass_context
@user_errors
def copy_cmd(ctx: click.Context, target: str) -> None:
    """Copy the whole current database (--db) into another, empty one, ids and all.

    Moves a SQLite file onto a team's PostgreSQL server (or back): `tracker --db ~/deals.db copy --to
    postgresql+psycopg://me@server/deals`. The target gets the current schema and every row in one
    transaction: if anything fails, a new target is not created and an existing one is left as it was. A
    target that holds data is refused.
    """
    from pathlib import Path

    from tracker.core.storage.copying import TABLE_LABELS, copy_database
    from tracker.core.storage.errors import DatabaseError
    from tracker.core.storage.opening import open_database
    from tracker.core.storage.searchbuild import index_in_background
    from tracker.core.storage.urls import mask, resolve_url

    opts: Options = ctx.find_root().obj
    src_url = resolve_url(opts.db)
    if src_url.get_backend_name() == "sqlite" and not Path(src_url.database or "").exists():
        raise UserError(f"{src_url.database}: no such database; nothing to copy (give the source with --db)")
    source = open_db(ctx, seed=False)
    if source.created:
        raise UserError(f"{source.display} held no tracker database; nothing to copy (give the source with --db)")
    counts: dict[str, int] | None = None

    def fill(new: Database) -> None:  # a new target is created and filled at once: a failure leaves none
        nonlocal counts
        counts = copy_database(source, new)

    try:
        dest = open_database(target, populate=fill)
        ctx.call_on_close(dest.dispose)
        if counts is None:  # the target had a tracker schema already: copied into only if it is empty
            counts = copy_database(source, dest)
    except DatabaseError as exc:
        raise UserError(f"{exc}; nothing was copied") from exc
    copied = ", ".join(f"{counts.get(t, 0)} {label}" for t, label in TABLE_LABELS.items())
    click.echo(f"copied {copied}")
    click.echo(f"from {shown(source.display)} to {shown(mask(dest.display))}", err=True)
    index_in_background(dest)
