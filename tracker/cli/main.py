"""The command line: the root group, which opens the app with no command, and the commands registered on it.

Parse, call the core, print: no business logic lives here. Each command group lives in its own module
(deals, transfer, fx, analysis, admin, orgs, extract) and is registered below with ``cli.add_command``.

Exit codes: 0 done; 1 invalid input or a database problem, with a one-line message and nothing
written; 2 usage; 130 interrupted (Ctrl-C), with one line saying so and what was written, if anything.
Core modules are imported inside commands so ``--help`` and the app start fast.

Every message reaches the terminal through ``tracker.core.domain.text.visible`` (click's own usage errors
too: they quote what was typed), and an argument that is not valid UTF-8 (a lone surrogate, as Python
decodes such bytes) is refused before anything runs, naming it.
"""

from __future__ import annotations

import gc
import io
import os
import signal
import sys
from collections.abc import Mapping, Sequence

import click

from tracker import __version__
from tracker.cli import (
    admin,
    alliances,
    analysis,
    completion,
    config,
    deals,
    dedupe,
    edits,
    extract,
    fx,
    history,
    orgs,
    serve,
    sources,
    transfer,
    views,
)
from tracker.cli.common import INTERRUPTED, Options, UserError, interrupted, user_errors


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
    from tracker.core.config.settings import load_config
    from tracker.core.domain.text import visible

    given = db if ctx.get_parameter_source("db") is click.core.ParameterSource.COMMANDLINE else None
    config = load_config(flags={"db": given})
    for problem in config.problems:  # a bad settings file never stops a command: its defaults stand in
        click.echo(f"tracker: settings: {visible(problem)}", err=True)
    ctx.obj = Options(db=config.value("db"), empty=empty, config=config)
    if ctx.invoked_subcommand is None:
        _run_app(ctx)


cli.add_command(deals.list_cmd)
cli.add_command(deals.add_cmd)
cli.add_command(edits.edit_cmd)
cli.add_command(edits.delete_cmd)
cli.add_command(transfer.seed_cmd)
cli.add_command(transfer.import_cmd)
cli.add_command(transfer.export_cmd)
cli.add_command(fx.fx_group)
cli.add_command(analysis.map_cmd)
cli.add_command(analysis.totals_cmd)
cli.add_command(admin.copy_cmd)
cli.add_command(serve.serve_cmd)
cli.add_command(completion.completion_cmd)
cli.add_command(orgs.org_group)
cli.add_command(config.config_group)
cli.add_command(dedupe.dedupe_cmd)
cli.add_command(alliances.alliance_group)
cli.add_command(extract.extract_cmd)
cli.add_command(views.view_group)
cli.add_command(sources.source_group)
cli.add_command(history.history_cmd)


@user_errors
def _run_app(ctx: click.Context) -> None:
    from tracker.ui.preview import start_first_page

    opts: Options = ctx.obj
    preview = start_first_page(opts.db)  # while Textual loads (see tracker/ui/preview.py)
    from tracker.ui.app import TrackerApp

    app = TrackerApp(db_target=opts.db, empty=opts.empty, preview=preview, config=opts.config)
    app.run()
    # The app is over and the terminal restored: spare the interpreter's final garbage collection a walk
    # over every object of SQLAlchemy and SQLModel (~0.25 s of a quit), as nothing is left to collect.
    gc.freeze()


def _surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def undecodable_argument(args: Sequence[str], env: Mapping[str, str]) -> str | None:
    """The message for the first argument (or TRACKER_DB) that is not valid UTF-8, else None: ``--search
    '\\xff': not valid UTF-8 text``. Python decodes such bytes into lone surrogates, which no database,
    file or terminal can take."""
    from tracker.core.domain.text import visible

    def named(name: str, value: str) -> str:
        try:
            raw = value.encode("utf-8", "surrogateescape")  # the bytes as they were given
        except UnicodeEncodeError:
            raw = value.encode("utf-8", "backslashreplace")
        shown = visible(raw.decode("utf-8", "backslashreplace"))
        return f"{visible(name)} '{shown}': not valid UTF-8 text; give it in UTF-8"

    for i, arg in enumerate(args):
        if not _surrogates(arg):
            continue
        if arg.startswith("--") and "=" in arg:
            option, _, given = arg.partition("=")
            return named(option, given)
        before = args[i - 1] if i else ""
        if before.startswith("-") and not _surrogates(before) and "=" not in before:
            return named(before, arg)
        return named(f"argument {i + 1}", arg)
    db = env.get("TRACKER_DB")
    if db is not None and _surrogates(db):
        return named("TRACKER_DB", db)
    return None


def _show_click_error(exc: click.ClickException) -> None:
    """Our one-line errors as they are; click's own (usage errors, which quote what was typed) visibly."""
    if isinstance(exc, UserError):
        exc.show()
        return
    from tracker.core.domain.text import visible

    buffer = io.StringIO()
    exc.show(file=buffer)
    sys.stderr.write(visible(buffer.getvalue(), lines=True))
    sys.stderr.flush()


def _interrupted(exc: BaseException) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not cut the message short
    interrupted(exc).show()
    raise SystemExit(INTERRUPTED) from None


def main() -> None:
    """The ``tracker`` entry point."""
    try:
        problem = undecodable_argument(sys.argv[1:], os.environ)
        if problem is not None:
            click.echo(f"tracker: {problem}", err=True)
            raise SystemExit(1)
        try:
            code = cli.main(prog_name="tracker", standalone_mode=False)
        except click.ClickException as exc:
            _show_click_error(exc)
            raise SystemExit(exc.exit_code) from None
        except click.Abort as exc:  # click's wrapping of Ctrl-C (outside a command) or of an end of input
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, KeyboardInterrupt):
                _interrupted(cause)
            click.echo("tracker: aborted", err=True)
            raise SystemExit(1) from None
        raise SystemExit(code if isinstance(code, int) else 0)
    except KeyboardInterrupt as exc:  # before click started, or while it was ending
        _interrupted(exc)
