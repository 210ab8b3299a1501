"""The files of an ``export --all`` folder besides the deals (tracker/core/csvio/bundle.py): their columns,
the report of an import, the reading of their rows, and the import of ``fx_rates.csv`` and
``deal_links.csv`` (organisations and alliances: tracker/core/csvio/bundleorgs.py).

``keep`` (the seed, tracker/core/csvio/seed.py): add only what is missing, change nothing that exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, insert, select

from tracker.core.csvio.report import ImportReport, RowError
from tracker.core.csvio.source import open_source, parse_header, read_rows
from tracker.core.domain.amount_parser import AmountError, normalise_currency
from tracker.core.domain.fields import MAX_ID
from tracker.core.domain.formula import restore
from tracker.core.domain.source_fields import SOURCE_FIELDS
from tracker.core.domain.vocab import RELATION_SYNONYMS, RELATIONS, normalise
from tracker.core.records.fx import RateError, parse_rate, set_rate
from tracker.core.storage.handles import DEAL, FX, LINK

FILES = {
    "organizations": ("name", "native_name", "aliases", "country", "sector", "parent", "notes"),
    "alliances": ("name", "description", "members"),
    "deal_links": ("from_deal", "to_deal", "relation"),
    "fx_rates": ("currency", "rate", "as_of"),
    "sources": ("deal", "position", *SOURCE_FIELDS),
}
REQUIRED = {
    "organizations": ("name",),
    "alliances": ("name",),
    "deal_links": ("from_deal", "to_deal"),
    "fx_rates": ("currency", "rate", "as_of"),
    "sources": ("deal",),
}
CSV_NAMES = (*(f"{name}.csv" for name in FILES), "deals.csv")
"""Every file an export writes, besides its manifest."""


@dataclass
class BundleReport:
    """What an import of a folder did (or, ``keep``, what the seed added and how much it left alone)."""

    deals: ImportReport | None = None
    organizations: int = 0
    alliances: int = 0
    links: int = 0
    rates: int = 0
    sources: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    keep: bool = False
    skipped: int = 0
    """With ``keep``: rows already in the database, left as they are."""

    def summary(self) -> str:
        parts = [
            f"organisations {self.organizations}",
            f"alliances {self.alliances}",
            f"deal links {self.links}",
            f"fx rates {self.rates}",
            f"sources {self.sources}",
        ]
        if self.keep:
            added = self.deals.added if self.deals is not None else 0
            return (
                f"seed: added {', '.join(parts)}, deals {added}; skipped {self.skipped} already in the database "
                "(left as they are, edits included)"
            )
        text = "read " + ", ".join(parts)
        if self.deals is not None:
            text += "\ndeals: " + self.deals.summary()
        return text

    def failed(self) -> ImportReport:
        out = ImportReport()
        for e in self.errors:
            out.add_error(e)
        return out


def err(report: BundleReport, file: str, line: int, column: str, value: str, message: str) -> None:
    report.errors.append(RowError(line, f"{file}.csv {column}", value, message))


def records(folder: Path, name: str, encoding: str | None,
            report: BundleReport) -> Iterator[tuple[int, dict[str, str]]]:  # fmt: skip
    """(line, {column: cell}) of every row of ``name``.csv, formula escapes undone and cells trimmed; a row
    with fewer fields than the header is an error (its missing cells are not read as empty)."""
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
            if len(record) < header.width:
                report.errors.append(
                    RowError(line, "", "", f"{name}.csv: {len(record)} fields where the header has {header.width}")
                )
                continue
            yield line, {k: restore(record[i]).strip() for k, i in header.index.items()}


def import_rates(conn: Connection, folder: Path, encoding: str | None, report: BundleReport) -> None:
    """``fx_rates.csv``, by the rules of ``tracker fx set`` (tracker.core.records.fx.parse_rate: bounds, and
    USD is 1)."""
    for line, r in records(folder, "fx_rates", encoding, report):
        try:
            currency = normalise_currency(r["currency"])
        except AmountError:
            err(report, "fx_rates", line, "currency", r["currency"], "not an ISO 4217 currency code")
            continue
        try:
            rate = parse_rate(r["rate"], currency=currency)  # the rules of `fx set`: bounds, decimals, USD = 1
        except RateError as exc:
            message, prefix = str(exc), f"rate {r['rate']!r}: "
            err(report, "fx_rates", line, "rate", r["rate"], message.removeprefix(prefix))
            continue
        try:
            as_of = dt.date.fromisoformat(r["as_of"])
        except ValueError:
            err(report, "fx_rates", line, "as_of", r["as_of"], "not a date (YYYY-MM-DD)")
            continue
        if report.keep and conn.execute(select(FX.c.id).where(FX.c.currency == currency, FX.c.as_of == as_of)).first():
            report.skipped += 1
            continue
        set_rate(conn, currency, rate, as_of)
        report.rates += 1


def resolve_deal(conn: Connection, ref: str) -> int | None:
    """A deal by id (an integer) or by outside key (text)."""
    ref = ref.strip()
    if ref.isdigit() and ref.isascii():
        value = int(ref)
        if value > MAX_ID:
            return None  # past any id either backend stores
        return conn.execute(select(DEAL.c.id).where(DEAL.c.id == value)).scalar()
    return conn.execute(select(DEAL.c.id).where(DEAL.c.ref == ref)).scalar()


def import_links(conn: Connection, folder: Path, encoding: str | None, report: BundleReport) -> None:
    """``deal_links.csv``: the deals by id or outside key, after the deals are imported."""
    for line, r in records(folder, "deal_links", encoding, report):
        ids = []
        for col in ("from_deal", "to_deal"):
            deal_id = resolve_deal(conn, r[col])
            if deal_id is None:
                err(report, "deal_links", line, col, r[col], "no deal with that id")
            ids.append(deal_id)
        relation = normalise(r.get("relation") or "related", RELATIONS, RELATION_SYNONYMS)
        if relation is None:
            err(report, "deal_links", line, "relation", r.get("relation", ""), f"one of {', '.join(RELATIONS)}")
            continue
        if None in ids:
            continue
        if ids[0] == ids[1]:
            err(report, "deal_links", line, "to_deal", r["to_deal"], "a deal cannot be linked to itself")
            continue
        existing = conn.execute(
            select(LINK.c.relation).where(LINK.c.from_deal_id == ids[0], LINK.c.to_deal_id == ids[1])
        ).scalar()
        if existing is None:
            conn.execute(insert(LINK).values(from_deal_id=ids[0], to_deal_id=ids[1], relation=relation))
        elif report.keep:
            report.skipped += 1
            continue
        elif existing != relation:
            conn.execute(
                LINK.update()
                .where(LINK.c.from_deal_id == ids[0], LINK.c.to_deal_id == ids[1])
                .values(relation=relation)
            )
        report.links += 1
