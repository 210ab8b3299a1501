"""The article's deals (证券日报, 2025-09-29), loaded from ``seed/`` through the ``import --all`` path."""

from __future__ import annotations

from pathlib import Path

from tracker.core.bundle import BundleReport, import_all
from tracker.core.db import Database


def seed_dir() -> Path:
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "seed", here.parents[1] / "seed_data"):
        if (candidate / "deals.csv").exists():
            return candidate
    raise FileNotFoundError("the seed folder (seed/deals.csv) is missing from this installation")


def load_seed(db: Database) -> BundleReport:
    """Load (or load again: it is idempotent) the seed into ``db``."""
    return import_all(db, seed_dir())
