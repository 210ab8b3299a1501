"""The command line: the root group, which opens the app with no command, and the commands registered on it.

Parse, call the core, print: no business logic lives here. Each command group lives in its own module
(deals, transfer, fx, analysis, admin) and is registered below with ``cli.add_command``.

Exit codes: 0 done; 1 invalid input or a database problem, with a one-line message and nothing
written; 2 usage. Core modules are imported inside commands so ``--help`` and the app start fast.
"""

from __future__ import annotations

import gc

import click

from tracker import __version__
from tracker.cli import admin, analysis, deals, fx, transfer
from tracker.cli.common import Options, user_errors


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db",
    envvar="TRACKER_DB",
    metavar="PATH_OR_URL",
    help="SQLite file or SQLAlchemy URL (postgresql+psycopg://...). Default: TRACKER_DB, else a file in "
    "the user's data directory.",
)
@click.option("--empty", is_flag=True, help="Create a new database without the article's seed.")
@click.version_option(__version__, "--version", prog_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: str | None, empty: bool) -> None:
    """Record and analyse the AI-infrastructure race: who invests in whom, who buys compute from whom.

    With no command, opens the app.
    """
    ctx.obj = Options(db=db, empty=empty)
    if ctx.invoked_subcommand is None:
        _run_app(ctx)


cli.add_command(deals.list_cmd)
cli.add_command(deals.add_cmd)
cli.add_command(transfer.seed_cmd)
cli.add_command(transfer.import_cmd)
cli.add_command(transfer.export_cmd)
cli.add_command(fx.fx_group)
cli.add_command(analysis.map_cmd)
cli.add_command(analysis.totals_cmd)
cli.add_command(admin.copy_cmd)


@user_errors
def _run_app(ctx: click.Context) -> None:
    from tracker.ui.preview import start_first_page

    opts: Options = ctx.obj
    preview = start_first_page(opts.db)  # while Textual loads (see tracker/ui/preview.py)
    from tracker.ui.app import TrackerApp

    app = TrackerApp(db_target=opts.db, empty=opts.empty, preview=preview)
    app.run()
    # The app is over and the terminal restored: spare the interpreter's final garbage collection a walk
    # over every object of SQLAlchemy and SQLModel (~0.25 s of a quit), as nothing is left to collect.
    gc.freeze()


def main() -> None:
    """The ``tracker`` entry point."""
    try:
        cli.main(prog_name="tracker", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("tracker: interrupted", err=True)
        raise SystemExit(130) from None
