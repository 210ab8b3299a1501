"""The alliance commands: ``alliance list|show|add|rename|delete`` and ``alliance member add|remove``.

Names are matched as everywhere: case, the kind of dash and spacing aside (``OpenAI-Nvidia-Oracle
triangle`` is the seed's ``OpenAI–Nvidia–Oracle triangle``); organisations by name or alias. Every command
writes in one transaction through tracker/core/records/alliance_edits.py, the app's write path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from tracker.cli.common import Outcome, echo_json, open_db, shown, user_errors
from tracker.cli.pairs import Side, add_remove

if TYPE_CHECKING:
    from sqlalchemy import Connection

FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="json for scripts."
)


@click.group("alliance")
def alliance_group() -> None:
    """Alliances: groupings of deals and organisations (the OpenAI–Nvidia–Oracle triangle)."""


@alliance_group.command("list")
@FORMAT
@click.pass_context
@user_errors
def list_cmd(ctx: click.Context, fmt: str) -> None:
    """Every alliance, alphabetical, with how many members and deals it has."""
    from tracker.core.analysis.cells import pad
    from tracker.core.records.alliances import list_alliances

    with open_db(ctx).read() as conn:
        items = list_alliances(conn)
    if fmt == "json":
        echo_json([{"id": a.id, "name": a.name, "description": a.description,
                "members": [n for _, n in a.members], "deals": a.deal_count} for a in items])  # fmt: skip
        return
    if not items:
        click.echo("no alliances")
        return
    from rich.cells import cell_len

    names = [shown(a.name) for a in items]
    width = max(cell_len("ALLIANCE"), *map(cell_len, names))
    click.echo(f"{pad('ALLIANCE', width)}  MEMBERS  DEALS")
    for a, name in zip(items, names, strict=True):
        click.echo(f"{pad(name, width)}  {len(a.members):>7}  {a.deal_count:>5}")


@alliance_group.command("show")
@click.argument("name")
@FORMAT
@click.pass_context
@user_errors
def show_cmd(ctx: click.Context, name: str, fmt: str) -> None:
    """One alliance: its description, members and deals."""
    from tracker.core.records.alliances import alliance_deals, get_alliance

    with open_db(ctx).read() as conn:
        a = get_alliance(conn, name)
        deals = alliance_deals(conn, a.id)
    if fmt == "json":
        echo_json({"id": a.id, "name": a.name, "description": a.description, "members": [n for _, n in a.members],
               "deals": [{"id": i, "label": label} for i, label in deals]})  # fmt: skip
        return
    click.echo(shown(a.name))
    if a.description:
        click.echo(f"  {shown(a.description)}")
    click.echo(f"members ({len(a.members)}): " + (", ".join(shown(n) for _, n in a.members) or "none"))
    click.echo(f"deals ({len(deals)}):" + ("" if deals else " none"))
    for _, label in deals:
        click.echo(f"  {shown(label)}")


@alliance_group.command("add")
@click.argument("name")
@click.option("--member", "members", multiple=True, metavar="ORG", help="A member (name or alias; repeatable).")
@click.option("--description", default=None, help="What the alliance is.")
@FORMAT
@click.pass_context
@user_errors
def add_cmd(ctx: click.Context, name: str, members: tuple[str, ...], description: str | None, fmt: str) -> None:
    """Create the alliance NAME; refused if one of that name (case, dashes and spacing aside) exists."""
    from tracker.core.records.alliance_edits import create_alliance
    from tracker.core.records.alliances import alliance_summary

    with open_db(ctx).write() as conn:
        alliance_id, _undo = create_alliance(conn, name, members, description)
        a = alliance_summary(conn, alliance_id)
    assert a is not None
    if fmt == "json":
        echo_json({"id": a.id, "name": a.name, "description": a.description, "members": [n for _, n in a.members]})
        return
    with_members = f" with {', '.join(shown(n) for _, n in a.members)}" if a.members else ""
    click.echo(f"created alliance '{shown(a.name)}'{with_members}")


@alliance_group.command("rename")
@click.argument("old")
@click.argument("new")
@FORMAT
@click.pass_context
@user_errors
def rename_cmd(ctx: click.Context, old: str, new: str, fmt: str) -> None:
    """Rename the alliance OLD to NEW (its deals and members stay)."""
    from tracker.core.records.alliance_edits import rename_alliance

    with open_db(ctx).write() as conn:
        before, after, _undo = rename_alliance(conn, old, new)
    if fmt == "json":
        echo_json({"old": before, "new": after})
        return
    click.echo(f"renamed alliance '{shown(before)}' to '{shown(after)}'")


@alliance_group.command("delete")
@click.argument("name")
@FORMAT
@click.pass_context
@user_errors
def delete_cmd(ctx: click.Context, name: str, fmt: str) -> None:
    """Delete the alliance NAME: the grouping goes; its deals and organisations stay."""
    from tracker.core.records.alliance_edits import remove_alliance

    with open_db(ctx).write() as conn:
        snap, _undo = remove_alliance(conn, name)
    if fmt == "json":
        echo_json({"id": snap.id, "name": snap.name, "members": len(snap.member_ids), "deals": list(snap.deal_ids)})
        return
    click.echo(
        f"deleted alliance '{shown(snap.name)}' ({len(snap.member_ids)} members, {len(snap.deal_ids)} deals; "
        "the deals and organisations stay)"
    )


@alliance_group.group("member")
def member_group() -> None:
    """Add or remove a member organisation."""


def _membership(add: bool) -> Callable[[Connection, str, str], Outcome]:
    def write(conn: Connection, alliance: str, org: str) -> Outcome:
        from tracker.core.records.alliance_edits import add_member, remove_member

        a_name, o_name, _undo = (add_member if add else remove_member)(conn, alliance, org)
        now = "is now a member of" if add else "is no longer a member of"
        payload = {"alliance": a_name, "organization": o_name, "member": add}
        return Outcome(payload, f"'{shown(o_name)}' {now} '{shown(a_name)}'")

    return write


add_remove(
    member_group,
    "alliance",
    "org",
    add=Side("Make the organisation ORG (name or alias) a member of ALLIANCE.", _membership(add=True)),
    remove=Side("End the membership of the organisation ORG (name or alias) in ALLIANCE.", _membership(add=False)),
)
