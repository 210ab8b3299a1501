"""Schema 0010 on both backends: a database at 0006 holding ``A-B``, ``A–B`` and ``a - b`` (three alliances
then) opens as one alliance ``A-B`` with every deal and member of the three, the first description found,
and the other alliance untouched."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import create_engine, text

from tracker.core.records.alliances import get_alliance, list_alliances
from tracker.core.storage.opening import open_database


def _url(target: str) -> str:
    return target if "://" in target else f"sqlite:///{target}"


def test_0010_merges_alliances_that_differ_only_by_dashes_case_or_spacing(db_target: str) -> None:
    from alembic import command
    from alembic.config import Config

    engine = create_engine(_url(db_target))
    cfg = Config()
    cfg.set_main_option("script_location", "tracker:migrations")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
        conn.execute(
            text("INSERT INTO organization (id, name, name_key) VALUES (1, 'P', 'p'), (2, 'Q', 'q'), (3, 'R', 'r')")
        )
        for deal_id in (1, 2, 3):
            conn.execute(
                text(
                    "INSERT INTO deal (id, date, kind, from_org_id, to_org_id, qualifier) "
                    "VALUES (:i, :d, 'investment', 1, 2, 'undisclosed')"
                ),
                {"i": deal_id, "d": dt.date(2024, 1, 2)},
            )
        conn.execute(
            text(
                "INSERT INTO alliance (id, name, name_key, description) VALUES "
                "(1, 'A-B', 'a-b', NULL), (2, 'A–B', 'a–b', 'second'), (3, 'a - b', 'a - b', 'third'), "
                "(4, 'Other', 'other', 'kept')"
            )
        )
        conn.execute(
            text("INSERT INTO alliance_deal (alliance_id, deal_id) VALUES (1, 1), (2, 1), (2, 2), (3, 3), (4, 3)")
        )
        conn.execute(text("INSERT INTO alliance_member (alliance_id, org_id) VALUES (1, 1), (2, 1), (3, 2), (4, 3)"))
    engine.dispose()
    db = open_database(db_target)
    try:
        assert db.upgraded_from == "0006"
        with db.read() as conn:
            assert [(a.id, a.name) for a in list_alliances(conn)] == [(1, "A-B"), (4, "Other")]
            merged = get_alliance(conn, "a — b")
            assert (merged.deal_count, [n for _, n in merged.members], merged.description) == (3, ["P", "Q"], "second")
            other = get_alliance(conn, "OTHER")
            assert (other.deal_count, [n for _, n in other.members], other.description) == (1, ["R"], "kept")
            keys = conn.execute(text("SELECT name_key FROM alliance ORDER BY id")).scalars().all()
            assert keys == ["a-b", "other"]
            assert conn.execute(text("SELECT count(*) FROM deal")).scalar() == 3
    finally:
        db.dispose()
