"""The import's and export's fast paths give exactly what the slow, general paths give.

Speed must never change behaviour: every shortcut of the import (tracker/core/csvio/fastrows.py) and of the
export is compared here with the code it stands in for (parse_deal_fields, fields.clean_text, money's
parser, defuse, plain), on tables of tricky inputs and on generated ones. No timings are asserted.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import gen_deals
from tracker.core.csvio.cells import plain
from tracker.core.csvio.export import export_deals
from tracker.core.csvio.fastrows import PLAIN_AMOUNT, UNSURE, FastRows, clean_cell, plain_scaled
from tracker.core.csvio.importer import import_deals
from tracker.core.csvio.source import parse_header
from tracker.core.csvio.spool import spool_tuple
from tracker.core.domain.amount_parser import AmountError, parse_amount
from tracker.core.domain.fields import DEAL_COLUMNS, EXTRA_COLUMNS, clean_text, parse_deal_fields
from tracker.core.domain.formula import DEFUSE_FIRST, defuse
from tracker.core.domain.scaled import FACTOR
from tracker.core.storage.opening import open_database

ROOT = Path(__file__).resolve().parents[2]
HEADER = list(DEAL_COLUMNS)
FULL_HEADER = list(DEAL_COLUMNS + EXTRA_COLUMNS)

TRICKY_TEXT = [
    "", " ", "\t", "\u3000", "\u00a0", "x", " x ", "'", "''", "'=1", "=1", "''=1", "'\t", "'\r", "-", "'-5", "@a",
    "+1", "a,b", 'say "hi"', "line\nbreak", "英伟达", "ｎｖｉｄｉａ", "x" * 201, " " + "x" * 200, "\x1f",
]  # fmt: skip
CELLS: dict[str, list[str]] = {
    "id": ["", "1", "42", "0", "007", " 5", "4611686018427387904", "4611686018427387905", "abc", "١٢", "'7"],
    "date": [
        "2025-09-29",
        "2025-09",
        "2025",
        "2025/9/29",
        "2025年9月29日",
        "2025-02-30",
        "1899-01-01",
        "20250929",
        " 2025-01-01",
        "'2025-01-01",
        "",
        "2025-W40-1",
        "2201-01-01",
    ],
    "kind": ["investment", "Purchase", " partnership ", "infrastructure", "loan", "", "'investment"],
    "from_org": ["Nvidia", "OpenAI", " nvidia ", "英伟达", "", "'=Evil Corp", "x" * 201, "Ａｌｐｈａ"],
    "to_org": ["", "OpenAI", "NVIDIA", "Oracle", " ", "x" * 200, "'@team", "\t"],
    "amount": [
        "",
        "100000000000",
        "0",
        "0.5",
        "12.34",
        "12.50",
        "12.3456",
        "12.34567",
        "007",
        "1,000",
        "$5B",
        "5B",
        "100000000000000",
        "99999999999999.9999",
        "1e9",
        "-5",
        "NaN",
        "undisclosed",
        " 5",
        "5.",
        ".5",
        "٥",
        "²",
        "'5",
        "'\t",
        "lots",
    ],
    "currency": ["", "USD", "usd", "RMB", "¥", "XYZ", " EUR ", "CNY"],
    "qualifier": ["", "exact", "up to", "UP_TO", "about", "undisclosed", "bogus"],
    "amount_text": ["", "five billion"],
    "capacity_gw": [
        "",
        "1",
        "1.5",
        "1.50",
        "2 GW",
        "1,000",
        "0.00001",
        "1000000001",
        "lots",
        "007",
        "at least 10 GW",
        "至少10吉瓦",
        "500 MW",
        "about 4.5",
    ],
    "capacity_qualifier": ["", "at least", "estimated", "exact", "bogus"],
    "status": ["", "announced", "Signed", "done", "bogus"],
    "alliances": ["", "Stargate", "Stargate; stargate ;Other", ";;", "x" * 201],
    "description": TRICKY_TEXT,
    "source_outlet": ["", "Reuters", " FT ", "x" * 201, "'=cmd"],
    "source_title": ["", "A title, with a comma", "'+x"],
    "source_url": ["", "https://example.com/a", "=HYPERLINK(1)"],
    "source_date": ["", "2025-09-29", "2025-09", "bad"],
    "ref": ["", "ext-1"],
    "source_author": ["", "Jane Doe", "x" * 201],
    "amount_usd": ["", "123"],
    "source_kind": ["", "news", "Press Release", "blog"],  # the rest of the first source (schema 0011)
    "source_excerpt": ["", "A sentence, with a comma", "'=cmd"],
    "source_lang": ["", "zh", "not a tag"],
    "source_retrieved": ["", "2025-10-01", "2025-10", "bad"],
    "confidence": ["", "confirmed", "whatever"],  # written by the export, ignored on import
    "sources": ["", "2", "x"],
}
ORDINARY = {
    "id": "", "date": "2025-09-29", "kind": "investment", "from_org": "Nvidia", "to_org": "OpenAI",
    "amount": "100000000000", "currency": "USD", "qualifier": "up to", "capacity_gw": "", "status": "agreed",
    "alliances": "", "description": 'Nvidia invests, "progressively"', "source_outlet": "Reuters",
    "source_title": "Title", "source_url": "https://example.com", "source_date": "2025-09-22", "ref": "",
    "amount_text": "", "source_author": "", "amount_usd": "", "capacity_qualifier": "", "source_kind": "",
    "source_excerpt": "", "source_lang": "", "source_retrieved": "", "confidence": "", "sources": "",
}  # fmt: skip


def _slow(header: list[str], record: list[str], line: int = 2) -> tuple[Any, ...] | None:
    """What the general path makes of a record: the spooled tuple, or None if the row has errors."""
    h = parse_header(header, "test")
    row = {k: (record[i] if i < len(record) else "") for k, i in h.index.items()}
    values, errors = parse_deal_fields(row)
    return None if errors else spool_tuple(line, values)


def _fast(header: list[str], record: list[str], line: int = 2) -> tuple[Any, ...] | None:
    return FastRows(parse_header(header, "test")).parser()(list(record), line)


def _check(header: list[str], record: list[str]) -> tuple[Any, ...] | None:
    fast = _fast(header, record)
    if fast is not None:
        assert fast == _slow(header, record), record
    return fast


@pytest.mark.parametrize("header", [HEADER, FULL_HEADER], ids=["deal-columns", "export-columns"])
def test_every_tricky_cell_alone_gives_the_same_row(header: list[str]) -> None:
    taken = 0
    for column in header:
        for value in CELLS[column]:
            row = dict(ORDINARY, **{column: value})
            if column == "kind" and value.strip().lower() == "infrastructure":
                row["to_org"] = ""
            if _check(header, [row[c] for c in header]) is not None:
                taken += 1
    assert taken > 50  # the fast path does take ordinary rows


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_random_rows_give_the_same_row(data: st.DataObject) -> None:
    header = data.draw(st.sampled_from([HEADER, FULL_HEADER, ["date", "kind", "from_org", "to_org", "amount"]]))
    record = [data.draw(st.sampled_from(CELLS[c]), label=c) for c in header]
    _check(header, record)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*CELLS["amount"], "1", "10", "0.0001", "1.1"]), min_size=1, max_size=1),
       st.text(alphabet="0123456789. ,'\t", max_size=12))  # fmt: skip
def test_random_amount_text_gives_the_same_row(choice: list[str], text: str) -> None:
    for amount in (choice[0], text):
        row = dict(ORDINARY, amount=amount)
        _check(HEADER, [row[c] for c in HEADER])


def test_short_records_and_absent_columns() -> None:
    header = ["date", "kind", "from_org", "to_org", "amount", "description"]
    assert _check(header, ["2025-01-01", "purchase", "A", "B"]) is not None
    assert _check(header, ["2025", "infrastructure", "A"]) is not None
    assert _check(["date", "kind", "from_org"], ["2025-01", "infrastructure", "A"]) is not None


def test_the_fast_path_leaves_a_row_it_declines_as_it_was() -> None:
    """The caller gives a declined record to the slow path; the fast path's padding must not leak."""
    h = parse_header(HEADER, "test")
    record = ["", "2025-13-40", "investment", "A", "B"]
    n = len(record)
    assert FastRows(h).parser()(record, 2) is None
    del record[n:]  # what check_rows does
    assert record == ["", "2025-13-40", "investment", "A", "B"]


@pytest.mark.parametrize("value", [*TRICKY_TEXT, *(chr(c) for c in range(0, 0x3001) if chr(c).isspace())])
def test_clean_cell_is_dealrow_clean(value: str) -> None:
    assert clean_cell(value) == clean_text(value)
    assert clean_cell("'" + value) == clean_text("'" + value)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", categories=("Zs", "Cc", "Ll", "Nd", "Po", "Sm")), max_size=6))
def test_clean_cell_is_dealrow_clean_for_any_text(value: str) -> None:
    assert clean_cell(value) == clean_text(value)


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=0, max_value=10**18 - 1), st.integers(min_value=0, max_value=FACTOR - 1))
def test_plain_amounts_scale_like_parse_amount(whole: int, frac: int) -> None:
    text = str(whole) if not frac else f"{whole}.{frac:04d}".rstrip("0")
    assert PLAIN_AMOUNT.fullmatch(text)
    parsed = parse_amount(text)
    assert parsed.amount is not None
    assert plain_scaled(text) == f"{int(parsed.amount * FACTOR):024d}"  # as stored (schema 0007)


@pytest.mark.parametrize("text", ["007", "1.50", "1.", ".5", "1.23456", "1000000000000000000", "1,000", "١", "²", " 1"])
def test_amounts_the_fast_path_leaves_to_the_parser(text: str) -> None:
    assert PLAIN_AMOUNT.fullmatch(text) is None


def test_memoised_values_are_computed_by_the_slow_functions() -> None:
    rows = FastRows(parse_header(HEADER, "test"))
    parse = rows.parser()
    record = [ORDINARY[c] for c in HEADER]
    first = parse(list(record), 2)
    again = parse(list(record), 3)  # from the memo tables now
    assert first is not None and again is not None
    assert first[1:] == again[1:]
    assert any(table for table in rows.memos.values())
    assert all(
        v is UNSURE or v is None or isinstance(v, (str, int, tuple)) for t in rows.memos.values() for v in t.values()
    )


# ---------------------------------------------------------------------------------------------
# Export


@pytest.mark.parametrize("value", [*TRICKY_TEXT, "'", "'x", "''=", "a=b", "-"])
def test_defuse_shortcut(value: str) -> None:
    shortcut = defuse(value) if value and value[0] in DEFUSE_FIRST else value
    assert shortcut == defuse(value)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="'=+-@\t\rab ", max_size=5))
def test_defuse_shortcut_any_text(value: str) -> None:
    shortcut = defuse(value) if value and value[0] in DEFUSE_FIRST else value
    assert shortcut == defuse(value)


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=-(10**19), max_value=10**19))
def test_whole_amount_shortcut_and_unit_rate(scaled: int) -> None:
    if scaled % FACTOR == 0:
        assert str(scaled // FACTOR) == plain(scaled)
    for rate in (Decimal(1), Decimal("1.0000")):
        assert plain(scaled) == plain(int(Decimal(scaled) * rate))


# ---------------------------------------------------------------------------------------------
# Whole files: the same database and the same export with and without the fast path


def _generated(rows: int) -> str:
    out = io.StringIO()
    gen_deals.generate(rows, out, n_orgs=300)
    return out.getvalue()


def _import_then_export(tmp_path: Path, name: str, text: str, *, times: int = 1) -> tuple[str, list[Any]]:
    source = tmp_path / f"{name}.csv"
    source.write_text(text, encoding="utf-8")
    db = open_database(tmp_path / f"{name}.db")
    try:
        reports = [import_deals(db, source) for _ in range(times)]
        out = io.StringIO()
        export_deals(db, out)
    finally:
        db.dispose()
    summaries = [(r.added, r.updated, r.unchanged, r.created_orgs, r.created_alliances) for r in reports]
    return out.getvalue(), summaries


def _tricky_file() -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(FULL_HEADER)
    for i, amount in enumerate(["5B", "$1.5 billion", "12.50", "007", "", "1,000,000", "about 3M", "0.0001"]):
        row = dict(ORDINARY, amount=amount, qualifier="", date=f"2024-0{i + 1}-1{i}")
        row["alliances"] = "Stargate; Other" if i % 2 else ""
        row["description"] = ["=1+1", "'=x", "plain", "line\nbreak", "", " ", "-5", "@x"][i]
        row["from_org"] = ["Nvidia", "英伟达", " nvidia ", "NVIDIA", "Ａｌｐｈａ", "alpha", "Beta", "beta"][i]
        row["to_org"] = "OpenAI" if i != 3 else "Oracle"
        w.writerow([row[c] for c in FULL_HEADER])
    return out.getvalue()


@pytest.mark.parametrize("source", ["generated", "tricky"])
def test_import_is_the_same_with_and_without_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           source: str) -> None:  # fmt: skip
    text = _generated(600) if source == "generated" else _tricky_file()
    fast_export, fast_reports = _import_then_export(tmp_path, "fast", text, times=2)
    monkeypatch.setattr(FastRows, "parser", lambda self: lambda record, line: None)
    slow_export, slow_reports = _import_then_export(tmp_path, "slow", text, times=2)
    assert fast_export == slow_export
    assert fast_reports == slow_reports
    assert fast_reports[1][:3] == (0, 0, len(list(csv.reader(io.StringIO(text)))) - 1)  # idempotent


def test_exported_file_reimports_unchanged_on_both_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exported, _ = _import_then_export(tmp_path, "first", _generated(300))
    again, _ = _import_then_export(tmp_path, "second", exported)
    monkeypatch.setattr(FastRows, "parser", lambda self: lambda record, line: None)
    slow, _ = _import_then_export(tmp_path, "third", exported)
    assert again == exported == slow


def test_amount_errors_still_come_from_the_parser() -> None:
    for bad in ("-5", "NaN", "1e9", "1,5"):
        with pytest.raises(AmountError):
            parse_amount(bad)
        row = dict(ORDINARY, amount=bad)
        assert _fast(HEADER, [row[c] for c in HEADER]) is None
        assert _slow(HEADER, [row[c] for c in HEADER]) is None
