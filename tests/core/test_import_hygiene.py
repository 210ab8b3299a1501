"""The core imports without Textual (as Harlequin proves for its core), the domain without SQLAlchemy, and the
CLI's --help imports neither the core nor Textual. Each check imports every module of its package (found on
disk, so a new module is checked the day it is added) in one fresh interpreter: if all of them together pull
nothing in, none of them does; a failure names the modules that do."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def modules_under(package: str) -> list[str]:
    """Every module of ``package`` (a dotted name under this checkout), packages included."""
    base = ROOT.joinpath(*package.split("."))
    found = []
    for path in sorted(base.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.append(".".join(parts))
    return found


def pulled_in(modules: list[str], roots: set[str]) -> list[str]:
    """The top-level packages among ``roots`` that importing ``modules`` loads (one fresh interpreter)."""
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(roots)!r}))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def culprits(modules: list[str], roots: set[str]) -> list[str]:
    """The modules among ``modules`` that pull in one of ``roots`` by themselves (one interpreter each)."""
    return [m for m in modules if pulled_in([m], roots)]


def test_the_modules_are_found() -> None:
    core = modules_under("tracker.core")
    assert {"tracker.core", "tracker.core.records.pages", "tracker.core.domain.amount_parser"} <= set(core)
    assert pulled_in(["tracker.core.records.pages"], {"sqlalchemy"}) == ["sqlalchemy"]  # the probe sees imports


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("tracker.core", {"textual", "textual_plotext"}), ("tracker.core.domain", {"sqlalchemy", "sqlmodel", "textual"})],
)
def test_no_module_pulls_in(package: str, forbidden: set[str]) -> None:
    modules = modules_under(package)
    if pulled_in(modules, forbidden):
        pytest.fail(f"these {package} modules pull in {sorted(forbidden)}: {culprits(modules, forbidden)}")


def test_cli_help_is_light() -> None:
    code = "import sys; from tracker.cli import main as cli; print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'sqlmodel', 'sqlalchemy'}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
