"""Issue 12: a date at quarter precision through the CLI: added, listed (table, CSV, JSON), exported and
imported back, always written 2025-Q3 (the export keeps its format: a deals CSV with a quarter reads back)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from tracker.cli.main import cli


def test_a_quarter_is_written_at_its_precision_everywhere(db_target: str, tmp_path: Path) -> None:
    runner = CliRunner()

    def run(*args: str, db: str = db_target) -> str:
        result = runner.invoke(cli, ["--db", db, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    run("--empty", "add", "--kind", "investment", "--from", "腾讯", "--to", "月之暗面", "--amount", "约50亿元",
        "--date", "2025年第三季度")  # fmt: skip
    run("add", "--kind", "purchase", "--from", "🚀 Rocket AI", "--to", "Nvidia", "--date", "Q4 2025")
    assert "2025-Q3" in run("list") and "2025-Q4" in run("list")
    rows = list(csv.DictReader(io.StringIO(run("list", "--format", "csv"))))
    assert [r["date"] for r in rows] == ["2025-Q4", "2025-Q3"]
    records = json.loads(run("list", "--format", "json"))
    assert [(r["date"], r["date_precision"]) for r in records] == [("2025-Q4", "qtr"), ("2025-Q3", "qtr")]
    out = tmp_path / "deals.csv"
    run("export", str(out))
    exported = {r["from_org"]: r["date"] for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert exported == {"Tencent": "2025-Q3", "🚀 Rocket AI": "2025-Q4"}  # 腾讯 is the reference list's Tencent
    other = f"sqlite:///{tmp_path / 'again.db'}"
    run("--empty", "import", str(out), db=other)
    again = json.loads(run("list", "--format", "json", db=other))
    assert [(r["date"], r["date_precision"]) for r in again] == [("2025-Q4", "qtr"), ("2025-Q3", "qtr")]
