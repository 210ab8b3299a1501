"""How sure we are of a deal, derived from its sources (standard library only: the table-driven test, the
refresh of stored confidences and the app share it).

- ``confirmed``: a ``filing``, or a ``press-release`` whose outlet is one of the deal's parties (its name or
  an alias, compared by :func:`tracker.core.domain.names.name_key`);
- ``reported``: news, analysis, an earnings call (or a press release by someone else), with the number of
  independent outlets (distinct outlets, case-insensitively; a source without an outlet counts by its URL's
  host, or as one of its own);
- ``rumored``: only social posts or rumours;
- ``unsourced``: no source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from tracker.core.domain.names import name_key

REPORTING: frozenset[str] = frozenset({"news", "analysis", "earnings-call", "press-release"})
RUMOUR: frozenset[str] = frozenset({"social", "rumor"})
RANK: dict[str, int] = {"confirmed": 0, "reported": 1, "rumored": 2, "unsourced": 3}
"""Surest first: the order of ``--sort confidence``."""


@dataclass(frozen=True)
class Confidence:
    level: str
    outlets: int
    """Independent outlets among the deal's sources."""

    def __str__(self) -> str:
        if self.level == "reported":
            return f"reported ({self.outlets} outlet{'' if self.outlets == 1 else 's'})"
        return self.level


def outlet_key(outlet: str | None, url: str | None, index: int) -> str:
    """What makes two sources the same outlet: its name's key, else the URL's host, else none other."""
    if outlet and outlet.strip():
        return name_key(outlet)
    if url:
        host = urlsplit(url.strip()).hostname
        if host:
            return "@" + host.removeprefix("www.")
    return f"#{index}"


def derive_confidence(
    sources: Iterable[tuple[str, str | None, str | None]], party_names: Iterable[str] = ()
) -> Confidence:
    """The confidence of a deal with ``sources`` as (kind, outlet, url) and parties known by
    ``party_names`` (names and aliases of both organisations)."""
    parties = {name_key(n) for n in party_names if n}
    level = "unsourced"
    seen: set[str] = set()
    for index, (kind, outlet, url) in enumerate(sources):
        seen.add(outlet_key(outlet, url, index))
        if kind == "filing" or (kind == "press-release" and outlet and name_key(outlet) in parties):
            found = "confirmed"
        elif kind in REPORTING:
            found = "reported"
        elif kind in RUMOUR:
            found = "rumored"
        else:
            continue
        if RANK[found] < RANK[level]:
            level = found
    return Confidence(level, len(seen))
