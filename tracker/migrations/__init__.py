"""Alembic migrations of the deal database (schema versions).

``HEAD`` names the newest revision so that opening an up-to-date database costs one query and never
imports Alembic; ``REVISIONS`` names every revision, oldest first, so that a database stamped with a
revision that is not one of ours (another application's ``alembic_version``, or a newer tracker's) is
recognised without Alembic, before anything is written. ``tests/trust/test_upgrades.py`` checks both
against the scripts.
"""

REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0008",
    "0009",
    "0010",
    "0007",
    "0014",
    "0013",
    "0011",
    "0012",
)
HEAD = REVISIONS[-1]
