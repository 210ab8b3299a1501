"""Every table as CSV files in one folder (``tracker export --all`` / ``import --all``), and back.

Files: ``organizations.csv`` (with aliases, country, parent), ``deals.csv`` (the deals CSV, alliances
included), ``alliances.csv`` (with members), ``deal_links.csv``, ``fx_rates.csv``. Rows refer to each
other by name (organisations, alliances) or by deal id (an integer) / outside key (text). Importing a
folder is one transaction: any bad row in any file and nothing is written. The seed is such a folder.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select

from tracker.core.csvio.export import export_deals
from tracker.core.csvio.importer import import_source
from tracker.core.csvio.report import CsvError, ImportFailed, ImportReport, RowError
from tracker.core.csvio.source import open_source, parse_header, read_rows
from tracker.core.domain.amount_parser import AmountError, normalise_currency
from tracker.core.domain.formula import defuse, restore
from tracker.core.domain.names import MAX_NAME, name_key
from tracker.core.domain.vocab import RELATION_SYNONYMS, RELATIONS, normalise
from tracker.core.records.fx import set_rate
from tracker.core.records.orgs import OrgFields, aliases_of, create_org, load_name_index, set_aliases
from tracker.core.storage.handle import Database
from tracker.core.storage.handles import ALLIANCE, DEAL, FX, LINK, MEMBER, ORG

FILES = {
    "organizations": ("name", "native_name", "aliases", "country", "sector", "parent", "notes"),
    "alliances": ("name", "description", "members"),
    "deal_links": ("from_deal", "to_deal", "relation"),
    "fx_rates": ("currency", "rate", "as_of"),
}
REQUIRED = {
    "organizations": ("name",),
    "alliances": ("name",),
    "deal_links": ("from_deal", "to_deal"),
    "fx_rates": ("currency", "rate", "as_of"),
}


@dataclass
class BundleReport:
    deals: ImportReport | None = None
    organizations: int = 0
    alliances: int = 0
    links: int = 0
    rates: int = 0
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"organisations {self.organizations}",
            f"alliances {self.alliances}",
            f"deal links {self.links}",
            f"fx rates {self.rates}",
        ]
        text = "read " + ", ".join(parts)
        if self.deals is not None:
            text += "\ndeals: " + self.deals.summary()
        return text


def _text(value: str | None) -> str:
    return defuse(value or "")


def _split(value: str) -> list[str]:
    return [p.strip() for p in restore(value).split(";") if p.strip()]


def export_all(db: Database, folder: Path) -> dict[str, int]:
    """Write every table into ``folder`` (created if missing); returns rows per file."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with db.read() as conn:
        names: dict[int, str] = dict(conn.execute(select(ORG.c.id, ORG.c.name)).tuples().all())
        with _writer(folder / "organizations.csv", FILES["organizations"]) as w:
            rows = conn.execute(select(ORG).order_by(ORG.c.name_key)).mappings()
            n = 0
            for o in rows:
                aliases = [a for a in aliases_of(conn, o["id"]) if a != o["native_name"]]
                w.writerow((
                    _text(o["name"]), _text(o["native_name"]), _text(";".join(aliases)), _text(o["country"]),
                    _text(o["sector"]), _text(names.get(o["parent_id"], "")), _text(o["notes"]),
                ))  # fmt: skip
                n += 1
            counts["organizations"] = n
        with _writer(folder / "alliances.csv", FILES["alliances"]) as w:
            n = 0
            for a in conn.execute(select(ALLIANCE).order_by(ALLIANCE.c.name_key)).mappings():
                members = conn.execute(
                    select(ORG.c.name).join(MEMBER, MEMBER.c.org_id == ORG.c.id).where(MEMBER.c.alliance_id == a["id"])
                ).scalars()
                w.writerow((_text(a["name"]), _text(a["description"]), _text(";".join(sorted(members, key=name_key)))))
                n += 1
            counts["alliances"] = n
        with _writer(folder / "deal_links.csv", FILES["deal_links"]) as w:
            n = 0
            for f, t, r in conn.execute(select(LINK.c.from_deal_id, LINK.c.to_deal_id, LINK.c.relation).order_by(
                    LINK.c.from_deal_id, LINK.c.to_deal_id)):  # fmt: skip
                w.writerow((f, t, r))
                n += 1
            counts["deal_links"] = n
        with _writer(folder / "fx_rates.csv", FILES["fx_rates"]) as w:
            n = 0
            for c, r, d in conn.execute(
                select(FX.c.currency, FX.c.rate, FX.c.as_of).order_by(FX.c.currency, FX.c.as_of)
            ):
                w.writerow((c, format(r, "f"), d.isoformat() if isinstance(d, dt.date) else d))
                n += 1
            counts["fx_rates"] = n
        with open(folder / "deals.csv", "w", encoding="utf-8", newline="") as out:
            counts["deals"] = export_deals(db, out, conn=conn)
    return counts


class _writer:
    def __init__(self, path: Path, header: tuple[str, ...]) -> None:
        self.path, self.header = path, header

    def __enter__(self) -> csv._writer:  # type: ignore[name-defined]
        self.file = open(self.path, "w", encoding="utf-8", newline="")
        w = csv.writer(self.file, lineterminator="\r\n")
        w.writerow(self.header)
        return w

    def __exit__(self, *exc: object) -> None:
        self.file.close()


def _records(folder: Path, name: str, encoding: str | None) -> Iterator[tuple[int, dict[str, str]]]:
    path = folder / f"{name}.csv"
    if not path.exists():
        return
    known = frozenset(FILES[name])
    with open_source(path, encoding) as source:
        rows = read_rows(source)
        first = next(rows, None)
        if first is None:
            return
        header = parse_header(first[1], source.label, REQUIRED[name], known)
        for line, record in rows:
            if not any(c.strip() for c in record):
                continue
            yield line, {k: restore(record[i]).strip() if i < len(record) else "" for k, i in header.index.items()}


def import_all(db: Database, folder: Path, *, encoding: str | None = None, dry_run: bool = False) -> BundleReport:
    """Read a folder written by :func:`export_all` into the database, in one transaction."""
    if not folder.is_dir():
        raise CsvError(f"{folder}: not a folder (export --all writes a folder of CSV files)")
    if not any((folder / f"{n}.csv").exists() for n in (*FILES, "deals")):
        raise CsvError(f"{folder}: holds none of {', '.join(f'{n}.csv' for n in (*FILES, 'deals'))}")
    report = BundleReport()
    with db.write() as conn:
        _import_rates(conn, folder, encoding, report)
        _import_orgs(conn, folder, encoding, report)
        _import_alliances(conn, folder, encoding, report)
        if report.errors:
            raise ImportFailed(_as_import_report(report))
        deals_csv = folder / "deals.csv"
        if deals_csv.exists():
            with open_source(deals_csv, encoding) as source:
                report.deals = import_source(db, source, conn=conn, dry_run=dry_run)
        _import_links(conn, folder, encoding, report)
        if report.errors:
            raise ImportFailed(_as_import_report(report))
        if dry_run:
            conn.rollback()
    return report


def _as_import_report(report: BundleReport) -> ImportReport:
    out = ImportReport()
    for e in report.errors:
        out.add_error(e)
    return out


def _err(report: BundleReport, file: str, line: int, column: str, value: str, message: str) -> None:
    report.errors.append(RowError(line, f"{file}.csv {column}", value, message))


def _import_rates(conn: Connection, folder: Path, encoding: str | None, report: BundleReport) -> None:
    for line, r in _records(folder, "fx_rates", encoding):
        try:
            currency = normalise_currency(r["currency"])
        except AmountError:
            _err(report, "fx_rates", line, "currency", r["currency"], "not an ISO 4217 currency code")
            continue
        try:
            rate = Decimal(r["rate"])
            if not rate.is_finite() or rate <= 0:
                raise InvalidOperation
        except InvalidOperation:
            _err(report, "fx_rates", line, "rate", r["rate"], "not a positive number")
            continue
        try:
            as_of = dt.date.fromisoformat(r["as_of"])
        except ValueError:
            _err(report, "fx_rates", line, "as_of", r["as_of"], "not a date (YYYY-MM-DD)")
            continue
        set_rate(conn, currency, rate, as_of)
        report.rates += 1


def _import_orgs(conn: Connection, folder: Path, encoding: str | None, report: BundleReport) -> None:
    index = load_name_index(conn)
    parents: list[tuple[int, int, str]] = []
    for line, r in _records(folder, "organizations", encoding):
        name = r["name"]
        if not name or len(name) > MAX_NAME:
            _err(report, "organizations", line, "name", name, "required, at most 200 characters")
            continue
        fields = {k: (r.get(k) or None) for k in ("native_name", "country", "sector", "notes")}
        aliases = _split(r.get("aliases", ""))
        org_id = index.get(name_key(name))
        if org_id is None:
            org_id = create_org(conn, OrgFields(name=name, **fields), aliases)  # type: ignore[arg-type]
        else:
            present = {k: v for k, v in fields.items() if k in r}
            if present:
                conn.execute(ORG.update().where(ORG.c.id == org_id).values(**present))
            if "aliases" in r or "native_name" in r:
                set_aliases(conn, org_id, [*aliases, *([fields["native_name"]] if fields["native_name"] else [])])
        for key in [name_key(name), *(name_key(a) for a in aliases)]:
            index.setdefault(key, org_id)
        if r.get("parent"):
            parents.append((line, org_id, r["parent"]))
        report.organizations += 1
    for line, org_id, parent in parents:
        parent_id = index.get(name_key(parent))
        if parent_id is None:
            _err(
                report, "organizations", line, "parent", parent, "no organisation of that name in the file or database"
            )
        elif parent_id == org_id:
            _err(report, "organizations", line, "parent", parent, "an organisation cannot be its own parent")
        else:
            conn.execute(ORG.update().where(ORG.c.id == org_id).values(parent_id=parent_id))


def _import_alliances(conn: Connection, folder: Path, encoding: str | None, report: BundleReport) -> None:
    index = load_name_index(conn)
    for line, r in _records(folder, "alliances", encoding):
        name = r["name"]
        if not name or len(name) > MAX_NAME:
            _err(report, "alliances", line, "name", name, "required, at most 200 characters")
            continue
        key = name_key(name)
        alliance_id = conn.execute(select(ALLIANCE.c.id).where(ALLIANCE.c.name_key == key)).scalar()
        if alliance_id is None:
            alliance_id = conn.execute(
                insert(ALLIANCE)
                .values(name=name, name_key=key, description=r.get("description") or None)
                .returning(ALLIANCE.c.id)
            ).scalar_one()
        elif "description" in r:
            conn.execute(
                ALLIANCE.update().where(ALLIANCE.c.id == alliance_id).values(description=r["description"] or None)
            )
        if "members" in r:
            member_ids = []
            for m in _split(r["members"]):
                org_id = index.get(name_key(m))
                if org_id is None:
                    org_id = create_org(conn, OrgFields(name=m))
                    index[name_key(m)] = org_id
                member_ids.append(org_id)
            conn.execute(delete(MEMBER).where(MEMBER.c.alliance_id == alliance_id))
            if member_ids:
                conn.execute(
                    insert(MEMBER), [{"alliance_id": alliance_id, "org_id": o} for o in dict.fromkeys(member_ids)]
                )
        report.alliances += 1


def resolve_deal(conn: Connection, ref: str) -> int | None:
    """A deal by id (an integer) or by outside key (text)."""
    ref = ref.strip()
    if ref.isdigit() and ref.isascii():
        return conn.execute(select(DEAL.c.id).where(DEAL.c.id == int(ref))).scalar()
    return conn.execute(select(DEAL.c.id).where(DEAL.c.ref == ref)).scalar()


def _import_links(conn: Connection, folder: Path, encoding: str | None, report: BundleReport) -> None:
    for line, r in _records(folder, "deal_links", encoding):
        ids = []
        for col in ("from_deal", "to_deal"):
            deal_id = resolve_deal(conn, r[col])
            if deal_id is None:
                _err(report, "deal_links", line, col, r[col], "no deal with that id")
            ids.append(deal_id)
        relation = normalise(r.get("relation") or "related", RELATIONS, RELATION_SYNONYMS)
        if relation is None:
            _err(report, "deal_links", line, "relation", r.get("relation", ""), f"one of {', '.join(RELATIONS)}")
            continue
        if None in ids:
            continue
        if ids[0] == ids[1]:
            _err(report, "deal_links", line, "to_deal", r["to_deal"], "a deal cannot be linked to itself")
            continue
        existing = conn.execute(
            select(LINK.c.relation).where(LINK.c.from_deal_id == ids[0], LINK.c.to_deal_id == ids[1])
        ).scalar()
        if existing is None:
            conn.execute(insert(LINK).values(from_deal_id=ids[0], to_deal_id=ids[1], relation=relation))
        elif existing != relation:
            conn.execute(
                LINK.update()
                .where(LINK.c.from_deal_id == ids[0], LINK.c.to_deal_id == ids[1])
                .values(relation=relation)
            )
        report.links += 1
