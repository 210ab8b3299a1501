"""Passwords in database URLs never reach a message: every failure shows `***` in their place."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.processes import no_traceback, run_tracker, tracker_env
from tracker.core.storage.urls import mask, scrub

SECRET = "Hunter2-S3cret"
DEAD = f"postgresql+psycopg://analyst:{SECRET}@127.0.0.1:1/deals"  # nothing listens on port 1


def _assert_hidden(text: str, *fragments: str) -> None:
    for f in (SECRET, *fragments):
        assert f not in text, text


@pytest.mark.parametrize(
    ("url", "fragments"),
    [
        (DEAD, ()),
        (f"postgresql://analyst:{SECRET}@127.0.0.1:1/deals", ()),
        (f"postgresql://analyst:{SECRET}@127.0.0.1:notaport/deals", ()),
        ("postgresql://analyst:pa@ss-Hunter2@127.0.0.1:1/deals", ("pa@ss", "ss-Hunter2", "Hunter2")),  # '@' not as %40
        ("postgresql://analyst:pa%40ss-Hunter2@127.0.0.1:1/deals", ("pa@ss", "pa%40ss", "Hunter2")),
        (f"postgresql://analyst:{SECRET}@no-such-host.invalid/deals", ()),
    ],
)
def test_a_failing_url_is_shown_masked(url: str, fragments: tuple[str, ...]) -> None:
    result = run_tracker(url, "list")
    assert result.code == 1
    no_traceback(result.err)
    assert result.err.startswith("tracker: ") and "***" in result.err
    _assert_hidden(result.err + result.out, *fragments)


def test_tracker_db_variable_is_masked_too() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "tracker", "list"], capture_output=True, text=True,
        env=tracker_env(TRACKER_DB=DEAD), timeout=60,
    )  # fmt: skip
    assert proc.returncode == 1
    assert "analyst:***@127.0.0.1:1/deals" in proc.stderr
    _assert_hidden(proc.stderr + proc.stdout)


def test_copy_to_a_failing_url_is_masked(tmp_path: Path) -> None:
    assert run_tracker(str(tmp_path / "src.db"), "list").code == 0
    result = run_tracker(str(tmp_path / "src.db"), "copy", "--to", DEAD)
    assert result.code == 1
    no_traceback(result.err)
    assert "analyst:***@127.0.0.1:1/deals" in result.err
    _assert_hidden(result.err + result.out)


@pytest.mark.postgres
def test_copy_to_postgresql_with_a_password_shows_it_masked(tmp_path: Path, pg_url: str) -> None:
    from sqlalchemy.engine import make_url

    with_password = make_url(pg_url).set(password=SECRET).render_as_string(hide_password=False)
    assert run_tracker(str(tmp_path / "src.db"), "list").code == 0  # a seeded source
    result = run_tracker(str(tmp_path / "src.db"), "copy", "--to", with_password)
    assert result.code == 0, result.err  # the test server trusts local connections: any password works
    assert ":***@" in result.err
    _assert_hidden(result.err + result.out)
    again = run_tracker(str(tmp_path / "src.db"), "copy", "--to", with_password)
    assert again.code == 1 and "is not empty" in again.err and ":***@" in again.err
    _assert_hidden(again.err + again.out)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("postgresql+psycopg://u:pw@h:5432/db", "postgresql+psycopg://u:***@h:5432/db"),
        ("see postgresql://u:p@ss:w/rd@h/db here", "see postgresql://u:***@h/db here"),
        ("postgresql://u@h:5432/db", "postgresql://u@h:5432/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
        ("not a url: just text", "not a url: just text"),
    ],
)
def test_mask(text: str, shown: str) -> None:
    assert mask(text) == shown


def test_scrub_removes_the_password_from_driver_messages() -> None:
    from sqlalchemy.engine import make_url

    url = make_url("postgresql+psycopg://u:s3cr%40t@h/db")
    assert scrub('failed to resolve host "s3cr@t" (s3cr%40t)', url) == 'failed to resolve host "***" (***)'
