"""Pass one of the import: read and check every row, without any lock, into a plan and a spool.

Nothing stops the check: every bad row is reported (up to 20, then a count); only a file that cannot be
read as a CSV at all (tracker/core/csvio/source.py) stops it. A row with more or fewer fields than the
header is a bad row (a column absent from the header keeps a deal's values; a row cut short does not).
Checked rows are spooled (tracker/core/csvio/spool.py) until the first error; only a clean file gets pass
two. What pass two needs to know beforehand (new organisations and alliances, the largest id, the columns
present) is the :class:`Plan`, small whatever the file's size; only a file that names some deals by id or
``ref`` and leaves others to natural matching carries those ids and refs in it (see
tracker/core/csvio/matching.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from tracker.core.csvio.fastrows import FastRows
from tracker.core.csvio.report import CsvError, ImportReport, RowError
from tracker.core.csvio.source import CsvSource, Progress, parse_header, read_rows, row_dict, row_problem
from tracker.core.csvio.spool import SPOOL_BATCH, SPOOL_BYTES, spool_tuple, write_block
from tracker.core.domain.fields import parse_deal_fields
from tracker.core.domain.names import alliance_key


@dataclass
class Plan:
    """What the first pass learned, small whatever the file's size."""

    rows: int = 0
    new_orgs: dict[str, str] = field(default_factory=dict)  # key -> name as first written
    first_seen: dict[str, tuple[int, str]] = field(default_factory=dict)  # ... -> its line and column there
    alliances: dict[str, str] = field(default_factory=dict)
    max_id: int = 0
    has_ids: bool = False
    has_refs: bool = False
    present: frozenset[str] = frozenset()
    natural: int = 0  # rows without an id or ref: matched on their natural key
    named_ids: frozenset[int] = frozenset()  # ... when there are such rows: the ids and refs of the others
    named_refs: frozenset[str] = frozenset()


def check_rows(source: CsvSource, index: dict[str, int], report: ImportReport, progress: Progress | None,
               spool: IO[bytes], on_block: Callable[[int], None] | None = None) -> Plan:  # fmt: skip
    """Check ``source`` against the organisations of ``index`` (name key -> id), errors into ``report``;
    spool the checked rows, calling ``on_block`` (rows in it) once each block is written."""
    plan = Plan()
    seen_ids: set[int] = set()
    seen_refs: set[str] = set()
    rows = read_rows(source, progress)
    first = next(rows, None)
    if first is None:
        raise CsvError(f"{source.label}: the file is empty (a deals CSV needs a header and rows)")
    header = parse_header(first[1], source.label)
    report.unknown_columns = header.unknown
    plan.present = frozenset(header.index)
    width, needed = header.width, header.needed
    fast = FastRows(header).parser()
    new_orgs, alliances, first_seen = plan.new_orgs, plan.alliances, plan.first_seen
    out: list[tuple[Any, ...]] = []
    natural = 0
    out_bytes = 0  # text held in `out`: a block is cut at SPOOL_BATCH rows or SPOOL_BYTES, whichever first
    for line, record in rows:
        n = len(record)
        t = fast(record, line) if needed <= n <= width else None
        if t is None:
            del record[n:]  # the fast path's padding
            if not any(cell.strip() for cell in record):
                continue
            plan.rows += 1
            problem = row_problem(header, record)
            if problem is not None:
                report.add_error(RowError(line, "", "", problem))
                continue
            values, errors = parse_deal_fields(row_dict(header, record))
            for e in errors:
                report.add_error(RowError(line, e.column, e.value, e.message))
            if values.id is not None:
                plan.has_ids = True
                if values.id in seen_ids:
                    report.add_error(RowError(line, "id", str(values.id), "duplicate id (appears earlier in the file)"))
                seen_ids.add(values.id)
                plan.max_id = max(plan.max_id, values.id)
            if values.ref is not None:
                plan.has_refs = True
                if values.ref in seen_refs:
                    report.add_error(RowError(line, "id", values.ref, "duplicate id (appears earlier in the file)"))
                seen_refs.add(values.ref)
            if errors:
                continue
            if values.id is None and values.ref is None:
                natural += 1
            t = spool_tuple(line, values)
        else:
            plan.rows += 1
            deal_id = t[1]
            if deal_id is None:
                natural += 1
            else:
                plan.has_ids = True
                if deal_id in seen_ids:
                    report.add_error(RowError(line, "id", str(deal_id), "duplicate id (appears earlier in the file)"))
                seen_ids.add(deal_id)
                if deal_id > plan.max_id:
                    plan.max_id = deal_id
        from_key, to_key = t[5], t[7]
        a = index.get(from_key)
        if a is None:
            if from_key not in new_orgs:
                new_orgs[from_key] = t[4]
                first_seen[from_key] = (line, "from_org")
            a = from_key
        if to_key is not None:
            b = index.get(to_key)
            if b is None:
                if to_key not in new_orgs:
                    new_orgs[to_key] = t[6]
                    first_seen[to_key] = (line, "to_org")
                b = to_key
            if a == b:
                report.add_error(RowError(line, "to_org", t[6] or "", f"the same organisation as from_org {t[4]!r}"))
        if t[3]:
            for name in t[3]:
                alliances.setdefault(alliance_key(name), name)
        if report.error_count:
            continue  # nothing will be written: stop spooling
        out.append(t)
        out_bytes += sum(map(len, record))
        if len(out) >= SPOOL_BATCH or out_bytes >= SPOOL_BYTES:
            write_block(spool, out)
            if on_block is not None:
                on_block(len(out))
            out.clear()
            out_bytes = 0
    if out:
        write_block(spool, out)
        if on_block is not None:
            on_block(len(out))
    plan.natural = natural
    if natural:
        plan.named_ids, plan.named_refs = frozenset(seen_ids), frozenset(seen_refs)
    return plan
