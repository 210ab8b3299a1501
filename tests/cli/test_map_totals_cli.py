"""`tracker map` and `tracker totals` on the seed: every format, and bad flags named in one line."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from tracker.cli.main import cli


@pytest.fixture
def run(db_target: str):  # type: ignore[no-untyped-def]
    """The CLI in-process on every backend (tests/conftest.py: SQLite, and PostgreSQL in CI)."""
    db = db_target
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, ["--db", db, *args], catch_exceptions=False)

    invoke("fx", "list")  # create and seed once
    return invoke


def test_map_cycles_text_one_per_line(run) -> None:  # type: ignore[no-untyped-def]
    result = run("map", "--cycles")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "OpenAI → Oracle → Nvidia → OpenAI" in lines
    assert "OpenAI → Nvidia → OpenAI" in lines
    assert len(lines) == 2


def test_map_text_draws_the_triangle(run) -> None:  # type: ignore[no-untyped-def]
    out = run("map").stdout
    assert "│ OpenAI │" in out and "│ Oracle │" in out and "Nvidia" in out
    assert "Nvidia → OpenAI  1 deal: ≤ $100B" in out


def test_map_json_dot_mermaid(run) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run("map", "--format", "json").stdout)
    assert {n["name"] for n in data["nodes"]} == {"OpenAI", "Oracle", "Nvidia", "Alibaba Cloud"}
    cycles = json.loads(run("map", "--cycles", "--format", "json").stdout)
    assert {c["label"] for c in cycles["cycles"]} == {"OpenAI → Oracle → Nvidia → OpenAI", "OpenAI → Nvidia → OpenAI"}
    assert cycles["bounded"] is False
    assert run("map", "--format", "dot").stdout.startswith("digraph ecosystem {")
    assert run("map", "--format", "mermaid").stdout.startswith("flowchart LR")


def test_map_focus_top_and_group(run) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run("map", "--org", "甲骨文", "--hops", "1", "--format", "json").stdout)
    assert {n["name"] for n in data["nodes"]} == {"Oracle", "OpenAI", "Nvidia"}
    top = json.loads(run("map", "--top", "2", "--format", "json").stdout)
    assert {n["name"] for n in top["nodes"]} == {"OpenAI", "Nvidia"}
    grouped = run("map", "--group-parents").stdout
    assert "Alibaba — Nvidia" in grouped


def test_map_bad_flags(run) -> None:  # type: ignore[no-untyped-def]
    result = run("map", "--org", "Nobody")
    assert (
        result.exit_code == 1
        and result.stderr.strip() == "tracker: --org 'Nobody': no organisation of that name or alias"
    )
    assert run("map", "--hops", "-1").exit_code == 2
    assert run("map", "--format", "png").exit_code == 2


def test_totals_table_states_rates(run) -> None:  # type: ignore[no-untyped-def]
    out = run("totals", "--exact").stdout
    assert "53,352,000,000" in out  # 380 billion CNY × 0.1404
    assert "100,000,000,000" in out  # Nvidia's up-to, in its own column
    assert "CNY 0.1404  as of 2025-09-29" in out
    assert "up to USD" in out and "undisclosed" in out


def test_totals_csv_and_json_in_cny(run) -> None:  # type: ignore[no-untyped-def]
    rows = list(
        csv.DictReader(io.StringIO(run("totals", "--by", "kind", "--currency", "cny", "--format", "csv").stdout))
    )
    by = {r["group"]: r for r in rows}
    assert by["infrastructure"]["exact CNY"] == "380000000000"
    assert by["investment"]["up to CNY"] == "712250712250.7123"  # 100e9 / 0.1404
    assert by["TOTAL"]["undisclosed"] == "6" and by["TOTAL"]["GW"] == ""  # no exact capacity: empty, never 0
    assert by["TOTAL"]["GW at least"] == "10"  # the article's 至少10吉瓦, apart from exact capacity (schema 0007)
    data = json.loads(run("totals", "--by", "group", "--format", "json").stdout)
    assert data["currency"] == "USD" and any(
        r["label"] == "Alibaba" and r["side"] == "partnership" for r in data["rows"]
    )


def test_totals_at_a_date_reports_unrated(run) -> None:  # type: ignore[no-untyped-def]
    out = run("totals", "--by", "year", "--at", "2020-01-01").stdout
    assert "CNY 380B (1 deal)" in out and "no rate on or before 2020-01-01" in out


def test_fx_set_changes_totals(run) -> None:  # type: ignore[no-untyped-def]
    assert run("fx", "set", "CNY", "0.2", "--as-of", "2025-10-01").exit_code == 0
    assert "76,000,000,000" in run("totals", "--by", "kind", "--exact").stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("totals", "--at", "yesterday"), 1, "tracker: --at 'yesterday': not a date (YYYY-MM-DD)"),
        (("totals", "--currency", "XYZ"), 1, "tracker: --currency 'XYZ': not an ISO 4217 currency code"),
        (("totals", "--currency", "BRL"), 1, "tracker: --currency 'BRL': no FX rate for BRL"),
        (("totals", "--by", "planet"), 2, "'planet' is not one of"),
    ],
)
def test_totals_bad_flags(run, args, code, message) -> None:  # type: ignore[no-untyped-def]
    result = run(*args)
    assert result.exit_code == code
    assert message in result.stderr


def test_map_is_bounded_by_default_in_every_format(run_cli) -> None:  # type: ignore[no-untyped-def]
    """Finding 21 of issue 17: the text map of 200,000 deals took 31.5 s and 2.86 GB. Every format draws the
    default top N unless --top (or --all) says otherwise, and says how to see more."""
    from tests.support.processes import HEADER
    from tracker.core.analysis.graph import DEFAULT_TOP

    n = DEFAULT_TOP + 20
    rows = "".join(f"s{i},2025-01-01,investment,Org {i:03d},Hub,{1000 + i},USD,exact,announced,\n" for i in range(n))
    assert run_cli("--empty", "import", "-", input=HEADER + rows).code == 0
    text = run_cli("map")
    assert text.code == 0
    assert "--top N draws more, --all draws every one" in text.out
    data = json.loads(run_cli("map", "--format", "json").out)
    assert len(data["nodes"]) == DEFAULT_TOP and "21 more" in data["note"]
    assert run_cli("map", "--format", "dot").out.splitlines()[1].startswith("  // the 50 busiest organisations")
    assert run_cli("map", "--format", "mermaid").out.splitlines()[1].startswith("  %% the 50 busiest organisations")
    wide = json.loads(run_cli("map", "--top", "1000", "--format", "json").out)
    assert len(wide["nodes"]) == n + 1 and wide["note"] is None
    every = json.loads(run_cli("map", "--all", "--format", "json").out)  # what the note offers exists
    assert every["nodes"] == wide["nodes"] and every["note"] is None
    assert "more with deals" not in run_cli("map", "--all").out
    both = run_cli("map", "--all", "--top", "3")
    assert both.code == 1 and both.err.startswith("tracker: --all and --top: choose one")
    cycles = run_cli("map", "--cycles")
    assert cycles.code == 0 and "cycles of 2-5 parties" in cycles.err  # the cycle search keeps its own bounds


def test_totals_table_lays_names_out_by_cells_and_cuts_long_ones(run) -> None:  # type: ignore[no-untyped-def]
    """Issue 12: one long name no longer pushes every figure off the table, and CJK or emoji names keep the
    columns aligned (measured in terminal cells)."""
    from rich.cells import cell_len

    from tracker.core.analysis.cells import NAME_WIDTH

    long_name = "Very Long Holdings " * 10 + "Ltd"
    # 星辰算力: a made-up name (月之暗面 is on the reference list and comes in as Moonshot AI)
    for frm, to in ((long_name.strip(), "Nvidia"), ("星辰算力", "Nvidia"), ("🚀 Rocket AI", "Nvidia")):
        got = run("add", "--kind", "investment", "--from", frm, "--to", to, "--amount", "$1B", "--date", "2025-01-01")
        assert got.exit_code == 0, got.output
    lines = run("totals").stdout.splitlines()
    header = lines[1]
    deals_end = cell_len(header[: header.index("deals") + len("deals")])
    table = [line for line in lines[2:] if line.strip() and not line.startswith(("Rates", "("))][:40]
    rows = [line for line in table if "paid out" in line or "received" in line]
    assert any(r.startswith("Very Long Holdings") and "…" in r for r in rows)
    assert any(r.startswith("星辰算力") for r in rows) and any(r.startswith("🚀 Rocket AI") for r in rows)
    for row in rows:  # the deals column ends in the same terminal column on every row
        count_end = len(row.split("  ")[0])
        assert cell_len(row[:count_end]) <= NAME_WIDTH
        idx = row.find(" ", row.find("paid out" if "paid out" in row else "received") + 8)
        rest = row[idx:]
        n = rest.lstrip().split(" ")[0]
        assert cell_len(row[: idx + len(rest) - len(rest.lstrip()) + len(n)]) == deals_end, (row, header)


def test_top_n_is_the_busiest_by_deal_count_then_volume_and_names_the_rest(db_target: str) -> None:
    """Issue 13: on the real data set `--top 3` picked OpenAI, SoftBank and Oracle (the biggest sums) over
    NVIDIA, the 22-edge hub, and "N not drawn" never said which. The rule is deal count, then volume, and
    the organisations left out are named, busiest first."""
    from tests.support.data import CIRCULAR_CSV

    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db_target, "--empty", "import", str(CIRCULAR_CSV)]).exit_code == 0
    data = json.loads(runner.invoke(cli, ["--db", db_target, "map", "--top", "3", "--format", "json"]).stdout)
    names = [n["name"].casefold() for n in data["nodes"]]  # NVIDIA comes in as the reference list spells it
    assert names[0] == "nvidia" and set(names) == {"nvidia", "openai", "coreweave"}
    assert len(data["not_drawn"]) == 25 and "Oracle" in data["not_drawn"]
    text = runner.invoke(cli, ["--db", db_target, "map", "--top", "3"]).stdout
    assert "not drawn: " + ", ".join(data["not_drawn"][:3]) in text


def test_dot_and_mermaid_show_an_organisation_in_every_alliance_it_belongs_to(run) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: Nvidia is in two of the seed's alliances; DOT and Mermaid drew it in one cluster only. Its
    node sits in the first, and the second holds a membership node linked to it."""
    dot = run("map", "--format", "dot").stdout
    clusters = dot.split("subgraph cluster_")[1:]
    assert len(clusters) == 2 and all('label="Nvidia"' in c.split("  }")[0] for c in clusters)
    assert "_in_a1 -> n" in dot and 'style=dotted, label="same"' in dot
    mermaid = run("map", "--format", "mermaid").stdout
    subgraphs = mermaid.split("  subgraph ")[1:]
    assert len(subgraphs) == 2 and all('"Nvidia"' in s.split("  end")[0] for s in subgraphs)
    assert "-.-|same|" in mermaid


def test_the_drawing_is_the_same_in_every_process(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """grandalf keeps vertices and edges in sets; hashed by address they reorder from run to run (a map
    that changes when nothing changed, and snapshots that depend on the process). Three processes with
    other hash seeds draw the real data set identically."""
    import os
    import subprocess
    import sys

    from tests.support.data import CIRCULAR_CSV

    db = str(tmp_path / "real.db")
    assert CliRunner().invoke(cli, ["--db", db, "--empty", "import", str(CIRCULAR_CSV)]).exit_code == 0
    drawings = {
        subprocess.run(
            [sys.executable, "-m", "tracker", "--db", db, "map"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        ).stdout
        for seed in ("0", "1", "2")
    }
    assert len(drawings) == 1


def _table(out: str) -> dict[tuple[str, str], list[str]]:
    """The rows of the totals table by (name, side): the cells after the side, split on runs of spaces."""
    import re

    rows = {}
    for line in out.splitlines()[2:]:
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) > 3:
            rows[(cells[0], cells[1])] = cells[2:]
    return rows


def test_totals_compact_by_default_exact_one_flag_away(run) -> None:  # type: ignore[no-untyped-def]
    """Issue 12: figures people read ($53.35B, ≤ $100B), every digit with --exact; a capex plan is committed
    spending, not paid out; the TOTAL row says what it adds."""
    compact = run("totals")
    assert compact.exit_code == 0
    out = compact.stdout
    assert out.splitlines()[0].startswith("Totals by org in USD (latest rates;")
    rows = _table(out)
    assert rows[("Nvidia", "paid out")][:3] == ["1", "-", "≤ $100B"]
    assert rows[("Alibaba", "committed spending")][:2] == ["1", "$53.35B"]
    assert not any(side == "paid out" and name == "Alibaba" for name, side in rows)
    assert "TOTAL (each deal once)" in out and "paid out and received are not one sum" in out
    exact = run("totals", "--exact").stdout
    assert _table(exact)[("Alibaba", "committed spending")][:2] == ["1", "53,352,000,000"]
    assert "$53.35B" not in exact and "every digit" in exact.splitlines()[0]


def test_totals_rates_latest_and_deal_date(run) -> None:  # type: ignore[no-untyped-def]
    """--rates latest (the default) converts at today's rates; --rates deal-date each deal at the rate in
    force on its date, and the output says which."""
    assert run("add", "--kind", "investment", "--from", "Tencent", "--to", "Moonshot", "--amount", "CNY 100",
               "--date", "2025-11-15").exit_code == 0  # fmt: skip
    assert run("fx", "set", "CNY", "0.2", "--as-of", "2025-11-01").exit_code == 0
    assert run("fx", "set", "CNY", "0.1", "--as-of", "2025-12-01").exit_code == 0
    latest = json.loads(run("totals", "--by", "year", "--format", "json").stdout)
    assert latest["rates_mode"] == "latest" and latest["rates_note"] == "latest rates"
    dated = json.loads(run("totals", "--by", "year", "--rates", "deal-date", "--format", "json").stdout)
    assert dated["rates_mode"] == "deal-date"
    # Alibaba's 380B CNY (2025-09) before the first rate but the seed's: 0.1404; Tencent's 100 CNY at 0.2
    assert latest["total"]["exact"] == "38000000010"  # 380e9 × 0.1 + 100 × 0.1
    assert dated["total"]["exact"] == "53352000020"  # 380e9 × 0.1404 + 100 × 0.2
    assert dated["later_rate_deals"] == 1  # Alibaba's: dated 2025-09, the first CNY rate is of 2025-09-29
    text = run("totals", "--by", "year", "--rates", "deal-date").stdout
    assert "each deal at the rates in force on its date (1 deal dated before the first rate" in text.splitlines()[0]
    assert "CNY 0.2  as of 2025-11-01" in text and "CNY 0.1404  as of 2025-09-29" in text
    assert "latest rates" in run("totals", "--by", "year").stdout.splitlines()[0]
    both = run("totals", "--rates", "deal-date", "--at", "2025-01-01")
    assert both.exit_code == 1 and "--at and --rates deal-date: choose one" in both.stderr
    assert run("totals", "--rates", "yesterday").exit_code == 2


def test_totals_machine_outputs_never_write_0_for_an_absent_figure(run) -> None:  # type: ignore[no-untyped-def]
    """An undisclosed or absent figure is empty (CSV) or null (JSON); an exact zero is 0."""
    assert run("add", "--kind", "investment", "--from", "Zero Co", "--to", "Nvidia", "--amount", "0",
               "--currency", "USD", "--date", "2025-01-01").exit_code == 0  # fmt: skip
    for rates in ("latest", "deal-date"):
        rows = list(csv.DictReader(io.StringIO(run("totals", "--rates", rates, "--format", "csv").stdout)))
        by = {(r["group"], r["side"]): r for r in rows}
        assert by[("Zero Co", "paid out")]["exact USD"] == "0"  # an exact zero
        assert by[("Zero Co", "paid out")]["up to USD"] == ""  # no up-to amount
        assert by[("Google", "committed spending")]["exact USD"] == ""  # undisclosed
        assert by[("Google", "committed spending")]["GW"] == ""
        assert by[("TOTAL", "")]["estimated USD"] == "" and by[("TOTAL", "")]["exact USD"] != ""
        data = json.loads(run("totals", "--rates", rates, "--format", "json").stdout)
        zero = next(r for r in data["rows"] if r["label"] == "Zero Co")
        assert (zero["exact"], zero["up_to"], zero["capacity_gw"]) == ("0", None, None)
        google = next(r for r in data["rows"] if r["label"] == "Google")
        assert (google["exact"], google["up_to"], google["at_least"], google["estimated"]) == (None,) * 4
        assert data["total"]["estimated"] is None
