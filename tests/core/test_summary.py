"""The running sums (schema 0004) stay equal to a fresh sum of the deals after every kind of write, on
every backend, and totals read from them stay exact on the slow paths too (overflow, long rates)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.support.data import CIRCULAR_CSV
from tests.support.sums import assert_sums_match_the_deals
from tests.support.sums import sums_of as snapshot
from tracker.core.analysis.running import Scale, scaled_decimal
from tracker.core.analysis.totals import compute_totals
from tracker.core.csvio import importer as csvio
from tracker.core.csvio import write as csvwrite
from tracker.core.domain.fields import DealValues
from tracker.core.domain.scaled import from_scaled
from tracker.core.records.changes import add_deal, delete_deal, restore_deal, update_deal
from tracker.core.records.details import get_deal
from tracker.core.records.fx import set_rate
from tracker.core.storage.handle import Database

D = Decimal
ROOT = Path(__file__).resolve().parents[2]
CIRCULAR = CIRCULAR_CSV


def values(**kw: Any) -> DealValues:
    base: dict[str, Any] = dict(date=dt.date(2025, 9, 29), kind="investment", from_org="Nvidia", to_org="OpenAI")
    base.update(kw)
    return DealValues(**base)


def test_triggers_follow_add_edit_delete_and_undo(db: Database) -> None:
    assert_sums_match_the_deals(db)  # the seed, loaded through the importer
    with db.write() as conn:
        a, _ = add_deal(conn, values(amount=D("100000000000"), currency="USD", qualifier="up to"), create_orgs=True)
        b, _ = add_deal(
            conn,
            values(kind="infrastructure", from_org="New Builder", to_org=None, amount=D("12.3456"), currency="CNY",
                   qualifier="exact", capacity_gw=D("1.5")),
            create_orgs=True,
        )  # fmt: skip
        c, _ = add_deal(conn, values(kind="partnership", from_org="Alibaba Cloud", to_org="Nvidia"), create_orgs=True)
    assert_sums_match_the_deals(db)
    with db.write() as conn:  # every summed column changes: parties, kind, year, amount, currency, qualifier, GW
        update_deal(
            conn, a,
            values(date=dt.date(2019, 1, 2), kind="purchase", from_org="OpenAI", to_org="Oracle",
                   amount=D("7.77"), currency="EUR", qualifier="estimated", capacity_gw=D("4.5")),
        )  # fmt: skip
        snap = delete_deal(conn, b)
        delete_deal(conn, c)
    assert_sums_match_the_deals(db)
    with db.write() as conn:
        restore_deal(conn, snap)  # undo
        assert get_deal(conn, b) is not None
    assert_sums_match_the_deals(db)


def test_a_bulk_import_adds_up_in_python_what_the_triggers_would(empty_db: Database, monkeypatch: Any) -> None:
    monkeypatch.setattr(csvwrite, "BULK_REBUILD_INDEXES", 1)  # take the bulk path (triggers off) for 91 rows
    report = csvio.import_deals(empty_db, CIRCULAR)
    assert report.added == 91
    assert_sums_match_the_deals(empty_db)
    with empty_db.write() as conn:  # the triggers are back on after the load
        add_deal(conn, values(amount=D(5), currency="USD", qualifier="exact"), create_orgs=True)
        assert_after = snapshot(conn)
    assert sum(n for (_k, _y, _c), (n, *_r) in assert_after["period_total"].items()) == 92


def test_totals_survive_products_beyond_64_bits_exactly(empty_db: Database) -> None:
    """Deals of 10^14 and a rate with 12 decimals: amount × rate multiplier would pass 2^63 on SQLite, so
    the totals convert in Python (the exact slow path) and still equal the hand computation."""
    with empty_db.write() as conn:
        set_rate(conn, "CNY", D("0.123456789012"), dt.date(2025, 1, 1))
        for i in range(40):
            add_deal(conn, values(from_org=f"Giant {i % 2}", amount=D("100000000000000"), currency="CNY",
                                  qualifier="exact"), create_orgs=True)  # fmt: skip
        add_deal(conn, values(from_org="Giant 0", amount=D("0.0001"), currency="CNY", qualifier="exact"))
    with empty_db.read() as conn:
        totals = compute_totals(conn, "org")
    by = {(r.label, r.side): r.figures for r in totals.rows}
    assert by[("Giant 0", "paid out")].exact == D("246913578024000")  # 0.0001 CNY more: 0.0000123 USD, rounded off
    assert by[("Giant 1", "paid out")].exact == D("246913578024000")
    assert by[("OpenAI", "received")].exact == D("493827156048000")
    assert totals.total.exact == D("493827156048000")
    assert by[("OpenAI", "received")].deals == 41


def test_totals_survive_sums_beyond_64_bits_exactly(empty_db: Database) -> None:
    """Each product fits in 64 bits but their SUM does not (SQLite raises): the exact slow path again."""
    with empty_db.write() as conn:
        set_rate(conn, "CNY", D("0.1234567"), dt.date(2025, 1, 1))
        for year in (2019, 2020, 2021):
            for _ in range(40):
                add_deal(conn, values(date=dt.date(year, 6, 1), amount=D("100000000000000"), currency="USD",
                                      qualifier="exact"), create_orgs=True)  # fmt: skip
    with empty_db.read() as conn:
        by_year = compute_totals(conn, "year")
        by_org = compute_totals(conn, "org")
    assert [(r.key, r.figures.exact) for r in by_year.rows] == [(y, D("4000000000000000")) for y in (2019, 2020, 2021)]
    assert by_year.total.exact == by_org.total.exact == D("12000000000000000")


def test_a_rate_with_many_decimals_converts_exactly(empty_db: Database) -> None:
    long_rate = D("0.1404000000000000000000000003")  # 28 decimals: no integer multiplier, the Decimal path
    with empty_db.write() as conn:
        set_rate(conn, "CNY", long_rate, dt.date(2025, 1, 1))
        add_deal(conn, values(amount=D("380000000000"), currency="CNY", qualifier="exact"), create_orgs=True)
        add_deal(conn, values(amount=D("1.5"), currency="USD", qualifier="at least"))
    with empty_db.read() as conn:
        totals = compute_totals(conn, "org", currency="CNY")
    nvidia = next(r.figures for r in totals.rows if r.label == "Nvidia" and r.side == "paid out")
    assert nvidia.exact == D("380000000000")
    with localcontext() as ctx:
        ctx.prec = 60
        expected = (D("1.5") / long_rate).quantize(D("0.0001"))
    assert nvidia.at_least == expected


@given(st.integers(min_value=-(10**24), max_value=10**24))
def test_the_fast_scaled_decimal_is_from_scaled(value: int) -> None:
    assert str(scaled_decimal(value)) == str(from_scaled(value))


@given(st.integers(min_value=0, max_value=10**26), st.sampled_from(["1", "0.1404", "0.0000007", "1.08"]))
def test_the_fast_rounding_is_decimal_half_even(num: int, cny: str) -> None:
    scale = Scale.of({"USD": D(1), "CNY": D(cny)}, "USD")
    with localcontext() as ctx:
        ctx.prec = 80
        want = D(num).scaleb(-4 - (scale.k or 0)).quantize(D("0.0001"), rounding=ROUND_HALF_EVEN)
    assert scale.rounded(num) == want
    assert scale.rounded(num) == scale.rounded(D(num))  # the int shortcut and the Decimal path agree
