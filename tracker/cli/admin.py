"""The administrative commands: ``copy`` (moving a whole database between files and servers)."""

from __future__ import annotations

import click

from tracker.cli.common import Options, UserError, open_db, shown, user_errors


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
    transaction: if anything fails, it is left empty. A target that holds data is refused.
    """
    from pathlib import Path

    from tracker.core.storage.copying import TABLE_LABELS, copy_database
    from tracker.core.storage.errors import DatabaseError
    from tracker.core.storage.opening import open_database
    from tracker.core.storage.urls import mask, resolve_url

    opts: Options = ctx.find_root().obj
    src_url = resolve_url(opts.db)
    if src_url.get_backend_name() == "sqlite" and not Path(src_url.database or "").exists():
        raise UserError(f"{src_url.database}: no such database; nothing to copy (give the source with --db)")
    source = open_db(ctx, seed=False)
    if source.created:
        raise UserError(f"{source.display} held no tracker database; nothing to copy (give the source with --db)")
    dest = open_database(target)
    ctx.call_on_close(dest.dispose)
    new_file = dest.created and dest.is_sqlite and bool(dest.url.database)  # made by this very call
    try:
        counts = copy_database(source, dest)
    except BaseException as exc:
        dest.dispose()
        if new_file:  # a file this command created holds nothing worth keeping
            for suffix in ("", "-wal", "-shm"):
                Path(str(dest.url.database) + suffix).unlink(missing_ok=True)
        if isinstance(exc, DatabaseError):
            raise UserError(f"{exc}; nothing was copied") from exc
        raise
    copied = ", ".join(f"{counts.get(t, 0)} {label}" for t, label in TABLE_LABELS.items())
    click.echo(f"copied {copied}")
    click.echo(f"from {shown(source.display)} to {shown(mask(dest.display))}", err=True)
