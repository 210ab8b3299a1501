"""``tracker history [DEAL] [--since T] [--format text|json]``: what changed, when, by whom, with which
command, newest first (tracker/core/records/history.py)."""

from __future__ import annotations

import json

import click

from tracker.cli.common import UserError, open_db, shown, user_errors


@click.command("history")
@click.argument("deal", required=False, type=int, metavar="[DEAL]")
@click.option("--since", "since", default=None, metavar="T",
              help="Only changes recorded at or after T: a date (from its start, UTC) or an ISO date and time "
                   "(UTC). The recorded time, not the deal's date.")  # fmt: skip
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many changes.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
@user_errors
def history_cmd(ctx: click.Context, deal: int | None, since: str | None, limit: int | None, fmt: str) -> None:
    """The history of every change (or of deal DEAL), newest first: the time it was recorded (UTC), who
    made it (the actor; on PostgreSQL the database role too), the command or screen, and for an edit each
    field before and after. An import is one entry (file, counts) beside its rows."""
    from sqlalchemy import text

    from tracker.core.records.history import lines, list_history, recorded_time

    start = None
    if since is not None:
        start = recorded_time(since, "--since")
        if len(since.strip()) == 10:
            start = f"{since.strip()} 00:00:00.000"
    db = open_db(ctx)
    with db.read() as conn:
        if deal is not None:
            found = conn.execute(text("SELECT 1 FROM change_log WHERE deal_id = :d LIMIT 1"), {"d": deal}).first()
            if found is None:
                raise UserError(f"DEAL {deal}: no deal of that id in the history")
        entries = list_history(conn, deal_id=deal, since=start, limit=limit)
    if fmt == "json":
        from tracker.core.records.listing import json_text

        click.echo(json_text(json.dumps([e.as_json() for e in entries], ensure_ascii=False, indent=2)))
        return
    for entry in entries:
        for line in lines(entry):
            click.echo(shown(line))
