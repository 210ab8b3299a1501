"""FX rates are bounded to what the totals' exact arithmetic supports (tracker/core/records/fx.py), and a rate
stored outside the bounds before they existed no longer breaks the totals, the map, the list or the app.

Finding 17 of issue 17: ``fx set CNY 1e400`` / ``1e-300`` were accepted, then every ``totals`` failed with
``InvalidOperation``. On PostgreSQL the rate column holds 40 characters, so the rates stored "from before"
here are ones that fit there too (10^30 and 10^-30) and still broke the totals' display.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from tests.support.processes import Proc, no_traceback
from tracker.core.analysis.totals import compute_totals
from tracker.core.csvio.seed import load_seed
from tracker.core.records.fx import MAX_RATE, MIN_RATE, RateError, parse_rate, rates_at, set_rate
from tracker.core.storage.handle import Database
from tracker.core.storage.handles import FX
from tracker.core.storage.opening import open_database


def _rates(run_cli: Callable[..., Proc]) -> str:
    listed = run_cli("fx", "list")
    assert listed.code == 0, listed.err
    return listed.out


@pytest.mark.parametrize("rate", ["1e400", "1e-300", "1e10", "0.0000000009", "0." + "1" * 39])
def test_fx_set_refuses_a_rate_the_totals_cannot_use(run_cli: Callable[..., Proc], rate: str) -> None:
    before = _rates(run_cli)
    got = run_cli("fx", "set", "CNY", rate, "--as-of", "2030-01-01")
    assert got.code == 1
    no_traceback(got.err)
    lines = got.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"tracker: RATE {rate!r}: "), got.err
    assert _rates(run_cli) == before  # nothing written
    totals = run_cli("totals")
    assert totals.code == 0, totals.err


@pytest.mark.parametrize("rate", ["0.000000001", "1000000000", "0." + "1" * 38, "1e-9", "1E+9"])
def test_fx_set_accepts_the_bounds_themselves(run_cli: Callable[..., Proc], rate: str) -> None:
    got = run_cli("fx", "set", "CNY", rate, "--as-of", "2030-01-01")
    assert got.code == 0, got.err
    for currency in ("USD", "CNY"):
        totals = run_cli("totals", "--currency", currency)
        assert totals.code == 0, totals.err
        no_traceback(totals.err)


def test_the_usd_rule_is_part_of_the_one_reading() -> None:
    assert parse_rate("1", currency="USD") == 1
    with pytest.raises(RateError, match=r"^rate '1\.35': USD is the reporting currency; its rate is 1$"):
        parse_rate("1.35", currency="USD")
    with pytest.raises(RateError, match=r"between 0\.000000001 and 1000000000"):
        parse_rate("1e400", currency="CNY")
    assert Decimal("1e-9") == MIN_RATE and Decimal("1e9") == MAX_RATE


def _store_raw(db: Database, currency: str, rate: str, as_of: dt.date = dt.date(2030, 1, 1)) -> None:
    """A rate written as a version without the bounds wrote it (set_rate now refuses it)."""
    with db.write() as conn:
        conn.execute(FX.insert().values(currency=currency, rate=Decimal(rate), as_of=as_of))


def test_set_rate_itself_refuses_an_unbounded_rate(db: Database) -> None:
    with db.write() as conn, pytest.raises(RateError):
        set_rate(conn, "CNY", Decimal("1e400"), dt.date(2030, 1, 1))
    with db.read() as conn:
        assert rates_at(conn)["CNY"].rate == Decimal("0.1404")


@pytest.mark.parametrize("rate", ["1E+30", "1E-30"])
def test_a_stored_out_of_bounds_rate_leaves_its_currency_unconverted(db: Database, rate: str) -> None:
    _store_raw(db, "CNY", rate)
    with db.read() as conn:
        assert "CNY" not in rates_at(conn)
        totals = compute_totals(conn, "org", "USD")
    assert dict(totals.unrated)["CNY"] >= 1
    assert [(r.currency, r.rate) for r in totals.ignored_rates] == [("CNY", Decimal(rate))]
    assert "CNY" not in {r.currency for r in totals.rates}


def test_every_command_survives_a_stored_out_of_bounds_rate(db: Database, run_cli: Callable[..., Proc]) -> None:
    _store_raw(db, "CNY", "1E+30")
    _store_raw(db, "EUR", "1E-30")
    db.dispose()
    for args in (
        ("totals",),
        ("totals", "--format", "json"),
        ("totals", "--by", "kind"),
        ("map",),
        ("map", "--cycles"),
        ("map", "--format", "json"),
        ("list",),
        ("list", "--format", "json"),
    ):
        got = run_cli(*args)
        assert got.code == 0, (args, got.err)
        no_traceback(got.err)
    data = json.loads(run_cli("totals", "--format", "json").out)
    assert {r["currency"] for r in data["ignored_rates"]} == {"CNY"}  # EUR: no EUR deal in the seed
    said = run_cli("totals").out
    assert "CNY: no rate (the stored rate 1000000000000000000000000000000 as of 2030-01-01 is out of range" in said
    for currency in ("CNY", "EUR"):
        got = run_cli("totals", "--currency", currency)
        assert got.code == 1
        no_traceback(got.err)
        assert got.err.strip().splitlines() == [
            f"tracker: --currency {currency!r}: its FX rate {'1E+30' if currency == 'CNY' else '1E-30'} "
            "(as of 2030-01-01) is outside 0.000000001..1000000000; set a usable one with `tracker fx set`"
        ]
    # a new, usable rate in force puts the currency back
    fixed = run_cli("fx", "set", "CNY", "0.14", "--as-of", "2030-01-02")
    assert fixed.code == 0, fixed.err
    got = run_cli("totals", "--currency", "CNY")
    assert got.code == 0, got.err


def test_the_apps_rate_form_reads_rates_the_same_way() -> None:
    from tracker.ui.screens.rate import parse_rate_edit

    with pytest.raises(ValueError, match=r"^rate '1e400': must be between"):
        parse_rate_edit("CNY", "1e400", "2030-01-01")
    with pytest.raises(ValueError, match=r"USD is the reporting currency"):
        parse_rate_edit("USD", "1.2", "2030-01-01")
    assert parse_rate_edit("cny", "0.14", "2030-01-01").rate == Decimal("0.14")


def test_the_first_page_drops_the_rates_the_totals_drop(tmp_path: Path) -> None:
    """The app's first screen (read with sqlite3 before the core loads) shows no USD figure from a rate
    the totals refuse: the same rule, not a second one."""
    from tracker.core.records.firstpage import first_page

    path = tmp_path / "t.db"
    db = open_database(str(path), populate=load_seed)
    _store_raw(db, "CNY", "1E+30")
    _store_raw(db, "USD", "2")
    db.dispose()
    page = first_page(str(path))
    assert page is not None
    assert "CNY" not in page.rates and page.rates["USD"].rate == 1
