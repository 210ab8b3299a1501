"""The users' existing file the upgrade and copy tests start from: ``tests/fixtures/schema-0001.db``.

It was made with the release of schema 0001 through the real commands (see tests/trust/test_upgrades.py);
``RECORDED_COUNTS`` are the rows of each of its ``TABLES``, read right after it was made. Never regenerate
it: it stands for the users' existing files.
"""

from __future__ import annotations

from tests.support.data import FIXTURES

FIXTURE = FIXTURES / "schema-0001.db"
TABLES = ("organization", "org_alias", "deal", "alliance", "alliance_member", "alliance_deal", "deal_link", "fx_rate")
RECORDED_COUNTS = {
    "organization": 34,
    "org_alias": 21,
    "deal": 100,
    "alliance": 3,
    "alliance_member": 5,
    "alliance_deal": 5,
    "deal_link": 3,
    "fx_rate": 15,
}
