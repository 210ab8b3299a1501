"""The stored confidence of deals (``deal.confidence``, schema 0011) kept right by every writer.

:func:`refresh_confidence` runs after each write that can change it: a deal added or edited, a source added,
edited or removed, an import, a merge of deals or of organisations (a press release's outlet may become a
party's alias), undo. Deals without a press release are settled by one UPDATE in SQL; deals with one need
their parties' names and aliases and go through :func:`tracker.core.domain.confidence.derive_confidence`
(the same rule, so both paths agree: tests/core/test_sources.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, case, exists, literal, select

from tracker.core.domain.confidence import RUMOUR, Confidence, derive_confidence
from tracker.core.records.source_mirror import chunks
from tracker.core.storage.handles import ALIAS, DEAL, ORG, SOURCE


def _has(kinds: Sequence[str] | frozenset[str]) -> Any:
    return exists().where(SOURCE.c.deal_id == DEAL.c.id, SOURCE.c.kind.in_(sorted(kinds)))


def refresh_confidence(conn: Connection, deal_ids: Sequence[int] | None = None) -> None:
    """Store the confidence of each deal in ``deal_ids`` (None: every deal) where it changed."""
    level = case(
        (_has(("filing",)), literal("confirmed")),
        (_has(("news", "analysis", "earnings-call")), literal("reported")),
        (_has(RUMOUR), literal("rumored")),
        else_=literal("unsourced"),
    )
    for ids in chunks(deal_ids):
        scope = [] if ids is None else [DEAL.c.id.in_(ids)]
        conn.execute(
            DEAL.update().where(*scope, ~_has(("press-release",)), DEAL.c.confidence != level).values(confidence=level)
        )
        pressed = list(conn.execute(select(DEAL.c.id).where(*scope, _has(("press-release",)))).scalars())
        for part in chunks(pressed):
            assert part is not None
            for deal_id, found in derived(conn, part).items():
                conn.execute(
                    DEAL.update()
                    .where(DEAL.c.id == deal_id, DEAL.c.confidence != found.level)
                    .values(confidence=found.level)
                )


def party_names(conn: Connection, deal_ids: Sequence[int]) -> dict[int, set[str]]:
    """The names and aliases of each deal's two organisations."""
    names: dict[int, set[str]] = defaultdict(set)
    for side in (DEAL.c.from_org_id, DEAL.c.to_org_id):
        for deal_id, name in conn.execute(
            select(DEAL.c.id, ORG.c.name).join(ORG, ORG.c.id == side).where(DEAL.c.id.in_(deal_ids))
        ):
            names[deal_id].add(name)
        for deal_id, alias in conn.execute(
            select(DEAL.c.id, ALIAS.c.alias).join(ALIAS, ALIAS.c.org_id == side).where(DEAL.c.id.in_(deal_ids))
        ):
            names[deal_id].add(alias)
    return names


def derived(conn: Connection, deal_ids: Sequence[int]) -> dict[int, Confidence]:
    """Each deal's confidence derived from its sources as stored (a handful of deals at a time)."""
    sources: dict[int, list[tuple[str, str | None, str | None]]] = {deal_id: [] for deal_id in deal_ids}
    for deal_id, kind, outlet, url in conn.execute(
        select(SOURCE.c.deal_id, SOURCE.c.kind, SOURCE.c.outlet, SOURCE.c.url)
        .where(SOURCE.c.deal_id.in_(deal_ids))
        .order_by(SOURCE.c.deal_id, SOURCE.c.position)
    ):
        sources[deal_id].append((kind, outlet, url))
    names = party_names(conn, deal_ids)
    return {deal_id: derive_confidence(found, names.get(deal_id, ())) for deal_id, found in sources.items()}


def refresh_org_deals(conn: Connection, *org_ids: int) -> None:
    """After an organisation's names changed (edit, alias, merge): its deals' confidence again (a press
    release's outlet may now be, or no longer be, one of its names)."""
    ids = list(
        conn.execute(select(DEAL.c.id).where(DEAL.c.from_org_id.in_(org_ids) | DEAL.c.to_org_id.in_(org_ids))).scalars()
    )
    if ids:
        refresh_confidence(conn, ids)
