"""Shell completion (#16): the scripts for bash, zsh and fish, and completions they would offer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize(("shell", "marker"), [("bash", "complete -o nosort -F"), ("zsh", "#compdef tracker"),
                                               ("fish", "complete --no-files --command tracker")])  # fmt: skip
def test_each_shell_gets_a_script(shell: str, marker: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "tracker", "completion", shell], capture_output=True, text=True)
    assert proc.returncode == 0 and marker in proc.stdout and "_TRACKER_COMPLETE" in proc.stdout


def test_the_script_completes_commands_and_choices() -> None:
    """What bash asks the program when a person presses Tab after `tracker ex` and `tracker export --format `."""
    env = {**os.environ, "_TRACKER_COMPLETE": "bash_complete", "COMP_WORDS": "tracker ex", "COMP_CWORD": "1"}
    tracker = str(Path(sys.executable).parent / "tracker")  # the installed entry point, as a shell runs it
    proc = subprocess.run([tracker], capture_output=True, text=True, env=env)
    assert "plain,export" in proc.stdout.splitlines()
    env |= {"COMP_WORDS": "tracker export --format ", "COMP_CWORD": "3"}
    proc = subprocess.run([tracker], capture_output=True, text=True, env=env)
    assert {"plain,csv", "plain,xlsx"} <= set(proc.stdout.splitlines())
