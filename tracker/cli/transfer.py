"""Moving deals in and out: ``import``, ``export`` and ``seed``.

What the data says reaches the terminal only through ``tracker.core.domain.text.visible`` (organisation
names in an import's summary, unknown column names, the values of bad rows): control characters are shown
escaped, never sent.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import IO, Any, TextIO, cast

import click

from tracker.cli.common import as_of_option, on_interrupt, open_db, user_errors
from tracker.cli.progress import progress_bars


def _shown(text: str) -> str:
    from tracker.core.domain.text import visible

    return visible(text)


@click.command("seed")
@click.pass_context
@user_errors
def seed_cmd(ctx: click.Context) -> None:
    """Load the article's deals (证券日报, 2025-09-29) into the database: adds what is missing, never changes
    what is there (a seed deal or rate you edited stays as you left it); running it again changes nothing."""
    from tracker.core.csvio.seed import load_seed

    db = open_db(ctx, seed=False)
    report = load_seed(db)
    click.echo(report.summary())


def _safe_report(report: Any) -> Any:
    """An import report whose names from the data are shown visibly (its summary prints them)."""
    return dataclasses.replace(
        report,
        created_orgs=[_shown(n) for n in report.created_orgs],
        created_alliances=[_shown(n) for n in report.created_alliances],
        reference_orgs=[_shown(n) for n in report.reference_orgs],
        close_names=[dataclasses.replace(c, value=_shown(c.value), meant=_shown(c.meant)) for c in report.close_names],
        unknown_columns=[_shown(n) for n in report.unknown_columns],
        duplicates=[_shown(n) for n in report.duplicates],
    )


@click.command("import")
@click.argument("source", required=False, metavar="FILE")
@click.option("--all", "all_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Read a folder written by `export --all` (every table; checked against its manifest).")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Report what would happen; write nothing.")
@click.option("--encoding", default=None, help="The file's encoding (default UTF-8, BOM or not); e.g. gb18030.")
@click.option("--strict-names", is_flag=True,
              help="Refuse the file if a new organisation's name is close to a known one (Nvdia, Open AI).")  # fmt: skip
@click.pass_context
@user_errors
def import_cmd(
    ctx: click.Context, source: str | None, all_dir: Path | None, dry_run: bool, encoding: str | None,
    strict_names: bool,
) -> None:  # fmt: skip
    """Import a deals CSV (FILE, or - for standard input).

    Any bad row means nothing is written: every bad row is listed with its line, column and value. A new
    organisation named as in the reference list (英伟达, NVDA) is created with the list's fields; one whose
    name is close to a stored or reference name is listed in the summary (line, value, candidate) and
    imported as written, unless --strict-names refuses the file.
    """
    from tracker.core.csvio.importer import import_deals
    from tracker.core.csvio.report import ImportFailed
    from tracker.core.storage.searchbuild import index_in_background

    if all_dir is None and source is None:
        raise click.UsageError("give a FILE (or - for standard input), or --all DIR")
    if all_dir is not None and source is not None:
        raise click.UsageError("give either FILE or --all DIR, not both")
    try:
        if all_dir is not None:
            from tracker.core.csvio.bundle import check_bundle, import_all

            warnings = check_bundle(all_dir)  # before the database is opened (or created)
            for warning in warnings:
                click.echo(f"tracker: warning: {_shown(warning)}", err=True)
            db = open_db(ctx)
            report = import_all(db, all_dir, encoding=encoding, dry_run=dry_run, checked=True)
            if report.deals is not None:
                report = dataclasses.replace(report, deals=_safe_report(report.deals))
            click.echo(report.summary())
            index_in_background(db)
            return
        assert source is not None
        from tracker.core.csvio.workbook import import_workbook, is_workbook

        if is_workbook(source):
            if encoding is not None:
                raise click.UsageError("--encoding is for CSV files; a workbook (.xlsx) says its own")
            if not Path(source).is_file():
                raise click.UsageError(f"{source}: no such file")
            db = open_db(ctx)
            click.echo(_safe_report(import_workbook(db, source, dry_run=dry_run, strict_names=strict_names)).summary())
            return
        db = open_db(ctx)
        size = None if source == "-" else Path(source).stat().st_size if Path(source).is_file() else None
        with progress_bars() as bars:
            deal_report = import_deals(
                db,
                source,
                encoding=encoding,
                dry_run=dry_run,
                strict_names=strict_names,
                progress=bars.task("checking", size, "bytes"),
                write_progress=bars.task("writing", None),
            )
    except ImportFailed as exc:
        r = exc.report
        click.echo(
            f"tracker: {r.error_count} bad row{'s' if r.error_count != 1 else ''}; nothing was written:", err=True
        )
        for line in r.error_lines():
            click.echo(f"  {_shown(line)}", err=True)
        raise SystemExit(1) from None
    click.echo(_safe_report(deal_report).summary())
    index_in_background(db)


@click.command("export")
@click.argument("target", required=False, default="-", metavar="[FILE]")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default=None,
              help="csv (the default) or xlsx (an Excel workbook: Deals, Totals, Rates); FILE.xlsx implies xlsx.")  # fmt: skip
@click.option("--all", "all_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write every table as CSV files, with a manifest, into this folder (replaced whole).")  # fmt: skip
@click.option("--view", "view_name", default=None, metavar="NAME",
              help="Only the deals of a saved view (tracker view list), in its order (CSV only).")  # fmt: skip
@as_of_option
@click.pass_context
@user_errors
def export_cmd(ctx: click.Context, target: str, all_dir: Path | None, fmt: str | None, view_name: str | None,
               as_of: str | None) -> None:  # fmt: skip
    """Write every deal as a deals CSV to FILE (default, or -: standard output), or as an Excel workbook
    (FILE.xlsx or --format xlsx: a Deals sheet with numbers and dates Excel can sort and sum, Totals, Rates).

    FILE is written whole or not at all (a temporary file beside it, renamed when complete); a new file is
    readable by its owner only. The database itself is refused as FILE."""
    from tracker.core.csvio.export import export_deals, export_file
    from tracker.core.csvio.output import OutputError
    from tracker.core.csvio.workbook import export_workbook, is_workbook

    if fmt is None:
        fmt = "xlsx" if is_workbook(target) else "csv"
    if all_dir is not None and fmt == "xlsx":
        raise click.UsageError("--all writes CSV files; give FILE.xlsx without --all for a workbook")
    if view_name is not None:
        if all_dir is not None or fmt == "xlsx":
            raise click.UsageError("--view writes the deals CSV of a view: not with --all or a workbook")
        _export_view(ctx, target, view_name)
        return
    if fmt == "xlsx":
        if target == "-":
            if sys.stdout.isatty():
                raise click.UsageError("a workbook is binary: give FILE.xlsx, or redirect standard output")
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                n = export_workbook(open_db(ctx, as_of=as_of), Path(tmp) / "deals.xlsx")
                sys.stdout.buffer.write((Path(tmp) / "deals.xlsx").read_bytes())
                sys.stdout.buffer.flush()
        else:
            folder = Path(target).absolute().parent
            if not folder.is_dir():
                raise OutputError(f"cannot write {target}: the folder {folder} does not exist")
            n = export_workbook(open_db(ctx, as_of=as_of), target)
        click.echo(f"exported {n} deals to {'standard output' if target == '-' else target} (xlsx)", err=True)
        return

    if all_dir is not None:
        from tracker.core.csvio.bundle import export_all

        db = open_db(ctx, as_of=as_of)
        counts = export_all(db, all_dir)
        click.echo(", ".join(f"{name}.csv: {n}" for name, n in counts.items()), err=True)
        return
    if target != "-":
        folder = Path(target).absolute().parent
        if not folder.is_dir():  # said before the database is opened (or created)
            raise OutputError(f"cannot write {target}: the folder {folder} does not exist")
    db = open_db(ctx, as_of=as_of)
    with db.read() as conn:
        from tracker.core.records.pages import count_deals

        total = count_deals(conn)  # for the progress bar only: the export reads in its own transaction(s)
    with progress_bars() as bars:
        progress = bars.task("exporting", total)
        if target == "-":
            # a 1 MiB buffer over standard output (the default 8 KiB one costs ~15% at a million rows)
            # the note covers the last flush too (the file's close), where a blocked pipe is interrupted
            with on_interrupt("the export to standard output was cut short: what it got is incomplete"), \
                    open(sys.stdout.fileno(), "w", encoding="utf-8", newline="", buffering=1 << 20,
                         closefd=False) as out:  # fmt: skip
                if out.isatty():  # a person reads it: control characters from the data shown, never sent
                    export_deals(db, cast(TextIO, _Visible(out)), progress=progress)
                else:
                    export_deals(db, out, progress=progress, binary=_bytes_under(out))
        else:
            n = export_file(db, target, progress=progress)
            click.echo(f"exported {n} deals to {target}", err=True)


def _export_view(ctx: click.Context, target: str, view_name: str) -> None:
    """The deals of the saved view ``view_name``, in its order, as the deals CSV (the export's lines)."""
    from tracker.cli.views import view_with_flags
    from tracker.core.csvio.filtered import write_deals_csv
    from tracker.core.csvio.output import OutputError, atomic_file, refuse_database
    from tracker.core.records.listing import list_filter

    if target != "-" and not Path(target).absolute().parent.is_dir():
        raise OutputError(f"cannot write {target}: the folder {Path(target).absolute().parent} does not exist")
    db = open_db(ctx)
    options = view_with_flags(ctx, db, view_name, {}).options()
    options.check()
    with db.read() as conn:
        f = list_filter(conn, options)
        sort = options.sort.strip().lower()
        if target == "-":
            with open(sys.stdout.fileno(), "w", encoding="utf-8", newline="", closefd=False) as out:
                write_deals_csv(conn, cast(TextIO, _Visible(out)) if out.isatty() else out, f, sort=sort,
                                descending=options.descending)  # fmt: skip
            return
        refuse_database(db, target)
        with atomic_file(target) as out:
            n = write_deals_csv(conn, out, f, sort=sort, descending=options.descending)
    click.echo(f"exported {n} deals of view {_shown(repr(view_name))} to {target}", err=True)


class _Visible:
    """A text file that writes what it is given with control characters escaped (line ends kept)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, text: str) -> int:
        from tracker.core.domain.text import visible

        return self._out.write(visible(text.replace("\r\n", "\n"), lines=True))

    def flush(self) -> None:
        self._out.flush()


def _bytes_under(text: TextIO) -> IO[bytes]:
    """The binary file under a text file (typeshed types ``TextIOWrapper.buffer`` as a protocol narrower
    than ``IO[bytes]``; at run time it is the BufferedWriter that ``open`` made)."""
    return text.buffer
