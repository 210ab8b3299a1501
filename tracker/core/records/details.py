"""One deal in full, for the details pane and the edit form: its parties, amount in USD, alliances and links."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, select

from tracker.core.domain.dates import format_date
from tracker.core.records.fx import rates_at
from tracker.core.records.orgs import aliases_of
from tracker.core.storage.handles import ALLIANCE, ALLIANCE_DEAL, DEAL, FROM, LINK, ORG, TO


@dataclass(frozen=True)
class Party:
    """A party of a deal: an organisation with its aliases."""

    id: int
    name: str
    aliases: tuple[str, ...]
    country: str | None


@dataclass(frozen=True)
class LinkedDeal:
    """Another deal linked to this one, with a label to show."""

    id: int
    relation: str  # as read from this deal: "part of", "has part", "related"
    label: str


@dataclass(frozen=True)
class DealDetail:
    """Everything about one deal (the amount also in USD at the latest rate)."""

    id: int
    ref: str | None
    date: dt.date
    date_precision: str
    kind: str
    from_party: Party
    to_party: Party | None
    amount: Decimal | None
    currency: str | None
    qualifier: str
    amount_text: str | None
    amount_usd: Decimal | None
    usd_rate: Decimal | None
    usd_rate_as_of: dt.date | None
    capacity_gw: Decimal | None
    capacity_qualifier: str | None
    status: str
    description: str | None
    source_outlet: str | None
    source_author: str | None
    source_title: str | None
    source_url: str | None
    source_date: str | None
    alliances: tuple[tuple[int, str], ...]
    links: tuple[LinkedDeal, ...]


def _party(conn: Connection, org_id: int | None) -> Party | None:
    if org_id is None:
        return None
    row = conn.execute(select(ORG.c.name, ORG.c.country).where(ORG.c.id == org_id)).one()
    return Party(org_id, row[0], tuple(aliases_of(conn, org_id)), row[1])


def deal_label(conn: Connection, deal_id: int) -> str:
    """A deal in one line, its date at its precision: "#12 2025-09 investment Alibaba → Zhipu"."""
    row = conn.execute(
        select(DEAL.c.date, DEAL.c.kind, FROM.c.name, TO.c.name, DEAL.c.date_precision)
        .join(FROM, FROM.c.id == DEAL.c.from_org_id)
        .outerjoin(TO, TO.c.id == DEAL.c.to_org_id)
        .where(DEAL.c.id == deal_id)
    ).one()
    arrow = f" → {row[3]}" if row[3] else ""
    return f"#{deal_id} {format_date(row[0], row[4])} {row[1]} {row[2]}{arrow}"


def get_deal(conn: Connection, deal_id: int) -> DealDetail | None:
    """The deal ``deal_id`` in full, or None if there is none."""
    row = conn.execute(select(DEAL).where(DEAL.c.id == deal_id)).mappings().first()
    if row is None:
        return None
    rate = rates_at(conn).get(row["currency"]) if row["currency"] else None
    amount_usd = row["amount"] * rate.rate if rate is not None and row["amount"] is not None else None
    alliances = tuple(
        conn.execute(
            select(ALLIANCE.c.id, ALLIANCE.c.name)
            .join(ALLIANCE_DEAL, ALLIANCE_DEAL.c.alliance_id == ALLIANCE.c.id)
            .where(ALLIANCE_DEAL.c.deal_id == deal_id)
            .order_by(ALLIANCE.c.name_key)
        ).all()
    )
    links: list[LinkedDeal] = []
    for other, relation in conn.execute(
        select(LINK.c.to_deal_id, LINK.c.relation).where(LINK.c.from_deal_id == deal_id)
    ):
        links.append(LinkedDeal(other, relation, deal_label(conn, other)))
    for other, relation in conn.execute(
        select(LINK.c.from_deal_id, LINK.c.relation).where(LINK.c.to_deal_id == deal_id)
    ):
        links.append(LinkedDeal(other, "has part" if relation == "part of" else relation, deal_label(conn, other)))
    from_party = _party(conn, row["from_org_id"])
    assert from_party is not None
    return DealDetail(
        id=deal_id, ref=row["ref"], date=row["date"], date_precision=row["date_precision"], kind=row["kind"],
        from_party=from_party, to_party=_party(conn, row["to_org_id"]), amount=row["amount"],
        currency=row["currency"], qualifier=row["qualifier"], amount_text=row["amount_text"],
        amount_usd=amount_usd.normalize() if amount_usd is not None else None,
        usd_rate=rate.rate if rate else None, usd_rate_as_of=rate.as_of if rate else None,
        capacity_gw=row["capacity_gw"], capacity_qualifier=row["capacity_qualifier"], status=row["status"], description=row["description"],
        source_outlet=row["source_outlet"], source_author=row["source_author"], source_title=row["source_title"],
        source_url=row["source_url"], source_date=row["source_date"], alliances=alliances, links=tuple(links),
    )  # fmt: skip
