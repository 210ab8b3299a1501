"""The deals behind a totals row: their ids (``enter`` on a row opens them in the deals table) and the rows
that hold a deal of amount exactly 0 (so that a figure of 0 is told apart from no figure at all).

A row is a grouping of ``vocab.GROUPINGS``, its key (an organisation, parent group or country with a
side; a kind; a year; an alliance, None for the deals in none) or the TOTAL (every deal). Sides as the
running sums keep them (tracker/core/storage/sums.py), named as tracker/core/analysis/totals.py names them:
``paid out`` (the ``from`` party of an investment or purchase), ``committed spending`` (the ``from`` party
of an infrastructure deal: a capex plan, not money paid to anyone), ``received`` (the ``to`` party of any
deal but a partnership) and ``partnership`` (either party of one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    extract,
    false,
    func,
    or_,
    select,
    true,
)

from tracker.core.analysis.parties import OrgInfo, load_orgs, root_of
from tracker.core.domain.scaled import DIGITS
from tracker.core.storage.handles import ALLIANCE_DEAL, AMOUNT_KEY, DEAL, ORG

ZERO_DIGITS = "0" * DIGITS
"""An amount of exactly 0 as stored."""

PAID_OUT = "paid out"
COMMITTED = "committed spending"
RECEIVED = "received"
PARTNERSHIP = "partnership"
SIDES: tuple[str, ...] = (PAID_OUT, COMMITTED, RECEIVED, PARTNERSHIP)
"""A party's sides, in the order its rows come."""
PARTY_GROUPINGS = ("org", "group", "country")
NO_ALLIANCE = "(no alliance)"
UNKNOWN_COUNTRY = "(unknown)"


def side_name(side: str, infra: int | bool) -> str:
    """The row name of a running-sums side code (``o``, ``i``, ``p``) of an infrastructure deal or not."""
    if side == "p":
        return PARTNERSHIP
    if side == "i":
        return RECEIVED
    return COMMITTED if infra else PAID_OUT


def _side_condition(side: str | None, members: Any) -> ColumnElement[bool]:
    """The deals in which one of ``members`` (org ids: a list or a subquery) has ``side``."""
    frm = DEAL.c.from_org_id.in_(members)
    to = DEAL.c.to_org_id.in_(members)
    if side == PAID_OUT:
        return and_(frm, DEAL.c.kind.in_(("investment", "purchase")))
    if side == COMMITTED:
        return and_(frm, DEAL.c.kind == "infrastructure")
    if side == RECEIVED:
        return and_(to, DEAL.c.kind != "partnership")
    if side == PARTNERSHIP:
        return and_(DEAL.c.kind == "partnership", or_(frm, to))
    return or_(frm, to)


def _members(conn: Connection, by: str, key: Any) -> Any:
    if by == "org":
        return [key]
    if by == "group":
        roots = root_of(load_orgs(conn))
        return [org for org, root in roots.items() if root == key] or [key]
    if key == UNKNOWN_COUNTRY:
        return select(ORG.c.id).where(or_(ORG.c.country.is_(None), ORG.c.country == ""))
    return select(ORG.c.id).where(ORG.c.country == key)


def behind_condition(conn: Connection, by: str, key: Any, side: str | None, total: bool = False) -> ColumnElement[bool]:
    """The WHERE condition of the deals behind a row (``total``: the TOTAL row, every deal)."""
    if total:
        return true()
    if by in PARTY_GROUPINGS:
        return _side_condition(side, _members(conn, by, key))
    if by == "kind":
        return DEAL.c.kind == key
    if by == "year":
        return extract("year", DEAL.c.date) == int(key)
    if by == "alliance":
        inside = select(ALLIANCE_DEAL.c.deal_id)
        if key is None:
            return DEAL.c.id.not_in(inside)
        return DEAL.c.id.in_(inside.where(ALLIANCE_DEAL.c.alliance_id == key))
    return false()


def deals_behind(conn: Connection, by: str, key: Any, side: str | None, *, total: bool = False,
                 cap: int = 50_000) -> tuple[list[int], int]:  # fmt: skip
    """The ids of the deals behind a row (at most ``cap``, newest first) and how many there are."""
    cond = behind_condition(conn, by, key, side, total)
    count = conn.execute(select(func.count()).select_from(DEAL).where(cond)).scalar_one()
    ids = conn.execute(select(DEAL.c.id).where(cond).order_by(DEAL.c.date.desc(), DEAL.c.id.desc()).limit(cap))
    return list(ids.scalars()), int(count)


# --------------------------------------------------------------------------------------------
# Exact zeros


def _keys_of(by: str, deal: Any, orgs: Mapping[int, OrgInfo], roots: Mapping[int, int],
             alliances: Mapping[int, list[int]]) -> Iterable[tuple[Any, str | None]]:  # fmt: skip
    """The (key, side) of every row of ``by`` that holds ``deal``."""
    if by in PARTY_GROUPINGS:
        sides = [(deal.from_org_id, "p" if deal.kind == "partnership" else "o")]
        if deal.to_org_id is not None:
            sides.append((deal.to_org_id, "p" if deal.kind == "partnership" else "i"))
        for org, code in sides:
            side = side_name(code, deal.kind == "infrastructure")
            if by == "org":
                yield org, side
            elif by == "group":
                yield roots.get(org, org), side
            else:
                info = orgs.get(org)
                yield (info.country if info else None) or UNKNOWN_COUNTRY, side
    elif by == "kind":
        yield deal.kind, None
    elif by == "year":
        yield int(str(deal.date)[:4]), None
    elif by == "alliance":
        members: list[int | None] = [*alliances.get(deal.id, [])] or [None]
        for alliance in members:
            yield alliance, None


def zero_marks(conn: Connection, by: str) -> dict[Any, set[str]]:
    """For each (key, side) of ``by`` holding a disclosed deal of amount exactly 0, its qualifiers; the key
    ``None`` holds the TOTAL's. Reads only those deals (the amount's sort index finds them)."""
    amount = AMOUNT_KEY  # the amount sort's index finds exact zeros
    cols = (DEAL.c.id, DEAL.c.from_org_id, DEAL.c.to_org_id, DEAL.c.kind, DEAL.c.date, DEAL.c.qualifier)
    deals = list(conn.execute(select(*cols).where(amount == ZERO_DIGITS)))
    out: dict[Any, set[str]] = {}
    if not deals:
        return out
    orgs = load_orgs(conn) if by in ("group", "country") else {}
    roots = root_of(orgs) if by == "group" else {}
    alliances: dict[int, list[int]] = {}
    if by == "alliance":
        ids = [d.id for d in deals]
        for deal_id, alliance_id in conn.execute(
            select(ALLIANCE_DEAL.c.deal_id, ALLIANCE_DEAL.c.alliance_id).where(ALLIANCE_DEAL.c.deal_id.in_(ids))
        ):
            alliances.setdefault(deal_id, []).append(alliance_id)
    for deal in deals:
        qualifier = deal.qualifier if deal.qualifier in ("up to", "at least", "estimated") else "exact"
        out.setdefault(None, set()).add(qualifier)
        for key in _keys_of(by, deal, orgs, roots, alliances):
            out.setdefault(key, set()).add(qualifier)
    return out


def zero_pairs(conn: Connection) -> dict[tuple[int, int, str], set[str]]:
    """For each (from, to, kind) of deals between two organisations with an amount of exactly 0, their
    qualifiers: the map's edges holding one show 0 for it, not "no amount"."""
    amount = AMOUNT_KEY
    cols = (DEAL.c.from_org_id, DEAL.c.to_org_id, DEAL.c.kind, DEAL.c.qualifier)
    out: dict[tuple[int, int, str], set[str]] = {}
    for frm, to, kind, qualifier in conn.execute(
        select(*cols).where(amount == ZERO_DIGITS, DEAL.c.to_org_id.is_not(None))
    ):
        q = qualifier if qualifier in ("up to", "at least", "estimated") else "exact"
        out.setdefault((frm, to, kind), set()).add(q)
    return out
