"""Test data inside the checkout (a plain clone passes without ../shared)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
CIRCULAR_CSV = DATA / "circular-deals.csv"
"""91 real deals between 28 AI companies (a copy of the shared data set)."""
BAD = DATA / "bad"
"""One file per bad-input case of the importer."""
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED_ARTICLE = DATA / "seed-article.txt"
"""证券日报's article the seed was typed from (a copy of ../shared/seed-article.txt)."""
