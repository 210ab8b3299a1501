"""Resolving a name that is not stored: an organisation of the reference list, or close to one that
exists ("did you mean"), or new.

- A name, native name or alias of the reference list (tracker/core/records/reference.py), matched as
  names are (any case), is that organisation: :func:`create_named_org` creates it with the list's fields
  (aliases that already name a stored organisation are left out; the parent is linked when stored, and
  stored children of the list that have no parent are linked to it).
- Otherwise :class:`NameResolver` offers the stored organisations, then those of the reference list, whose
  names are close (tracker/core/records/closeness.py). ``tracker add`` refuses such a name unless told
  ``--new-org``; an import reports it (or refuses the file, ``--strict-names``); the form offers the
  existing organisation first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from tracker.core.domain.fields import DealValues
from tracker.core.records.closeness import CloseIndex
from tracker.core.records.orgs import OrgFields, create_org, find_org_id
from tracker.core.records.reference import RefOrg, children_of, reference_for, reference_index
from tracker.core.storage.handles import ALIAS, ORG


@dataclass(frozen=True)
class Candidate:
    """An organisation a name may have meant: its name, the name or alias that is close, how many edits
    away (0: the same but for case, spacing, punctuation, a legal suffix or the script), and whether it is
    only in the reference list (not stored yet)."""

    name: str
    matched: str
    edits: int
    reference: bool = False

    def __str__(self) -> str:
        return self.name if self.matched == self.name else f"{self.name} ({self.matched})"


def did_you_mean(candidates: Iterable[Candidate]) -> str:
    """``did you mean Nvidia?`` (or ``A or B``), the phrase every message uses."""
    return "did you mean " + " or ".join(str(c) for c in candidates) + "?"


class NameResolver:
    """The stored names and aliases (each pointing at its organisation's name), and the reference list."""

    def __init__(self, stored: Iterable[tuple[str, str]] = ()) -> None:
        """``stored``: (a name or alias, the name of its organisation)."""
        self.index: CloseIndex[str] = CloseIndex(stored)

    @classmethod
    def load(cls, conn: Connection) -> NameResolver:
        """Every stored name and alias (one query each; the keys are computed here, once, and the reference
        list's too: a caller on a worker thread leaves nothing slow for the first keystroke)."""
        reference_index()
        names = dict(conn.execute(select(ORG.c.id, ORG.c.name)).all())
        entries = [(n, n) for n in names.values()]
        entries += [(a, names[i]) for a, i in conn.execute(select(ALIAS.c.alias, ALIAS.c.org_id)) if i in names]
        return cls(entries)

    def candidates(self, name: str, limit: int = 3) -> list[Candidate]:
        """What ``name`` may have meant: stored organisations first, then reference ones not stored."""
        out = [Candidate(c.target, c.matched, c.edits) for c in self.index.close(name, limit)]
        taken = {c.name for c in out}
        for c in reference_index().close(name, limit):
            if len(out) >= limit:
                break
            if c.target.name in taken or self.index.close(c.target.name, 1):
                continue  # stored already (under that name or a form of it): offered as stored, or not at all
            taken.add(c.target.name)
            out.append(Candidate(c.target.name, c.matched, c.edits, reference=True))
        out.sort(key=lambda c: (c.edits, c.reference))
        return out[:limit]


@dataclass(frozen=True)
class CloseParty:
    """A party of a deal that names nothing stored but is close to something."""

    column: str  # from_org or to_org
    name: str
    candidates: tuple[Candidate, ...]


def close_parties(conn: Connection, values: DealValues) -> list[CloseParty]:
    """The parties of ``values`` that are neither stored nor in the reference list but close to a name
    (the stored names are read only when there is such a party)."""
    resolver: NameResolver | None = None
    out: list[CloseParty] = []
    for column, name in (("from_org", values.from_org), ("to_org", values.to_org)):
        if not name or find_org_id(conn, name) is not None or reference_for(name) is not None:
            continue
        resolver = resolver or NameResolver.load(conn)
        found = resolver.candidates(name)
        if found:
            out.append(CloseParty(column, name, tuple(found)))
    return out


@dataclass(frozen=True)
class Named:
    """What :func:`create_named_org` did: the organisation's id and name, the reference entry it came
    from (None: as typed), and whether it was created (False: stored already under its reference name)."""

    org_id: int
    name: str
    ref: RefOrg | None
    created: bool


def create_named_org(conn: Connection, name: str) -> Named:
    """The organisation ``name`` names (not stored under it), created: from the reference list if it names
    one of its organisations (the stored one if that is stored already under its reference name), else
    as typed."""
    ref = reference_for(name)
    if ref is None:
        return Named(create_org(conn, OrgFields(name=name.strip())), name.strip(), None, True)
    found = find_org_id(conn, ref.name)
    if found is not None:
        return Named(found, ref.name, ref, False)
    return Named(create_from_reference(conn, ref), ref.name, ref, True)


def create_from_reference(conn: Connection, ref: RefOrg) -> int:
    """Store ``ref`` (which must not be stored yet) with its fields; returns its id."""
    native = ref.native_name if ref.native_name and find_org_id(conn, ref.native_name) is None else None
    aliases = [a for a in ref.aliases if find_org_id(conn, a) is None]
    parent_id = find_org_id(conn, ref.parent) if ref.parent else None
    fields = OrgFields(ref.name, native_name=native, country=ref.country, sector=ref.sector, parent_id=parent_id)
    org_id = create_org(conn, fields, aliases)
    for child in children_of(ref.name):
        child_id = find_org_id(conn, child.name)
        if child_id is not None and child_id != org_id:
            conn.execute(update(ORG).where(ORG.c.id == child_id, ORG.c.parent_id.is_(None)).values(parent_id=org_id))
    return org_id


def reference_note(ref: RefOrg, typed: str) -> str:
    """How a message says an organisation came from the reference list: ``'Nvidia' (英伟达) from the
    reference list``."""
    shown = f"{ref.name!r}" if typed.strip() == ref.name else f"{ref.name!r} ({typed.strip()})"
    return f"{shown} from the reference list"
