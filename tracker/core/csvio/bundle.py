"""Every table as CSV files in one folder (``tracker export --all`` / ``import --all``), and back.

Files: ``organizations.csv`` (with aliases, country, parent), ``deals.csv`` (the deals CSV, alliances
included), ``alliances.csv`` (with members), ``deal_links.csv``, ``fx_rates.csv``, ``sources.csv`` (every
source of every deal: tracker/core/csvio/bundlesources.py), and ``manifest.json``
(tracker/core/csvio/manifest.py). Rows refer to each other by name (organisations, alliances) or by deal
id (an integer) / outside key (text). A list of names in one cell (aliases, members, a deal's alliances)
is written by tracker.core.domain.namelist, so a name holding ``;`` survives.

The export reads everything in one read transaction (one snapshot) and writes a temporary folder beside
the target, renamed into place once every file and the manifest are on disk
(tracker/core/csvio/output.py): a killed or failed export leaves the target as it was. Importing a folder
checks it against its manifest first, then is one transaction: any bad row in any file and nothing is
written. The seed is such a folder (without a manifest), imported with ``keep`` (add what is missing,
never change what exists: tracker/core/csvio/seed.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, cast

from sqlalchemy import Connection, select

from tracker.core.csvio.bundlefiles import (
    CSV_NAMES,
    FILES,
    BundleReport,
    import_links,
    import_rates,
    resolve_deal,
)
from tracker.core.csvio.bundleorgs import import_alliances, import_orgs
from tracker.core.csvio.bundlesources import import_sources, write_sources
from tracker.core.csvio.export import export_deals
from tracker.core.csvio.importer import import_source
from tracker.core.csvio.manifest import MANIFEST, finish_manifest, start_manifest, verify_folder
from tracker.core.csvio.output import BUFFER, atomic_folder, refuse_database, sync_file
from tracker.core.csvio.report import CsvError, ImportFailed
from tracker.core.csvio.source import open_source, read_rows
from tracker.core.domain.formula import defuse, restore
from tracker.core.domain.namelist import join_names
from tracker.core.domain.names import name_key
from tracker.core.records.orgs import aliases_of
from tracker.core.storage.handle import Database
from tracker.core.storage.handles import ALLIANCE, FX, LINK, MEMBER, ORG

__all__ = ["FILES", "BundleReport", "check_bundle", "export_all", "import_all", "resolve_deal"]


def _text(value: str | None) -> str:
    return defuse(value or "")


@contextmanager
def _file(path: Path) -> Iterator[csv._writer]:  # type: ignore[name-defined]
    """A new private file (0600) for csv.writer, on disk (fsync) when the block ends."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(fd, "w", encoding="utf-8", newline="", buffering=BUFFER) as f:
        yield csv.writer(f, lineterminator="\r\n")
        f.flush()
        os.fsync(f.fileno())


def export_all(db: Database, folder: Path) -> dict[str, int]:
    """Write every table into ``folder`` (created, or replaced whole if it holds a previous export);
    returns rows per file."""
    refuse_database(db, folder, folder=True)
    counts: dict[str, int] = {}
    with atomic_folder(folder, (*CSV_NAMES, MANIFEST)) as temp, db.read() as conn:
        start_manifest(temp)
        counts["organizations"] = _write_orgs(conn, temp / "organizations.csv")
        counts["alliances"] = _write_alliances(conn, temp / "alliances.csv")
        with _file(temp / "deal_links.csv") as w:
            w.writerow(FILES["deal_links"])
            links = conn.execute(select(LINK.c.from_deal_id, LINK.c.to_deal_id, LINK.c.relation).order_by(
                LINK.c.from_deal_id, LINK.c.to_deal_id)).all()  # fmt: skip
            w.writerows((f, t, _text(r)) for f, t, r in links)
            counts["deal_links"] = len(links)
        with _file(temp / "fx_rates.csv") as w:
            w.writerow(FILES["fx_rates"])
            rates = conn.execute(select(FX.c.currency, FX.c.rate, FX.c.as_of).order_by(FX.c.currency, FX.c.as_of))
            rows = [(_text(c), format(r, "f"), d.isoformat() if isinstance(d, dt.date) else d) for c, r, d in rates]
            w.writerows(rows)
            counts["fx_rates"] = len(rows)
        with _file(temp / "sources.csv") as w:
            counts["sources"] = write_sources(conn, w)
        deals = temp / "deals.csv"
        fd = os.open(deals, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "w", encoding="utf-8", newline="", buffering=BUFFER) as out:
            counts["deals"] = export_deals(db, out, conn=conn, binary=cast(IO[bytes], out.buffer))
        sync_file(deals)
        finish_manifest(temp, {f"{name}.csv": n for name, n in counts.items()})
    return counts


def _write_orgs(conn: Connection, path: Path) -> int:
    names: dict[int, str] = dict(conn.execute(select(ORG.c.id, ORG.c.name)).all())
    n = 0
    with _file(path) as w:
        w.writerow(FILES["organizations"])
        for o in conn.execute(select(ORG).order_by(ORG.c.name_key)).mappings():
            aliases = [a for a in aliases_of(conn, o["id"]) if a != o["native_name"]]
            w.writerow((
                _text(o["name"]), _text(o["native_name"]), _text(join_names(aliases)), _text(o["country"]),
                _text(o["sector"]), _text(names.get(o["parent_id"], "")), _text(o["notes"]),
            ))  # fmt: skip
            n += 1
    return n


def _write_alliances(conn: Connection, path: Path) -> int:
    n = 0
    with _file(path) as w:
        w.writerow(FILES["alliances"])
        for a in conn.execute(select(ALLIANCE).order_by(ALLIANCE.c.name_key)).mappings():
            members = conn.execute(
                select(ORG.c.name).join(MEMBER, MEMBER.c.org_id == ORG.c.id).where(MEMBER.c.alliance_id == a["id"])
            ).scalars()
            w.writerow((_text(a["name"]), _text(a["description"]), _text(join_names(sorted(members, key=name_key)))))
            n += 1
    return n


def check_bundle(folder: Path) -> list[str]:
    """Refuse what is no export folder, or one whose files do not match its manifest (before the database
    is even opened); the warnings to show (a folder without a manifest)."""
    if not folder.is_dir():
        raise CsvError(f"{folder}: not a folder (export --all writes a folder of CSV files)")
    if not any((folder / name).exists() for name in CSV_NAMES):
        raise CsvError(f"{folder}: holds none of {', '.join(CSV_NAMES)}")
    warning = verify_folder(folder, CSV_NAMES)
    return [warning] if warning else []


def import_all(db: Database, folder: Path, *, encoding: str | None = None, dry_run: bool = False,
               keep: bool = False, checked: bool = False) -> BundleReport:  # fmt: skip
    """Read a folder written by :func:`export_all` into the database, in one transaction.

    ``keep``: add only what is missing, change nothing that exists (the seed). ``checked``: the caller has
    run :func:`check_bundle` already (and shows its warnings); otherwise it runs here."""
    report = BundleReport(keep=keep)
    if not checked:
        report.warnings.extend(check_bundle(folder))
    with db.write() as conn:
        import_rates(conn, folder, encoding, report)
        import_orgs(conn, folder, encoding, report)
        import_alliances(conn, folder, encoding, report)
        if report.errors:
            raise ImportFailed(report.failed())
        deals_csv = folder / "deals.csv"
        if deals_csv.exists():
            with _missing_deals(conn, deals_csv, encoding, report) if keep else _as_is(deals_csv) as path:
                if path is not None:
                    with open_source(path, None if keep else encoding) as source:
                        report.deals = import_source(db, source, conn=conn, dry_run=dry_run)
        import_links(conn, folder, encoding, report)
        import_sources(conn, folder, encoding, report)
        if report.errors:
            raise ImportFailed(report.failed())
        if dry_run:
            conn.rollback()
    return report


@contextmanager
def _as_is(path: Path) -> Iterator[Path | None]:
    yield path


@contextmanager
def _missing_deals(conn: Connection, path: Path, encoding: str | None, report: BundleReport) -> Iterator[Path | None]:
    """``path``'s deals whose id is not in the database yet, as a temporary deals CSV (None if none)."""
    with open_source(path, encoding) as source:
        rows = read_rows(source)
        first = next(rows, None)
        if first is None:
            yield None
            return
        header = first[1]
        column = next((i for i, h in enumerate(header) if h.strip().lstrip("\ufeff").casefold() == "id"), None)
        kept: list[list[str]] = []
        for _line, record in rows:
            ref = restore(record[column]).strip() if column is not None and column < len(record) else ""
            if ref and resolve_deal(conn, ref) is not None:
                report.skipped += 1
            else:
                kept.append(record)
    if not kept:
        yield None
        return
    with tempfile.TemporaryDirectory() as folder:
        missing = Path(folder) / "deals.csv"
        with open(missing, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(header)
            w.writerows(kept)
        yield missing
