"""``sources.csv`` of an ``export --all`` folder: every deal's sources, one row each (schema 0011).

Columns: ``deal`` (its id, or outside key), ``position`` (0 is the first source, the one ``deals.csv``'s
``source_*`` columns show), then the source's fields (tracker/core/domain/source_fields.py). On import, after
``deals.csv``, the file's rows of a deal replace its sources (so an export imports back exactly); ``keep``
(the seed) only fills a deal whose sources are what its ``source_*`` columns made (one first source, nothing
more known of it) or that has none.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from tracker.core.csvio.bundlefiles import FILES, BundleReport, err, records, resolve_deal
from tracker.core.domain.formula import defuse
from tracker.core.domain.source_fields import SOURCE_FIELDS, SourceError, SourceValues, parse_source_fields
from tracker.core.domain.vocab import DEFAULT_SOURCE_KIND
from tracker.core.records.confidence import refresh_confidence
from tracker.core.records.source_mirror import deal_from_first
from tracker.core.storage.handles import SOURCE


def write_sources(conn: Connection, w: Any) -> int:
    """Every source, by deal and position, into the csv writer ``w``; returns the rows written."""
    w.writerow(FILES["sources"])
    n = 0
    columns = [SOURCE.c.deal_id, SOURCE.c.position, *(SOURCE.c[f] for f in SOURCE_FIELDS)]
    for row in conn.execute(select(*columns).order_by(SOURCE.c.deal_id, SOURCE.c.position)):
        w.writerow((row[0], row[1], *(defuse(v or "") for v in row[2:])))
        n += 1
    return n


def _mirror_only(conn: Connection, deal_id: int, first_in_file: SourceValues) -> bool:
    """Whether the deal has no source, or only the one its ``source_*`` columns made, the file's first."""
    rows = conn.execute(select(SOURCE).where(SOURCE.c.deal_id == deal_id)).mappings().all()
    if not rows:
        return True
    first = rows[0]
    return (len(rows) == 1 and first["kind"] == DEFAULT_SOURCE_KIND
            and all(first[f] is None for f in ("retrieved", "lang", "excerpt"))
            and all(first[f] == getattr(first_in_file, f) for f in ("outlet", "author", "title", "url", "published")))  # fmt: skip


def import_sources(conn: Connection, folder: Path, encoding: str | None, report: BundleReport) -> None:
    """``sources.csv`` (after the deals): each deal's rows, in position order, become its sources."""
    found: dict[int, list[tuple[int, int, SourceValues]]] = defaultdict(list)
    for line, r in records(folder, "sources", encoding, report):
        deal_id = resolve_deal(conn, r["deal"])
        if deal_id is None:
            err(report, "sources", line, "deal", r["deal"], "no deal with that id")
            continue
        raw_position = r.get("position") or str(len(found[deal_id]))
        if not (raw_position.isdigit() and raw_position.isascii()) or int(raw_position) > 10_000:
            err(report, "sources", line, "position", raw_position, "a whole number from 0 (the first source)")
            continue
        try:
            values = parse_source_fields({f: r.get(f) for f in SOURCE_FIELDS})
        except SourceError as exc:
            err(report, "sources", line, exc.field, exc.value, exc.message)
            continue
        found[deal_id].append((int(raw_position), line, values))
    if report.errors:
        return
    for deal_id, rows in found.items():
        ordered = sorted(rows, key=lambda t: (t[0], t[1]))
        if report.keep and not _mirror_only(conn, deal_id, ordered[0][2]):
            report.skipped += 1
            continue
        conn.execute(delete(SOURCE).where(SOURCE.c.deal_id == deal_id))
        conn.execute(
            insert(SOURCE),
            [{"deal_id": deal_id, "position": i, **vars(v)} for i, (_p, _l, v) in enumerate(ordered)],
        )
        deal_from_first(conn, deal_id)
        report.sources += len(ordered)
    if found:
        refresh_confidence(conn, sorted(found))
