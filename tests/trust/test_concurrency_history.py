"""The history under two writers at once (two real `tracker` processes) and under a writer that is not
tracker at all: every change recorded once, with the actor and command of the process that made it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.support.processes import finish, no_traceback, start_tracker, tracker_env, write_deals_csv
from tracker.core.csvio.seed import load_seed
from tracker.core.storage.handle import Database
from tracker.core.storage.opening import open_database

ROWS = 400
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return str(tmp_path / "shared.db")


@pytest.fixture
def seeded(target: str) -> Iterator[Database]:
    db = open_database(target, populate=load_seed)
    yield db
    db.dispose()


def test_two_processes_writing_at_once_are_each_recorded_with_their_actor(
    seeded: Database, target: str, tmp_path: Path
) -> None:
    files = {who: write_deals_csv(tmp_path / f"{who}.csv", ROWS, who) for who in ("ann", "ben")}
    procs = {
        who: start_tracker(target, "import", str(path), env=tracker_env(TRACKER_USER=who))
        for who, path in files.items()
    }
    for proc in procs.values():
        done = finish(proc)
        assert done.code == 0, done.err
        no_traceback(done.err)
    with seeded.read() as conn:
        rows = conn.execute(
            text(
                "SELECT d.ref, c.actor, c.command FROM change_log c JOIN deal d ON d.id = c.deal_id "
                "WHERE c.tbl = 'deal' AND c.op = 'insert' AND d.ref IS NOT NULL"
            )
        ).all()
        imports = conn.execute(text("SELECT actor, new FROM change_log WHERE op = 'import' AND actor <> ''")).all()
    by_ref: dict[str, list[str]] = {}
    for ref, actor, command in rows:
        if not str(ref).startswith(("ann-", "ben-")):
            continue  # the seed's
        assert command == "tracker import"
        by_ref.setdefault(str(ref), []).append(str(actor))
    for who in ("ann", "ben"):
        mine = {ref: actors for ref, actors in by_ref.items() if ref.startswith(f"{who}-")}
        assert len(mine) == ROWS
        assert all(actors == [who] for actors in mine.values())  # once each, by its own process
    counts = {str(actor): json.loads(new)["added"] for actor, new in imports if actor in ("ann", "ben")}
    assert counts == {"ann": ROWS, "ben": ROWS}


def test_a_writer_that_is_not_tracker_is_recorded_too(seeded: Database) -> None:
    """A hand-written UPDATE on a connection of its own (no context set): the trigger records it."""
    with seeded.engine.begin() as conn:
        conn.execute(text("UPDATE deal SET description = 'changed by hand' WHERE id = 1"))
    with seeded.read() as conn:
        row = conn.execute(
            text("SELECT op, command, old, new FROM change_log WHERE tbl = 'deal' ORDER BY id DESC LIMIT 1")
        ).one()
    assert row.op == "update" and row.command is None
    assert json.loads(row.new)["description"] == "changed by hand"
    assert json.loads(row.old)["description"] != "changed by hand"
