"""Capacity in GW with its own qualifier (schema 0007): parsing, the deals CSV and JSON, totals kept apart."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from tracker.core.domain.capacity import CapacityError, format_capacity, parse_capacity


@pytest.mark.parametrize(
    ("text", "given", "gw", "qualifier"),
    [
        ("10", None, "10", "exact"),
        ("10 GW", None, "10", "exact"),
        ("1.5gw", None, "1.5", "exact"),
        ("at least 10 GW", None, "10", "at least"),
        ("about 4.5 GW", None, "4.5", "estimated"),
        ("~4.5 GW", None, "4.5", "estimated"),
        ("up to 1 GW", None, "1", "up to"),
        ("≤ 1 GW", None, "1", "up to"),
        ("10 GW or more", None, "10", "at least"),
        ("至少10吉瓦", None, "10", "at least"),
        ("约4.5吉瓦", None, "4.5", "estimated"),
        ("10吉瓦以上", None, "10", "at least"),
        ("500 MW", None, "0.5", "exact"),
        ("at least 1,200 MW", None, "1.2", "at least"),
        ("500兆瓦", None, "0.5", "exact"),
        ("至少500兆瓦", None, "0.5", "at least"),
        ("１０ＧＷ", None, "10", "exact"),  # full-width
        ("10", "at least", "10", "at least"),
        ("10", "at_least", "10", "at least"),
        ("10", "about", "10", "estimated"),
        ("at least 10", "at least", "10", "at least"),
        ("at least 10", "exact", "10", "at least"),  # the words say more than the default
        ("0.1 MW", None, "0.0001", "exact"),
    ],
)
def test_capacities_read(text: str, given: str | None, gw: str, qualifier: str) -> None:
    got = parse_capacity(text, given)
    assert (got.gw, got.qualifier) == (D(gw), qualifier)
    # what the form shows when the deal is edited reads back the same
    again = parse_capacity(format_capacity(got.gw, got.qualifier))
    assert (again.gw, again.qualifier) == (got.gw, got.qualifier)


@pytest.mark.parametrize(
    ("text", "given", "message"),
    [
        ("lots", None, "not a capacity"),
        ("0.01 MW", None, "more than 4 decimal places"),
        ("0.00001", None, "more than 4 decimal places"),
        ("1000000001", None, "larger than"),
        ("at least 10", "up to", "qualifiers conflict"),
        ("10", "roughly-ish", "unknown capacity qualifier"),
        ("+10 GW", None, "not a capacity"),
        ("10 GW 5", None, "not a capacity"),
    ],
)
def test_capacities_refused(text: str, given: str | None, message: str) -> None:
    with pytest.raises(CapacityError, match=message):
        parse_capacity(text, given)


def test_capacity_qualifier_round_trips_through_the_deals_csv_and_json(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "gw.csv"
    src.write_text(
        "date,kind,from_org,to_org,capacity_gw,capacity_qualifier\n"
        "2025-09,purchase,OpenAI,AMD,6,at least\n"
        "2025-09,purchase,OpenAI,Broadcom,about 10 GW,\n"
        "2025-09,purchase,OpenAI,Stargate Site,4500 MW,exact\n"
        "2025-09,purchase,OpenAI,CoreWeave,,\n",
        encoding="utf-8",
    )
    done = run_cli("import", str(src))
    assert done.code == 0, done.err
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,from_org,to_org,capacity_gw,capacity_qualifier\n2025,purchase,A,B,,at least\n")
    refused = run_cli("import", str(bad))
    assert refused.code == 1 and "line 2: capacity_qualifier 'at least': needs a capacity" in refused.err
    exported = run_cli("export").out
    every = list(csv.DictReader(io.StringIO(exported)))
    rows = {r["to_org"]: r for r in every}
    assert (rows["AMD"]["capacity_gw"], rows["AMD"]["capacity_qualifier"]) == ("6", "at least")
    assert (rows["Broadcom"]["capacity_gw"], rows["Broadcom"]["capacity_qualifier"]) == ("10", "estimated")
    assert (rows["Stargate Site"]["capacity_gw"], rows["Stargate Site"]["capacity_qualifier"]) == ("4.5", "exact")
    assert (rows["CoreWeave"]["capacity_gw"], rows["CoreWeave"]["capacity_qualifier"]) == ("", "")
    # the seed's 至少10吉瓦 is at least 10
    nvidia = next(r for r in every if r["ref"] == "seed-openai-nvidia-10gw")
    assert (nvidia["capacity_gw"], nvidia["capacity_qualifier"]) == ("10", "at least")
    # JSON
    listed = {r["to_org"]: r for r in json.loads(run_cli("list", "--format", "json").out)}
    assert (listed["AMD"]["capacity_gw"], listed["AMD"]["capacity_qualifier"]) == ("6", "at least")
    assert listed["CoreWeave"]["capacity_qualifier"] is None
    # the export imports back unchanged, into a new database too
    again = tmp_path / "again.csv"
    again.write_text(exported, encoding="utf-8")
    assert "updated 0" in run_cli("import", str(again)).out
    fresh = str(tmp_path / "fresh.db")
    assert run_cli("--empty", "import", str(again), db=fresh).code == 0

    def without_usd(text: str) -> list[dict[str, str]]:  # an --empty database has no rates
        return [{k: v for k, v in r.items() if k != "amount_usd"} for r in csv.DictReader(io.StringIO(text))]

    assert without_usd(run_cli("export", db=fresh).out) == without_usd(exported)
    # totals keep exact, at least and estimated capacity apart, never added
    totals = json.loads(run_cli("totals", "--by", "kind", "--format", "json").out)
    purchase = next(r for r in totals["rows"] if r["key"] == "purchase")
    assert purchase["capacity_gw"] == "4.5"
    assert purchase["capacity_at_least_gw"] == "16"  # AMD's 6 and the seed's 10
    assert purchase["capacity_estimated_gw"] == "10"
    table = run_cli("totals", "--by", "kind").out
    assert "4.5 · ≥ 16 · ~ 10" in table
