"""Totals against hand computations, to the cent, in USD and in CNY, at the latest rates and at a date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tracker.core.analysis.figures import TotalsError
from tracker.core.analysis.totals import NO_ALLIANCE, compute_totals
from tracker.core.domain.fields import DealValues
from tracker.core.domain.vocab import GROUPINGS
from tracker.core.records.changes import add_deal
from tracker.core.records.fx import set_rate
from tracker.core.records.orgs import OrgFields, create_org
from tracker.core.storage.handle import Database

D = Decimal
CENT = D("0.01")


@pytest.fixture
def _db(empty_db: Database) -> Database:
    """An empty database on every backend (tests/conftest.py: SQLite, and PostgreSQL in CI)."""
    return empty_db


def deal(conn, kind, frm, to, amount, currency, qualifier="exact", date="2025-05-01", gw=None, alliances=None):  # type: ignore[no-untyped-def]
    values = DealValues(
        date=dt.date.fromisoformat(date),
        kind=kind,
        from_org=frm,
        to_org=to,
        amount=None if amount is None else D(amount),
        currency=currency,
        qualifier=qualifier if amount is not None else "undisclosed",
        capacity_gw=None if gw is None else D(gw),
        alliances=alliances,
    )
    return add_deal(conn, values, create_orgs=True)[0]


@pytest.fixture
def book(_db: Database) -> Database:
    """Four organisations (Beta Cloud belongs to Beta), eight deals in USD, CNY, EUR and CHF (no rate)."""
    with _db.write() as conn:
        create_org(conn, OrgFields("Acme", country="United States"))
        beta = create_org(conn, OrgFields("Beta", country="China"))
        create_org(conn, OrgFields("Beta Cloud", country="China", parent_id=beta))
        create_org(conn, OrgFields("Gamma", country="Germany"))
        set_rate(conn, "CNY", D("0.14"), dt.date(2025, 1, 1))
        set_rate(conn, "CNY", D("0.15"), dt.date(2025, 6, 1))
        set_rate(conn, "EUR", D("1.10"), dt.date(2025, 1, 1))
        deal(conn, "investment", "Acme", "Beta", "100.10", "USD", date="2024-03-01")
        deal(conn, "purchase", "Beta Cloud", "Gamma", "1000", "CNY", alliances=("Pact",))
        deal(conn, "purchase", "Acme", "Gamma", "200", "EUR", "up to")
        deal(conn, "investment", "Gamma", "Acme", "50.05", "EUR", "at least")
        deal(conn, "purchase", "Beta", "Acme", None, None, gw="2")
        deal(conn, "infrastructure", "Acme", None, "0.01", "USD", "estimated")
        deal(conn, "purchase", "Acme", "Beta Cloud", "10", "CHF")
        deal(conn, "partnership", "Beta", "Gamma", "5", "USD")
    return _db


def rows(totals, side=None):  # type: ignore[no-untyped-def]
    return {(r.label, r.side): r.figures for r in totals.rows}


def test_grand_total_keeps_qualifiers_apart_and_reports_unrated(book: Database) -> None:
    with book.read() as conn:
        t = compute_totals(conn, "kind")
    # exact: 100.10 USD + 1000 CNY × 0.15 + 5 USD = 255.10; up to: 200 EUR × 1.10 = 220
    assert t.total.exact == D("255.10")
    assert t.total.up_to == D("220")
    assert t.total.at_least == D("55.055")  # 50.05 EUR × 1.10, kept to 4 places
    assert t.total.at_least.quantize(CENT) == D("55.06")
    assert t.total.estimated == D("0.01")
    assert t.total.undisclosed == 1
    assert t.total.capacity_gw == D("2")
    assert t.total.deals == 8
    assert t.total.unrated == (("CHF", D("10"), 1),)  # never dropped, never converted
    assert t.unrated == (("CHF", 1),)
    assert {r.currency: (r.rate, r.as_of) for r in t.rates} == {
        "CNY": (D("0.15"), dt.date(2025, 6, 1)),
        "EUR": (D("1.10"), dt.date(2025, 1, 1)),
        "USD": (D("1"), dt.date(1970, 1, 1)),
    }


def test_by_kind_in_usd(book: Database) -> None:
    with book.read() as conn:
        by = {r.label: r.figures for r in compute_totals(conn, "kind").rows}
    assert list(by) == ["investment", "purchase", "infrastructure", "partnership"]
    assert (by["investment"].exact, by["investment"].at_least) == (D("100.10"), D("55.055"))
    assert (by["purchase"].exact, by["purchase"].up_to, by["purchase"].undisclosed) == (D("150"), D("220"), 1)
    assert by["purchase"].capacity_gw == D("2")
    assert by["infrastructure"].estimated == D("0.01")
    assert by["partnership"].exact == D("5")


def test_in_another_currency_through_the_rates_ratio(book: Database) -> None:
    with book.read() as conn:
        t = compute_totals(conn, "kind", currency="CNY")
    # exact: (100.10 + 5) USD / 0.15 + 1000 CNY = 700.6666… + 1000
    assert t.total.exact.quantize(CENT) == D("1700.67")
    assert t.total.up_to.quantize(CENT) == D("1466.67")  # 220 / 0.15
    assert t.total.at_least.quantize(CENT) == D("367.03")  # 55.055 / 0.15 = 367.0333…
    assert t.total.estimated.quantize(CENT) == D("0.07")  # 0.01 / 0.15 = 0.0666…


def test_at_a_date_uses_the_rates_then_in_force(book: Database) -> None:
    with book.read() as conn:
        march = compute_totals(conn, "kind", at=dt.date(2025, 3, 1))
        before = compute_totals(conn, "kind", at=dt.date(2024, 12, 31))
    assert march.total.exact == D("245.10")  # 1000 CNY × 0.14
    cny = next(r for r in march.rates if r.currency == "CNY")
    assert (cny.rate, cny.as_of) == (D("0.14"), dt.date(2025, 1, 1))
    # before any CNY or EUR rate: those deals are reported apart, not dropped and not zero
    assert before.total.exact == D("105.10")
    assert dict((c, a) for c, a, _n in before.total.unrated) == {"CHF": D("10"), "CNY": D("1000"), "EUR": D("250.05")}


def test_by_org_splits_paid_received_and_partnership(book: Database) -> None:
    with book.read() as conn:
        by = rows(compute_totals(conn, "org"))
    acme_paid = by[("Acme", "paid out")]
    assert (acme_paid.deals, acme_paid.exact, acme_paid.up_to, acme_paid.estimated) == (3, D("100.10"), D("220"), 0)
    assert acme_paid.figure("estimated") is None  # no estimated amount paid out: absent, not 0
    capex = by[("Acme", "committed spending")]  # the infrastructure plan: committed, never "paid out"
    assert (capex.deals, capex.estimated, capex.figure("exact")) == (1, D("0.01"), None)
    assert acme_paid.unrated == (("CHF", D("10"), 1),)
    acme_received = by[("Acme", "received")]
    assert (acme_received.at_least, acme_received.undisclosed, acme_received.capacity_gw) == (D("55.055"), 1, D("2"))
    assert by[("Beta Cloud", "paid out")].exact == D("150")
    assert by[("Beta", "partnership")].exact == D("5") and by[("Gamma", "partnership")].exact == D("5")
    assert ("Beta Cloud", "received") in by


def test_group_rolls_subsidiaries_into_their_parent(book: Database) -> None:
    with book.read() as conn:
        by = rows(compute_totals(conn, "group"))
    assert not any(label == "Beta Cloud" for label, _side in by)
    assert by[("Beta", "paid out")].exact == D("150")  # Beta Cloud's purchase
    assert by[("Beta", "paid out")].undisclosed == 1  # Beta's own
    assert by[("Beta", "received")].exact == D("100.10")
    assert by[("Beta", "received")].unrated == (("CHF", D("10"), 1),)


def test_country_year_and_alliance(book: Database) -> None:
    with book.read() as conn:
        country = rows(compute_totals(conn, "country"))
        year = {r.label: r.figures for r in compute_totals(conn, "year").rows}
        alliance = {r.label: r.figures for r in compute_totals(conn, "alliance").rows}
    assert country[("China", "paid out")].exact == D("150")
    assert country[("Germany", "received")].up_to == D("220")
    assert list(year) == ["2024", "2025"]
    assert year["2024"].exact == D("100.10") and year["2025"].exact == D("155")
    assert alliance["Pact"].exact == D("150") and alliance["Pact"].deals == 1
    assert alliance[NO_ALLIANCE].deals == 7


def test_huge_sums_stay_exact(_db: Database) -> None:
    big = "99999999999999.9999"  # the largest amount; ten of them overflow a naive 64-bit SUM of stored units
    with _db.write() as conn:
        for _ in range(10):
            deal(conn, "investment", "A", "B", big, "USD")
    with _db.read() as conn:
        t = compute_totals(conn, "org")
    assert t.total.exact == D(big) * 10
    assert rows(t)[("A", "paid out")].exact == D("999999999999999.999")


def test_errors_name_the_flag(book: Database) -> None:
    with book.read() as conn:
        with pytest.raises(TotalsError, match="--by 'planet'"):
            compute_totals(conn, "planet")
        with pytest.raises(TotalsError, match="--currency 'JPY'"):
            compute_totals(conn, "kind", currency="JPY")
        for by in GROUPINGS:
            assert compute_totals(conn, by).total.deals == 8


def test_huge_sums_stay_exact_in_every_grouping(_db: Database) -> None:
    """Plain SUMs overflow SQLite's 64 bits here: every grouping falls back to the split sums, exactly."""
    big = "99999999999999.9999"
    with _db.write() as conn:
        for i in range(10):
            deal(conn, "investment", "A", "B", big, "USD", date=f"202{i % 2}-03-01", alliances=("Pact",) if i else None)
        deal(conn, "purchase", "B", "A", "1", "USD", gw="1.5")
    with _db.read() as conn:
        for by in GROUPINGS:
            t = compute_totals(conn, by)
            assert (t.total.exact, t.total.deals, t.total.capacity_gw) == (D(big) * 10 + 1, 11, D("1.5")), by
        year = {r.label: r.figures.exact for r in compute_totals(conn, "year").rows}
        alliance = {r.label: (r.figures.exact, r.figures.deals) for r in compute_totals(conn, "alliance").rows}
        kind = {r.label: r.figures.exact for r in compute_totals(conn, "kind").rows}
    assert year == {"2020": D(big) * 5, "2021": D(big) * 5, "2025": D(1)}
    assert alliance == {"Pact": (D(big) * 9, 9), NO_ALLIANCE: (D(big) + 1, 2)}
    assert kind == {"investment": D(big) * 10, "purchase": D(1)}


def test_no_alliance_row_counts_deals_in_two_alliances_once(book: Database) -> None:
    with book.write() as conn:
        deal(conn, "investment", "Acme", "Gamma", "7", "USD", alliances=("Pact", "Axis"))
    with book.read() as conn:
        t = compute_totals(conn, "alliance")
    by = {r.label: r.figures for r in t.rows}
    assert (by["Pact"].deals, by["Axis"].deals, by[NO_ALLIANCE].deals, t.total.deals) == (2, 1, 7, 9)
    assert by[NO_ALLIANCE].exact == t.total.exact - D("157")  # 1000 CNY × 0.15 + 7 USD are in alliances
    assert by[NO_ALLIANCE].unrated == (("CHF", D("10"), 1),)


def test_deal_date_rates_convert_each_deal_at_the_rate_of_its_date(book: Database) -> None:
    """Issue 12: `--rates deal-date`: the CNY purchase of 2025-05-01 at the CNY rate of 2025-01-01 (0.14), not
    the latest (0.15); in EUR, each deal over the EUR rate of its date; exact Decimal, rounded once."""
    with book.read() as conn:
        latest = {r.label: r.figures for r in compute_totals(conn, "kind").rows}
        dated_totals = compute_totals(conn, "kind", rates="deal-date")
        in_eur = {r.label: r.figures for r in compute_totals(conn, "kind", "EUR", rates="deal-date").rows}
    dated = {r.label: r.figures for r in dated_totals.rows}
    assert latest["purchase"].exact == D("150") and dated["purchase"].exact == D("140")
    assert dated["purchase"].up_to == D("220")  # 200 EUR × 1.10, the only EUR rate
    assert dated["purchase"].unrated == (("CHF", D("10"), 1),)  # never converted, never dropped
    assert (dated_totals.rates_mode, dated_totals.later_rate_deals) == ("deal-date", 0)
    assert "each deal at the rates in force on its date" in dated_totals.rates_text
    assert in_eur["purchase"].exact == D("127.2727")  # 1000 × 0.14 / 1.10, half-even to 4 places
    assert in_eur["purchase"].up_to == D("200")
    with book.read() as conn, pytest.raises(TotalsError, match="--at and --rates deal-date"):
        compute_totals(conn, "kind", at=dt.date(2025, 1, 1), rates="deal-date")
