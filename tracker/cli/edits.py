"""Changing and removing deals from scripts: ``edit ID`` and ``delete ID``.

Both write through the app's own path (tracker/core/records/undo.py over records/changes.py): the same
checks of every field, the same name look-up (aliases, new organisations said on stderr), alliances by
their one key, the row version raised and the running sums kept by the database's triggers.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.common import UserError, echo_json, open_db, shown, user_errors

if TYPE_CHECKING:
    from tracker.core.records.details import DealDetail

FLAGS = {"from_org": "--from", "to_org": "--to"}
FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="json for scripts."
)


def _flag(column: str) -> str:
    return FLAGS.get(column, "--" + column.replace("_", "-"))


@click.command("edit")
@click.argument("deal_id", metavar="ID", type=click.IntRange(min=1))
@click.option("--kind", default=None, help="investment, purchase, infrastructure or partnership.")
@click.option("--from", "from_org", default=None, help="The party money or commitment flows from.")
@click.option("--to", "to_org", default=None, help="The counterparty ('' for none: infrastructure).")
@click.option("--amount", default=None, help="As written: $100B, up to $100B, 3800亿元 ...; '' = undisclosed.")
@click.option("--currency", default=None, help="ISO 4217 code, if the amount's text has none.")
@click.option("--qualifier", default=None, help="exact, up to, at least, estimated, undisclosed.")
@click.option("--date", "date", default=None, help="YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--status", default=None, help="announced, agreed, completed, cancelled.")
@click.option("--capacity-gw", default=None, help="Compute capacity in GW ('' clears).")
@click.option("--description", default=None, help="'' clears.")
@click.option(
    "--alliance", "alliances", multiple=True, help="Alliance name (repeatable); replaces the deal's; '' clears."
)
@click.option("--source-outlet", default=None)
@click.option("--source-author", default=None)
@click.option("--source-title", default=None)
@click.option("--source-url", default=None)
@click.option("--source-date", default=None)
@click.option("--new-org", is_flag=True, help="Create a party whose name is close to an existing one (Nvdia).")
@FORMAT
@click.pass_context
@user_errors
def edit_cmd(
    ctx: click.Context, deal_id: int, fmt: str, alliances: tuple[str, ...], new_org: bool, **fields: str | None
) -> None:
    """Change deal ID: only the options given change (the options of add; '' clears an optional one).

    A party close to a stored name (Nvdia) is refused naming it, as by add, unless --new-org."""
    from tracker.cli.deals import refuse_close_names
    from tracker.core.domain.fields import parse_deal_fields
    from tracker.core.domain.formula import defuse
    from tracker.core.domain.namelist import join_names
    from tracker.core.records import undo as ops
    from tracker.core.records.alliances import unknown_alliances
    from tracker.core.records.changes import snapshot, values_of
    from tracker.core.records.editable import editable_fields

    given = {k: v for k, v in fields.items() if v is not None}
    if not given and not alliances:
        raise UserError("nothing to change: give at least one option (tracker edit --help lists them)")
    db = open_db(ctx)
    with db.write() as conn:
        base = editable_fields(values_of(conn, deal_id))
        if "amount" in given:  # a new amount brings its own currency and qualifier unless they are given too
            base.pop("currency")
            base.pop("qualifier")
        row = {k: defuse(v) for k, v in {**base, **given}.items()}  # parse_deal_fields undoes the defusing
        names = [a for a in alliances if a.strip()]
        if alliances:
            row["alliances"] = defuse(join_names(names))
        values, errors = parse_deal_fields(row)
        if errors:
            e = errors[0]
            raise UserError(f"{_flag(e.column)} {e.value!r}: {e.message}")
        values.present = frozenset(given) | ({"alliances"} if alliances else set())
        if not new_org:
            refuse_close_names(conn, values)
        new_alliances = unknown_alliances(conn, values.alliances or ())
        before = snapshot(conn, deal_id)
        _id, created, _undo = ops.edit(conn, deal_id, values, True)
        after = snapshot(conn, deal_id)
    changed = sorted(k for k in before.row if before.row[k] != after.row.get(k))
    if set(before.alliance_ids) != set(after.alliance_ids):
        changed.append("alliances")
    if fmt == "json":
        click.echo(json.dumps({"id": deal_id, "changed": changed, "created_organizations": created,
                               "created_alliances": new_alliances}, ensure_ascii=False))  # fmt: skip
        return
    for name in created:
        click.echo(f"created organisation '{shown(name)}'", err=True)
    for name in new_alliances:
        click.echo(f"created alliance '{shown(name)}'", err=True)
    click.echo(f"updated deal {deal_id}: " + (", ".join(changed) if changed else "nothing changed"))


@click.command("delete")
@click.argument("deal_id", metavar="ID", type=click.IntRange(min=1))
@FORMAT
@click.pass_context
@user_errors
def delete_cmd(ctx: click.Context, deal_id: int, fmt: str) -> None:
    """Delete deal ID, with its alliance memberships and deal links; prints what it deleted."""
    from tracker.core.records import undo as ops
    from tracker.core.records.details import get_deal
    from tracker.core.records.errors import DealError

    db = open_db(ctx)
    with db.write() as conn:
        detail = get_deal(conn, deal_id)
        if detail is None:
            raise DealError(f"deal {deal_id}: no such deal")
        ops.delete(conn, deal_id)
    record = _record(detail)
    if fmt == "json":
        echo_json({"deleted": record})
        return
    from tracker.core.domain.amount_format import format_amount

    to = f" → {detail.to_party.name}" if detail.to_party else ""
    amount = format_amount(detail.amount, detail.currency, detail.qualifier)
    click.echo(shown(f"deleted deal #{deal_id}: {record['date']} {detail.kind} {detail.from_party.name}{to}, {amount}"))
    if detail.alliances:
        click.echo("  out of alliances: " + ", ".join(shown(name) for _, name in detail.alliances))
    for link in detail.links:
        click.echo(f"  link removed: {shown(link.relation)} {shown(link.label)}")


def _record(detail: DealDetail) -> dict[str, Any]:
    from tracker.core.domain.amount_format import format_plain
    from tracker.core.domain.dates import format_date

    return {
        "id": detail.id, "date": format_date(detail.date, detail.date_precision), "kind": detail.kind,
        "from_org": detail.from_party.name, "to_org": detail.to_party.name if detail.to_party else None,
        "amount": format_plain(detail.amount) if detail.amount is not None else None, "currency": detail.currency,
        "qualifier": detail.qualifier, "status": detail.status, "description": detail.description,
        "alliances": [name for _, name in detail.alliances],
        "links": [{"id": link.id, "relation": link.relation, "label": link.label} for link in detail.links],
    }  # fmt: skip
