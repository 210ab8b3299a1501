"""Add/remove command pairs (``org alias add|remove``, ``alliance member add|remove``): each command takes two
arguments, makes one change in one transaction through the core, and prints the result for people (a line
on stderr, then the record on stdout) or as one JSON object (``--format json``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from tracker.cli.common import Outcome, emit, open_db, user_errors

if TYPE_CHECKING:
    from sqlalchemy import Connection

__all__ = ["Side", "add_remove"]


@dataclass(frozen=True)
class Side:
    """One command of a pair: its help and its change, ``write(conn, first, second)``."""

    help: str
    write: Callable[[Connection, str, str], Outcome]


def add_remove(group: click.Group, first: str, second: str, *, add: Side, remove: Side) -> None:
    """Register ``add`` and ``remove`` in ``group``, each taking FIRST SECOND and ``--format``."""
    for name, side in (("add", add), ("remove", remove)):
        group.add_command(_command(name, side, first, second))


def _command(name: str, side: Side, first: str, second: str) -> click.Command:
    @click.command(name, help=side.help)
    @click.argument(first)
    @click.argument(second)
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"], case_sensitive=False),
        default="text",
        show_default=True,
        help="text for people, json for scripts.",
    )
    @click.pass_context
    @user_errors
    def command(ctx: click.Context, fmt: str, **names: str) -> None:
        with open_db(ctx).write() as conn:
            outcome = side.write(conn, names[first], names[second])
        emit(outcome, fmt)

    return command
