"""`tracker list` (issue 13): --search words ANDed, --kind, --org, --since, --until, --sort, --reverse, JSON
alliances; a bad value is one line and exit code 1. Through the real entry point, on both backends."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.processes import Proc, no_traceback


def listed(run_cli: Callable[..., Proc], *args: str) -> list[dict[str, Any]]:
    proc = run_cli("list", "--format", "json", *args)
    assert proc.code == 0, proc.err
    result: list[dict[str, Any]] = json.loads(proc.out)
    return result


def ids(run_cli: Callable[..., Proc], *args: str) -> list[int]:
    return [d["id"] for d in listed(run_cli, *args)]


def test_search_ands_words_and_covers_alliances_and_sources(run_cli: Callable[..., Proc]) -> None:
    assert sorted(ids(run_cli, "--search", "oracle nvidia")) == [2, 4, 5]
    assert ids(run_cli, "--search", '"oracle nvidia"') == []
    assert sorted(ids(run_cli, "--search", "triangle")) == [2, 4, 5]
    assert len(ids(run_cli, "--search", "证券日报")) == 8
    assert run_cli("list", "--search", "zzqx").out.strip() == "no deals"


def test_kind_org_dates_and_json_alliances(run_cli: Callable[..., Proc]) -> None:
    assert ids(run_cli, "--kind", "purchase", "--org", "英伟达") == [5, 3]  # newest first, then id
    assert sorted(ids(run_cli, "--kind", "purchase", "--kind", "Investment")) == [2, 3, 4, 5]
    assert sorted(ids(run_cli, "--org", "nvidia")) == [2, 3, 5, 8]  # either side, any case
    assert ids(run_cli, "--since", "2026") == []
    assert ids(run_cli, "--until", "2025-08") == [7, 6]  # "2025": a year that overlaps, not a month
    assert len(ids(run_cli, "--since", "2025-09-15", "--until", "2025-09")) == 8  # periods that overlap
    deal = listed(run_cli, "--search", "physical")[0]
    assert deal["id"] == 8 and deal["alliances"] == ["Alibaba Cloud–Nvidia Physical AI ecosystem"]
    assert listed(run_cli, "--org", "Google")[0]["alliances"] == []
    triangle = {d["id"]: d["alliances"] for d in listed(run_cli, "--search", "triangle")}
    assert triangle == {i: ["OpenAI–Nvidia–Oracle triangle"] for i in (2, 4, 5)}


def test_sort_and_reverse(run_cli: Callable[..., Proc]) -> None:
    by_from = listed(run_cli, "--sort", "from")
    names = [d["from_org"].casefold() for d in by_from]
    assert names == sorted(names)  # names A to Z by default
    assert [d["id"] for d in listed(run_cli, "--sort", "from", "--reverse")] == [d["id"] for d in by_from][::-1]
    assert ids(run_cli, "--sort", "date", "--reverse")[:2] == [6, 7]  # oldest first: 6 and 7 are dated 2025
    kinds = [d["kind"] for d in listed(run_cli, "--sort", "KIND")]
    assert kinds == sorted(kinds)
    table = run_cli("list", "--sort", "status", "--reverse", "--limit", "2")
    assert table.code == 0 and len(table.out.strip().splitlines()) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--kind", "loan"), "--kind 'loan': one of investment, purchase, infrastructure, partnership"),
        (("--sort", "size"), "--sort 'size': one of date, kind, from, to, amount, value, status"),
        (("--org", "Nobody Inc"), "--org 'Nobody Inc': no organisation has this name or alias"),
        (("--since", "2025-13"), "--since '2025-13': use YYYY-MM-DD"),
        (("--until", "soon"), "--until 'soon': use YYYY-MM-DD"),
    ],
)
def test_bad_values_are_one_line_and_exit_1(run_cli: Callable[..., Proc], args: tuple[str, ...], message: str) -> None:
    proc = run_cli("list", *args)
    assert proc.code == 1
    assert proc.out == ""
    lines = proc.err.strip().splitlines()  # (a new database says it was created first)
    assert lines[-1].startswith(f"tracker: {message}")
    assert [line for line in lines if line.startswith("tracker: --")] == lines[-1:]
    no_traceback(proc.err)
