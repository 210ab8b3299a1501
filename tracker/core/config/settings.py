"""Settings from a TOML file, the environment and flags, each with where it came from.

The file lives in the user's config folder (platformdirs: ``~/.config/tracker/config.toml`` on Linux;
``TRACKER_CONFIG`` names another). Settings: ``db``, ``theme``, ``currency`` (the reporting currency),
``user`` (the name history records), ``columns`` (the deals table's extra columns: ``"id,capacity"``,
the column chooser saves it) and a ``[keys]`` table that remaps the app's keys by binding id
(``"deals.filter" = "ctrl+f"``). Precedence: a flag, then the environment (``TRACKER_DB``,
``TRACKER_THEME``, ``TRACKER_CURRENCY``, ``TRACKER_USER``), then the file, then the default.

A bad file never stops the program: a file that is not TOML is ignored whole, a bad setting is ignored
alone, and each problem is one line naming the file, the line and the key; the defaults stand in.
Standard library only (and platformdirs), so the CLI and the app read it before anything heavy loads.
"""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tracker.core.domain.columns import OPTIONAL_COLUMNS, parse_columns

__all__ = ["ENV", "SETTINGS", "Config", "Setting", "config_path", "load_config", "save_setting"]

SETTINGS = ("db", "theme", "currency", "user", "columns")
ENV = {"db": "TRACKER_DB", "theme": "TRACKER_THEME", "currency": "TRACKER_CURRENCY", "user": "TRACKER_USER"}
_CURRENCY = re.compile(r"[A-Z]{3}")
_BINDING_ID = re.compile(r"[A-Za-z0-9_.\-]+")


@dataclass(frozen=True)
class Setting:
    name: str
    value: str | None
    source: str
    """default, file, environment or flag."""
    where: str = ""
    """The file and line, the variable, or the flag it came from."""


@dataclass(frozen=True)
class Config:
    path: Path
    settings: dict[str, Setting]
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id → keys (``"ctrl+f"``, or several: ``"ctrl+f,f3"``), from the file's ``[keys]``."""
    key_lines: dict[str, int] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    def value(self, name: str) -> str | None:
        return self.settings[name].value


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the settings file is (it may not exist): ``TRACKER_CONFIG``, else the user's config folder."""
    env = os.environ if env is None else env
    if env.get("TRACKER_CONFIG"):
        return Path(env["TRACKER_CONFIG"]).expanduser()
    from platformdirs import user_config_path

    return user_config_path("tracker", appauthor=False) / "config.toml"


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _line_of(text: str, key: str, table: str | None = None) -> int:
    """The line where ``key`` is set (in ``[table]`` when given), 0 when it cannot be found."""
    current: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped.strip("[] ")
            continue
        m = re.match(r'\s*"?([^"=]+?)"?\s*=', line)
        if m and m.group(1).strip() == key and current == table:
            return number
    return 0


def _read_file(path: Path) -> tuple[dict[str, object], str, list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, "", []
    except (OSError, UnicodeDecodeError) as exc:
        return {}, "", [f"{path}: cannot be read ({exc}); using the defaults"]
    try:
        return tomllib.loads(text), text, []
    except tomllib.TOMLDecodeError as exc:
        return {}, text, [f"{path}: not valid TOML ({exc}); using the defaults"]


def load_config(
    path: Path | None = None, env: Mapping[str, str] | None = None, flags: Mapping[str, str | None] | None = None
) -> Config:
    """The settings in force. ``flags``: values given on the command line (None: not given)."""
    env = os.environ if env is None else env
    path = config_path(env) if path is None else path
    data, text, problems = _read_file(path)
    defaults: dict[str, str | None] = {
        "db": None, "theme": None, "currency": "USD", "user": _default_user(), "columns": None,
    }  # fmt: skip
    settings = {name: Setting(name, value, "default") for name, value in defaults.items()}
    for name, value in data.items():
        line = _line_of(text, name)
        where = f"{path}:{line}" if line else str(path)
        if name == "keys":
            continue
        if name not in SETTINGS:
            problems.append(f"{where}: unknown setting '{name}' (known: {', '.join(SETTINGS)}, [keys]); ignored")
            continue
        if not isinstance(value, str) or (not value.strip() and name != "columns"):
            problems.append(f"{where}: {name} = {value!r}: expected text in quotes; ignored")
            continue
        if name == "columns" and parse_columns(value) is None:
            known = ", ".join(OPTIONAL_COLUMNS)
            problems.append(f"{where}: columns = '{value}': the deals table's extra columns ({known}); ignored")
            continue
        if name == "currency" and not _CURRENCY.fullmatch(value.strip().upper()):
            problems.append(f"{where}: currency = '{value}': not an ISO 4217 code such as USD; ignored")
            continue
        settings[name] = Setting(name, value.strip().upper() if name == "currency" else value, "file", where)
    keys: dict[str, str] = {}
    key_lines: dict[str, int] = {}
    table = data.get("keys", {})
    if not isinstance(table, dict):
        problems.append(f"{path}:{_line_of(text, 'keys')}: keys must be a table ([keys]); ignored")
        table = {}
    for binding_id, keyspec in table.items():
        line = _line_of(text, binding_id, "keys")
        where = f"{path}:{line}" if line else str(path)
        if not _BINDING_ID.fullmatch(binding_id):
            problems.append(f"{where}: [keys] '{binding_id}': not a binding id such as deals.filter; ignored")
        elif not isinstance(keyspec, str) or not keyspec.strip():
            problems.append(f"{where}: [keys] {binding_id} = {keyspec!r}: expected keys in quotes; ignored")
        else:
            keys[binding_id] = keyspec.replace(" ", "")
            key_lines[binding_id] = line
    for name, var in ENV.items():
        if env.get(var):
            value = env[var]
            if name == "currency" and not _CURRENCY.fullmatch(value.strip().upper()):
                problems.append(f"{var}='{value}': not an ISO 4217 code such as USD; ignored")
                continue
            settings[name] = Setting(name, value.strip().upper() if name == "currency" else value, "environment", var)
    for name, value in (flags or {}).items():
        if value is not None:
            settings[name] = Setting(name, value, "flag", f"--{name}")
    return Config(path, settings, keys, key_lines, tuple(problems))


def save_setting(path: Path, name: str, value: str) -> None:
    """Set one top-level setting in the file, keeping the rest of it (comments, order, [keys]) as it was;
    creates the file (and its folder) when there is none."""
    if name not in SETTINGS:
        raise ValueError(f"unknown setting {name!r}")
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    first_table = next((i for i, line in enumerate(lines) if line.strip().startswith("[")), len(lines))
    for i in range(first_table):
        if re.match(rf"\s*{re.escape(name)}\s*=", lines[i]):
            lines[i] = f"{name} = {quoted}"
            break
    else:
        lines.insert(first_table, f"{name} = {quoted}")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.part")
    temp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(temp, path)
