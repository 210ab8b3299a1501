"""Likely duplicate deals: the rule (dates at their precision), the search for one deal, the pairs across
the database, keep both, and merging (running sums checked against a recomputation), on every backend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Connection, text

from tests.support.data import CIRCULAR_CSV
from tracker.core.csvio.importer import import_deals
from tracker.core.domain.fields import DealValues
from tracker.core.records import undo as ops
from tracker.core.records.changes import add_deal, snapshot, values_of
from tracker.core.records.duplicates import (
    DealKey,
    DuplicateDeal,
    days_apart,
    dismiss,
    duplicate_pairs,
    find_duplicates,
    key_of,
    likely_duplicates,
    refuse_duplicate,
)
from tracker.core.records.errors import DealError
from tracker.core.records.links import link_deals
from tracker.core.records.merging import merge_deals, unmerge
from tracker.core.storage.handle import Database
from tracker.core.storage.handles import LINK
from tracker.core.storage.sums import rebuild

D = dt.date


def key(
    date: dt.date, precision: str = "day", *, kind: str = "investment", parties: tuple[int, int | None] = (1, 2),
    amount: str | None = "8000000000", currency: str | None = "USD",
) -> DealKey:  # fmt: skip
    return DealKey(kind, parties[0], parties[1], Decimal(amount) if amount else None, currency, date, precision)


RULE = [
    # (a, b, duplicates?, why)
    (key(D(2024, 11, 22)), key(D(2024, 11, 22)), True, "identical"),
    (key(D(2024, 11, 1)), key(D(2024, 12, 2)), True, "31 days apart"),
    (key(D(2024, 11, 1)), key(D(2024, 12, 3)), False, "32 days apart"),
    (key(D(2024, 11, 1), "month"), key(D(2024, 12, 31)), True, "a month covers its month: 31 days after its end"),
    (key(D(2024, 11, 1), "month"), key(D(2025, 1, 1)), False, "32 days after the month's end"),
    (key(D(2024, 9, 1), "month"), key(D(2024, 9, 30)), True, "inside the month"),
    (key(D(2024, 1, 1), "year"), key(D(2024, 12, 31)), True, "a year covers its year"),
    (key(D(2024, 1, 1), "year"), key(D(2025, 1, 31)), True, "31 days after the year"),
    (key(D(2024, 1, 1), "year"), key(D(2023, 11, 30)), False, "32 days before the year"),
    (key(D(2024, 1, 1), "month"), key(D(2024, 3, 1), "month"), True, "January 31 and March 1 are 30 days apart"),
    (key(D(2023, 1, 1), "month"), key(D(2023, 4, 1), "month"), False, "January and April are not"),
    (key(D(2024, 1, 1), "month"), key(D(2024, 2, 1), "month"), True, "neighbouring months"),
    (key(D(2024, 1, 1)), key(D(2024, 1, 1), amount="4000000000"), False, "another amount"),
    (key(D(2024, 1, 1)), key(D(2024, 1, 1), currency="EUR"), False, "another currency"),
    (key(D(2024, 1, 1), amount=None, currency=None), key(D(2024, 1, 1), amount=None), True, "both undisclosed"),
    (key(D(2024, 1, 1), amount=None), key(D(2024, 1, 1)), False, "one undisclosed"),
    (key(D(2024, 1, 1)), key(D(2024, 1, 1), kind="purchase"), False, "another kind"),
    (key(D(2024, 1, 1)), key(D(2024, 1, 1), parties=(2, 1)), False, "reversed investment: another deal"),
    (key(D(2024, 1, 1), kind="partnership"), key(D(2024, 1, 1), kind="partnership", parties=(2, 1)), True,
     "a partnership is undirected"),
    (key(D(2024, 1, 1), parties=(1, None)), key(D(2024, 1, 1), parties=(1, None)), True, "no counterparty"),
    (key(D(2024, 1, 1), parties=(1, None)), key(D(2024, 1, 1), parties=(1, 3)), False, "another counterparty"),
]  # fmt: skip


@pytest.mark.parametrize(("a", "b", "expected", "why"), RULE, ids=[r[3] for r in RULE])
def test_the_rule(a: DealKey, b: DealKey, expected: bool, why: str) -> None:
    assert likely_duplicates(a, b) is expected, why
    assert likely_duplicates(b, a) is expected, why + " (either way round)"


def test_days_apart_counts_between_the_periods() -> None:
    assert days_apart(key(D(2025, 9, 1), "month"), key(D(2025, 10, 20))) == 20
    assert days_apart(key(D(2025, 1, 1), "year"), key(D(2025, 6, 1), "month")) == 0


def values(**kw: Any) -> DealValues:
    base: dict[str, Any] = {"kind": "investment", "from_org": "Nvidia", "to_org": "OpenAI", "date": D(2025, 9, 1),
                            "date_precision": "month", "amount": Decimal(100_000_000_000), "currency": "USD",
                            "qualifier": "up to"}  # fmt: skip
    return DealValues(**{**base, **kw})


def test_a_seed_deal_entered_again_is_found(db: Database) -> None:
    with db.read() as conn:
        k = key_of(conn, values(from_org="英伟达", date=D(2025, 9, 29), date_precision="day"))
        assert k is not None
        found = find_duplicates(conn, k)
        assert len(found) == 1
        assert "Nvidia → OpenAI" in found[0].label and found[0].label.startswith(f"#{found[0].deal_id} 2025-09 ")
        assert found[0].reason == "same kind, the same parties, the same amount, dates overlap"
        with pytest.raises(DuplicateDeal, match=rf"likely a duplicate of deal #{found[0].deal_id}"):
            refuse_duplicate(conn, values())
        refuse_duplicate(conn, values(date=D(2025, 11, 1)))  # 32 days after September: not a duplicate
        refuse_duplicate(conn, values(amount=Decimal(1)))
        refuse_duplicate(conn, values(to_org="Someone New"))  # a new organisation: nothing stored to match


def test_the_search_uses_the_from_party_index(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("the plan is read on SQLite")
    with db.read() as conn:
        sql = (
            "EXPLAIN QUERY PLAN SELECT id FROM deal WHERE from_org_id = 1 AND date BETWEEN '2024-01-01' AND "
            "'2025-01-01' AND to_org_id = 2 AND kind = 'investment'"
        )
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(sql))
        assert "ix_deal_from_org" in plan


def _sums(conn: Connection) -> tuple[list[Any], list[Any]]:
    party = conn.execute(text("SELECT * FROM party_total ORDER BY org_id, side, infra, currency")).all()
    period = conn.execute(text("SELECT * FROM period_total ORDER BY kind, year, currency")).all()
    return [tuple(r) for r in party], [tuple(r) for r in period]


def assert_sums_exact(conn: Connection) -> None:
    kept = _sums(conn)
    with conn.begin_nested() as nested:
        rebuild(conn)
        recomputed = _sums(conn)
        nested.rollback()
    assert kept == recomputed


def test_import_finds_the_amazon_anthropic_pair_and_reimport_is_unchanged(db: Database) -> None:
    report = import_deals(db, CIRCULAR_CSV)
    assert any("Amazon → Anthropic 8000000000 USD" in line for line in report.duplicates), report.duplicates
    assert "likely duplicates (" in report.summary()
    again = import_deals(db, CIRCULAR_CSV)
    assert (again.added, again.unchanged, again.duplicate_count) == (0, 91, 0)
    with db.read() as conn:
        pairs = duplicate_pairs(conn)
        amazon = [p for p in pairs if "Amazon → Anthropic" in values_label(conn, p.first)]
        assert len(amazon) == 1


def values_label(conn: Connection, deal_id: int) -> str:
    v = values_of(conn, deal_id)
    return f"{v.from_org} → {v.to_org}"


def _two_alike(conn: Connection) -> tuple[int, int]:
    a, _ = add_deal(conn, values(date=D(2024, 5, 1), description=None, source_url="https://a.example/1",
                                 alliances=("Club",)), create_orgs=True)  # fmt: skip
    b, _ = add_deal(conn, values(date=D(2024, 5, 20), date_precision="day", description="the same, later",
                                 ref="ext-b", capacity_gw=Decimal(2), alliances=("Other",)), create_orgs=True)  # fmt: skip
    return a, b


def test_pairs_across_the_database_and_keep_both(db: Database) -> None:
    with db.write() as conn:
        a, b = _two_alike(conn)
    with db.read() as conn:
        pairs = [(p.first, p.second) for p in duplicate_pairs(conn)]
        assert pairs == [(a, b)]
        assert duplicate_pairs(conn, since_id=b) == []
    with db.write() as conn:
        assert dismiss(conn, b, a) is True
        assert dismiss(conn, a, b) is False
    with db.read() as conn:
        assert duplicate_pairs(conn) == []
        assert [(p.first, p.second) for p in duplicate_pairs(conn, dismissed=True)] == [(a, b)]


def test_merge_moves_links_and_alliances_fills_empty_fields_and_keeps_sums_exact(db: Database) -> None:
    with db.write() as conn:
        a, b = _two_alike(conn)
        link_deals(conn, b, 1, "part of")
        link_deals(conn, a, b, "related")  # a link between the two goes: a deal is not linked to itself
        dismiss(conn, a, b)
        before_a = snapshot(conn, a)
    with db.write() as conn:
        result = merge_deals(conn, a, b)
        assert_sums_exact(conn)
    assert set(result.filled) == {"ref", "capacity_gw", "description"}
    with db.read() as conn:
        kept = values_of(conn, a)
        assert (kept.ref, kept.capacity_gw, kept.description) == ("ext-b", Decimal(2), "the same, later")
        assert kept.source_url == "https://a.example/1"  # not empty: kept
        assert sorted(kept.alliances or ()) == ["Club", "Other"]
        links = conn.execute(LINK.select().where((LINK.c.from_deal_id == a) | (LINK.c.to_deal_id == a))).all()
        assert [(r.from_deal_id, r.to_deal_id, r.relation) for r in links] == [(a, 1, "part of")]
        with pytest.raises(DealError, match="no such deal"):
            values_of(conn, b)
        assert duplicate_pairs(conn, dismissed=True) == []
    with db.write() as conn:
        unmerge(conn, result)
        assert_sums_exact(conn)
    with db.read() as conn:
        assert snapshot(conn, a) == before_a
        assert values_of(conn, b).ref == "ext-b"
        assert {(r.from_deal_id, r.to_deal_id) for r in conn.execute(LINK.select())} >= {(b, 1), (a, b)}
        assert [(p.first, p.second) for p in duplicate_pairs(conn, dismissed=True)] == [(a, b)]
        assert duplicate_pairs(conn) == []  # "keep both" came back with the deal


def test_merge_refuses_itself_and_missing_deals(db: Database) -> None:
    with db.write() as conn:
        with pytest.raises(DealError, match="into itself"):
            merge_deals(conn, 1, 1)
        with pytest.raises(DealError, match="deal 999: no such deal"):
            merge_deals(conn, 1, 999)


def test_undo_returns_its_redo_for_add_edit_delete_merge(db: Database) -> None:
    with db.write() as conn:
        deal_id, _, entry = ops.add(conn, values(date=D(2020, 1, 1)), False)
    with db.write() as conn:
        redo = entry.undo(conn)
        assert isinstance(redo, ops.UndoEntry)
    with db.write() as conn:
        again = redo.undo(conn)
        assert values_of(conn, deal_id).date == D(2020, 1, 1)
    with db.write() as conn:
        again.undo(conn)
        with pytest.raises(DealError):
            values_of(conn, deal_id)
    with db.write() as conn:
        a, b = _two_alike(conn)
        _result, merged = ops.merge(conn, a, b)
    with db.write() as conn:
        redo = merged.undo(conn)
        assert values_of(conn, b).ref == "ext-b"
    with db.write() as conn:
        redo.undo(conn)
        assert values_of(conn, a).ref == "ext-b"
        assert_sums_exact(conn)
