"""Sorting deals by their value in USD (tracker/core/records/valuesort.py): the order a person expects across
currencies, keyset pages that add up to that order, a rate change that re-ranks, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D
from typing import Any

import pytest
from sqlalchemy import text

from tracker.core.records.fx import set_rate
from tracker.core.records.pages import DealFilter
from tracker.core.records.valuesort import page_by_value

DEALS = [
    # (currency, amount): the seed holds CNY 380B (≈ $53B) and ≤ $100B already
    ("CNY", "1500000000000"),  # ≈ $211B
    ("CNY", "380000000000"),
    ("USD", "300000000000"),
    ("EUR", "1000000000"),
    ("JPY", "3000000000000"),  # 3兆円 ≈ $20B
    ("KRW", "450000000000000"),  # 450조원 ≈ $321B
    ("XAU", "5"),  # no rate: no value
    ("USD", "300000000000"),  # a tie with the other $300B: the id decides
]


def _fill(db: Any) -> None:
    with db.write() as conn:
        for currency, amount in DEALS:
            conn.execute(
                text("INSERT INTO deal (date, kind, from_org_id, to_org_id, amount, currency, qualifier) "
                     "VALUES ('2025-01-01', 'investment', 1, 2, :a, :c, 'exact')"),
                {"a": f"{int(D(amount).scaleb(4)):024d}", "c": currency},
            )  # fmt: skip


def _values(db: Any) -> dict[int, D | None]:
    """Every deal's value in USD, computed here from the rates in force."""
    from tracker.core.records.fx import rates_at

    with db.read() as conn:
        rates = {c: r.rate for c, r in rates_at(conn).items()}
        rows = conn.execute(text("SELECT id, amount, currency FROM deal")).all()
    return {i: (D(int(a)) * rates[c] if a is not None and c in rates else None) for i, a, c in rows}


def _expected(values: dict[int, D | None], descending: bool) -> list[int]:
    valued = sorted((v, i) for i, v in values.items() if v is not None)
    nulls = sorted(i for i, v in values.items() if v is None)
    if descending:
        return [i for _v, i in reversed(valued)] + list(reversed(nulls))
    return nulls + [i for _v, i in valued]


def _all_pages(db: Any, descending: bool, size: int) -> list[int]:
    out: list[int] = []
    after = None
    with db.read() as conn:
        while True:
            rows = page_by_value(conn, descending=descending, after=after, limit=size)
            out += [r.id for r in rows]
            if len(rows) < size:
                return out
            after = rows[-1].key


@pytest.mark.parametrize("size", [1, 3, 100])
@pytest.mark.parametrize("descending", [True, False])
def test_pages_by_value_follow_usd_across_currencies(db: Any, size: int, descending: bool) -> None:
    _fill(db)
    want = _expected(_values(db), descending)
    assert _all_pages(db, descending, size) == want
    if descending:
        with db.read() as conn:
            top = page_by_value(conn, limit=4)
        # 450조원 ≈ $321B, then the two $300B (the newer id first), then CNY 1.5T ≈ $211B
        assert [(r.currency, r.amount) for r in top] == [
            ("KRW", D("450000000000000")), ("USD", D("300000000000")), ("USD", D("300000000000")),
            ("CNY", D("1500000000000")),
        ]  # fmt: skip
        assert top[1].id > top[2].id


def test_before_a_key_and_jumps_give_the_same_rows_as_walking(db: Any) -> None:
    _fill(db)
    walked = _all_pages(db, True, 100)
    with db.read() as conn:
        rows = page_by_value(conn, limit=100)
        keys = {r.id: r.key for r in rows}
        for i in range(1, len(walked)):
            back = page_by_value(conn, before=keys[walked[i]], limit=2)
            assert [r.id for r in back] == walked[max(0, i - 2) : i]
        for offset in range(len(walked)):
            assert [r.id for r in page_by_value(conn, offset=offset, limit=3)] == walked[offset : offset + 3]


def test_a_rate_change_re_ranks_the_next_page(db: Any) -> None:
    _fill(db)
    with db.read() as conn:
        before = [r.currency for r in page_by_value(conn, limit=2)]
    assert before == ["KRW", "USD"]
    with db.write() as conn:  # the won falls tenfold: 450조원 ≈ $32B
        set_rate(conn, "KRW", D("0.0000713"), dt.date(2030, 1, 1))
    assert _all_pages(db, True, 3) == _expected(_values(db), True)
    with db.read() as conn:
        after = page_by_value(conn, limit=10)
    krw = next(i for i, r in enumerate(after) if r.currency == "KRW")
    cny_380 = next(i for i, r in enumerate(after) if r.currency == "CNY" and r.amount == D("380000000000"))
    assert krw > cny_380  # now below CNY 380B ≈ $53B


def test_a_filter_applies_to_the_value_sort(db: Any) -> None:
    _fill(db)
    with db.read() as conn:
        rows = page_by_value(conn, DealFilter(kinds=("infrastructure",)), limit=10)
    assert rows and all(r.kind == "infrastructure" for r in rows)
    assert rows[0].currency == "CNY"  # Alibaba's 380 billion yuan, then the undisclosed


def test_list_sort_value_through_the_cli(run_cli) -> None:  # type: ignore[no-untyped-def]
    for amount in ("450조원", "3兆円", "CNY 1.5T"):
        assert run_cli("add", "--kind", "investment", "--from", "A", "--to", "B", "--amount", amount,
                       "--date", "2025").code == 0  # fmt: skip
    rows = json.loads(run_cli("list", "--sort", "value", "--format", "json").out)
    assert [(r["amount"], r["currency"]) for r in rows[:4]] == [
        ("450000000000000", "KRW"), ("1500000000000", "CNY"), ("100000000000", "USD"), ("380000000000", "CNY"),
    ]  # fmt: skip
    assert rows[-1]["amount"] is None  # undisclosed last
    assert "value" in run_cli("list", "--help").out
