"""`tracker history` and `--as-of` through the real entry point, on both backends: who changed what and how
(each field before and after), newest first; list, totals, map and export as recorded at a time."""

from __future__ import annotations

import json
import time


def _now(run_cli) -> str:  # type: ignore[no-untyped-def]
    entries = json.loads(run_cli("history", "--limit", "1", "--format", "json").out)
    return str(entries[0]["at"])


def test_history_and_as_of_through_the_cli(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("list").code == 0  # the seed
    seeded = _now(run_cli)
    time.sleep(0.01)
    edited = run_cli("edit", "2", "--amount", "$120B", env={"TRACKER_USER": "dana"})
    assert edited.code == 0, edited.err
    after_edit = _now(run_cli)
    time.sleep(0.01)
    assert run_cli("delete", "2").code == 0

    text = run_cli("history", "2")
    assert text.code == 0, text.err
    lines = text.out.splitlines()
    assert "deleted" in next(line for line in lines if "  deal 2 " in line)  # newest first (links, sources around)
    edit_line = next(i for i, line in enumerate(lines) if "deal 2 edited" in line)
    assert "dana" in lines[edit_line] and "· tracker edit" in lines[edit_line]  # (role postgres) between
    assert any(line.strip().startswith("amount: 100000000000") and "120000000000" in line for line in lines)
    entries = json.loads(run_cli("history", "2", "--format", "json").out)
    assert {"insert", "update", "delete"} <= {e["op"] for e in entries}

    def ids(*args: str) -> set[int]:
        out = run_cli("list", "--format", "json", *args)
        assert out.code == 0, out.err
        return {row["id"] for row in json.loads(out.out)}

    assert 2 not in ids()
    assert 2 in ids("--as-of", after_edit)  # deleted since: back
    rows = json.loads(run_cli("list", "--format", "json", "--as-of", seeded).out)
    assert next(r for r in rows if r["id"] == 2)["amount"] in ("100000000000", "100000000000.0000")
    rows = json.loads(run_cli("list", "--format", "json", "--as-of", after_edit).out)
    assert next(r for r in rows if r["id"] == 2)["amount"] in ("120000000000", "120000000000.0000")
    totals = run_cli("totals", "--by", "kind", "--as-of", seeded, "--format", "json")
    assert totals.code == 0 and "investment" in totals.out
    assert run_cli("map", "--as-of", seeded).code == 0
    exported = run_cli("export", "--as-of", after_edit)
    assert exported.code == 0 and "120000000000" in exported.out.replace(",", "")

    early = run_cli("list", "--as-of", "1999-01-01")
    assert early.code == 1 and "before any recorded history" in early.err and "Traceback" not in early.err
    bad = run_cli("list", "--as-of", "yesterday")
    assert bad.code == 1 and "--as-of 'yesterday'" in bad.err
    helped = run_cli("list", "--help").out
    assert "recorded" in helped and "not when" in helped
