"""The ecosystem graph written out: the terminal drawing with its edge list, Graphviz DOT, Mermaid, JSON.

Alliances become clusters (DOT) or subgraphs (Mermaid), a node sitting in its first alliance; partnerships
are drawn undirected and dashed; the edges of the cycles found are marked (red in DOT, thick in Mermaid).
Public JSON keys stay as they are (``hidden_organisations``, ``grouped_by_parent``).

Names are data: the text, DOT and Mermaid outputs show their control characters escaped
(:func:`tracker.core.domain.text.visible`); JSON keeps every name exact, writing the characters a terminal
could obey as ``\\u`` escapes (:func:`json_text`). A graph cut to its top organisations by default
(:data:`tracker.core.analysis.graph.DEFAULT_TOP`) says so in every format (:func:`cut_note`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from tracker.core.analysis.cycles import CycleSearch
from tracker.core.analysis.ecosystem import CONFIDENCE_LEGEND, Graph
from tracker.core.analysis.layout import layout_graph
from tracker.core.analysis.running import round_figure
from tracker.core.domain.text import visible

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What ``json.dumps(ensure_ascii=False)`` leaves raw that a terminal may obey (it escapes C0 itself)."""


def json_text(text: str) -> str:
    """JSON text with DEL, the C1 controls and the bidirectional overrides written as ``\\u`` escapes:
    the same JSON value, safe on a terminal."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def cut_note(graph: Graph) -> str | None:
    """What the default top-N cut left out and how to see more, or None (nothing cut, or cut as asked)."""
    if not graph.default_cut or not graph.cut:
        return None
    return (
        f"the {graph.top} busiest organisations (most deals, then most volume) are drawn; {graph.cut:,} more "
        "with deals between organisations are not: --top N draws more, --all draws every one"
    )


def not_drawn_text(graph: Graph, limit: int = 50) -> str | None:
    """``not drawn: Zoox, iRobot, …`` (busiest first, at most ``limit`` names), or None when the cut left
    no organisation out."""
    if not graph.not_drawn:
        return None
    names = [visible(n) for n in graph.not_drawn[:limit]]
    more = len(graph.not_drawn) - len(names)
    return "not drawn: " + ", ".join(names) + (f", and {more:,} more" if more > 0 else "")


def render_text(graph: Graph, cycles: CycleSearch | None = None) -> str:
    """The drawing, then one line per edge with its deals and sums, then the cycles (if searched)."""
    if not graph.nodes:
        return "no deals between organisations"
    layout = layout_graph(graph)
    lines = [*layout.lines(), *layout.legend, CONFIDENCE_LEGEND]
    lines.append("")
    for e in graph.edges:
        lines.append(f"{graph.edge_label(e)}  {visible(e.summary(graph.currency))}  {e.mark}")
    if graph.alliances:
        lines.append("")
        for name, ids in graph.alliances:
            lines.append(f"alliance {visible(name)}: " + ", ".join(graph.label(i) for i in ids))
    note = cut_note(graph)
    listed = not_drawn_text(graph)
    if note is not None:
        lines.append(f"({note})")
    if listed is not None:
        lines.append(listed)
    if note is None and graph.hidden:
        lines.append(f"({graph.hidden} organisation{'s' if graph.hidden != 1 else ''} with deals not drawn)")
    if cycles is not None:
        lines.append("")
        lines.extend(render_cycles_text(cycles))
    return "\n".join(lines)


def render_cycles_text(cycles: CycleSearch) -> list[str]:
    """One line per cycle: ``OpenAI → Oracle → Nvidia → OpenAI``."""
    return [c.label for c in cycles.cycles]


def _dot_id(n: int) -> str:
    return f"n{n}" if n >= 0 else f"m{-n}"


def _dot_quote(text: str) -> str:
    """A DOT string of ``text`` shown visibly (control characters escaped, so one line)."""
    return '"' + visible(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class _Cluster:
    index: int
    name: str
    inside: list[int]
    """Organisations whose node sits in this alliance (their first)."""
    also: list[int]
    """Members whose node sits in an earlier alliance: drawn here as a membership node linked to it."""


def _clusters(graph: Graph) -> tuple[list[_Cluster], list[int]]:
    """Alliances with their members: a node sits in its first alliance, and every later alliance it belongs
    to holds a membership node linked to it (DOT clusters and Mermaid subgraphs cannot share a node);
    then the nodes in no alliance."""
    placed: set[int] = set()
    clusters: list[_Cluster] = []
    for i, (name, ids) in enumerate(graph.alliances):
        members = list(dict.fromkeys(ids))
        inside = [n for n in members if n not in placed]
        clusters.append(_Cluster(i, name, inside, [n for n in members if n in placed]))
        placed.update(inside)
    return clusters, [n for n in graph.nodes if n not in placed]


def _member_id(n: int, cluster: int) -> str:
    return f"{_dot_id(n)}_in_a{cluster}"


def render_dot(graph: Graph, cycles: CycleSearch | None = None) -> str:
    """Graphviz DOT: alliances as clusters (a node sits in its first alliance), cycle edges in red."""
    on_cycle = {k for c in (cycles.cycles if cycles else ()) for k in c.edge_keys}
    out = ["digraph ecosystem {"]
    note = cut_note(graph)
    if note is not None:
        out.append(f"  // {note}")
    out += ["  rankdir=LR;", '  node [shape=box, style=rounded, fontname="Helvetica"];']
    clusters, loose = _clusters(graph)
    for c in clusters:
        out.append(f"  subgraph cluster_{c.index} {{")
        out.append(f"    label={_dot_quote(c.name)}; style=dashed;")
        out.extend(f"    {_dot_id(n)} [label={_dot_quote(graph.name(n))}];" for n in c.inside)
        out.extend(
            f'    {_member_id(n, c.index)} [label={_dot_quote(graph.name(n))}, style="rounded,dotted"];' for n in c.also
        )
        out.append("  }")
    out.extend(f"  {_dot_id(n)} [label={_dot_quote(graph.name(n))}];" for n in loose)
    for c in clusters:  # a membership node is the same organisation: a plain dotted line, no arrow
        out.extend(
            f'  {_member_id(n, c.index)} -> {_dot_id(n)} [dir=none, style=dotted, label="same"];' for n in c.also
        )
    for e in graph.edges:
        attrs = [f"label={_dot_quote(e.summary(graph.currency))}"]
        if not e.directed:
            attrs.append("dir=none, style=dashed")
        if e.key in on_cycle:
            attrs.append("color=red, penwidth=2")
        out.append(f"  {_dot_id(e.source)} -> {_dot_id(e.target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out)


def _mermaid_text(text: str) -> str:
    """A quoted Mermaid label of ``text`` shown visibly (control characters escaped, so one line)."""
    return '"' + visible(text).replace('"', "#quot;") + '"'


def render_mermaid(graph: Graph, cycles: CycleSearch | None = None) -> str:
    """A Mermaid flowchart: alliances as subgraphs, partnerships as dotted lines, cycle edges thick."""
    on_cycle = {k for c in (cycles.cycles if cycles else ()) for k in c.edge_keys}
    out = ["flowchart LR"]
    note = cut_note(graph)
    if note is not None:
        out.append(f"  %% {note}")
    clusters, loose = _clusters(graph)
    for c in clusters:
        out.append(f"  subgraph a{c.index}[{_mermaid_text(c.name)}]")
        out.extend(f"    {_dot_id(n)}[{_mermaid_text(graph.name(n))}]" for n in c.inside)
        out.extend(f"    {_member_id(n, c.index)}([{_mermaid_text(graph.name(n))}])" for n in c.also)
        out.append("  end")
    out.extend(f"  {_dot_id(n)}[{_mermaid_text(graph.name(n))}]" for n in loose)
    for c in clusters:  # a membership node is the same organisation: a dotted line with no arrow
        out.extend(f"  {_member_id(n, c.index)} -.-|same| {_dot_id(n)}" for n in c.also)
    for e in graph.edges:
        label = _mermaid_text(e.summary(graph.currency))
        if not e.directed:
            arrow = "-.-"
        elif e.key in on_cycle:
            arrow = "==>"
        else:
            arrow = "-->"
        out.append(f"  {_dot_id(e.source)} {arrow}|{label}| {_dot_id(e.target)}")
    return "\n".join(out)


def graph_json(graph: Graph, cycles: CycleSearch | None = None) -> dict[str, Any]:
    """The graph (and the cycles, if searched) as JSON-ready data; every figure as plain digits."""
    data: dict[str, Any] = {
        "currency": graph.currency,
        "grouped_by_parent": graph.grouped,
        "focus": graph.focus,
        "hops": graph.hops,
        "top": graph.top,
        "hidden_organisations": graph.hidden,
        "note": cut_note(graph),
        "not_drawn": list(graph.not_drawn),
        "nodes": [
            {
                "id": n.id,
                "name": n.name,
                "country": n.country,
                "members": list(n.members),
                "alliances": list(n.alliances),
                "flow": format(round_figure(n.weight), "f") if n.weight else None,
            }
            for n in graph.nodes.values()
        ],
        "edges": [
            {
                "from": e.source,
                "to": e.target,
                "from_name": graph.name(e.source),
                "to_name": graph.name(e.target),
                "directed": e.directed,
                "kinds": dict(e.kinds),
                "confidence": e.confidence,
                **e.figures.as_json(),
            }
            for e in graph.edges
        ],
        "alliances": [{"name": name, "members": list(ids)} for name, ids in graph.alliances],
    }
    if cycles is not None:
        data["cycles"] = cycles_json(cycles)
    return data


def cycles_json(cycles: CycleSearch) -> dict[str, Any]:
    """The cycle search as JSON-ready data: whether it was bounded, its note, each cycle with its hops."""
    return {
        "bounded": cycles.bounded,
        "note": cycles.note,
        "cycles": [
            {
                "label": c.label,
                "parties": list(c.names),
                "ids": list(c.nodes),
                "hops": [
                    {"from": h.source, "to": h.target, "deal_ids": list(h.deal_ids), **h.figures.as_json()}
                    for h in c.hops
                ],
                "total": c.total.as_json(),
            }
            for c in cycles.cycles
        ],
    }


def render_json(graph: Graph, cycles: CycleSearch | None = None) -> str:
    """:func:`graph_json`, indented, non-ASCII kept (what a terminal could obey escaped: :func:`json_text`)."""
    return json_text(json.dumps(graph_json(graph, cycles), indent=2, ensure_ascii=False))


def render_cycles_json(cycles: CycleSearch) -> str:
    """:func:`cycles_json`, indented, as :func:`render_json` writes it."""
    return json_text(json.dumps(cycles_json(cycles), indent=2, ensure_ascii=False))
