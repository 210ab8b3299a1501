"""`tracker source add|list|remove`, `list --confidence` / `--sort confidence`, `totals --confirmed`, the
deals CSV's first-source columns and `export --all`'s sources.csv, through the real entry point (issue 14).
On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.processes import Proc, no_traceback

Run = Callable[..., Proc]


def _ok(result: Proc) -> Proc:
    assert result.code == 0, (result.out, result.err)
    return result


def test_source_add_list_remove_and_the_confidence_they_make(run_cli: Run) -> None:
    listed = json.loads(_ok(run_cli("source", "list", "2", "--format", "json")).out)
    assert listed["confidence"] == "reported" and len(listed["sources"]) == 1  # the seed's article
    added = _ok(run_cli(
        "source", "add", "seed-nvidia-openai-investment", "--url", "https://nvidianews.nvidia.com/openai",
        "--kind", "press release", "--outlet", "NVIDIA", "--title", "NVIDIA and OpenAI", "--date", "2025-09-22",
        "--excerpt", "NVIDIA intends to invest up to $100 billion in OpenAI", "--lang", "en", "--retrieved", "2025-10-01",
    ))  # fmt: skip
    assert "to deal #2; the deal is confirmed" in added.out  # a press release by a party (NVIDIA: Nvidia's name)
    text = _ok(run_cli("source", "list", "2")).out
    assert text.splitlines()[0] == "deal #2: confirmed; 2 sources"
    assert "press-release  NVIDIA  2025-09-22  https://nvidianews.nvidia.com/openai" in text
    assert "“NVIDIA intends to invest up to $100 billion in OpenAI”" in text
    listed = json.loads(_ok(run_cli("source", "list", "2", "--format", "json")).out)
    new = listed["sources"][1]
    assert (new["position"], new["kind"], new["lang"], new["retrieved"]) == (1, "press-release", "en", "2025-10-01")
    rows = json.loads(_ok(run_cli("list", "--format", "json")).out)
    assert {r["id"]: (r["confidence"], r["sources"]) for r in rows}[2] == ("confirmed", 2)
    removed = _ok(run_cli("source", "remove", str(new["id"])))
    assert f"removed source {new['id']} of deal #2; the deal is reported (1 outlet)" in removed.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("source", "add", "2", "--url", "u", "--kind", "blog"), "kind 'blog': unknown source kind"),
        (("source", "add", "2", "--url", "u", "--date", "someday"), "published 'someday'"),
        (("source", "add", "2", "--url", "u", "--retrieved", "2025"), "retrieved '2025': a day is needed"),
        (("source", "add", "2", "--url", "u", "--lang", "中文"), "lang '中文': not a language tag"),
        (("source", "add", "999", "--url", "u"), "deal '999': no such deal"),
        (("source", "list", "no-such-ref"), "deal 'no-such-ref': no such deal"),
        (("source", "remove", "999"), "source 999: no such source"),
        (("list", "--confidence", "certain"), "--confidence 'certain': one of confirmed, reported, rumored"),
    ],
)
def test_bad_values_are_one_line_naming_field_and_value(run_cli: Run, args: tuple[str, ...], message: str) -> None:
    before = _ok(run_cli("source", "list", "2", "--format", "json")).out
    result = run_cli(*args)
    assert result.code == 1, (result.out, result.err)
    no_traceback(result.err)
    assert message in result.err and len(result.err.strip().splitlines()) == 1, result.err
    assert _ok(run_cli("source", "list", "2", "--format", "json")).out == before  # nothing written


def test_list_filters_and_sorts_by_confidence_and_totals_count_confirmed_only(run_cli: Run) -> None:
    _ok(run_cli("source", "add", "2", "--url", "https://sec.gov/x", "--kind", "filing", "--outlet", "SEC"))
    _ok(run_cli("source", "add", "7", "--url", "https://x.com/y", "--kind", "social", "--outlet", "X"))
    one = [r["id"] for r in json.loads(_ok(run_cli("list", "--confidence", "confirmed", "--format", "json")).out)]
    assert one == [2]
    both = json.loads(_ok(run_cli("list", "--confidence", "confirmed,rumored", "--format", "json")).out)
    assert sorted(r["id"] for r in both) == [2]  # deal 7 has news too: reported
    _ok(
        run_cli(
            "source",
            "remove",
            str(json.loads(run_cli("source", "list", "7", "--format", "json").out)["sources"][0]["id"]),
        )
    )
    rumored = json.loads(_ok(run_cli("list", "--confidence", "rumored", "--format", "json")).out)
    assert [r["id"] for r in rumored] == [7]
    ordered = [
        r["confidence"] for r in json.loads(_ok(run_cli("list", "--sort", "confidence", "--format", "json")).out)
    ]
    assert ordered[:2] == ["confirmed", "reported"] and ordered[-1] == "rumored"  # surest first
    least = json.loads(_ok(run_cli("list", "--sort", "confidence", "--reverse", "--format", "json")).out)
    assert least[0]["confidence"] == "rumored"
    totals = _ok(run_cli("totals", "--by", "kind", "--confirmed", "--format", "json")).out
    data = json.loads(totals)
    assert data["confirmed_only"] is True and data["total"]["deals"] == 1
    assert json.loads(_ok(run_cli("totals", "--by", "kind", "--format", "json")).out)["total"]["deals"] == 8
    assert "Confirmed deals only" in _ok(run_cli("totals", "--confirmed")).out


def test_export_all_writes_sources_csv_and_import_all_reads_it_back_exactly(
    run_cli: Run, db_target: str, tmp_path: Path
) -> None:
    _ok(run_cli("source", "add", "2", "--url", "https://sec.gov/x", "--kind", "filing", "--outlet", "SEC",
                "--excerpt", "=HYPERLINK(\"x\"), a cell, \"quoted\"\nand a line", "--retrieved", "2025-10-02"))  # fmt: skip
    first = tmp_path / "one"
    _ok(run_cli("export", "--all", str(first)))
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"]["sources.csv"]["rows"] == 9
    rows = list(csv.DictReader(io.StringIO((first / "sources.csv").read_text(encoding="utf-8"))))
    assert [(r["deal"], r["position"], r["kind"]) for r in rows if r["deal"] == "2"] == [
        ("2", "0", "news"), ("2", "1", "filing")
    ]  # fmt: skip
    filing = next(r for r in rows if r["kind"] == "filing")
    assert filing["excerpt"].startswith("'=HYPERLINK")  # defused as every export's text
    deals = list(csv.DictReader(io.StringIO((first / "deals.csv").read_text(encoding="utf-8"))))
    two = next(d for d in deals if d["id"] == "2")
    assert (two["confidence"], two["sources"], two["source_kind"], two["source_lang"]) == (
        "confirmed",
        "2",
        "news",
        "zh",
    )
    other = str(tmp_path / "other.db")  # a second database: SQLite (from PostgreSQL too: across backends)
    _ok(run_cli("--empty", "import", "--all", str(first), db=other))
    second = tmp_path / "two"
    _ok(run_cli("export", "--all", str(second), db=other))
    for name in ("sources.csv", "deals.csv"):
        assert (second / name).read_bytes() == (first / name).read_bytes(), name


def test_a_deals_csv_with_the_first_sources_excerpt_stores_it(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "extracted.csv"
    path.write_text(
        "date,kind,from_org,to_org,amount,source_outlet,source_url,source_kind,source_excerpt,source_lang,"
        "source_retrieved,confidence,sources\n"
        "2025-10-06,purchase,OpenAI,AMD,,Reuters,https://r/amd,news,OpenAI to buy AMD chips,en,2025-10-07,confirmed,9\n",
        encoding="utf-8",
    )
    _ok(run_cli("import", str(path)))
    deal = next(r for r in json.loads(_ok(run_cli("list", "--format", "json")).out) if r["to_org"] == "AMD")
    assert (deal["confidence"], deal["sources"]) == ("reported", 1)  # the file's confidence and count ignored
    [source] = json.loads(_ok(run_cli("source", "list", str(deal["id"]), "--format", "json")).out)["sources"]
    assert (source["kind"], source["excerpt"], source["lang"], source["retrieved"]) == (
        "news", "OpenAI to buy AMD chips", "en", "2025-10-07"
    )  # fmt: skip
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,from_org,to_org,source_kind\n2025-10-06,purchase,OpenAI,AMD,blog\n", encoding="utf-8")
    refused = run_cli("import", str(bad))
    assert refused.code == 1 and "source_kind 'blog'" in refused.err, refused.err


def test_reimporting_a_deal_with_a_new_source_adds_it_and_dedupe_merge_keeps_both(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "again.csv"
    path.write_text(
        "id,date,kind,from_org,to_org,source_outlet,source_url\n"
        "seed-nvidia-openai-investment,2025-09,investment,Nvidia,OpenAI,Reuters,https://reuters.com/n\n",
        encoding="utf-8",
    )
    report = _ok(run_cli("import", str(path))).out
    assert "unchanged 0, sources added 1" in report
    assert json.loads(run_cli("source", "list", "2", "--format", "json").out)["outlets"] == 2
    dup = tmp_path / "dup.csv"
    dup.write_text(
        "date,kind,from_org,to_org,amount,currency,qualifier,source_outlet,source_url\n"
        "2025-09-22,investment,Nvidia,OpenAI,100000000000,USD,up to,Bloomberg,https://bloomberg.com/n\n",
        encoding="utf-8",
    )
    _ok(run_cli("import", str(dup)))
    new_id = max(r["id"] for r in json.loads(run_cli("list", "--format", "json").out))
    merged = _ok(run_cli("dedupe", "--merge", "2", str(new_id)))
    assert "1 source moved" in merged.out
    outlets = [s["outlet"] for s in json.loads(run_cli("source", "list", "2", "--format", "json").out)["sources"]]
    assert outlets == ["证券日报", "Reuters", "Bloomberg"]
