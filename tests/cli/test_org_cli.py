"""`tracker org ...` through the real entry point: list, show, edit, alias add/remove, merge, delete, in
text and JSON, and every refusal as one line, exit 1, nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.processes import Proc

Run = Callable[..., Proc]


def ok(run_cli: Run, *args: str) -> Proc:
    result = run_cli(*args)
    assert result.code == 0, result.err
    return result


def refused(run_cli: Run, *args: str) -> str:
    """The one line of a refusal; the organisations are as they were."""
    before = ok(run_cli, "org", "list", "--format", "json").out
    result = run_cli(*args)
    assert result.code == 1 and result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tracker: ") and "Traceback" not in result.err
    assert ok(run_cli, "org", "list", "--format", "json").out == before
    return lines[0].removeprefix("tracker: ")


def shown(run_cli: Run, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run_cli, "org", "show", name, "--format", "json").out)
    return data


@pytest.mark.parametrize(
    "args",
    [("org",), ("org", "list"), ("org", "show"), ("org", "edit"), ("org", "alias"), ("org", "alias", "add"),
     ("org", "alias", "remove"), ("org", "merge"), ("org", "delete")],
)  # fmt: skip
def test_every_org_command_has_help(args: tuple[str, ...]) -> None:
    result = subprocess.run([sys.executable, "-m", "tracker", *args, "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "Usage:" in result.stdout
    if args[-1] not in ("org", "alias"):
        assert "--format" in result.stdout


def test_list_and_show_in_text_csv_and_json(run_cli: Run) -> None:
    text = ok(run_cli, "org", "list").out.splitlines()
    assert text[0].split() == ["organisation", "country", "sector", "out", "in"]
    assert text[1].split() == ["Nvidia", "United", "States", "chips", "1", "3"]
    rows = json.loads(ok(run_cli, "org", "list", "--search", "阿里", "--format", "json").out)
    assert [r["name"] for r in rows] == ["Alibaba", "Alibaba Cloud"]
    assert ok(run_cli, "org", "list", "-s", "oracle", "--format", "csv").out.splitlines() == [
        "name,country,sector,deals_out,deals_in",
        "Oracle,United States,cloud,1,1",
    ]
    show = ok(run_cli, "org", "show", "英伟达").out
    assert show.splitlines()[0] == "Nvidia" and "aliases:     NVIDIA Corporation, 英伟达" in show
    data = shown(run_cli, "aliyun")
    assert data["name"] == "Alibaba Cloud" and data["parent"] == "Alibaba" and data["deals_out"] == 1
    assert refused(run_cli, "org", "show", "Nvdia") == "organisation 'Nvdia': no organisation has this name or alias"


def test_edit_renames_keeping_the_old_name_and_refuses_what_it_cannot_write(run_cli: Run) -> None:
    result = ok(run_cli, "org", "edit", "nvidia", "--name", " NVIDIA  Corp ", "--country", "US", "--notes", "GPUs")
    assert "saved organisation 'NVIDIA Corp'" in result.err and result.out.startswith("NVIDIA Corp\n")
    data = shown(run_cli, "Nvidia")  # the old name finds it
    assert data["name"] == "NVIDIA Corp" and "Nvidia" in data["aliases"] and data["country"] == "US"
    out = json.loads(ok(run_cli, "org", "edit", "NVIDIA Corp", "--country", "", "--format", "json").out)
    assert out["country"] is None and out["notes"] == "GPUs"
    assert (
        refused(run_cli, "org", "edit", "OpenAI", "--name", "oracle") == "--name 'oracle': already the name of 'Oracle'"
    )
    assert refused(run_cli, "org", "edit", "OpenAI", "--native-name", "甲骨文") == (
        "--native-name '甲骨文': already an alias of 'Oracle'"
    )
    assert refused(run_cli, "org", "edit", "Alibaba", "--parent", "aliyun") == (
        "--parent 'aliyun': would make a cycle of parents: Alibaba → Alibaba Cloud → Alibaba"
    )
    assert refused(run_cli, "org", "edit", "OpenAI", "--name", "Zero\u200bWidth").startswith(
        "--name 'Zero\\u200bWidth': holds an invisible character, a zero-width space (U+200B), at position 5"
    )
    assert refused(run_cli, "org", "edit", "OpenAI").startswith("nothing to change")


def test_alias_add_and_remove(run_cli: Run) -> None:
    added = ok(run_cli, "org", "alias", "add", "openai", "Open  AI")
    assert "added alias 'Open AI' to 'OpenAI'" in added.err and added.out.startswith("OpenAI\n")
    ok(run_cli, "org", "alias", "remove", "OpenAI", "Open AI")
    out = json.loads(ok(run_cli, "org", "alias", "add", "OpenAI", "Open  AI", "--format", "json").out)
    assert out["aliases"] == ["Open AI"]
    assert shown(run_cli, "open ai")["name"] == "OpenAI"
    assert refused(run_cli, "org", "alias", "add", "OpenAI", "英伟达") == "alias '英伟达': already an alias of 'Nvidia'"
    assert refused(run_cli, "org", "alias", "add", "OpenAI", "Tab\there").startswith(
        "alias 'Tab\\there': holds a control character (U+0009) at position 4"
    )
    result = ok(run_cli, "org", "alias", "remove", "OpenAI", "open ai")
    assert "removed alias 'open ai' from 'OpenAI'" in result.err
    assert refused(run_cli, "org", "alias", "remove", "OpenAI", "GPT") == (
        "alias 'GPT': not an alias of 'OpenAI' (its aliases: none)"
    )


def test_merge_moves_the_deals_and_refuses_a_deal_with_one_organisation_on_both_sides(run_cli: Run) -> None:
    # Nvdia is close to Nvidia: `add` creates it only when asked (--new-org)
    ok(run_cli, "add", "--kind", "investment", "--from", "Nvdia", "--to", "Microsoft", "--amount", "$2B",
       "--date", "2025-02", "--new-org")  # fmt: skip
    ok(run_cli, "org", "edit", "Nvdia", "--native-name", "英偉達", "--notes", "typo")
    out = json.loads(ok(run_cli, "org", "merge", "nvdia", "英伟达", "--format", "json").out)
    assert out["merged"] == "Nvdia" and out["deals_moved"] == 1
    assert set(out["aliases_added"]) == {"Nvdia", "英偉達"} and out["fields_filled"] == ["notes"]
    assert out["into"]["deals_out"] == 2 and out["into"]["notes"] == "typo"
    assert shown(run_cli, "英偉達")["name"] == "Nvidia"
    totals = json.loads(ok(run_cli, "totals", "--format", "json").out)
    assert "Nvdia" not in json.dumps(totals, ensure_ascii=False)
    assert refused(run_cli, "org", "merge", "OpenAI", "Nvidia").startswith(
        "merge 'OpenAI' into 'Nvidia': 2 deals between them (#2, #3) would have 'Nvidia' on both sides"
    )
    assert (
        refused(run_cli, "org", "merge", "Nobody", "Nvidia") == "FROM 'Nobody': no organisation has this name or alias"
    )
    assert refused(run_cli, "org", "merge", "nvidia", "英伟达") == "merge 'Nvidia' into 'Nvidia': the same organisation"
    text = ok(run_cli, "org", "merge", "Google", "Microsoft")
    assert "merged 'Google' into 'Microsoft': 1 deals moved; new aliases: Google, 谷歌, Alphabet" in text.err


def test_delete_refuses_an_organisation_with_deals(run_cli: Run) -> None:
    assert refused(run_cli, "org", "delete", "Oracle") == (
        "organisation 'Oracle': has 2 deals (1 from it, 1 to it); not deleted. "
        "Merge it into another organisation or delete its deals first"
    )
    assert refused(run_cli, "org", "delete", "甲骨文", "--format", "json").startswith("organisation 'Oracle': has 2")
    assert refused(run_cli, "org", "merge", "Nvidia", "OpenAI", "--format", "json").startswith("merge 'Nvidia'")
    ok(run_cli, "org", "merge", "DeepSeek", "Baidu")
    ok(run_cli, "org", "alias", "add", "ByteDance", "抖音")
    out = json.loads(ok(run_cli, "org", "delete", "抖音", "--format", "json").out)
    assert out["deleted"]["name"] == "ByteDance"
    assert refused(run_cli, "org", "show", "ByteDance").endswith("no organisation has this name or alias")
    assert "deleted organisation 'Baidu'" in ok(run_cli, "org", "delete", "深度求索").err
