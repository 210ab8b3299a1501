"""The ecosystem graph on the seed and on small hand-made graphs: edges, roll-ups, cuts, cycles, renderers."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from tracker.core.analysis import cycles as cycle_search
from tracker.core.analysis.cycles import find_cycles
from tracker.core.analysis.graph import build_graph, edge_deal_ids
from tracker.core.analysis.layout import layout_graph
from tracker.core.analysis.parties import DIRECTED_KINDS, EDGE_KINDS, UNDIRECTED_KINDS
from tracker.core.analysis.render import render_dot, render_json, render_mermaid, render_text
from tracker.core.domain.fields import DealValues
from tracker.core.domain.vocab import KINDS
from tracker.core.records.changes import add_deal
from tracker.core.records.orgs import find_org_id
from tracker.core.storage.handle import Database

D = Decimal


@pytest.fixture
def _db(db: Database) -> Database:
    """The seeded database on every backend (tests/conftest.py: SQLite, and PostgreSQL in CI)."""
    return db


@pytest.fixture
def empty(empty_db: Database) -> Database:
    return empty_db


def link(conn, frm: str, to: str | None, kind: str = "purchase", amount: str | None = None) -> int:  # type: ignore[no-untyped-def]
    values = DealValues(
        date=dt.date(2025, 1, 1),
        kind=kind,
        from_org=frm,
        to_org=to,
        amount=None if amount is None else D(amount),
        currency=None if amount is None else "USD",
        qualifier="exact" if amount else "undisclosed",
    )
    return add_deal(conn, values, create_orgs=True)[0]


def test_edge_kinds_are_the_vocabulary_kinds_with_a_counterparty() -> None:
    assert not set(DIRECTED_KINDS) & set(UNDIRECTED_KINDS)
    assert set(EDGE_KINDS) <= set(KINDS)
    assert set(KINDS) - set(EDGE_KINDS) == {"infrastructure"}  # no counterparty: no edge


def test_seed_cycles_are_the_triangle_and_the_pair(_db: Database) -> None:
    with _db.read() as conn:
        search = find_cycles(conn)
    labels = [c.label for c in search.cycles]
    assert "OpenAI → Oracle → Nvidia → OpenAI" in labels
    assert "OpenAI → Nvidia → OpenAI" in labels
    assert len(labels) == 2  # the Alibaba Cloud–Nvidia partnership has no direction: no cycle
    assert not search.bounded
    triangle = next(c for c in search.cycles if len(c.nodes) == 3)
    # the deals and sums along the cycle: the last hop is Nvidia's up-to-$100B investment
    assert [h.figures.deals for h in triangle.hops] == [1, 1, 1]
    assert triangle.hops[-1].figures.up_to == D("100000000000")
    assert triangle.total.up_to == D("100000000000") and triangle.total.undisclosed == 2
    assert len(triangle.deal_ids) == 3


def test_seed_graph_edges_aggregate_and_partnership_is_undirected(_db: Database) -> None:
    with _db.read() as conn:
        graph = build_graph(conn)
    names = {graph.edge_label(e): e for e in graph.edges}
    assert set(names) == {
        "Nvidia → OpenAI",
        "OpenAI → Nvidia",
        "OpenAI → Oracle",
        "Oracle → Nvidia",
        "Alibaba Cloud — Nvidia",
    }
    # the article's 至少10吉瓦: at least 10 GW, kept apart from exact capacity (schema 0007)
    assert names["OpenAI → Nvidia"].figures.capacity_at_least == D("10")
    assert names["OpenAI → Nvidia"].figures.capacity_gw == 0
    assert "≥ 10 GW" in names["OpenAI → Nvidia"].summary("USD")
    assert names["Nvidia → OpenAI"].summary("USD") == "1 deal: ≤ $100B"
    assert not names["Alibaba Cloud — Nvidia"].directed
    # infrastructure-only organisations draw no edge and are counted as not drawn
    assert "Alibaba" not in [n.name for n in graph.nodes.values()]
    assert graph.hidden == 3


def test_edges_sum_several_deals_and_open_their_deals(empty: Database) -> None:
    with empty.write() as conn:
        a = link(conn, "A", "B", "investment", "10")
        b = link(conn, "A", "B", "purchase", "5.5")
        link(conn, "B", "A", "partnership")
        link(conn, "A", None, "infrastructure", "99")
    with empty.read() as conn:
        graph = build_graph(conn)
        ab = next(e for e in graph.edges if e.directed)
        assert ab.deals == 2 and ab.figures.exact == D("15.5")
        assert dict(ab.kinds) == {"investment": 1, "purchase": 1}
        assert sorted(edge_deal_ids(conn, graph, ab.key)) == sorted([a, b])
        undirected = next(e for e in graph.edges if not e.directed)
        assert len(edge_deal_ids(conn, graph, undirected.key)) == 1


def test_group_parents_rolls_alibaba_cloud_into_alibaba(_db: Database) -> None:
    with _db.read() as conn:
        graph = build_graph(conn, group_parents=True)
        cloud = find_org_id(conn, "Alibaba Cloud")
        parent = find_org_id(conn, "Alibaba")
    labels = {graph.edge_label(e) for e in graph.edges}
    assert "Alibaba — Nvidia" in labels
    assert cloud not in graph.nodes and parent is not None and cloud in graph.nodes[parent].members


def test_focus_hops_and_top(empty: Database) -> None:
    with empty.write() as conn:
        link(conn, "A", "B", amount="1")
        link(conn, "B", "C", amount="2")
        link(conn, "C", "D", amount="300")
        link(conn, "D", "E", amount="400")
    with empty.read() as conn:
        a = find_org_id(conn, "A")
        one = build_graph(conn, focus=a, hops=1)
        two = build_graph(conn, focus=a, hops=2)
        top = build_graph(conn, top=3)
    assert {n.name for n in one.nodes.values()} == {"A", "B"}
    assert {n.name for n in two.nodes.values()} == {"A", "B", "C"}
    # the busiest by deal count first (B, C and D have two each), then by volume: E's one large deal is cut
    assert {n.name for n in top.nodes.values()} == {"B", "C", "D"}
    assert top.not_drawn == ("E", "A")
    assert next(iter(top.nodes.values())).name == "D"  # the busiest of the three: two deals, 700


def test_cycles_bounded_by_count_and_by_time(empty: Database) -> None:
    names = [f"N{i}" for i in range(12)]
    with empty.write() as conn:
        for x in names:  # a complete directed graph: thousands of cycles of 2..5
            for y in names:
                if x != y:
                    link(conn, x, y)
    with empty.read() as conn:
        few = find_cycles(conn, max_cycles=10)
        quick = find_cycles(conn, time_budget=0.0, max_cycles=10**9)
        length = find_cycles(conn, max_length=2, max_cycles=10**9)
    assert few.bounded and len(few.cycles) == 10 and "maximum of 10" in few.note
    assert quick.bounded and "time budget" in quick.note
    assert not length.bounded and len(length.cycles) == 66  # C(12, 2) pairs
    for c in few.cycles:
        assert len(set(c.nodes)) == len(c.nodes)  # no organisation twice
        assert c.label.split(" → ")[0] == c.label.split(" → ")[-1]


def test_dense_graph_search_finds_the_same_cycles(empty: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above FULL_REACH_EDGES the backward pruning looks one step back only: the cycles found are the same."""
    names = [f"N{i}" for i in range(7)]
    with empty.write() as conn:
        for i, x in enumerate(names):  # a complete directed graph minus a few edges
            for j, y in enumerate(names):
                if x != y and (i + 2 * j) % 5:
                    link(conn, x, y)
    with empty.read() as conn:
        full = find_cycles(conn, max_cycles=10**9)
        monkeypatch.setattr(cycle_search, "FULL_REACH_EDGES", 0)
        dense = find_cycles(conn, max_cycles=10**9)
    assert not full.bounded and not dense.bounded and len(full.cycles) > 100
    assert [c.label for c in dense.cycles] == [c.label for c in full.cycles]


def test_renderers(_db: Database) -> None:
    with _db.read() as conn:
        graph = build_graph(conn)
        cycles = find_cycles(conn)
    text = render_text(graph, cycles)
    for name in ("OpenAI", "Oracle", "Nvidia", "Alibaba Cloud"):
        assert f" {name} " in text
    assert "▼" in text and "OpenAI → Oracle → Nvidia → OpenAI" in text
    dot = render_dot(graph, cycles)
    assert dot.startswith("digraph") and "->" in dot and "color=red" in dot and "dir=none" in dot
    mermaid = render_mermaid(graph, cycles)
    assert mermaid.startswith("flowchart LR") and "==>" in mermaid and "-.-" in mermaid
    data = json.loads(render_json(graph, cycles))
    assert {e["from_name"] for e in data["edges"]} >= {"OpenAI", "Oracle", "Nvidia"}
    assert data["cycles"]["bounded"] is False
    assert any(c["label"] == "OpenAI → Nvidia → OpenAI" for c in data["cycles"]["cycles"])


def test_layout_places_every_node_once_without_overlap(empty: Database) -> None:
    with empty.write() as conn:
        for i in range(30):
            link(conn, f"Org{i}", f"Org{(i * 7 + 3) % 30}", amount=str(i + 1))
            link(conn, f"Org{i}", f"Org{(i * 11 + 5) % 30}")
    with empty.read() as conn:
        graph = build_graph(conn)
    layout = layout_graph(graph)
    assert set(layout.boxes) == set(graph.nodes)
    cells: set[tuple[int, int]] = set()
    for x, y, w, h in layout.boxes.values():
        box = {(x + dx, y + dy) for dx in range(w) for dy in range(h)}
        assert not cells & box
        cells |= box
    assert all(layout.edge_cells.get(e.key) for e in graph.edges)
    assert sum(len(layer) for layer in layout.layers) == len(graph.nodes)


def _star(conn, n: int) -> None:  # type: ignore[no-untyped-def]
    """``n`` organisations, each with a deal to a hub: n + 1 with flow, ranked Org 00 (smallest) upwards."""
    for i in range(n):
        link(conn, f"Org {i:02d}", "Hub", "investment", str(1000 + i))


def test_the_graph_is_bounded_by_default_as_the_app_is(empty: Database) -> None:
    """Finding 21 of issue 17: `tracker map` drew all 5,000 organisations of 200,000 deals (31.5 s, 2.86 GB)."""
    from tracker.core.analysis.graph import DEFAULT_TOP
    from tracker.core.analysis.render import cut_note

    with empty.write() as conn:
        _star(conn, DEFAULT_TOP + 10)
    with empty.read() as conn:
        default = build_graph(conn)
        every = build_graph(conn, everything=True)
        asked = build_graph(conn, top=5)
    assert len(default.nodes) == DEFAULT_TOP and default.default_cut and default.top == DEFAULT_TOP
    drawn = {n.name for n in default.nodes.values()}
    assert default.cut == 11 and "Org 59" in drawn and "Org 00" not in drawn  # the most flow first
    note = cut_note(default)
    assert note is not None and "11 more" in note and "--top N" in note and "--all" in note
    assert f"({note})" in render_text(default)
    assert f"// {note}" in render_dot(default) and f"%% {note}" in render_mermaid(default)
    assert json.loads(render_json(default))["note"] == note
    assert len(every.nodes) == DEFAULT_TOP + 11 and not every.default_cut and cut_note(every) is None
    assert json.loads(render_json(every))["note"] is None
    assert len(asked.nodes) == 5 and cut_note(asked) is None  # cut as asked: nothing to say


def test_a_small_graph_is_not_said_to_be_cut(_db: Database) -> None:
    from tracker.core.analysis.render import cut_note

    with _db.read() as conn:
        graph = build_graph(conn)
    assert graph.default_cut and graph.cut == 0 and cut_note(graph) is None
    assert "not drawn)" in render_text(graph)  # the seed's infrastructure-only organisations, as before
