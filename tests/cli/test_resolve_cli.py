"""Did-you-mean and the reference list through the real `tracker` entry point, on both backends: `add`
refuses a close name unless --new-org, `import` reports close names (summary and --dry-run) and refuses
them with --strict-names, and a name of the reference list creates that organisation with its fields."""

from __future__ import annotations

import json
from pathlib import Path

ADD = ("add", "--kind", "investment", "--date", "2025-10")

ROWS = """date,kind,from_org,to_org,amount,description
2026-01,investment,英伟达,OpenAI,$100B,chips for compute
2025-10,purchase,Microsoft,Nvdia,,GPUs
2025-10,purchase,Open AI,甲骨文,$300B,cloud
2025-11,purchase,Acme Robotics,Nvdia,,more GPUs
"""


def count(run_cli, **kw) -> int:  # type: ignore[no-untyped-def]
    return len(json.loads(run_cli("list", "--format", "json", **kw).out))


def test_add_refuses_a_close_name_naming_the_candidate(run_cli) -> None:  # type: ignore[no-untyped-def]
    before = count(run_cli)
    result = run_cli(*ADD, "--from", "Nvdia", "--to", "OpenAI")
    assert result.code == 1
    assert result.err.strip().splitlines()[-1] == (
        "tracker: --from 'Nvdia': no such organisation; did you mean Nvidia? Use --new-org to create 'Nvdia'"
    )
    assert count(run_cli) == before
    result = run_cli(*ADD, "--from", "Microsoft", "--to", "Open AI")
    assert result.code == 1
    assert "--to 'Open AI': no such organisation; did you mean OpenAI?" in result.err
    result = run_cli(*ADD, "--from", "Microsoft", "--to", "英偉達")  # traditional for the seed's alias 英伟达
    assert "--to '英偉達': no such organisation; did you mean Nvidia (英伟达)?" in result.err
    assert count(run_cli) == before
    orgs = run_cli("list", "--search", "Nvdia", "--format", "json")
    assert json.loads(orgs.out) == []


def test_add_new_org_creates_the_close_name(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(*ADD, "--from", "Nvdia", "--to", "OpenAI", "--new-org", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["created_organizations"] == ["Nvdia"]
    (row,) = json.loads(run_cli("list", "--search", "Nvdia", "--format", "json").out)
    assert row["from_org"] == "Nvdia"


def test_add_creates_a_reference_organisation_with_its_fields(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(*ADD, "--from", "Microsoft", "--to", "CRWV")  # CoreWeave's ticker
    assert result.code == 0, result.err
    assert "created organisation 'CoreWeave' from the reference list" in result.err
    (row,) = json.loads(run_cli("list", "--search", "CRWV", "--format", "json").out)
    assert row["to_org"] == "CoreWeave"
    result = run_cli(*ADD, "--from", "Microsoft", "--to", "Lambda Labs", "--format", "json")
    assert json.loads(result.out)["from_reference_list"] == ["Lambda"]
    result = run_cli(*ADD, "--from", "Microsoft", "--to", "Corewave")
    assert result.code == 1
    assert "did you mean CoreWeave?" in result.err


def test_import_reports_close_names_in_the_summary_and_the_dry_run(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "deals.csv"
    path.write_text(ROWS, encoding="utf-8")
    before = count(run_cli)
    dry = run_cli("import", str(path), "--dry-run")
    assert dry.code == 0, dry.err
    assert "close to a known name (2), imported as written (--strict-names refuses such a file):" in dry.out
    assert "  line 3: to_org 'Nvdia': did you mean Nvidia?" in dry.out
    assert "  line 4: from_org 'Open AI': did you mean OpenAI?" in dry.out
    assert "would create organisations (3): Nvdia, Open AI, Acme Robotics" in dry.out
    assert count(run_cli) == before
    done = run_cli("import", str(path))
    assert done.code == 0, done.err
    assert "line 3: to_org 'Nvdia': did you mean Nvidia?" in done.out
    assert count(run_cli) == before + 4


def test_import_strict_names_refuses_the_file(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "deals.csv"
    path.write_text(ROWS, encoding="utf-8")
    before = count(run_cli)
    result = run_cli("import", str(path), "--strict-names")
    assert result.code == 1
    assert "tracker: 2 bad rows; nothing was written:" in result.err
    assert "line 3: to_org 'Nvdia': no such organisation; did you mean Nvidia? (--strict-names)" in result.err
    assert count(run_cli) == before
    assert json.loads(run_cli("list", "--search", "Acme", "--format", "json").out) == []
    clean = tmp_path / "clean.csv"
    clean.write_text(ROWS.splitlines()[0] + "\n2025-12,purchase,Acme Robotics,Nvidia,,robots\n", encoding="utf-8")
    assert run_cli("import", str(clean), "--strict-names").code == 0


def test_empty_database_import_creates_reference_organisations(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "deals.csv"
    path.write_text(ROWS, encoding="utf-8")
    result = run_cli("--empty", "import", str(path))
    assert result.code == 0, result.err
    assert "from the reference list (4): Nvidia (英伟达), OpenAI, Microsoft, Oracle (甲骨文)" in result.out
    # the close names are reported against what the reference list brought in
    assert "line 3: to_org 'Nvdia': did you mean Nvidia?" in result.out
    (row,) = json.loads(run_cli("list", "--search", "英伟达", "--format", "json").out)
    assert (row["from_org"], row["to_org"], row["amount"]) == ("Nvidia", "OpenAI", "100000000000")
    assert len(json.loads(run_cli("list", "--search", "NVDA", "--format", "json").out)) == 1  # an alias too
    assert len(json.loads(run_cli("list", "--search", "ORCL", "--format", "json").out)) == 1
