"""The domain core imports without Textual (as Harlequin proves for its core), and the CLI's --help
imports neither the core nor Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import tracker.core

CORE_MODULES = sorted(f"tracker.core.{m.name}" for m in pkgutil.iter_modules(tracker.core.__path__))


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False", f"{module} pulls in textual"


def test_cli_help_is_light() -> None:
    code = "import sys; from tracker.cli import main as cli; print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'sqlmodel', 'sqlalchemy'}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
