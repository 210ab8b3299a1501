"""Alembic migrations of the deal database (schema versions).

``HEAD`` names the newest revision so that opening an up-to-date database costs one query and never
imports Alembic; ``tests/trust/test_upgrades.py`` checks it matches the scripts.
"""

HEAD = "0005"
