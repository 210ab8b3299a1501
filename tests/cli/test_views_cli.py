"""Saved views through the real entry point (#16), on every backend: save, list (text and JSON), delete,
names unique ignoring case, bad fields refused in one line, and `list --view` / `export --view` applying one
(flags beside --view override its fields; export's lines are `tracker export`'s)."""

from __future__ import annotations

import json


def test_save_list_delete(run_cli) -> None:  # type: ignore[no-untyped-def]
    saved = run_cli("view", "save", "Nvidia  big", "--org", "英伟达", "--sort", "amount", "--columns", "capacity,id")
    assert saved.code == 0, saved.err
    assert saved.out == "saved view 'Nvidia big': org 英伟达, sort amount, columns id, capacity\n"
    assert run_cli("view", "save", "Partnerships", "--kind", "partnership", "--since", "2025-09").code == 0
    taken = run_cli("view", "save", "NVIDIA BIG")
    assert taken.code == 1
    assert taken.err == "tracker: view 'NVIDIA BIG': a view named 'Nvidia big' exists (--replace replaces it)\n"
    assert run_cli("view", "save", "NVIDIA BIG", "--search", "openai", "--replace").code == 0
    listed = run_cli("view", "list")
    assert listed.code == 0, listed.err
    lines = listed.out.splitlines()
    assert lines[0].startswith("1  NVIDIA BIG: search “openai”, sort date  (by ")
    assert lines[1].startswith("2  Partnerships: kind partnership, date 2025-09 – …, sort date  (by ")
    views = json.loads(run_cli("view", "list", "--format", "json").out)
    assert [v["name"] for v in views] == ["NVIDIA BIG", "Partnerships"]
    assert views[1]["kinds"] == ["partnership"] and views[1]["columns"] is None and views[1]["created_by"]
    deleted = run_cli("view", "delete", "partnerships")
    assert (deleted.code, deleted.out) == (0, "deleted view 'Partnerships'\n")
    gone = run_cli("view", "delete", "partnerships")
    assert (
        gone.code == 1
        and gone.err == "tracker: view 'partnerships': no view has this name (tracker view list shows them)\n"
    )
    assert [v["name"] for v in json.loads(run_cli("view", "list", "--format", "json").out)] == ["NVIDIA BIG"]


def test_bad_fields_are_refused_naming_them_and_nothing_is_saved(run_cli) -> None:  # type: ignore[no-untyped-def]
    for args, message in (
        (("--kind", "loan"), "--kind 'loan': one of investment, purchase, infrastructure, partnership"),
        (("--sort", "size"), "--sort 'size': one of date, kind, from, to, amount, value, status"),
        (("--since", "2025-13"), "--since '2025-13': use "),
        (("--columns", "id,colour"), "--columns 'colour': one of id, capacity, alliances, description"),
        (("--org", "Nobody Corp"), "--org 'Nobody Corp': no organisation has this name or alias"),
    ):
        result = run_cli("view", "save", "bad", *args)
        assert result.code == 1 and result.err.splitlines()[-1].startswith("tracker: " + message), result.err
        assert "Traceback" not in result.err
    blank = run_cli("view", "save", "  ")
    assert blank.code == 1 and blank.err == "tracker: view name '': give a name\n"
    assert run_cli("view", "list").out == "no saved views (tracker view save NAME ... saves one)\n"


def test_list_and_export_apply_a_view_and_flags_override_it(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("view", "save", "oracle", "--search", "oracle", "--sort", "from").code == 0
    direct = json.loads(run_cli("list", "--search", "oracle", "--sort", "from", "--format", "json").out)
    viewed = json.loads(run_cli("list", "--view", "Oracle", "--format", "json").out)
    assert viewed == direct and len(viewed) == 3
    reversed_ = json.loads(run_cli("list", "--view", "oracle", "--reverse", "--format", "json").out)
    assert [r["id"] for r in reversed_] == [r["id"] for r in reversed(direct)]
    other = json.loads(run_cli("list", "--view", "oracle", "--search", "alibaba", "--format", "json").out)
    assert other and all("Alibaba" in (r["from_org"] + (r["to_org"] or "")) for r in other)
    missing = run_cli("list", "--view", "nope")
    assert (
        missing.code == 1
        and missing.err == "tracker: --view 'nope': no view has this name (tracker view list shows them)\n"
    )

    full = run_cli("export").out.split("\r\n")
    exported = run_cli("export", "--view", "oracle")
    assert exported.code == 0, exported.err
    lines = exported.out.split("\r\n")
    assert lines[0] == full[0] and lines[-1] == ""
    assert [int(x.split(",")[0]) for x in lines[1:-1]] == [r["id"] for r in direct]  # the view's order
    assert all(line in full for line in lines[1:-1])  # each line byte for byte the export's
    refused = run_cli("export", "--view", "oracle", "--format", "xlsx")
    assert refused.code == 2 and "--view writes the deals CSV" in refused.err


def test_a_confidence_filter_is_kept_and_applied_once_deals_have_one(run_cli) -> None:  # type: ignore[no-untyped-def]
    from tracker.core.records.views import CONFIDENCE_APPLIES

    saved = run_cli("view", "save", "sure", "--confidence", "Confirmed", "--confidence", "reported")
    assert saved.code == 0, saved.err
    assert json.loads(run_cli("view", "list", "--format", "json").out)[0]["confidence"] == ["confirmed", "reported"]
    bad = run_cli("view", "save", "unsure", "--confidence", "certain")
    assert bad.code == 1 and bad.err.splitlines()[-1].startswith("tracker: --confidence 'certain': one of confirmed")
    listed = run_cli("list", "--view", "sure", "--format", "json")
    assert listed.code == 0, listed.err
    if CONFIDENCE_APPLIES:  # schema 0011: deals have a confidence
        assert all(r["confidence"] in ("confirmed", "reported") for r in json.loads(listed.out))
    else:
        assert "deals have no confidence here yet; its confidence filter is not applied" in listed.err
        assert len(json.loads(listed.out)) == 8
