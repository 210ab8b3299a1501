"""What every command shares: the root options, the one-line user error, the error wrapper, opening the
database. Imports nothing heavy: core modules are imported inside the functions that need them.

Every message printed here goes through ``tracker.core.domain.text.visible``: a name or a value from the
data or the command line that holds control characters is shown escaped (``\\x1b``), never sent to the
terminal. Ctrl-C ends a command with one line, "tracker: interrupted; nothing was written" (exit 130): a
transaction that was cut rolls back and an output file is only renamed into place when complete. A command
that has written something by then says what, with :func:`on_interrupt` (a note on the interrupt).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from tracker.core.config.settings import Config
    from tracker.core.storage.handle import Database

F = TypeVar("F", bound=Callable[..., Any])


INTERRUPTED = 130
"""The exit code of a command cut by Ctrl-C (128 + SIGINT), as shells report it."""


def shown(text: str) -> str:
    """``text`` safe to print: :func:`tracker.core.domain.text.visible`, tabs and line breaks kept."""
    from tracker.core.domain.text import visible

    return visible(text, lines=True)


class UserError(click.ClickException):
    """Printed as one line on stderr (control characters shown escaped); exit code 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        from tracker.core.domain.text import visible

        click.echo(f"tracker: {visible(self.format_message())}", err=True)


class Interrupted(UserError):
    """Ctrl-C: "interrupted; nothing was written" (or what was, from the interrupt's notes); exit code 130."""

    exit_code = INTERRUPTED

    def __init__(self, notes: list[str] | tuple[str, ...] = ()) -> None:
        super().__init__("interrupted; " + ("; ".join(notes) if notes else "nothing was written"))

    def show(self, file: Any = None) -> None:
        if sys.stderr.isatty():
            click.echo("", err=True)  # past the terminal's "^C"
        super().show(file)


def interrupted(exc: BaseException) -> Interrupted:
    """The :class:`Interrupted` of a KeyboardInterrupt, saying what its notes (:func:`on_interrupt`) say."""
    return Interrupted([str(n) for n in getattr(exc, "__notes__", ())])


@contextmanager
def on_interrupt(note: str) -> Iterator[None]:
    """Within this block, Ctrl-C reports ``note`` ("wrote 3 of 5 files") instead of "nothing was written"."""
    try:
        yield
    except KeyboardInterrupt as exc:
        exc.add_note(note)
        raise


@dataclass
class Options:
    """The root group's options, as ``ctx.find_root().obj``; ``db`` as the flag, the environment or the
    settings file say (tracker/core/config/settings.py)."""

    db: str | None
    empty: bool
    config: Config | None = None

    def setting(self, name: str, default: str) -> str:
        """A setting in force (flag, environment, file), else ``default``."""
        value = self.config.value(name) if self.config is not None else None
        return value if value is not None else default


def user_errors(fn: F) -> F:
    """Turn the core's errors (:class:`tracker.core.domain.errors.TrackerError`) into one-line messages
    (exit 1) instead of tracebacks, and Ctrl-C into :class:`Interrupted` (exit 130); anything else is an
    "unexpected error" (TRACKER_DEBUG=1: the traceback)."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KeyboardInterrupt as exc:
            raise interrupted(exc) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            sys.stderr.close()
            raise SystemExit(0) from None
        except Exception as exc:
            # imported here, not above: the app's start-up must not pay for the core's imports
            from tracker.core.domain.errors import TrackerError

            if isinstance(exc, TrackerError):
                raise UserError(str(exc)) from exc
            if isinstance(exc, UnicodeEncodeError) and "surrogate" in exc.reason:  # bytes that were not UTF-8
                bad = (
                    exc.object[exc.start : exc.end]
                    .encode("utf-8", "surrogateescape")
                    .decode("utf-8", "backslashreplace")
                )
                raise UserError(f"text that is not valid UTF-8 ('{bad}'): give it in UTF-8") from exc
            if os.environ.get("TRACKER_DEBUG"):
                raise
            raise UserError(f"unexpected error: {type(exc).__name__}: {exc} (set TRACKER_DEBUG=1 for details)") from exc

    return wrapper  # type: ignore[return-value]


AS_OF_HELP = (
    "Answer from the database as it was recorded at T: a date (the end of that day, UTC) or an ISO date and "
    "time (UTC), e.g. 2026-10-01 or 2026-10-01T12:00. This is when we knew it (see tracker history), not when "
    "deals happened (their date: --at, --since, --until)."
)


def as_of_option(fn: F) -> F:
    """``--as-of T``: the recorded time to answer at (tracker/core/records/asof.py)."""
    return click.option("--as-of", "as_of", default=None, metavar="T", help=AS_OF_HELP)(fn)


def open_db(ctx: click.Context, *, seed: bool | None = None, as_of: str | None = None) -> Database:
    """The database of ``--db`` (created with the seed unless ``--empty``, or ``seed`` says otherwise),
    closed with the command; creating or upgrading it is said on stderr. ``as_of``: that database as it was
    recorded at that time, rebuilt from its history into a temporary one (removed with the command)."""
    if as_of is not None:
        from tracker.core.records.asof import materialize

        live = open_db(ctx, seed=seed)
        past = materialize(live, as_of)
        ctx.call_on_close(past.close)
        return past.db
    from tracker.core.csvio.seed import load_seed
    from tracker.core.storage.history import set_context
    from tracker.core.storage.opening import open_database

    opts: Options = ctx.find_root().obj
    # who and what the history records for every change this command makes (tracker/core/storage/history.py)
    set_context(actor=opts.setting("user", "") or None, command=ctx.command_path)
    with_seed = not opts.empty if seed is None else seed
    db = open_database(opts.db, populate=load_seed if with_seed else None)
    if db.created:
        click.echo(
            f"tracker: created {shown(db.display)}" + (" with the article's seed" if with_seed else ""), err=True
        )
    if db.upgraded_from:
        backup = f" (backup: {shown(str(db.backup))})" if db.backup else ""
        click.echo(f"tracker: upgraded {shown(db.display)} from schema {db.upgraded_from}{backup}", err=True)
    ctx.call_on_close(db.dispose)
    return db


def echo_json(data: Any) -> None:
    """``data`` as indented JSON for scripts, with the characters a terminal may obey written as escapes
    (:func:`tracker.core.records.listing.json_text`)."""
    from tracker.core.records.listing import json_text

    click.echo(json_text(json.dumps(data, ensure_ascii=False, indent=2)))


@dataclass(frozen=True)
class Outcome:
    """What a change prints: ``payload`` as JSON; for people ``note`` (stderr, when given) then ``text`` (stdout,
    when given: the record as it is now)."""

    payload: Any
    text: str | None
    note: str | None = None


def emit(outcome: Outcome, fmt: str) -> None:
    """Print ``outcome`` as ``fmt``: one JSON object (``json``), or its note and text for people."""
    if fmt.lower() == "json":
        echo_json(outcome.payload)
        return
    if outcome.note is not None:
        click.echo(f"tracker: {shown(outcome.note)}", err=True)
    if outcome.text is not None:
        click.echo(outcome.text)
