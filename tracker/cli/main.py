"""The command line: parse, call the core, print. No business logic lives here.

Exit codes: 0 done; 1 invalid input or a database problem, with a one-line message and nothing
written; 2 usage. Core modules are imported inside commands so ``--help`` and the app start fast.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tracker import __version__

if TYPE_CHECKING:
    from tracker.core.storage.database import Database

F = TypeVar("F", bound=Callable[..., Any])


class UserError(click.ClickException):
    """Printed as one line on stderr; exit code 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"tracker: {self.format_message()}", err=True)


@dataclass
class Options:
    db: str | None
    empty: bool


def _user_errors(fn: F) -> F:
    """Turn the core's errors into one-line messages (exit 1) instead of tracebacks."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            sys.stderr.close()
            raise SystemExit(0) from None
        except Exception as exc:
            # imported here, not above: the app's start-up must not pay for the core's imports
            from tracker.core.domain.errors import TrackerError

            if isinstance(exc, TrackerError):
                raise UserError(str(exc)) from exc
            if os.environ.get("TRACKER_DEBUG"):
                raise
            raise UserError(f"unexpected error: {type(exc).__name__}: {exc} (set TRACKER_DEBUG=1 for details)") from exc

    return wrapper  # type: ignore[return-value]


def open_db(ctx: click.Context, *, seed: bool | None = None) -> Database:
    from tracker.core.csvio.seed import load_seed
    from tracker.core.storage.database import open_database

    opts: Options = ctx.find_root().obj
    with_seed = not opts.empty if seed is None else seed
    db = open_database(opts.db, populate=load_seed if with_seed else None)
    if db.created:
        click.echo(f"tracker: created {db.display}" + (" with the article's seed" if with_seed else ""), err=True)
    if db.upgraded_from:
        backup = f" (backup: {db.backup})" if db.backup else ""
        click.echo(f"tracker: upgraded {db.display} from schema {db.upgraded_from}{backup}", err=True)
    ctx.call_on_close(db.dispose)
    return db


class Bars:
    """Rich progress bars on stderr when stderr is a terminal; callbacks that do nothing otherwise."""

    def __init__(self, progress: Any) -> None:
        self._progress = progress

    def task(self, label: str, total: int | None, unit: str = "rows") -> Callable[..., None]:
        """A callback ``(done)`` or ``(done, total)``; ``unit`` is "bytes" or "rows"."""
        if self._progress is None:
            return lambda *_: None
        task = self._progress.add_task(label, total=total, unit=unit)

        def update(done: int, new_total: int | None = None) -> None:
            if new_total is not None:
                self._progress.update(task, total=new_total)
            self._progress.update(task, completed=done)

        return update


@contextmanager
def progress_bars() -> Iterator[Bars]:
    if not sys.stderr.isatty():
        yield Bars(None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class Amount(ProgressColumn):
        def render(self, task: Any) -> Text:
            if task.fields.get("unit") == "bytes":
                from rich.filesize import decimal

                total = f"/{decimal(int(task.total))}" if task.total else ""
                return Text(f"{decimal(int(task.completed))}{total}")
            total = f"/{int(task.total):,}" if task.total else ""
            return Text(f"{int(task.completed):,}{total} rows")

    columns = [TextColumn("{task.description}"), BarColumn(), Amount(), TimeRemainingColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield Bars(progress)


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


@_user_errors
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


FORMATS = click.Choice(["table", "csv", "json"], case_sensitive=False)


@cli.command("list")
@click.option(
    "--search", "-s", default="", help="Match organisation names and aliases (英伟达 finds Nvidia), description, kind."
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many deals.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
@_user_errors
def list_cmd(ctx: click.Context, search: str, limit: int | None, fmt: str) -> None:
    """List deals, newest first."""
    from tracker.core.records.listing import iter_deals, write_deals

    db = open_db(ctx)
    with db.read() as conn:
        rows = iter_deals(conn, search=search, limit=limit)
        write_deals(conn, rows, sys.stdout, fmt)


@cli.command("add")
@click.option("--kind", required=True, help="investment, purchase, infrastructure or partnership.")
@click.option("--from", "from_org", required=True, help="The party money or commitment flows from.")
@click.option("--to", "to_org", default=None, help="The counterparty (none for infrastructure).")
@click.option("--amount", default=None, help="As written: 100000000000, $100B, up to $100B, 3800亿元 ...")
@click.option("--currency", default=None, help="ISO 4217 code, if the amount's text has none.")
@click.option("--qualifier", default=None, help="exact, up to, at least, estimated, undisclosed.")
@click.option("--date", "date", required=True, help="YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--status", default=None, help="announced, agreed, completed, cancelled.")
@click.option("--capacity-gw", default=None, help="Compute capacity in GW.")
@click.option("--description", default=None)
@click.option("--alliance", "alliances", multiple=True, help="Alliance name (repeatable).")
@click.option("--source-outlet", default=None)
@click.option("--source-author", default=None)
@click.option("--source-title", default=None)
@click.option("--source-url", default=None)
@click.option("--source-date", default=None)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
@_user_errors
def add_cmd(ctx: click.Context, fmt: str, alliances: tuple[str, ...], **fields: str | None) -> None:
    """Add one deal. Aliases resolve to existing organisations; a new name creates one and says so."""
    from tracker.core.domain.fields import parse_deal_fields
    from tracker.core.domain.formula import defuse
    from tracker.core.records.deals import add_deal

    # parse_deal_fields undoes the CSV formula escape; escaping first keeps typed text exactly as typed
    row = {k: defuse(v) for k, v in fields.items() if v is not None}
    for name in alliances:
        if ";" in name:
            raise UserError(f"--alliance {name!r}: an alliance name cannot contain ';' (it separates names in CSV)")
    if alliances:
        row["alliances"] = ";".join(alliances)
    values, errors = parse_deal_fields(row)
    if errors:
        e = errors[0]
        flag = "--" + {"from_org": "from", "to_org": "to"}.get(e.column, e.column.replace("_", "-"))
        raise UserError(f"{flag} {e.value!r}: {e.message}")
    db = open_db(ctx)
    with db.write() as conn:
        deal_id, created = add_deal(conn, values, create_orgs=True)
    if fmt == "json":
        click.echo(json.dumps({"id": deal_id, "created_organizations": created}, ensure_ascii=False))
        return
    for name in created:
        click.echo(f"created organisation {name!r}", err=True)
    click.echo(f"added deal {deal_id}")


@cli.command("seed")
@click.pass_context
@_user_errors
def seed_cmd(ctx: click.Context) -> None:
    """Load the article's deals (证券日报, 2025-09-29) into the database; running it again changes nothing."""
    from tracker.core.csvio.seed import load_seed

    db = open_db(ctx, seed=False)
    report = load_seed(db)
    click.echo(report.summary())


@cli.command("import")
@click.argument("source", required=False, metavar="FILE")
@click.option("--all", "all_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Read a folder written by `export --all` (every table).")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Report what would happen; write nothing.")
@click.option("--encoding", default=None, help="The file's encoding (default UTF-8, BOM or not); e.g. gb18030.")
@click.pass_context
@_user_errors
def import_cmd(
    ctx: click.Context, source: str | None, all_dir: Path | None, dry_run: bool, encoding: str | None
) -> None:
    """Import a deals CSV (FILE, or - for standard input).

    Any bad row means nothing is written: every bad row is listed with its line, column and value.
    """
    from tracker.core.csvio.importer import ImportFailed, import_deals

    if all_dir is None and source is None:
        raise click.UsageError("give a FILE (or - for standard input), or --all DIR")
    if all_dir is not None and source is not None:
        raise click.UsageError("give either FILE or --all DIR, not both")
    db = open_db(ctx)
    try:
        if all_dir is not None:
            from tracker.core.csvio.bundle import import_all

            report = import_all(db, all_dir, encoding=encoding, dry_run=dry_run)
            click.echo(report.summary())
            return
        assert source is not None
        size = None if source == "-" else Path(source).stat().st_size if Path(source).is_file() else None
        with progress_bars() as bars:
            deal_report = import_deals(
                db,
                source,
                encoding=encoding,
                dry_run=dry_run,
                progress=bars.task("checking", size, "bytes"),
                write_progress=bars.task("writing", None),
            )
    except ImportFailed as exc:
        r = exc.report
        click.echo(
            f"tracker: {r.error_count} bad row{'s' if r.error_count != 1 else ''}; nothing was written:", err=True
        )
        for line in r.error_lines():
            click.echo(f"  {line}", err=True)
        raise SystemExit(1) from None
    click.echo(deal_report.summary())


@cli.command("export")
@click.argument("target", required=False, default="-", metavar="[FILE]")
@click.option("--all", "all_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write every table as CSV files into this folder.")  # fmt: skip
@click.pass_context
@_user_errors
def export_cmd(ctx: click.Context, target: str, all_dir: Path | None) -> None:
    """Write every deal as a deals CSV to FILE (default, or -: standard output)."""
    from tracker.core.csvio.export import export_deals

    db = open_db(ctx)
    if all_dir is not None:
        from tracker.core.csvio.bundle import export_all

        counts = export_all(db, all_dir)
        click.echo(", ".join(f"{name}.csv: {n}" for name, n in counts.items()), err=True)
        return
    with db.read() as conn:
        from tracker.core.records.deals import count_deals

        total = count_deals(conn)  # for the progress bar only: the export reads in its own transaction(s)
    with progress_bars() as bars:
        progress = bars.task("exporting", total)
        if target == "-":
            # a 1 MiB buffer over standard output (the default 8 KiB one costs ~15% at a million rows)
            with open(sys.stdout.fileno(), "w", encoding="utf-8", newline="", buffering=1 << 20,
                      closefd=False) as out:  # fmt: skip
                n = export_deals(db, out, progress=progress, binary=out.buffer)
        else:
            with open(target, "w", encoding="utf-8", newline="", buffering=1 << 20) as f:
                n = export_deals(db, f, progress=progress, binary=f.buffer)
            click.echo(f"exported {n} deals to {target}", err=True)


def main() -> None:
    try:
        cli.main(prog_name="tracker", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("tracker: interrupted", err=True)
        raise SystemExit(130) from None


# Commands from the analysis modules register themselves here.
from tracker.cli import admin as _admin  # noqa: E402,F401
from tracker.cli import analysis as _analysis  # noqa: E402,F401
