"""The map is laid out in terminal cells (issue 12): a box around a CJK (星辰算力) or an emoji name is exactly as wide
on screen as its border, long names are cut by cells, and marks that combine take no cell of their own."""

from __future__ import annotations

import datetime as dt
import itertools

from rich.cells import cell_len

from tracker.core.analysis.cells import cells_of
from tracker.core.analysis.graph import build_graph
from tracker.core.analysis.layout import MAX_LABEL, layout_graph
from tracker.core.analysis.render import render_text
from tracker.core.domain.fields import DealValues
from tracker.core.records.changes import add_deal
from tracker.core.storage.handle import Database

NAMES = ["星辰算力", "🚀 Rocket AI", "Café\u0301 Labs", "深度求索人工智能基础技术研究有限公司超长名字测试", "Nvidia"]


def _chain(db: Database) -> None:
    with db.write() as conn:
        for a, b in itertools.pairwise(NAMES):
            values = DealValues(kind="investment", from_org=a, to_org=b, date=dt.date(2025, 1, 1))
            add_deal(conn, values, create_orgs=True)


def test_every_box_is_as_wide_on_screen_as_its_border(empty_db: Database) -> None:
    _chain(empty_db)
    with empty_db.read() as conn:
        graph = build_graph(conn, everything=True)
    layout = layout_graph(graph)
    lines = layout.lines()
    for x, y, w, _h in layout.boxes.values():
        rows = ["".join(layout.chars[y + dy][x : x + w]) for dy in range(3)]
        assert [cell_len(r) for r in rows] == [w, w, w], rows
        assert rows[1].startswith("│") and rows[1].endswith("│")
    assert all(len(row) == layout.width for row in layout.chars)  # the grid stays one string per cell
    text = render_text(graph)
    assert "│ 星辰算力 │" in text and "│ 🚀 Rocket AI │" in text
    border = next(line for line in lines if "星辰算力" in line)
    above = lines[lines.index(border) - 1]
    start = border.index("│")
    assert cell_len(border[:start]) == cell_len(above[: above.index("┌")])  # the box's sides line up


def test_a_long_name_is_cut_by_cells_and_never_through_a_wide_character(empty_db: Database) -> None:
    _chain(empty_db)
    with empty_db.read() as conn:
        graph = build_graph(conn, everything=True)
    text = render_text(graph)
    cut = next(line for line in text.splitlines() if "深度求索" in line and "│" in line)
    label = cut.strip().strip("│").strip()
    assert label.endswith("…") and cell_len(label) <= MAX_LABEL


def test_cells_of_pairs_wide_characters_and_joins_combining_marks() -> None:
    assert cells_of("月a") == ["月", "", "a"]
    assert cells_of("e\u0301x") == ["e\u0301", "x"]
    assert cells_of("月\u0301") == ["月\u0301", ""]
    assert "".join(cells_of("🚀 ok")) == "🚀 ok" and len(cells_of("🚀 ok")) == cell_len("🚀 ok")
