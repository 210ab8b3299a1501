"""Fixtures of the trust tests: the test server's database, and a second one beside it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.processes import PG_URL, WORKER, pg_admin, reset_pg_schema


@pytest.fixture
def pg_url() -> str:
    """The test server's database with an empty schema."""
    if not PG_URL:
        pytest.skip("TRACKER_TEST_POSTGRES_URL is not set (.ci/run starts a server)")
    return reset_pg_schema(PG_URL)


@pytest.fixture
def pg_url2(pg_url: str) -> Iterator[str]:
    """A second, empty database on the same server (for copies between servers' databases)."""
    from sqlalchemy.engine import make_url

    name = f"tracker_trust_second{WORKER}"
    pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    pg_admin(f"CREATE DATABASE {name}")
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    yield url
    pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
