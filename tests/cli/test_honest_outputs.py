"""Issue 12: no machine-readable output writes 0 for an undisclosed or absent figure. Every CSV and JSON that
`totals` (every grouping, both rate modes), `map` (the graph and its cycles) and `list` write is read back,
and each of its figures is checked: empty/null where no amount stands behind it, 0 only for an exact zero."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from tests.support.processes import HEADER
from tracker.cli.main import cli

# A cycle A → B → C → A of undisclosed deals, an infrastructure plan with no amount, and (for the second test)
# one deal whose amount is exactly 0.
UNDISCLOSED = (
    "u1,2025-Q3,investment,Alpha,Beta,,,,announced,undisclosed investment\n"
    "u2,2025-09,purchase,Beta,Gamma,,,,announced,undisclosed purchase\n"
    "u3,2025,purchase,Gamma,Alpha,,,,announced,undisclosed purchase\n"
    "u4,2025-09-30,infrastructure,Alpha,,,,,announced,a plan with no figure\n"
    "u5,2025-09-30,partnership,Beta,Delta,,,,announced,no money\n"
)
ZERO = "z1,2025-10-01,investment,Zero Co,Alpha,0,USD,exact,announced,an exact zero\n"
FIGURES = ("exact", "up_to", "at_least", "estimated", "capacity_gw", "amount", "flow")
CSV_FIGURES = ("exact USD", "up to USD", "at least USD", "estimated USD", "GW", "amount", "capacity_gw")


def _json_figures(data: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every (path, value) of a figure key anywhere in ``data``."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k in FIGURES and not isinstance(v, (dict, list)):
                yield f"{path}.{k}", v
            yield from _json_figures(v, f"{path}.{k}")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _json_figures(v, f"{path}[{i}]")


class _Run:
    """The CLI in-process (the real command group), on this test's database."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> str:
        result = self.runner.invoke(cli, ["--db", self.db, *args], input=input, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
        return result.stdout


def _outputs(run_cli: Any) -> dict[str, tuple[str, str]]:
    """Every machine output: name → (format, text)."""
    out: dict[str, tuple[str, str]] = {}
    for by in ("org", "country", "kind", "year", "alliance", "group"):
        for rates in ("latest", "deal-date"):
            for fmt in ("csv", "json"):
                out[f"totals {by} {rates} {fmt}"] = (
                    fmt,
                    run_cli("totals", "--by", by, "--rates", rates, "--format", fmt),
                )
    out["map json"] = ("json", run_cli("map", "--format", "json"))
    out["map cycles json"] = ("json", run_cli("map", "--cycles", "--format", "json"))
    out["list json"] = ("json", run_cli("list", "--format", "json"))
    out["list csv"] = ("csv", run_cli("list", "--format", "csv"))
    return out


def _figures(fmt: str, text: str) -> list[tuple[str, Any]]:
    if fmt == "json":
        return list(_json_figures(json.loads(text)))
    rows = list(csv.DictReader(io.StringIO(text)))
    return [(f"{r.get('group') or r.get('id')}.{c}", r[c]) for r in rows for c in CSV_FIGURES if c in r]


@pytest.mark.parametrize("with_zero", [False, True], ids=["undisclosed", "exact-zero"])
def test_no_machine_output_writes_0_for_an_undisclosed_figure(db_target: str, with_zero: bool) -> None:
    run_cli = _Run(db_target)
    rows = UNDISCLOSED + (ZERO if with_zero else "")
    run_cli("--empty", "import", "-", input=HEADER + rows)
    outputs = _outputs(run_cli)
    zeros_seen = 0
    for name, (fmt, text) in outputs.items():
        figures = _figures(fmt, text)
        assert figures, name
        for path, value in figures:
            if value in (None, ""):
                continue
            zero_deal = with_zero and ("Zero Co" in path or "exact" in path or ".amount" in path or "flow" in path)
            if value in ("0", 0) or (isinstance(value, str) and value.strip("0.") == ""):
                assert zero_deal, f"{name}: {path} is {value!r} for undisclosed deals"
                zeros_seen += 1
            else:
                assert with_zero is False or value not in ("0",), (name, path, value)
                raise AssertionError(f"{name}: {path} is {value!r}, but no deal has an amount or a capacity")
    if with_zero:
        assert zeros_seen  # the exact zero is written 0 (in totals, the map's edge and list)
        totals = json.loads(outputs["totals org latest json"][1])
        zero = next(r for r in totals["rows"] if r["label"] == "Zero Co")
        assert (zero["exact"], zero["up_to"], zero["estimated"]) == ("0", None, None)
        assert totals["total"]["exact"] == "0" and totals["total"]["up_to"] is None
        edge = next(e for e in json.loads(outputs["map json"][1])["edges"] if e["from_name"] == "Zero Co")
        assert (edge["exact"], edge["up_to"]) == ("0", None)
        listed = next(d for d in json.loads(outputs["list json"][1]) if d["from_org"] == "Zero Co")
        assert listed["amount"] == "0" and listed["capacity_gw"] is None


def test_the_workbooks_totals_sheet_leaves_an_absent_figure_empty(db_target: str, tmp_path: Any) -> None:
    """The Totals sheet of `export deals.xlsx` (issue 16) follows the same rule: empty, never 0."""
    from openpyxl import load_workbook

    run_cli = _Run(db_target)
    run_cli("--empty", "import", "-", input=HEADER + UNDISCLOSED + ZERO)
    run_cli("export", str(tmp_path / "deals.xlsx"))
    wb = load_workbook(tmp_path / "deals.xlsx", read_only=True)
    rows = list(wb["Totals"].iter_rows(values_only=True))
    wb.close()
    header = rows[0]
    body = [tuple(r) + (None,) * (len(header) - len(r)) for r in rows[1:]]  # trailing empty cells are left off
    figures = [i for i, name in enumerate(header) if name in ("exact USD", "up to USD", "at least USD",
                                                              "estimated USD", "GW")]  # fmt: skip
    for row in body:
        for i in figures:
            exact_zero = header[i] == "exact USD" and (row[0], row[1]) in (
                ("Zero Co", "paid out"),
                ("Alpha", "received"),
            )
            assert row[i] != 0 or exact_zero, (row, header[i])
    zero = next(r for r in body if r[0] == "Zero Co")
    assert zero[header.index("exact USD")] == 0 and zero[header.index("up to USD")] is None
