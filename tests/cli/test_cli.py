"""The `tracker` command through its real entry point: list, add, seed, help, version, exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tracker import __version__


def test_list_shows_the_articles_deals(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("list")
    assert result.code == 0, result.err
    for text in ("Alibaba", "CNY 380B", "≤ $100B", "Oracle", "Alibaba Cloud", "Microsoft", "Google", "undisclosed"):
        assert text in result.out
    assert "created" in result.err and "seed" in result.err


def test_list_json_has_raw_values_newest_first(run_cli) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run_cli("list", "--format", "json").out)
    assert len(rows) == 8
    assert [r["date"] for r in rows] == sorted((r["date"] for r in rows), reverse=True)
    invest = next(r for r in rows if r["kind"] == "investment")
    assert invest["amount"] == "100000000000" and invest["currency"] == "USD" and invest["qualifier"] == "up to"
    for key in ("id", "date", "kind", "from_org", "to_org", "amount", "currency", "qualifier", "capacity_gw",
                "status", "description", "source_outlet", "source_title", "source_url", "source_date"):  # fmt: skip
        assert key in invest


def test_list_search_and_csv(run_cli) -> None:  # type: ignore[no-untyped-def]
    out = run_cli("list", "--search", "甲骨文", "--format", "csv").out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {(r["from_org"], r["to_org"]) for r in rows} == {("OpenAI", "Oracle"), ("Oracle", "Nvidia")}


def test_add_resolves_aliases_and_creates_new_organisations(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("add", "--kind", "investment", "--from", "微软", "--to", "Mistral AI", "--amount", "€1.2B",
                     "--date", "2025-10-01", "--status", "completed")  # fmt: skip
    assert result.code == 0, result.err
    assert "created organisation 'Mistral AI'" in result.err
    rows = json.loads(run_cli("list", "--search", "mistral", "--format", "json").out)
    assert len(rows) == 1
    assert (rows[0]["from_org"], rows[0]["amount"], rows[0]["currency"]) == ("Microsoft", "1200000000", "EUR")


def test_add_takes_any_alliance_name_and_it_survives_export_and_import(run_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """#17.11: names holding ';' (or a backslash) are escaped in the deals CSV's list cell, not split."""
    names = ["Pact; One", "Two\\", "=Three"]
    args = [a for name in names for a in ("--alliance", name)]
    result = run_cli("add", "--kind", "partnership", "--from", "A Co", "--to", "B Co", "--date", "2025", *args)
    assert result.code == 0, result.err
    exported = run_cli("export").out
    (row,) = [r for r in csv.DictReader(io.StringIO(exported)) if r["from_org"] == "A Co"]
    assert row["alliances"] == "'=Three;Pact\\; One;Two\\\\"
    other = str(tmp_path / "other.db")
    assert run_cli("--empty", "import", "-", input=exported, db=other).code == 0
    again = [r for r in csv.DictReader(io.StringIO(run_cli("export", db=other).out)) if r["from_org"] == "A Co"]
    assert again[0]["alliances"] == row["alliances"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "loan", "--from", "A", "--to", "B", "--date", "2025-01-01"], "--kind 'loan'"),
        (["--kind", "investment", "--from", "A", "--to", "B", "--date", "2025-02-30"], "--date '2025-02-30'"),
        (["--kind", "investment", "--from", "A", "--to", "B", "--date", "2025", "--amount", "lots"], "--amount 'lots'"),
        (["--kind", "investment", "--from", "A", "--to", "B", "--date", "2025", "--amount", "-5"], "negative"),
        (
            [
                "--kind",
                "investment",
                "--from",
                "A",
                "--to",
                "B",
                "--date",
                "2025",
                "--amount",
                "$5B",
                "--currency",
                "CNY",
            ],
            "conflicts",
        ),
        (["--kind", "purchase", "--from", "A", "--date", "2025"], "--to ''"),
        (["--kind", "investment", "--from", "Nvidia", "--to", "英伟达", "--date", "2025"], "same organisation"),
        (
            ["--kind", "investment", "--from", "A", "--to", "B", "--date", "2025", "--currency", "XYZ"],
            "--currency 'XYZ'",
        ),
    ],
)
def test_add_rejects_bad_input_with_one_line_and_writes_nothing(run_cli, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("add", *args)
    assert result.code == 1, result
    assert message in result.err
    assert len(result.err.strip().splitlines()) <= 2  # the creation notice of a new database, then the error
    assert "Traceback" not in result.err
    assert len(json.loads(run_cli("list", "--format", "json").out)) == 8


def test_usage_errors_exit_2(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("list", "--format", "yaml").code == 2
    assert run_cli("frobnicate").code == 2
    assert run_cli("import").code == 2


@pytest.mark.parametrize("command", [[], ["list"], ["add"], ["seed"], ["import"], ["export"], ["fx"], ["fx", "set"],
                                     ["fx", "list"], ["map"], ["totals"], ["copy"]])  # fmt: skip
def test_every_command_has_help(run_cli, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(*command, "--help")
    assert result.code == 0, result.err
    assert "Usage:" in result.out


def test_version(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--version")
    assert result.code == 0 and __version__ in result.out


def test_seed_is_idempotent(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("list").code == 0  # creates the database with the seed
    result = run_cli("seed")
    assert result.code == 0
    assert "added organisations 0, alliances 0, deal links 0, fx rates 0, sources 0, deals 0; skipped 44" in result.out


def test_unopenable_database_is_a_clean_error(run_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("list", db=str(tmp_path))
    assert result.code == 1
    assert "is a directory" in result.err and "Traceback" not in result.err


def test_fx_set_and_list(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("fx", "set", "CNY", "0.14", "--as-of", "2025-10-01").code == 0
    rates = json.loads(run_cli("fx", "list", "--format", "json").out)
    assert {"currency": "CNY", "rate": "0.14", "as_of": "2025-10-01"} in rates
    for value in ("abc", "0"):
        bad = run_cli("fx", "set", "CNY", value)
        assert bad.code == 1 and f"RATE '{value}'" in bad.err
