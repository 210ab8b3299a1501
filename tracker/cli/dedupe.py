"""``tracker dedupe``: likely duplicate deals across the database, and merging one into another."""

from __future__ import annotations

import json

import click

from tracker.cli.common import open_db, shown, user_errors


@click.command("dedupe")
@click.option(
    "--merge",
    nargs=2,
    type=click.IntRange(min=1),
    metavar="KEEP DROP",
    default=None,
    help="Merge deal DROP into deal KEEP (links, alliances, KEEP's empty fields from DROP), then delete DROP.",
)
@click.option("--all", "show_all", is_flag=True, help="List the pairs kept both of too (the app's 'keep both').")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
@user_errors
def dedupe_cmd(ctx: click.Context, merge: tuple[int, int] | None, show_all: bool, fmt: str) -> None:
    """List pairs of deals that look like duplicates (same kind and parties, same amount and currency or
    both undisclosed, dates within 31 days at their precision), with the reason; or merge one pair."""
    from tracker.core.records.duplicates import duplicate_pairs, label_of

    db = open_db(ctx)
    if merge is not None:
        from tracker.core.records.merging import merge_deals

        keep, drop = merge
        with db.write() as conn:
            result = merge_deals(conn, keep, drop)
        if fmt == "json":
            payload = {"kept": keep, "deleted": drop, "filled": list(result.filled),
                       "moved_links": len(result.moved_links), "moved_alliances": len(result.moved_alliances)}  # fmt: skip
            click.echo(json.dumps(payload, ensure_ascii=False))
        else:
            click.echo(shown(result.summary()))
        return
    with db.read() as conn:
        pairs = duplicate_pairs(conn, dismissed=show_all)
        labels = {i: label_of(conn, i) for p in pairs for i in (p.first, p.second)}
    if fmt == "json":
        out = [
            {
                "first": {"id": p.first, "label": labels[p.first]},
                "second": {"id": p.second, "label": labels[p.second]},
                "reason": p.reason,
            }
            for p in pairs
        ]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not pairs:
        click.echo("no likely duplicates")
        return
    for p in pairs:
        click.echo(shown(f"{labels[p.first]}\n{labels[p.second]}\n  {p.reason}"))
    n = len(pairs)
    click.echo(f"{n} likely duplicate pair{'s' if n != 1 else ''}; merge one with: tracker dedupe --merge KEEP DROP")
