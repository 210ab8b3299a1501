"""Duplicate deals through the real entry point: `add` refuses a likely duplicate unless --allow-duplicate,
`import` lists them in its summary, `dedupe` lists pairs (text and JSON) and merges one, on every backend."""

from __future__ import annotations

import json

from tests.support.data import CIRCULAR_CSV

SEED_DEAL = ("add", "--kind", "investment", "--from", "Nvidia", "--to", "OpenAI", "--amount", "up to $100B",
             "--date", "2025-09")  # fmt: skip


def test_add_refuses_a_seed_deal_entered_again_naming_it(run_cli) -> None:  # type: ignore[no-untyped-def]
    ids = {r["description"]: r["id"] for r in json.loads(run_cli("list", "--format", "json").out)}
    seed_id = next(i for d, i in ids.items() if d and d.startswith("Nvidia to invest"))
    result = run_cli(*SEED_DEAL)
    assert result.code == 1
    assert result.err.startswith(f"tracker: likely a duplicate of deal #{seed_id}: #{seed_id} 2025-09 investment")
    assert "--allow-duplicate" in result.err and "Traceback" not in result.err
    assert len(json.loads(run_cli("list", "--format", "json").out)) == 8  # nothing written
    day = run_cli(*SEED_DEAL[:-1], "2025-10-20")  # 20 days after September: still the same deal
    assert day.code == 1 and f"deal #{seed_id}" in day.err
    allowed = run_cli(*SEED_DEAL, "--allow-duplicate")
    assert allowed.code == 0, allowed.err
    assert allowed.out.startswith("added deal ")
    later = run_cli(*SEED_DEAL[:-1], "2025-11-02")  # 33 days after September ends: another deal
    assert later.code == 0, later.err


def test_import_lists_likely_duplicates_and_a_reimport_is_unchanged(run_cli) -> None:  # type: ignore[no-untyped-def]
    first = run_cli("import", str(CIRCULAR_CSV))
    assert first.code == 0, first.err
    assert "91 rows: added 91" in first.out
    assert "likely duplicates (3; imported all the same, see tracker dedupe):" in first.out
    line = next(x for x in first.out.splitlines() if "Amazon → Anthropic" in x)
    assert "8000000000 USD" in line and "same kind, the same parties, the same amount, dates overlap" in line
    again = run_cli("import", str(CIRCULAR_CSV))
    assert again.code == 0
    assert "91 rows: added 0, updated 0, unchanged 91" in again.out and "duplicates" not in again.out


def test_dedupe_lists_merges_and_hides_merged(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("import", str(CIRCULAR_CSV)).code == 0
    text = run_cli("dedupe")
    assert text.code == 0, text.err
    assert "3 likely duplicate pairs" in text.out
    pairs = json.loads(run_cli("dedupe", "--format", "json").out)
    amazon = next(p for p in pairs if "Amazon → Anthropic" in p["first"]["label"])
    assert amazon["reason"] == "same kind, the same parties, the same amount, dates overlap"
    keep, drop = amazon["first"]["id"], amazon["second"]["id"]
    merged = run_cli("dedupe", "--merge", str(keep), str(drop))
    assert merged.code == 0, merged.err
    assert merged.out.strip() == f"merged deal #{drop} into #{keep}; deal #{drop} deleted"
    after = json.loads(run_cli("dedupe", "--format", "json").out)
    assert len(after) == 2 and all("Amazon" not in p["first"]["label"] for p in after)
    gone = run_cli("dedupe", "--merge", str(keep), str(drop))
    assert gone.code == 1 and gone.err.strip() == f"tracker: deal {drop}: no such deal"
    same = run_cli("dedupe", "--merge", str(keep), str(keep), "--format", "json")
    assert same.code == 1 and "cannot be merged into itself" in same.err


def test_dedupe_on_the_seed_finds_nothing_and_has_help(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("dedupe").out.strip() == "no likely duplicates"
    assert json.loads(run_cli("dedupe", "--format", "json").out) == []
    helped = run_cli("dedupe", "--help")
    assert "--merge KEEP DROP" in helped.out and "--format" in helped.out
    assert "--allow-duplicate" in run_cli("add", "--help").out
