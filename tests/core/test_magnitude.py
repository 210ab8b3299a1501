"""Amounts up to 10^18 units with 4 decimals (schema 0007) through every path, exact, on SQLite and PostgreSQL:
add, import (both passes, the fast row parser, the overlapped pipeline, the bulk load), export (general,
sqlitelines, the parallel workers), totals and the running sums, list, map, copy, bundles."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from tracker.core.csvio import pipeline as csvpipeline
from tracker.core.csvio import write as csvwrite
from tracker.core.csvio.export import export_deals
from tracker.core.csvio.importer import import_deals
from tracker.core.csvio.parallel import export_parallel
from tracker.core.storage.opening import open_database

TOP = "999999999999999999.9999"  # the largest amount with 4 decimals below 10^18
BIG = [
    # (amount as written, currency, qualifier, the exact amount stored)
    (TOP, "KRW", "exact", D(TOP)),
    ("1000000000000000000", "IDR", "exact", D(10) ** 18),
    ("450조원", "", "exact", D("450000000000000")),  # Samsung's plan: 4.5 × 10^14 KRW
    ("123456789012345678.0001", "VND", "up to", D("123456789012345678.0001")),
    ("9223372036854775.8075", "USD", "exact", D("9223372036854775.8075")),  # one past 2^63 units of 10^-4
]
RATES = {"KRW": D("0.000713"), "IDR": D("0.00006"), "VND": D("0.0000379")}


def _csv(rows: list[tuple[str, str, str, D]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["date", "kind", "from_org", "to_org", "amount", "currency", "qualifier", "description"])
    for i, (amount, currency, qualifier, _) in enumerate(rows):
        w.writerow([f"2025-0{1 + i % 9}", "investment", f"Giant {i}", "Target", amount, currency, qualifier, "big"])
    return out.getvalue()


def _amounts(export_text: str) -> dict[str, tuple[str, str]]:
    """from_org -> (amount, amount_usd) of a deals CSV."""
    return {r["from_org"]: (r["amount"], r["amount_usd"]) for r in csv.DictReader(io.StringIO(export_text))}


def _expected_usd(amount: D, currency: str) -> str:
    from tracker.core.csvio.cells import plain, usd_scaled

    rate = D(1) if currency == "USD" else RATES[currency]
    return plain(usd_scaled(int(amount.scaleb(4)), rate))


def test_amounts_to_10_18_round_trip_exactly_through_every_path(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for c, r in RATES.items():
        assert run_cli("fx", "set", c, str(r), "--as-of", "2025-09-29").code == 0
    # add: the form and the CLI share parse_deal_fields and changes.add_deal
    added = run_cli("add", "--kind", "investment", "--from", "Hanbit Chips", "--to", "Hanbit Foundry",
                    "--amount", "450조원", "--date", "2025-09")  # fmt: skip
    assert added.code == 0, added.err
    too_big = run_cli("add", "--kind", "investment", "--from", "A", "--to", "B", "--amount", "1000000000000000000.0001",
                      "--currency", "USD", "--date", "2025")  # fmt: skip
    assert too_big.code == 1 and "larger than 10^18" in too_big.err
    # import (the classic two passes; plain amounts take the fast row parser)
    src = tmp_path / "big.csv"
    src.write_text(_csv(BIG), encoding="utf-8")
    imported = run_cli("import", str(src))
    assert imported.code == 0, imported.err
    assert "added 5" in imported.out
    # list
    listed = {r["from_org"]: r for r in json.loads(run_cli("list", "--format", "json").out)}
    for i, (_text, currency, qualifier, value) in enumerate(BIG):
        row = listed[f"Giant {i}"]
        assert D(row["amount"]) == value and row["qualifier"] == qualifier
        assert row["currency"] == (currency or "KRW")
    assert listed["Hanbit Chips"]["amount"] == "450000000000000" and listed["Hanbit Chips"]["currency"] == "KRW"
    # export: exact amounts and exact amount_usd
    exported = run_cli("export")
    assert exported.code == 0, exported.err
    got = _amounts(exported.out)
    for i, (_text, currency, _q, value) in enumerate(BIG):
        amount, usd = got[f"Giant {i}"]
        assert D(amount) == value
        assert usd == _expected_usd(value, currency or "KRW")
    assert got["Giant 0"][0] == TOP
    # a second import of the same file changes nothing (natural matching compares the stored digits)
    again = run_cli("import", str(src))
    assert "added 0, updated 0, unchanged 5" in again.out
    # totals: sums far past 2^63 units of 10^-4, exact
    totals = json.loads(run_cli("totals", "--by", "kind", "--format", "json").out)
    usd = sum(
        (D(_expected_usd(v, c or "KRW")) for _t, c, q, v in BIG if q == "exact"),
        D(0),
    )
    invest = next(r for r in totals["rows"] if r["key"] == "investment")
    exact_usd = sum((v * (RATES.get(c or "KRW", D(1))) for _t, c, q, v in BIG if q == "exact"), D(0))
    exact_usd += D("450000000000000") * RATES["KRW"]  # Samsung's, added above
    assert D(invest["exact"]) == exact_usd.quantize(D("0.0001"))
    assert usd > 2**63 / 10**4  # what a 64-bit count of 10^-4 units could not hold
    up_to = D("123456789012345678.0001") * RATES["VND"] + D("100000000000")  # and the seed's ≤ $100B
    assert D(invest["up_to"]) == up_to.quantize(D("0.0001"))
    # the map: each edge's figures from the running sums, exact
    edges = {e["from_name"]: e for e in json.loads(run_cli("map", "--format", "json", "--all").out)["edges"]}
    assert edges["Giant 1"]["exact"] == "60000000000000"  # 10^18 IDR at 0.00006
    assert D(edges["Giant 0"]["exact"]) == (D(TOP) * RATES["KRW"]).quantize(D("0.0001"))
    # export --all, then import --all into an empty database: the same deals file
    dump = tmp_path / "dump"
    assert run_cli("export", "--all", str(dump)).code == 0
    fresh = str(tmp_path / "fresh.db")
    back = run_cli("--empty", "import", "--all", str(dump), db=fresh)
    assert back.code == 0, back.err
    assert _amounts(run_cli("export", db=fresh).out) == got
    # copy into a new SQLite file: the same deals file
    copied = str(tmp_path / "copied.db")
    assert run_cli("copy", "--to", copied).code == 0
    assert _amounts(run_cli("export", db=copied).out) == got


def _big_file(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "many-big.csv"
    rows = [BIG[i % len(BIG)] for i in range(n)]
    path.write_text(_csv([(a, c or "KRW", q, v) for a, c, q, v in rows]), encoding="utf-8")
    return path


@pytest.mark.parametrize("pipeline", [False, True], ids=["two-passes", "overlapped"])
def test_the_bulk_load_and_the_overlapped_import_sum_and_export_big_amounts_exactly(
    tmp_path: Path, monkeypatch: Any, pipeline: bool
) -> None:
    """Into an empty SQLite file (the bulk load: triggers off, sums added up in Python), checked by a second
    process or not; then the three export paths write the same bytes, and the running sums equal a fresh
    GROUP BY of the stored digits."""
    from tracker.core.storage.sums import MEASURES, SPLIT, TABLES, rebuild

    def sums_of(conn: Any) -> dict[tuple[Any, ...], tuple[int, ...]]:
        """Both tables, each split sum joined into one integer (the parts may differ, the sums may not)."""
        out = {}
        for table, keys in TABLES.items():
            for row in conn.exec_driver_sql(f"SELECT {', '.join((*keys, *MEASURES))} FROM {table}"):
                v = [int(x) for x in row[len(keys) :]]
                out[(table, *row[: len(keys)])] = (*v[:2], *(v[i] * SPLIT + v[i + 1] for i in range(2, len(v), 2)))
        return out

    monkeypatch.setattr(csvpipeline, "PIPELINE_MIN_BYTES", 0 if pipeline else 1 << 62)
    monkeypatch.setattr(csvwrite, "BULK_REBUILD_INDEXES", 1)
    db = open_database(tmp_path / "bulk.db")
    try:
        import_deals(db, _big_file(tmp_path, 50))
        with db.read() as conn:
            sums = sums_of(conn)
        with db.write() as conn:
            rebuild(conn)
        with db.read() as conn:
            assert sums_of(conn) == sums
        assert max(v[2 + 4] for v in sums.values()) > 2**63  # exact amounts: a sum past 64 bits
        general, lines, workers = io.StringIO(), io.StringIO(), io.StringIO()
        export_deals(db, general, fast=False, parallel=False)
        export_deals(db, lines, parallel=False)
        export_parallel(db, workers, block_ids=7, min_deals=0)
        assert general.getvalue() == lines.getvalue() == workers.getvalue()
        assert TOP in general.getvalue() and ",1000000000000000000," in general.getvalue()
    finally:
        db.dispose()


def test_a_stored_amount_is_24_digits_and_sorts_as_a_number(db: Any) -> None:
    """The amount sort walks the digits' index: 10^18 above 9 × 10^17 above 5, undisclosed lowest."""
    from sqlalchemy import text

    from tracker.core.records.pages import page

    with db.write() as conn:
        for amount in ["5", "900000000000000000", TOP, "0.0001"]:
            conn.execute(
                text("INSERT INTO deal (date, kind, from_org_id, to_org_id, amount, currency, qualifier) "
                     "VALUES ('2025-01-01', 'investment', 1, 2, :a, 'USD', 'exact')"),
                {"a": f"{int(D(amount).scaleb(4)):024d}"},
            )  # fmt: skip
    with pytest.raises(Exception, match=r"(?i)check|constraint"), db.write() as conn:  # 24 digits, whoever writes
        conn.execute(text("UPDATE deal SET amount = '5' WHERE id = 1"))
    with db.read() as conn:
        amounts = [r.amount for r in page(conn, sort="amount", limit=6)]
    assert amounts[:4] == [D(TOP), D("900000000000000000"), D("380000000000"), D("100000000000")]
