"""Names are cleaned once, everywhere (issue 18): NFC, trimmed, runs of spaces collapsed; a control or an
invisible character is refused naming the character and its position, through the CLI, the import (both
paths) and an ``--all`` bundle, so ``Tab\\there`` and ``Zero\\u200bWidth`` never become look-alike
organisations."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.processes import HEADER, Proc
from tracker.core.domain.names import clean_name, name_problem


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Acme   Corp ", "Acme Corp"),
        ("Acme\u3000\u3000Corp", "Acme Corp"),  # ideographic spaces
        ("Acme\u00a0Corp", "Acme Corp"),
        ("Cafe\u0301", "Café"),  # NFC: one code point
        ("月之暗面", "月之暗面"),
        ("👩\u200d💻 Labs", "👩\u200d💻 Labs"),  # the zero-width joiner joins emoji: kept
    ],
)
def test_clean_name(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean and name_problem(clean) is None


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Tab\there", "holds a control character (U+0009) at position 4"),
        ("Line\nBreak", "holds a control character (U+000A) at position 5"),
        ("Zero\u200bWidth", "a zero-width space (U+200B), at position 5"),
        ("Soft\u00adHyphen", "a soft hyphen (U+00AD), at position 5"),
        ("\ufeffBOM Co", "a zero-width no-break space (U+FEFF), at position 1"),
    ],
)
def test_what_cleaning_cannot_fix_is_refused_naming_it(name: str, said: str) -> None:
    problem = name_problem(clean_name(name))
    assert problem is not None and said in problem


def _names(run_cli: Callable[..., Proc]) -> list[str]:
    got = run_cli("list", "--format", "json")
    assert got.code == 0, got.err
    return sorted({d[k] for d in json.loads(got.out) for k in ("from_org", "to_org") if d[k]})


def test_the_cli_and_both_import_paths_store_one_clean_name(run_cli: Callable[..., Proc], tmp_path: Path) -> None:
    added = run_cli("--empty", "add", "--kind", "investment", "--from", "  Acme   Corp ", "--to", "Cafe\u0301 Labs",
                    "--date", "2025-01-01")  # fmt: skip
    assert added.code == 0, added.err
    assert "created organisation 'Acme Corp'" in added.err
    rows = "".join(
        f"r{i},2025-02-0{i},investment,{frm},Other Co,,,,,\n"
        for i, frm in enumerate(["Acme\u3000Corp", "acme  corp", "Acme\u00a0Corp"], start=1)
    )
    imported = run_cli("import", "-", input=HEADER + rows)
    assert imported.code == 0, imported.err
    assert _names(run_cli) == ["Acme Corp", "Café Labs", "Other Co"]  # one Acme Corp, NFC, spaces collapsed


def test_the_cli_refuses_look_alike_names_in_one_line(run_cli: Callable[..., Proc], db_target: str) -> None:
    for name, said in (("Tab\there", "U+0009) at position 4"), ("Zero\u200bWidth", "(U+200B), at position 5")):
        got = run_cli("add", "--kind", "investment", "--from", name, "--to", "Nvidia", "--date", "2025-01-01")
        assert got.code == 1
        lines = got.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("tracker: --from ") and said in lines[0], got.err
    rows = "z1,2025-01-01,investment,Zero\u200bWidth,Nvidia,,,,,\n"
    refused = run_cli("import", "-", input=HEADER + rows)
    assert refused.code == 1 and "line 2" in refused.err and "U+200B" in refused.err
    assert "ZeroWidth" not in "".join(_names(run_cli)).replace("\u200b", "")


def test_a_bundle_cleans_and_refuses_the_same_way(run_cli: Callable[..., Proc], tmp_path: Path) -> None:
    folder = tmp_path / "b"
    assert run_cli("--empty", "add", "--kind", "investment", "--from", "Acme Corp", "--to", "Beta",
                   "--date", "2025-01-01").code == 0  # fmt: skip
    assert run_cli("export", "--all", str(folder)).code == 0
    (folder / "manifest.json").unlink()  # edited by hand now: no manifest to match
    orgs = (folder / "organizations.csv").read_text(encoding="utf-8")
    (folder / "organizations.csv").write_text(orgs.replace("Beta,", "Beta  \u3000 ,", 1), encoding="utf-8")
    got = run_cli("import", "--all", str(folder))
    assert got.code == 0, got.err
    assert _names(run_cli) == ["Acme Corp", "Beta"]
    (folder / "organizations.csv").write_text(orgs.replace("Beta,", "Be\u200bta,", 1), encoding="utf-8")
    bad = run_cli("import", "--all", str(folder))
    assert bad.code == 1 and "U+200B" in bad.err and "organizations.csv" in bad.err
