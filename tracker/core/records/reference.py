"""The reference list: well-known organisations of the AI-infrastructure race, shipped as package data
(``tracker/reference/organizations.csv``, read with :mod:`importlib.resources`).

It is reference data, not deals: nothing in it is stored until someone names one of its organisations (in
the form, ``tracker add`` or an import); then the organisation is created with the list's fields (native
name, aliases, country, sector, and its parent when that is already stored). Its names feed "did you mean"
too. Every field is a checkable public fact (company names, tickers, headquarters country); a field left
empty is one we were not sure of. The ``aliases`` cell is a name list (tracker/core/domain/namelist.py).
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources

from tracker.core.domain.namelist import split_names
from tracker.core.domain.names import name_key
from tracker.core.records.closeness import CloseIndex

COLUMNS = ("name", "native_name", "aliases", "country", "sector", "parent")
"""The reference file's header, in order."""


@dataclass(frozen=True)
class RefOrg:
    """One organisation of the reference list."""

    name: str
    native_name: str | None
    aliases: tuple[str, ...]
    country: str | None
    sector: str | None
    parent: str | None

    @property
    def names(self) -> tuple[str, ...]:
        """Every name it goes by: its name, native name and aliases."""
        return (self.name, *([self.native_name] if self.native_name else []), *self.aliases)


@functools.cache
def reference_orgs() -> tuple[RefOrg, ...]:
    """The reference list, in file order (read once)."""
    text = resources.files("tracker.reference").joinpath("organizations.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return tuple(
        RefOrg(
            name=row["name"].strip(),
            native_name=row["native_name"].strip() or None,
            aliases=tuple(split_names(row["aliases"])),
            country=row["country"].strip() or None,
            sector=row["sector"].strip() or None,
            parent=row["parent"].strip() or None,
        )
        for row in rows
    )


@functools.cache
def reference_by_key() -> dict[str, RefOrg]:
    """Every look-up key (tracker/core/domain/names.py) of a reference name, native name or alias."""
    out: dict[str, RefOrg] = {}
    for org in reference_orgs():
        for n in org.names:
            out.setdefault(name_key(n), org)
    return out


def reference_for(name: str) -> RefOrg | None:
    """The reference organisation that ``name`` names exactly (any case), or None."""
    return reference_by_key().get(name_key(name))


@functools.cache
def reference_index() -> CloseIndex[RefOrg]:
    """The reference list's names, searchable by closeness (built once)."""
    return CloseIndex((n, org) for org in reference_orgs() for n in org.names)


def children_of(parent: str) -> list[RefOrg]:
    """The reference organisations whose parent is ``parent``."""
    key = name_key(parent)
    return [org for org in reference_orgs() if org.parent and name_key(org.parent) == key]
