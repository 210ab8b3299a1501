"""``tracker config path`` and ``tracker config show``: the settings file and the settings in force."""

from __future__ import annotations

import json

import click

from tracker.cli.common import Options, shown


@click.group("config")
def config_group() -> None:
    """The settings file (TOML): db, theme, currency, user, and [keys] to remap the app's keys by id.

    \b
    db = "~/deals.db"            # or a postgresql+psycopg:// URL
    theme = "gruvbox"            # any Textual theme; ctrl+p theme changes are saved here
    currency = "EUR"             # the reporting currency of totals
    user = "jane"                # the name history records
    [keys]
    "app.quit" = "ctrl+q"        # binding id = keys (the ids are in the app's ? help)

    A flag wins over the environment (TRACKER_DB, TRACKER_THEME, TRACKER_CURRENCY, TRACKER_USER), which
    wins over the file; TRACKER_CONFIG names another file. A bad file is reported and the defaults used.
    """


@config_group.command("path")
@click.pass_context
def path_cmd(ctx: click.Context) -> None:
    """Print where the settings file is (it may not exist yet)."""
    opts: Options = ctx.find_root().obj
    assert opts.config is not None
    click.echo(shown(str(opts.config.path)))


@config_group.command("show")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def show_cmd(ctx: click.Context, fmt: str) -> None:
    """The settings in force, each with where it came from (default, file, environment, flag)."""
    opts: Options = ctx.find_root().obj
    config = opts.config
    assert config is not None
    if fmt == "json":
        data = {
            "path": str(config.path),
            "settings": {
                s.name: {"value": s.value, "source": s.source, "where": s.where or None}
                for s in config.settings.values()
            },
            "keys": config.keys,
            "problems": list(config.problems),
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"file: {shown(str(config.path))}{'' if config.path.exists() else ' (none yet)'}")
    for s in config.settings.values():
        where = f" ({s.where})" if s.where else ""
        value = "(none)" if s.value is None else s.value
        click.echo(f"{s.name:<9} {shown(value):<30} {s.source}{shown(where)}")
    for binding_id, keys in config.keys.items():
        click.echo(f"key       {shown(binding_id)} = {shown(keys)}  file")
