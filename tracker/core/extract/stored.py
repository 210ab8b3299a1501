"""What the database says about proposals: the names it knows (for :class:`~.parties.NameBook`), the
organisations a proposal would create, and the stored deal a proposal duplicates (the rule of
:mod:`tracker.core.records.duplicates`). Reads only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from tracker.core.domain.dates import parse_date
from tracker.core.extract.assemble import Proposal
from tracker.core.extract.parties import NameBook
from tracker.core.records.duplicates import find_duplicates, key_of
from tracker.core.records.orgs import find_org_id
from tracker.core.records.reference import reference_for
from tracker.core.storage.handles import ALIAS, ORG


def load_book(conn: Connection) -> NameBook:
    """A :class:`NameBook` of every stored name and alias and the reference list."""
    names = dict(conn.execute(select(ORG.c.id, ORG.c.name)).all())
    entries = [(n, n) for n in names.values()]
    entries += [(a, names[i]) for a, i in conn.execute(select(ALIAS.c.alias, ALIAS.c.org_id)) if i in names]
    return NameBook(entries)


@dataclass(frozen=True)
class Checked:
    """A proposal with what the database says: the organisations it would create (by the name they would
    get: the reference list's for a listed one) and the id of the stored deal it duplicates, if any."""

    proposal: Proposal
    new_orgs: tuple[str, ...]
    existing_deal: int | None


@dataclass
class _Key:
    """What :func:`tracker.core.records.duplicates.key_of` reads of a deal."""

    kind: str
    from_org: str
    to_org: str | None
    amount: object
    currency: str | None
    date: object
    date_precision: str


def check(conn: Connection, proposals: list[Proposal]) -> list[Checked]:
    """Each proposal with its new organisations and the stored deal it duplicates."""
    out: list[Checked] = []
    for p in proposals:
        new: list[str] = []
        for name in (p.from_org, p.to_org):
            if name and find_org_id(conn, name) is None:
                ref = reference_for(name)
                shown = ref.name if ref is not None else name
                if (ref is None or find_org_id(conn, ref.name) is None) and shown not in new:
                    new.append(shown)
        existing = None
        if not new:
            date, precision = parse_date(p.date)
            key = key_of(conn, _Key(p.kind, p.from_org, p.to_org, p.amount, p.currency, date, precision))
            if key is not None:
                found = find_duplicates(conn, key)
                existing = found[0].deal_id if found else None
        out.append(Checked(p, tuple(new), existing))
    return out
