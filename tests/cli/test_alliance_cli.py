"""`tracker alliance ...` through the real entry point: every command, its JSON, and every refusal (one
line, exit 1, nothing written)."""

from __future__ import annotations

import json

SEED = "OpenAI–Nvidia–Oracle triangle"


def test_list_and_show(run_cli) -> None:  # type: ignore[no-untyped-def]
    out = run_cli("alliance", "list").out
    assert out.splitlines()[0].split() == ["ALLIANCE", "MEMBERS", "DEALS"]
    assert any(line.startswith(SEED) and line.split()[-2:] == ["3", "3"] for line in out.splitlines())
    rows = json.loads(run_cli("alliance", "list", "--format", "json").out)
    assert [r["name"] for r in rows] == ["Alibaba Cloud–Nvidia Physical AI ecosystem", SEED]
    assert rows[1]["members"] == ["Nvidia", "OpenAI", "Oracle"] and rows[1]["deals"] == 3
    shown = run_cli("alliance", "show", "openai-nvidia-oracle TRIANGLE")  # a hyphen for the dash, any case
    assert shown.code == 0, shown.err
    assert shown.out.splitlines()[0] == SEED
    assert "members (3): Nvidia, OpenAI, Oracle" in shown.out and "investment Nvidia → OpenAI" in shown.out
    data = json.loads(run_cli("alliance", "show", SEED, "--format", "json").out)
    assert data["name"] == SEED and len(data["deals"]) == 3 and data["description"].startswith("三角联盟")


def test_add_an_equivalent_name_is_refused_naming_the_existing_one(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("alliance", "add", "OpenAI-Nvidia-Oracle triangle")
    assert result.code == 1 and result.out == ""
    assert result.err.strip().splitlines()[-1] == (
        "tracker: alliance 'OpenAI-Nvidia-Oracle triangle': exists already as 'OpenAI–Nvidia–Oracle triangle'"
    )
    assert len(json.loads(run_cli("alliance", "list", "--format", "json").out)) == 2


def test_add_with_members_and_description(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("alliance", "add", "Stargate", "--member", "OpenAI", "--member", "甲骨文", "--description", "US")
    assert result.code == 0, result.err
    assert result.out.strip() == "created alliance 'Stargate' with OpenAI, Oracle"
    data = json.loads(run_cli("alliance", "show", "stargate", "--format", "json").out)
    assert (data["members"], data["description"], data["deals"]) == (["OpenAI", "Oracle"], "US", [])
    made = json.loads(run_cli("alliance", "add", "Other", "--format", "json").out)
    assert made["name"] == "Other" and made["members"] == []


REFUSALS = [
    (("add", "X", "--member", "Nobody"), "organisation 'Nobody': no such organisation"),
    (("add", "Tab\there"), "alliance 'Tab\\there': holds a control character (U+0009) at position 4"),
    (("add", "  "), "alliance: a name is required"),
    (("show", "Nope"), "alliance 'Nope': no such alliance"),
    (("rename", "Nope", "X"), "alliance 'Nope': no such alliance"),
    (("rename", SEED, "alibaba cloud – nvidia physical AI ecosystem"), "has it already"),
    (("delete", "Nope"), "alliance 'Nope': no such alliance"),
    (("member", "add", SEED, "Nvidia"), "organisation 'Nvidia': a member of"),
    (("member", "add", SEED, "Nobody"), "organisation 'Nobody': no such organisation"),
    (("member", "remove", SEED, "Alibaba"), "organisation 'Alibaba': not a member of"),
]


def test_refusals_are_one_line_and_write_nothing(run_cli) -> None:  # type: ignore[no-untyped-def]
    before = run_cli("alliance", "list", "--format", "json").out
    for args, message in REFUSALS:
        result = run_cli("alliance", *args)
        assert result.code == 1 and result.out == "", args
        last = result.err.strip().splitlines()[-1]
        assert last.startswith("tracker: ") and message in last and "Traceback" not in result.err, (args, last)
    assert run_cli("alliance", "list", "--format", "json").out == before


def test_rename_delete_and_members(run_cli) -> None:  # type: ignore[no-untyped-def]
    renamed = run_cli("alliance", "rename", "openai-nvidia-oracle triangle", "The triangle")
    assert renamed.out.strip() == f"renamed alliance '{SEED}' to 'The triangle'"
    assert "3 deals" not in renamed.out
    assert json.loads(run_cli("alliance", "show", "the triangle", "--format", "json").out)["deals"][0]["id"] == 5
    joined = run_cli("alliance", "member", "add", "The triangle", "阿里巴巴", "--format", "json")
    assert json.loads(joined.out) == {"alliance": "The triangle", "organization": "Alibaba", "member": True}
    left = run_cli("alliance", "member", "remove", "The triangle", "Oracle")
    assert left.out.strip() == "'Oracle' is no longer a member of 'The triangle'"
    assert json.loads(run_cli("alliance", "show", "The triangle", "--format", "json").out)["members"] == [
        "Alibaba",
        "Nvidia",
        "OpenAI",
    ]
    deals_before = len(json.loads(run_cli("list", "--format", "json").out))
    gone = run_cli("alliance", "delete", "THE TRIANGLE")
    assert gone.code == 0 and gone.out.strip() == (
        "deleted alliance 'The triangle' (3 members, 3 deals; the deals and organisations stay)"
    )
    assert len(json.loads(run_cli("list", "--format", "json").out)) == deals_before
    assert [a["name"] for a in json.loads(run_cli("alliance", "list", "--format", "json").out)] == [
        "Alibaba Cloud–Nvidia Physical AI ecosystem"
    ]


def test_every_command_has_help(run_cli) -> None:  # type: ignore[no-untyped-def]
    for args in (("alliance",), ("alliance", "list"), ("alliance", "show"), ("alliance", "add"),
                 ("alliance", "rename"), ("alliance", "delete"), ("alliance", "member"),
                 ("alliance", "member", "add"), ("alliance", "member", "remove")):  # fmt: skip
        result = run_cli(*args, "--help")
        assert result.code == 0 and "Usage: tracker " + " ".join(args) in result.out


def test_add_with_a_hyphenated_alliance_joins_the_seeds(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("add", "--kind", "purchase", "--from", "OpenAI", "--to", "Oracle", "--date", "2026-01",
                     "--alliance", "openai-nvidia-oracle triangle", "--alliance", "New A")  # fmt: skip
    assert result.code == 0, result.err
    assert "created alliance 'New A'" in result.err and "created alliance 'openai" not in result.err
    rows = {r["name"]: r["deals"] for r in json.loads(run_cli("alliance", "list", "--format", "json").out)}
    assert rows == {"Alibaba Cloud–Nvidia Physical AI ecosystem": 1, "New A": 1, SEED: 4}
