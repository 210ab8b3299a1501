#!/usr/bin/env python3
"""Set up and run tracker with nothing but Python 3.11+ and pip.

    python3 dev.py app [ARGS...]   build .venv if needed, install, open the app (ARGS go to `tracker`)
    python3 dev.py test [ARGS...]  build .venv if needed, install with test tools, ruff, import contracts, mypy, then pytest
                                   (ARGS go to pytest; with none, the whole suite on every core through pytest-xdist)

The install is redone only when pyproject.toml changes (a stamp in .venv records its hash).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036  (dev.py runs before the venv exists, on any python3)
        sys.exit(f"dev.py: tracker needs Python 3.11 or newer (this is {sys.version.split()[0]})")
    if not (BIN / "python").exists():
        print("dev.py: creating .venv", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{extras or 'app'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"dev.py: installing tracker{'[' + extras + ']' if extras else ''} into .venv", file=sys.stderr)
    target = f".[{extras}]" if extras else "."
    subprocess.run([str(BIN / "python"), "-m", "pip", "install", "-q", "-e", target], cwd=ROOT, check=True)
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("app", "test"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "app":
        ensure_venv("")
        return subprocess.call([str(BIN / "tracker"), *rest])
    ensure_venv("dev")
    for check in (["ruff", "check", "tracker", "tests", "benchmarks", "dev.py"],
                  ["ruff", "format", "--check", "tracker", "tests", "benchmarks", "dev.py"],
                  ["lint-imports"],
                  ["mypy"]):  # fmt: skip
        if subprocess.call([str(BIN / check[0]), *check[1:]], cwd=ROOT) != 0:
            print(f"dev.py: `{' '.join(check)}` failed", file=sys.stderr)
            return 1
    if not rest:  # the whole suite: one pytest worker per core (tests sharing a fixed path share a worker)
        rest = ["-n", str(max(2, min(4, os.cpu_count() or 2))), "--dist", "loadgroup"]
    return subprocess.call([str(BIN / "python"), "-m", "pytest", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
