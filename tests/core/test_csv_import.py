"""The deals CSV importer and exporter, through the real `tracker` command, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.support.data import CIRCULAR_CSV

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


def without_amount_usd(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    i = rows[0].index("amount_usd")
    return [r[:i] + r[i + 1 :] for r in rows]


def deal_count(run_cli) -> int:  # type: ignore[no-untyped-def]
    out = run_cli("list", "--format", "json").out
    return len(json.loads(out))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("unknown_kind", ["line 3", "kind", "'loan'", "unknown kind"]),
        ("bad_date", ["line 3", "date", "'2025-13-40'"]),
        ("unparseable_amount", ["line 3", "amount", "'lots'"]),
        ("negative_amount", ["line 3", "amount", "'-5000'", "negative"]),
        ("nan_amount", ["line 3", "amount", "'NaN'"]),
        ("infinite_amount", ["line 3", "amount", "'inf'"]),
        ("unknown_currency", ["line 3", "currency", "'XYZ'", "ISO 4217"]),
        ("currency_conflict", ["line 3", "currency", "'$5B'", "USD", "CNY"]),
        ("missing_to_org", ["line 3", "to_org", "required for a purchase"]),
        ("same_parties", ["line 3", "to_org", "'英伟达'", "same organisation"]),
        ("duplicate_id", ["line 3", "id", "'7'", "duplicate id"]),
        ("missing_column", ["missing required column", "'date'"]),
        ("empty", ["empty"]),
        ("binary", ["binary"]),
        ("unclosed_quote", ["line 3", "quoted field begins here and is never closed"]),
        ("text_after_quote", ["line 3", "after the closing quote"]),
        ("short_row", ["line 3", "has 6 fields, the header has 8"]),
        ("long_name_key", ["line 3", "from_org", "2,700 characters long in its look-up form"]),
        ("control_in_name", ["line 3", "from_org", "\\x1b", "control character"]),
        ("late_nul", ["line 202", "description", "NUL character"]),
        ("id_out_of_range", ["line 3", "id", "'9223372036854775808'", "from 1 to 9223372036854775807"]),
    ],
)
def test_bad_file_is_refused_whole_with_a_clear_message(run_cli, name: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    before = deal_count(run_cli)
    result = run_cli("import", str(BAD / f"{name}.csv"))
    assert result.code == 1, result
    for text in expected:
        assert text in result.err, (text, result.err)
    assert "Traceback" not in result.err and "unexpected error" not in result.err
    assert "\x1b" not in result.err and "\x00" not in result.err  # data is shown escaped, never raw
    assert deal_count(run_cli) == before  # the good first row was not written either


def test_many_bad_rows_are_listed_up_to_twenty_then_counted(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("import", str(BAD / "many_bad_rows.csv"))
    assert result.code == 1
    assert "25 bad rows" in result.err
    assert result.err.count("unknown kind") == 20
    assert "and 5 more bad rows" in result.err


def test_undecodable_file_suggests_encoding(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "gb.csv"
    f.write_bytes("date,kind,from_org,to_org\n2025-01-01,investment,英伟达,字节跳动\n".encode("gb18030"))
    result = run_cli("import", str(f))
    assert result.code == 1
    assert "--encoding" in result.err and "gb18030" in result.err
    ok = run_cli("import", "--encoding", "gb18030", str(f))
    assert ok.code == 0, ok.err
    assert "added 1" in ok.out
    rows = json.loads(run_cli("list", "--search", "字节跳动", "--format", "json").out)
    assert [(r["from_org"], r["to_org"]) for r in rows] == [("Nvidia", "ByteDance")]


def test_bom_crlf_quoted_fields_and_case_insensitive_header(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (
        "DATE,Kind,From_Org,TO_ORG,Amount,Description,Mood\r\n"
        '2025-02-03,purchase,OpenAI,甲骨文,"$1,500,000","cloud, ""big"" deal\r\nsecond line",happy\r\n'
    )
    f = tmp_path / "bom.csv"
    f.write_bytes(b"\xef\xbb\xbf" + text.encode())
    result = run_cli("import", str(f))
    assert result.code == 0, result.err
    assert "ignored unknown columns: Mood" in result.out
    rows = json.loads(run_cli("list", "--search", "big", "--format", "json").out)
    assert len(rows) == 1
    assert rows[0]["to_org"] == "Oracle"
    assert rows[0]["amount"] == "1500000" and rows[0]["currency"] == "USD"
    assert rows[0]["description"] == 'cloud, "big" deal\r\nsecond line'


def test_new_organisations_are_listed_and_aliases_match(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "new.csv"
    f.write_text("date,kind,from_org,to_org,amount\n2025-03-01,investment,英伟达,Acme Robotics,1000亿美元\n")
    result = run_cli("import", str(f))
    assert result.code == 0
    assert "new organisations (1): Acme Robotics" in result.out
    rows = json.loads(run_cli("list", "--search", "acme", "--format", "json").out)
    assert rows[0]["from_org"] == "Nvidia" and rows[0]["amount"] == "100000000000"


def test_import_twice_changes_nothing_the_second_time(run_cli) -> None:  # type: ignore[no-untyped-def]
    first = run_cli("import", str(CIRCULAR_CSV))
    assert first.code == 0, first.err
    assert "91 rows: added 91" in first.out
    export1 = run_cli("export").out
    second = run_cli("import", str(CIRCULAR_CSV))
    assert "added 0, updated 0, unchanged 91" in second.out
    assert "new organisations" not in second.out
    assert run_cli("export").out == export1


def test_dry_run_reports_and_writes_nothing(run_cli) -> None:  # type: ignore[no-untyped-def]
    before = run_cli("export").out
    dry = run_cli("import", "--dry-run", str(CIRCULAR_CSV))
    assert dry.code == 0
    assert "would add 91" in dry.out and "nothing was written" in dry.out
    assert run_cli("export").out == before
    real = run_cli("import", str(CIRCULAR_CSV))
    assert "added 91" in real.out


def test_row_with_id_updates_that_deal(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exported = run_cli("export").out
    rows = list(csv.DictReader(io.StringIO(exported)))
    nvidia = next(r for r in rows if r["kind"] == "investment")
    nvidia["status"] = "agreed"
    nvidia["amount"] = "90000000000"
    f = tmp_path / "upd.csv"
    with f.open("w", newline="") as out:
        w = csv.DictWriter(out, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerow(nvidia)
    result = run_cli("import", str(f))
    assert "updated 1" in result.out, result
    after = {r["id"]: r for r in csv.DictReader(io.StringIO(run_cli("export").out))}
    assert after[nvidia["id"]]["status"] == "agreed"
    assert after[nvidia["id"]]["amount"] == "90000000000"
    assert len(after) == len(rows)


def test_deals_round_trip_through_stdout_and_stdin(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("import", str(CIRCULAR_CSV)).code == 0
    exported = run_cli("export", "-").out
    assert exported.splitlines()[0].startswith(
        "id,date,kind,from_org,to_org,amount,currency,qualifier,capacity_gw,status,alliances,description,"
        "source_outlet,source_title,source_url,source_date"
    )
    other = str(tmp_path / "other.db")
    imported = run_cli("--empty", "import", "-", input=exported, db=other)
    assert imported.code == 0, imported.err
    # amount_usd is derived from FX rates, which a deals CSV does not carry (export --all does)
    assert without_amount_usd(run_cli("export", db=other).out) == without_amount_usd(exported)


def test_export_all_import_all_round_trip(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("import", str(CIRCULAR_CSV)).code == 0
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_cli("export", "--all", str(first)).code == 0
    other = str(tmp_path / "other.db")
    result = run_cli("--empty", "import", "--all", str(first), db=other)
    assert result.code == 0, result.err
    assert run_cli("export", "--all", str(second), db=other).code == 0
    for name in ("organizations", "deals", "alliances", "deal_links", "fx_rates"):
        a = sorted((first / f"{name}.csv").read_text().splitlines())
        b = sorted((second / f"{name}.csv").read_text().splitlines())
        assert a == b, name
    assert "Alibaba Cloud,阿里云,Aliyun,China,cloud,Alibaba" in (first / "organizations.csv").read_text()


def test_formula_cells_are_neutralised_and_restored(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "formula.csv"
    descriptions = ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tTab", "plain"]
    with f.open("w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["date", "kind", "from_org", "to_org", "description"])
        for i, d in enumerate(descriptions):
            w.writerow([f"2025-01-{i + 1:02d}", "partnership", "=Evil Corp", "OpenAI", d])
    assert run_cli("import", str(f)).code == 0
    typed = run_cli("add", "--kind", "partnership", "--from", "=Evil Corp", "--to", "Oracle", "--date", "2025-02-01",
                    "--description", "'=typed with a quote")  # fmt: skip
    assert typed.code == 0, typed.err
    descriptions.append("'=typed with a quote")
    exported = run_cli("export").out
    rows = list(csv.DictReader(io.StringIO(exported)))
    evil = [r for r in rows if "Evil" in r["from_org"]]
    assert {r["from_org"] for r in evil} == {"'=Evil Corp"}
    assert sorted(r["description"] for r in evil) == sorted(
        ['\'=HYPERLINK("http://x")', "'+1+1", "'-2", "'@SUM(A1)", "'\tTab", "plain", "''=typed with a quote"]
    )
    other = str(tmp_path / "o.db")
    assert run_cli("--empty", "import", "-", input=exported, db=other).code == 0
    back = json.loads(run_cli("list", "--search", "evil", "--format", "json", db=other).out)
    assert sorted(r["description"] for r in back) == sorted(descriptions)
    assert without_amount_usd(run_cli("export", db=other).out) == without_amount_usd(exported)


def test_amount_text_kept_and_numbers_written_plain(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "amounts.csv"
    f.write_text(
        "date,kind,from_org,to_org,amount,currency\n"
        "2025-01-01,investment,A Co,B Co,12345678900.50,USD\n"
        "2025-01-02,investment,A Co,B Co,1.5万亿元,\n"
        "2025-01-03,investment,A Co,B Co,€5M,\n"
    )
    assert run_cli("--empty", "import", str(f)).code == 0
    rows = {r["date"]: r for r in csv.DictReader(io.StringIO(run_cli("export").out))}
    assert rows["2025-01-01"]["amount"] == "12345678900.5"
    assert rows["2025-01-01"]["amount_text"] == "12345678900.50"
    assert (rows["2025-01-02"]["amount"], rows["2025-01-02"]["currency"]) == ("1500000000000", "CNY")
    assert rows["2025-01-02"]["amount_text"] == "1.5万亿元"
    assert (rows["2025-01-03"]["amount"], rows["2025-01-03"]["currency"]) == ("5000000", "EUR")


def test_bulk_import_leaves_every_foreign_key_valid(db) -> None:  # type: ignore[no-untyped-def]
    """The importer skips SQLite's row-by-row key checks (it resolves parties itself): prove it is right."""
    from tracker.core.csvio.importer import import_deals

    report = import_deals(db, CIRCULAR_CSV)
    assert report.added == 91
    with db.read() as conn:
        if db.is_sqlite:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        orphans = conn.exec_driver_sql(
            "SELECT count(*) FROM deal d LEFT JOIN organization o ON o.id = d.from_org_id WHERE o.id IS NULL"
        ).scalar()
        assert orphans == 0
