"""What every command shares: the root options, the one-line user error, the error wrapper, opening the
database. Imports nothing heavy: core modules are imported inside the functions that need them."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from tracker.core.storage.handle import Database

F = TypeVar("F", bound=Callable[..., Any])


class UserError(click.ClickException):
    """Printed as one line on stderr; exit code 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"tracker: {self.format_message()}", err=True)


@dataclass
class Options:
    """The root group's options, as ``ctx.find_root().obj``."""

    db: str | None
    empty: bool


def user_errors(fn: F) -> F:
    """Turn the core's errors (:class:`tracker.core.domain.errors.TrackerError`) into one-line messages
    (exit 1) instead of tracebacks; anything else is an "unexpected error" (TRACKER_DEBUG=1: the traceback)."""

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
    """The database of ``--db`` (created with the seed unless ``--empty``, or ``seed`` says otherwise),
    closed with the command; creating or upgrading it is said on stderr."""
    from tracker.core.csvio.seed import load_seed
    from tracker.core.storage.opening import open_database

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
