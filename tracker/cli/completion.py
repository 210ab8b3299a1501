"""``tracker completion bash|zsh|fish``: the shell completion script, from click's own completion."""

from __future__ import annotations

import click


@click.command("completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def completion_cmd(ctx: click.Context, shell: str) -> None:
    """Print the completion script for SHELL (commands, options, choices such as --format's).

    \b
    bash:  eval "$(tracker completion bash)"     (in ~/.bashrc)
    zsh:   eval "$(tracker completion zsh)"      (in ~/.zshrc)
    fish:  tracker completion fish > ~/.config/fish/completions/tracker.fish
    """
    from click.shell_completion import get_completion_class

    root = ctx.find_root().command
    cls = get_completion_class(shell)
    assert cls is not None  # the choice above lists only shells click knows
    click.echo(cls(root, {}, "tracker", "_TRACKER_COMPLETE").source())
