"""`tracker edit ID` and `tracker delete ID` through the real entry point: only the options given change,
'' clears, names resolve as in add, the running sums follow, refusals are one line with nothing written."""

from __future__ import annotations

import json


def _deal(run_cli, deal_id: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    rows = json.loads(run_cli("list", "--format", "json").out)
    return next(r for r in rows if r["id"] == deal_id)


def _usd_total(run_cli) -> str:  # type: ignore[no-untyped-def]
    rows = json.loads(run_cli("totals", "--by", "kind", "--format", "json").out)
    return json.dumps(rows, sort_keys=True)


def test_edit_changes_only_the_options_given(run_cli) -> None:  # type: ignore[no-untyped-def]
    before = _deal(run_cli, 2)  # Nvidia → OpenAI, up to $100B
    totals_before = _usd_total(run_cli)
    result = run_cli("edit", "2", "--amount", "$120B", "--from", "英伟达")  # an alias: still Nvidia
    assert result.code == 0, result.err
    assert result.out.strip().startswith("updated deal 2: ")
    after = _deal(run_cli, 2)
    assert after["amount"] == "120000000000" and after["qualifier"] == "exact"
    for key in ("date", "kind", "from_org", "to_org", "status", "description", "source_title", "source_date"):
        assert after[key] == before[key], key
    assert _usd_total(run_cli) != totals_before  # the running sums follow the edit
    described = run_cli("edit", "2", "--description", "", "--format", "json")
    assert json.loads(described.out) == {
        "id": 2, "changed": ["description"], "created_organizations": [], "created_alliances": []
    }  # fmt: skip
    assert _deal(run_cli, 2)["description"] is None
    again = run_cli("edit", "2", "--description", "Nvidia invests")
    assert again.out.strip() == "updated deal 2: description"


def test_edit_to_empty_clears_and_infrastructure_needs_it(run_cli) -> None:  # type: ignore[no-untyped-def]
    refused = run_cli("edit", "2", "--to", "")
    assert refused.code == 1 and refused.out == ""
    assert refused.err.strip().splitlines()[-1].startswith("tracker: --to '': required for a")
    ok = run_cli("edit", "2", "--kind", "infrastructure", "--to", "")
    assert ok.code == 0, ok.err
    deal = _deal(run_cli, 2)
    assert deal["kind"] == "infrastructure" and deal["to_org"] is None


def test_edit_alliances_by_their_key_and_new_names_said(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("edit", "8", "--alliance", "openai-nvidia-oracle triangle", "--alliance", "Fresh group",
                     "--from", "Aliyun", "--to", "Brand New Co")  # fmt: skip
    assert result.code == 0, result.err
    assert "created organisation 'Brand New Co'" in result.err and "created alliance 'Fresh group'" in result.err
    assert "OpenAI" not in result.err.replace("openai", "")  # the seed's alliance was found, not created
    names = [a["name"] for a in json.loads(run_cli("alliance", "list", "--format", "json").out)]
    assert names == ["Alibaba Cloud–Nvidia Physical AI ecosystem", "Fresh group", "OpenAI–Nvidia–Oracle triangle"]
    shown = json.loads(run_cli("alliance", "show", "fresh group", "--format", "json").out)
    assert [d["id"] for d in shown["deals"]] == [8]
    cleared = run_cli("edit", "8", "--alliance", "")
    assert cleared.out.strip() == "updated deal 8: alliances"
    assert json.loads(run_cli("alliance", "show", "fresh group", "--format", "json").out)["deals"] == []


def test_edit_refusals(run_cli) -> None:  # type: ignore[no-untyped-def]
    before = run_cli("list", "--format", "json").out
    for args, message in (
        (("edit", "2"), "nothing to change"),
        (("edit", "999", "--kind", "investment"), "deal 999: no such deal"),
        (("edit", "2", "--amount", "lots"), "--amount 'lots':"),
        (("edit", "2", "--date", "2025-13"), "--date '2025-13':"),
        (("edit", "2", "--to", "Nvidia"), "--to 'Nvidia': the two parties are the same organisation"),
        (("edit", "2", "--alliance", "Tab\there"), "--alliance"),
        (("delete", "999"), "deal 999: no such deal"),
    ):
        result = run_cli(*args)
        assert result.code == 1 and result.out == "", args
        last = result.err.strip().splitlines()[-1]
        assert last.startswith("tracker: ") and message in last and "Traceback" not in result.err, (args, last)
    assert run_cli("edit", "abc", "--kind", "investment").code == 2  # not an id: a usage error
    assert run_cli("list", "--format", "json").out == before


def test_delete_prints_the_deal_with_its_links_and_alliances(run_cli) -> None:  # type: ignore[no-untyped-def]
    totals_before = _usd_total(run_cli)
    result = run_cli("delete", "2")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "deleted deal #2: 2025-09 investment Nvidia → OpenAI, ≤ $100B",
        "  out of alliances: OpenAI–Nvidia–Oracle triangle",
        "  link removed: has part #3 2025-09 purchase OpenAI → Nvidia",
    ]
    assert all(r["id"] != 2 for r in json.loads(run_cli("list", "--format", "json").out))
    assert _usd_total(run_cli) != totals_before
    data = json.loads(run_cli("delete", "3", "--format", "json").out)["deleted"]
    assert (data["id"], data["from_org"], data["to_org"], data["amount"]) == (3, "OpenAI", "Nvidia", None)
    assert data["alliances"] == [] and data["links"] == []  # its link went with deal 2
    gone = run_cli("delete", "2")
    assert gone.code == 1 and gone.err.strip().endswith("tracker: deal 2: no such deal")
    triangle = json.loads(run_cli("alliance", "show", "OpenAI–Nvidia–Oracle triangle", "--format", "json").out)
    assert [d["id"] for d in triangle["deals"]] == [5, 4]  # the alliance stays with its other deals


def test_help(run_cli) -> None:  # type: ignore[no-untyped-def]
    edit = run_cli("edit", "--help").out
    for flag in ("--kind", "--from", "--to", "--amount", "--date", "--alliance", "--format", "'' clears"):
        assert flag in edit
    assert "with its alliance memberships and deal links" in run_cli("delete", "--help").out


def test_edit_refuses_a_close_name_as_add_does(run_cli) -> None:  # type: ignore[no-untyped-def]
    """Issue 18: every rule of add holds for scripts that edit: `--from Alibabba` names the close organisation and
    writes nothing, unless --new-org."""
    before = run_cli("export").out
    refused = run_cli("edit", "1", "--from", "Alibabba")
    assert refused.code == 1
    assert refused.err.strip() == (
        "tracker: --from 'Alibabba': no such organisation; did you mean Alibaba? Use --new-org to create 'Alibabba'"
    )
    assert run_cli("export").out == before
    assert run_cli("edit", "1", "--from", "Alibabba", "--new-org").code == 0
