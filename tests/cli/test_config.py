"""The settings file (#16): `tracker config path|show`, precedence, bad files, and the settings used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.core.config.settings import load_config, save_setting


def _tracker(*args: str, config: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    full = {**base, "TRACKER_CONFIG": str(config), "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args], capture_output=True, text=True, env=full, timeout=120
    )


def test_path_and_show_say_where_each_setting_came_from(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    assert _tracker("config", "path", config=config).stdout.strip() == str(config)
    config.write_text('# mine\ntheme = "gruvbox"\ncurrency = "eur"\ndb = "from-file.db"\n')
    shown = _tracker("config", "show", "--format", "json", config=config, env={"TRACKER_CURRENCY": "CNY"})
    data = json.loads(shown.stdout)["settings"]
    assert data["theme"] == {"value": "gruvbox", "source": "file", "where": f"{config}:2"}
    assert data["currency"] == {"value": "CNY", "source": "environment", "where": "TRACKER_CURRENCY"}
    assert data["db"]["source"] == "file" and data["db"]["value"] == "from-file.db"
    assert data["user"]["source"] == "default"
    flagged = json.loads(_tracker("--db", "flag.db", "config", "show", "--format", "json", config=config).stdout)
    assert flagged["settings"]["db"] == {"value": "flag.db", "source": "flag", "where": "--db"}
    text = _tracker("config", "show", config=config).stdout
    assert "theme     gruvbox" in text and f"file ({config}:2)" in text


def test_the_files_db_and_currency_are_used(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    db = tmp_path / "mine.db"
    config.write_text(f'db = "{db}"\ncurrency = "CNY"\n')
    assert _tracker("list", "--limit", "1", config=config).returncode == 0
    assert db.exists()  # the file's database, not the default one
    totals = json.loads(_tracker("totals", "--format", "json", config=config).stdout)
    assert totals["currency"] == "CNY"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('theme = "x"\ncurrency = [1\n', "not valid TOML"),
        ('theme = "x"\ncolour = "red"\n', ":2: unknown setting 'colour'"),
        ('currency = "dollars"\n', ":1: currency = 'dollars': not an ISO 4217 code"),
        ("theme = 3\n", ":1: theme = 3: expected text in quotes"),
        ('[keys]\n"app.quit" = 7\n', ":2: [keys] app.quit = 7: expected keys in quotes"),
    ],
)
def test_a_bad_file_is_named_with_its_line_and_the_command_still_runs(
    tmp_path: Path, content: str, message: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content)
    proc = _tracker("--db", str(tmp_path / "x.db"), "list", "--limit", "1", config=config)
    assert proc.returncode == 0, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_saving_a_setting_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    config = tmp_path / "sub" / "config.toml"
    save_setting(config, "theme", "nord")
    assert config.read_text() == 'theme = "nord"\n'
    config.write_text('# my settings\ncurrency = "EUR"\n\n[keys]\n"app.quit" = "ctrl+q"\n')
    save_setting(config, "theme", "dracula")
    save_setting(config, "theme", "gruvbox")
    text = config.read_text()
    assert text.startswith("# my settings\n") and '"app.quit" = "ctrl+q"' in text
    assert text.count("theme =") == 1 and text.index('theme = "gruvbox"') < text.index("[keys]")
    loaded = load_config(config, env={})
    assert loaded.value("theme") == "gruvbox" and loaded.keys == {"app.quit": "ctrl+q"}
