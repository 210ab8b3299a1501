"""``tracker serve``: the app in a browser (textual-serve), one app process per tab, on the same database."""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys

import click

from tracker.cli.common import Options, UserError, user_errors

LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost: reachable from this machine only."""
    if host.casefold() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(db: str | None, empty: bool) -> str:
    """The command each browser tab runs: this Python's tracker on the same database."""
    args = [sys.executable, "-m", "tracker"]
    if db is not None:
        args += ["--db", db if "://" in db else os.path.abspath(db)]
    if empty:
        args.append("--empty")
    return shlex.join(args)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The port.")
@click.option(
    "--public", is_flag=True, help="Allow a host other than loopback (anyone who reaches it can use the app)."
)
@click.option("--token", envvar="TRACKER_SERVE_TOKEN", default=None, metavar="TEXT",
              help="Require ?token=TEXT in the URL (or TRACKER_SERVE_TOKEN).")  # fmt: skip
@click.pass_context
@user_errors
def serve_cmd(ctx: click.Context, host: str, port: int, public: bool, token: str | None) -> None:
    """The app in a browser, through textual-serve: every tab runs its own app on this database.

    Listens on 127.0.0.1:8000 by default (this machine only). Any other host needs --public, and then
    there is no authentication unless a token is set (--token or TRACKER_SERVE_TOKEN), which the URL must
    carry. Downloads (X, export) arrive in the browser and source links open in a new tab. Ctrl-C stops
    the server and every app it started.
    """
    opts: Options = ctx.obj
    if not is_loopback(host) and not public:
        raise UserError(f"--host '{host}': not a loopback address; add --public to serve other machines")
    if token is not None and not token.strip():
        raise UserError("--token '': empty; give a token or leave the option out")
    from tracker.ui.web import TrackerServer

    server = TrackerServer(app_command(opts.db, opts.empty), host=host, port=port, token=token)
    url = f"http://{host if ':' not in host else f'[{host}]'}:{port}/" + (f"?token={token}" if token else "")
    if not is_loopback(host) and not token:
        click.echo(f"tracker serve: WARNING: serving on {host} with no authentication: anyone who reaches "
                   "this address can read and change the database (set --token)", err=True)  # fmt: skip
    click.echo(f"tracker serve: open {url}  (Ctrl-C stops)", err=True)
    server.serve()
    click.echo("tracker serve: stopped", err=True)
