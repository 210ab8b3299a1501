"""The organisation commands: ``org list``, ``org show``, ``org edit``, ``org alias add|remove``,
``org merge`` and ``org delete``.

NAME is a name or an alias, matched as everywhere else (any case, 英伟达 is Nvidia). A change that cannot be
made (a name another organisation has, a parent that closes a cycle, a merge that would give a deal the same
organisation on both sides, a delete of an organisation with deals) is one line naming why, exit 1, nothing
written: every change is one transaction through the core (tracker/core/records/org_edit.py, org_merge.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.common import Outcome, UserError, echo_json, emit, open_db, shown, user_errors
from tracker.cli.pairs import Side, add_remove

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from tracker.core.records.orgs import OrgSummary

TEXT_JSON = click.Choice(["text", "json"], case_sensitive=False)
FORMAT_HELP = "text for people, json for scripts."


def _format() -> Any:
    return click.option("--format", "fmt", type=TEXT_JSON, default="text", show_default=True, help=FORMAT_HELP)


def summary_json(o: OrgSummary) -> dict[str, Any]:
    """An organisation as the JSON of ``org show`` (and of every change, showing the result)."""
    return {
        "id": o.id, "name": o.name, "native_name": o.native_name, "aliases": list(o.aliases),
        "country": o.country, "sector": o.sector, "parent": o.parent, "children": list(o.children),
        "alliances": list(o.alliances), "deals_out": o.deals_out, "deals_in": o.deals_in, "notes": o.notes,
    }  # fmt: skip


def summary_lines(o: OrgSummary) -> list[str]:
    """An organisation as ``org show`` prints it (every value shown visibly)."""
    lines = [shown(o.name)]
    for label, value in (
        ("native name", o.native_name), ("aliases", ", ".join(o.aliases)), ("country", o.country),
        ("sector", o.sector), ("parent", o.parent), ("children", ", ".join(o.children)),
        ("alliances", "; ".join(o.alliances)), ("deals out", str(o.deals_out)), ("deals in", str(o.deals_in)),
    ):  # fmt: skip
        if value:
            lines.append(f"  {label + ':':<13}{shown(value)}")
    if o.notes:
        lines.append("  notes:")
        lines.extend(f"    {shown(line)}" for line in o.notes.splitlines())
    return lines


def _summary(conn: Connection, org_id: int) -> OrgSummary:
    from tracker.core.records.orgs import org_summary

    found = org_summary(conn, org_id)
    assert found is not None
    return found


def _lines(summary: OrgSummary) -> str:
    return "\n".join(summary_lines(summary))


@click.group("org")
def org_group() -> None:
    """Organisations: list, show, edit, aliases, merge, delete. NAME is a name or an alias (any case)."""


@org_group.command("list")
@click.option("--search", "-s", default="", help="Only organisations whose name or an alias contains this text.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.pass_context
@user_errors
def org_list(ctx: click.Context, search: str, fmt: str) -> None:
    """List organisations, busiest first, with their deals out and in."""
    from tracker.core.analysis.cells import clip, pad
    from tracker.core.domain.formula import defuse
    from tracker.core.records.orgs import list_orgs

    db = open_db(ctx)
    with db.read() as conn:
        items = list_orgs(conn, search, limit=None)
    if fmt == "json":
        rows = [{"id": i.id, "name": i.name, "country": i.country, "sector": i.sector, "deals_out": i.deals_out,
                 "deals_in": i.deals_in} for i in items]  # fmt: skip
        echo_json(rows)
    elif fmt == "csv":
        import csv

        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(("name", "country", "sector", "deals_out", "deals_in"))
        for i in items:
            cells = (shown(defuse(v or "")) for v in (i.name, i.country, i.sector))  # defused as every CSV we write
            w.writerow((*cells, i.deals_out, i.deals_in))
    else:
        click.echo(f"{pad('organisation', 32)}  {pad('country', 16)}  {pad('sector', 14)}  {'out':>5}  {'in':>5}")
        for i in items:
            name, country, sector = (shown(v or "") for v in (i.name, i.country, i.sector))
            click.echo(
                f"{pad(clip(name, 32), 32)}  {pad(clip(country, 16), 16)}  {pad(clip(sector, 14), 14)}  "
                f"{i.deals_out:>5}  {i.deals_in:>5}"
            )
        if not items:
            click.echo("tracker: no organisation matches", err=True)


@org_group.command("show")
@click.argument("name")
@_format()
@click.pass_context
@user_errors
def org_show(ctx: click.Context, name: str, fmt: str) -> None:
    """Show one organisation: names, country, sector, parent and children, alliances, deals, notes."""
    from tracker.core.records.org_state import resolve_org

    db = open_db(ctx)
    with db.read() as conn:
        summary = _summary(conn, resolve_org(conn, name))
    if fmt == "json":
        echo_json(summary_json(summary))
    else:
        click.echo("\n".join(summary_lines(summary)))


OPTION_OF = {"name": "--name", "native_name": "--native-name", "country": "--country", "sector": "--sector",
             "parent": "--parent", "notes": "--notes", "aliases": "alias"}  # fmt: skip


@org_group.command("edit")
@click.argument("name")
@click.option("--name", "new_name", default=None, help="A new name; the old one stays as an alias.")
@click.option("--native-name", default=None, help="The name in its own language ('' clears it).")
@click.option("--country", default=None, help="'' clears it.")
@click.option("--sector", default=None, help="'' clears it.")
@click.option("--parent", default=None, help="The parent organisation, a name or an alias ('' clears it).")
@click.option("--notes", default=None, help="'' clears them.")
@_format()
@click.pass_context
@user_errors
def org_edit(ctx: click.Context, name: str, new_name: str | None, fmt: str, **fields: str | None) -> None:
    """Change an organisation's fields; only the options given change."""
    from tracker.core.records.org_edit import OrgChange, edit_org
    from tracker.core.records.org_state import OrgError, resolve_org

    change = OrgChange(name=new_name, **fields)
    if new_name is None and all(v is None for v in fields.values()):
        raise UserError("nothing to change: give at least one of --name, --native-name, --country, --sector, "
                        "--parent, --notes")  # fmt: skip
    db = open_db(ctx)
    with db.write() as conn:
        org_id = resolve_org(conn, name)
        try:
            edit_org(conn, org_id, change)
        except OrgError as exc:  # the core names the field as a form does; here it is the option
            message = str(exc)
            option = OPTION_OF.get(exc.field)
            label = {"native_name": "native name"}.get(exc.field, exc.field)
            if option and exc.field != "aliases" and message.startswith(label + " "):
                message = option + message[len(label) :]
            raise UserError(message) from exc
        summary = _summary(conn, org_id)
    emit(Outcome(summary_json(summary), _lines(summary), f"saved organisation {summary.name!r}"), fmt)


@org_group.group("alias")
def alias_group() -> None:
    """Add or remove another name of an organisation (native names, tickers, old names)."""


def _alias_change(add: bool) -> Callable[[Connection, str, str], Outcome]:
    def write(conn: Connection, name: str, alias: str) -> Outcome:
        from tracker.core.domain.names import clean_name
        from tracker.core.records.org_edit import add_alias, remove_alias
        from tracker.core.records.org_state import resolve_org

        org_id = resolve_org(conn, name)
        (add_alias if add else remove_alias)(conn, org_id, alias)
        summary = _summary(conn, org_id)
        done = f"added alias {clean_name(alias)!r} to" if add else f"removed alias {clean_name(alias)!r} from"
        return Outcome(summary_json(summary), _lines(summary), f"{done} {summary.name!r}")

    return write


add_remove(
    alias_group,
    "name",
    "alias",
    add=Side("Give NAME another name, ALIAS (refused if another organisation has it).", _alias_change(add=True)),
    remove=Side("Take ALIAS from NAME's aliases.", _alias_change(add=False)),
)


@org_group.command("merge")
@click.argument("from_name", metavar="FROM")
@click.argument("into_name", metavar="INTO")
@_format()
@click.pass_context
@user_errors
def org_merge(ctx: click.Context, from_name: str, into_name: str, fmt: str) -> None:
    """Merge FROM into INTO: FROM's deals, alliances, aliases and children move to INTO, FROM's names become
    aliases of INTO, INTO's empty fields are filled from FROM, and FROM is deleted. Refused, naming them, while
    a deal between the two would have INTO on both sides."""
    from tracker.core.records.org_merge import merge_orgs
    from tracker.core.records.org_state import resolve_org

    db = open_db(ctx)
    with db.write() as conn:
        from_id, into_id = resolve_org(conn, from_name, "FROM"), resolve_org(conn, into_name, "INTO")
        result = merge_orgs(conn, from_id, into_id)
        summary = _summary(conn, into_id)
    payload = {"merged": result.merged_name, "into": summary_json(summary), "deals_moved": result.deals_moved,
               "aliases_added": list(result.aliases_added), "fields_filled": list(result.fields_filled)}  # fmt: skip
    message = f"merged {result.merged_name!r} into {result.into_name!r}: {result.deals_moved} deals moved"
    if result.aliases_added:
        message += f"; new aliases: {', '.join(result.aliases_added)}"
    if result.fields_filled:
        message += f"; filled from it: {', '.join(result.fields_filled)}"
    emit(Outcome(payload, _lines(summary), message), fmt)


@org_group.command("delete")
@click.argument("name")
@_format()
@click.pass_context
@user_errors
def org_delete(ctx: click.Context, name: str, fmt: str) -> None:
    """Delete an organisation that has no deals (refused, saying how many, if it has)."""
    from tracker.core.records.org_edit import delete_org
    from tracker.core.records.org_state import resolve_org

    db = open_db(ctx)
    with db.write() as conn:
        org_id = resolve_org(conn, name)
        summary = _summary(conn, org_id)
        delete_org(conn, org_id)
    emit(Outcome({"deleted": summary_json(summary)}, None, f"deleted organisation {summary.name!r}"), fmt)
