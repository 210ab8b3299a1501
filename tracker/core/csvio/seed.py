"""The article's deals (证券日报, 2025-09-29), loaded from ``tracker/seed/`` through the ``import --all`` path.

Importing this module is cheap (the importer is loaded when the seed is loaded), so the CLI and the app can
hand :func:`load_seed` to ``open_database`` on every start.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.core.csvio.bundle import BundleReport
    from tracker.core.storage.handle import Database


def seed_dir() -> Path:
    """The seed's folder inside the installed package (``tracker/seed/``, package data)."""
    folder = Path(str(resources.files("tracker.seed")))
    if not (folder / "deals.csv").is_file():
        raise FileNotFoundError("the seed files (tracker/seed/deals.csv) are missing from this installation")
    return folder


def load_seed(db: Database) -> BundleReport:
    """Load the seed into ``db``: add what is missing, never change what exists (a seed deal, rate,
    organisation or alliance the user edited stays as the user left it; the report counts what was
    skipped). Running it again changes nothing.

    The seed folder is package data, not an export: it has no manifest, and is loaded without the warning
    ``import --all`` gives a folder without one."""
    from tracker.core.csvio.bundle import import_all

    return import_all(db, seed_dir(), keep=True, checked=True)
