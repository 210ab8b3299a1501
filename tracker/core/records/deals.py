"""Deal queries and changes: filters, keyset pages, details, add/edit/delete/restore, links.

Pages are keyset queries (``WHERE (sort, id) > (:sort, :id) ORDER BY sort, id LIMIT n``), so the
millionth row costs what the first does; nothing here loads every deal into Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    and_,
    delete,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
    type_coerce,
)

from tracker.core.domain.errors import TrackerError
from tracker.core.domain.fields import DealValues
from tracker.core.domain.names import name_key
from tracker.core.domain.rows import DealRow
from tracker.core.records.fx import rates_at
from tracker.core.records.orgs import (
    OrgFields,
    aliases_of,
    create_org,
    escape_like,
    find_org_id,
    matching_org_ids,
)
from tracker.core.storage.tables import SCALE, Alliance, AllianceDeal, AllianceMember, Deal, DealLink, Organization

DEAL = Deal.__table__
ORG = Organization.__table__
ALLIANCE = Alliance.__table__
MEMBER = AllianceMember.__table__
ALLIANCE_DEAL = AllianceDeal.__table__
LINK = DealLink.__table__
FROM = ORG.alias("from_org")
TO = ORG.alias("to_org")
_FACTOR = 10**SCALE


class DealError(TrackerError, ValueError):
    """A change that cannot be made; the message names the field and the value."""


# --------------------------------------------------------------------------------------------
# Filters and pages


@dataclass(frozen=True)
class DealFilter:
    """What the deals table shows. Amount bounds are in the reporting currency (USD), via FX rates."""

    text: str = ""
    kinds: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    org_id: int | None = None
    alliance_id: int | None = None
    deal_ids: tuple[int, ...] | None = None  # exactly these deals (the map's "open the deals of this edge")

    @property
    def active(self) -> bool:
        return self != DealFilter()

    def describe(self) -> str:
        parts = []
        if self.text:
            parts.append(f"“{self.text}”")
        if self.kinds:
            parts.append("kind " + "/".join(self.kinds))
        if self.date_from or self.date_to:
            parts.append(f"date {self.date_from or '…'}–{self.date_to or '…'}")
        if self.amount_min is not None or self.amount_max is not None:
            lo = "…" if self.amount_min is None else f"{self.amount_min:,}"
            hi = "…" if self.amount_max is None else f"{self.amount_max:,}"
            parts.append(f"USD {lo}–{hi}")
        if self.org_id is not None:
            parts.append(f"organisation #{self.org_id}")
        if self.alliance_id is not None:
            parts.append(f"alliance #{self.alliance_id}")
        return ", ".join(parts) if parts else "none"


SORTS: dict[str, Any] = {
    "date": DEAL.c.date,
    "kind": DEAL.c.kind,
    "from": FROM.c.name_key,
    "to": func.coalesce(TO.c.name_key, ""),
    "amount": func.coalesce(type_coerce(DEAL.c.amount, BigInteger), literal_column("-1")),
    "status": DEAL.c.status,
}
SORT_KEYS: tuple[str, ...] = tuple(SORTS)


def _conditions(conn: Connection, f: DealFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.text.strip():
        text = f.text.strip()
        orgs = matching_org_ids(text)
        pattern = f"%{escape_like(text)}%"
        conds.append(
            or_(
                DEAL.c.from_org_id.in_(orgs),
                DEAL.c.to_org_id.in_(matching_org_ids(text)),
                DEAL.c.kind == text.casefold(),
                DEAL.c.description.ilike(pattern, escape="\\"),
            )
        )
    if f.kinds:
        conds.append(DEAL.c.kind.in_(f.kinds))
    if f.date_from is not None:
        conds.append(DEAL.c.date >= f.date_from)
    if f.date_to is not None:
        conds.append(DEAL.c.date <= f.date_to)
    if f.amount_min is not None or f.amount_max is not None:
        per_currency = []
        for currency, rate in rates_at(conn).items():
            bounds = [DEAL.c.currency == currency]
            amount = type_coerce(DEAL.c.amount, BigInteger)
            if f.amount_min is not None:
                bounds.append(amount >= int(f.amount_min / rate.rate * _FACTOR))
            if f.amount_max is not None:
                bounds.append(amount <= int(f.amount_max / rate.rate * _FACTOR))
            per_currency.append(and_(*bounds))
        conds.append(or_(*per_currency) if per_currency else literal(False))
    if f.org_id is not None:
        conds.append(or_(DEAL.c.from_org_id == f.org_id, DEAL.c.to_org_id == f.org_id))
    if f.alliance_id is not None:
        conds.append(DEAL.c.id.in_(select(ALLIANCE_DEAL.c.deal_id).where(ALLIANCE_DEAL.c.alliance_id == f.alliance_id)))
    if f.deal_ids is not None:
        conds.append(DEAL.c.id.in_(list(f.deal_ids)))
    return conds


def count_deals(conn: Connection, f: DealFilter = DealFilter()) -> int:
    stmt = select(func.count()).select_from(DEAL)
    conds = _conditions(conn, f)
    if conds:
        stmt = stmt.where(*conds)
    return conn.execute(stmt).scalar_one()


def _row_select(sort: str) -> Any:
    return (
        select(
            DEAL.c.id, DEAL.c.date, DEAL.c.date_precision, DEAL.c.kind, FROM.c.name, TO.c.name, DEAL.c.amount,
            DEAL.c.currency, DEAL.c.qualifier, DEAL.c.capacity_gw, DEAL.c.status, DEAL.c.description,
            SORTS[sort].label("sort_value"),
        )
        .select_from(DEAL)
        .join(FROM, FROM.c.id == DEAL.c.from_org_id)
        .outerjoin(TO, TO.c.id == DEAL.c.to_org_id)
    )  # fmt: skip


def page(
    conn: Connection,
    f: DealFilter = DealFilter(),
    *,
    sort: str = "date",
    descending: bool = True,
    after: tuple[Any, int] | None = None,
    before: tuple[Any, int] | None = None,
    offset: int | None = None,
    limit: int = 100,
) -> list[DealRow]:
    """A page of deals in display order: after a key, before a key (returned in display order), or at
    an offset (for jumps only)."""
    if sort not in SORTS:
        raise DealError(f"sort {sort!r}: one of {', '.join(SORTS)}")
    col = SORTS[sort]
    stmt = _row_select(sort).where(*_conditions(conn, f))
    key = tuple_(col, DEAL.c.id)
    forward_desc = descending
    if before is not None:
        forward_desc = not descending
        cursor = before
    else:
        cursor = after  # type: ignore[assignment]
    if cursor is not None:
        stmt = stmt.where(key < tuple_(*cursor) if forward_desc else key > tuple_(*cursor))
    order = (col.desc(), DEAL.c.id.desc()) if forward_desc else (col.asc(), DEAL.c.id.asc())
    stmt = stmt.order_by(*order).limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    rows = [DealRow(*r) for r in conn.execute(stmt)]
    if before is not None:
        rows.reverse()
    return rows


def deal_ids_of(rows: Sequence[DealRow]) -> list[int]:
    return [r.id for r in rows]


# --------------------------------------------------------------------------------------------
# Details


@dataclass(frozen=True)
class Party:
    id: int
    name: str
    aliases: tuple[str, ...]
    country: str | None


@dataclass(frozen=True)
class LinkedDeal:
    id: int
    relation: str  # as read from this deal: "part of", "has part", "related"
    label: str


@dataclass(frozen=True)
class DealDetail:
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
    row = conn.execute(
        select(DEAL.c.date, DEAL.c.kind, FROM.c.name, TO.c.name)
        .join(FROM, FROM.c.id == DEAL.c.from_org_id)
        .outerjoin(TO, TO.c.id == DEAL.c.to_org_id)
        .where(DEAL.c.id == deal_id)
    ).one()
    arrow = f" → {row[3]}" if row[3] else ""
    return f"#{deal_id} {row[0].isoformat()} {row[1]} {row[2]}{arrow}"


def get_deal(conn: Connection, deal_id: int) -> DealDetail | None:
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
        capacity_gw=row["capacity_gw"], status=row["status"], description=row["description"],
        source_outlet=row["source_outlet"], source_author=row["source_author"], source_title=row["source_title"],
        source_url=row["source_url"], source_date=row["source_date"], alliances=alliances, links=tuple(links),
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Changes


def unknown_parties(conn: Connection, values: DealValues) -> list[str]:
    """Names in ``values`` that match no organisation or alias (they would be created)."""
    return [n for n in (values.from_org, values.to_org) if n and find_org_id(conn, n) is None]


def _resolve(conn: Connection, name: str, create: bool, created: list[str]) -> int:
    org_id = find_org_id(conn, name)
    if org_id is None:
        if not create:
            raise DealError(f"organisation {name!r}: unknown (confirm to create it)")
        org_id = create_org(conn, OrgFields(name=name.strip()))
        created.append(name.strip())
    return org_id


def _stored(conn: Connection, values: DealValues, create: bool, created: list[str]) -> dict[str, Any]:
    if values.date is None or not values.kind or not values.from_org:
        raise DealError("date, kind and from_org are required")
    from_id = _resolve(conn, values.from_org, create, created)
    to_id = _resolve(conn, values.to_org, create, created) if values.to_org else None
    if from_id == to_id:
        raise DealError(f"to_org {values.to_org!r}: the same organisation as from_org {values.from_org!r}")
    return {
        "ref": values.ref, "date": values.date, "date_precision": values.date_precision, "kind": values.kind,
        "from_org_id": from_id, "to_org_id": to_id, "amount": values.amount, "currency": values.currency,
        "qualifier": values.qualifier, "amount_text": values.amount_text, "capacity_gw": values.capacity_gw,
        "status": values.status, "description": values.description, "source_outlet": values.source_outlet,
        "source_author": values.source_author, "source_title": values.source_title,
        "source_url": values.source_url, "source_date": values.source_date,
    }  # fmt: skip


def _set_alliances(conn: Connection, deal_id: int, names: Sequence[str]) -> None:
    conn.execute(delete(ALLIANCE_DEAL).where(ALLIANCE_DEAL.c.deal_id == deal_id))
    for name in dict.fromkeys(names):
        conn.execute(insert(ALLIANCE_DEAL).values(alliance_id=ensure_alliance(conn, name), deal_id=deal_id))


def add_deal(conn: Connection, values: DealValues, *, create_orgs: bool = False) -> tuple[int, list[str]]:
    """Insert a deal; returns its id and the organisations created for it."""
    created: list[str] = []
    stored = _stored(conn, values, create_orgs, created)
    if values.id is not None:
        stored["id"] = values.id
    deal_id = conn.execute(insert(DEAL).values(**stored).returning(DEAL.c.id)).scalar_one()
    if values.alliances:
        _set_alliances(conn, deal_id, values.alliances)
    return deal_id, created


def update_deal(conn: Connection, deal_id: int, values: DealValues, *, create_orgs: bool = False) -> list[str]:
    created: list[str] = []
    stored = _stored(conn, values, create_orgs, created)
    if values.ref is None:
        stored.pop("ref")
    n = conn.execute(DEAL.update().where(DEAL.c.id == deal_id).values(**stored)).rowcount
    if n == 0:
        raise DealError(f"deal {deal_id}: no such deal (deleted meanwhile?)")
    if values.alliances is not None:
        _set_alliances(conn, deal_id, values.alliances)
    return created


def values_of(conn: Connection, deal_id: int) -> DealValues:
    """A deal as editable values (parties by name), e.g. to fill the edit form."""
    d = get_deal(conn, deal_id)
    if d is None:
        raise DealError(f"deal {deal_id}: no such deal")
    return DealValues(
        id=d.id, ref=d.ref, date=d.date, date_precision=d.date_precision, kind=d.kind, from_org=d.from_party.name,
        to_org=d.to_party.name if d.to_party else None, amount=d.amount, currency=d.currency,
        qualifier=d.qualifier, amount_text=d.amount_text, capacity_gw=d.capacity_gw, status=d.status,
        description=d.description, source_outlet=d.source_outlet, source_author=d.source_author,
        source_title=d.source_title, source_url=d.source_url, source_date=d.source_date,
        alliances=tuple(name for _, name in d.alliances),
    )  # fmt: skip


@dataclass(frozen=True)
class DealSnapshot:
    """Everything a delete removes, so that undo can put it back exactly (same id, same links)."""

    row: dict[str, Any]
    alliance_ids: tuple[int, ...]
    links: tuple[tuple[int, int, str], ...]


def snapshot(conn: Connection, deal_id: int) -> DealSnapshot:
    row = conn.execute(select(DEAL).where(DEAL.c.id == deal_id)).mappings().first()
    if row is None:
        raise DealError(f"deal {deal_id}: no such deal")
    alliance_ids = tuple(
        conn.execute(select(ALLIANCE_DEAL.c.alliance_id).where(ALLIANCE_DEAL.c.deal_id == deal_id)).scalars()
    )
    links = tuple(
        conn.execute(
            select(LINK.c.from_deal_id, LINK.c.to_deal_id, LINK.c.relation).where(
                or_(LINK.c.from_deal_id == deal_id, LINK.c.to_deal_id == deal_id)
            )
        ).all()
    )
    return DealSnapshot(dict(row), alliance_ids, links)


def delete_deal(conn: Connection, deal_id: int) -> DealSnapshot:
    snap = snapshot(conn, deal_id)
    conn.execute(delete(DEAL).where(DEAL.c.id == deal_id))
    return snap


def restore_deal(conn: Connection, snap: DealSnapshot) -> None:
    """Put back a deleted deal (or an edited deal's earlier state), links included."""
    deal_id = snap.row["id"]
    exists = conn.execute(select(DEAL.c.id).where(DEAL.c.id == deal_id)).scalar() is not None
    if exists:
        conn.execute(
            DEAL.update().where(DEAL.c.id == deal_id).values(**{k: v for k, v in snap.row.items() if k != "id"})
        )
    else:
        conn.execute(insert(DEAL).values(**snap.row))
    conn.execute(delete(ALLIANCE_DEAL).where(ALLIANCE_DEAL.c.deal_id == deal_id))
    for a in snap.alliance_ids:
        if conn.execute(select(ALLIANCE.c.id).where(ALLIANCE.c.id == a)).scalar() is not None:
            conn.execute(insert(ALLIANCE_DEAL).values(alliance_id=a, deal_id=deal_id))
    conn.execute(delete(LINK).where(or_(LINK.c.from_deal_id == deal_id, LINK.c.to_deal_id == deal_id)))
    for f, t, r in snap.links:
        other = t if f == deal_id else f
        if conn.execute(select(DEAL.c.id).where(DEAL.c.id == other)).scalar() is not None:
            conn.execute(insert(LINK).values(from_deal_id=f, to_deal_id=t, relation=r))


# --------------------------------------------------------------------------------------------
# Alliances and links


def ensure_alliance(conn: Connection, name: str, description: str | None = None) -> int:
    key = name_key(name)
    found = conn.execute(select(ALLIANCE.c.id).where(ALLIANCE.c.name_key == key)).scalar()
    if found is not None:
        return found
    return conn.execute(
        insert(ALLIANCE).values(name=name.strip(), name_key=key, description=description).returning(ALLIANCE.c.id)
    ).scalar_one()


def link_deal_alliance(conn: Connection, deal_id: int, alliance_id: int) -> bool:
    """True if the link is new."""
    exists = conn.execute(
        select(ALLIANCE_DEAL.c.deal_id).where(
            ALLIANCE_DEAL.c.deal_id == deal_id, ALLIANCE_DEAL.c.alliance_id == alliance_id
        )
    ).first()
    if exists:
        return False
    conn.execute(insert(ALLIANCE_DEAL).values(alliance_id=alliance_id, deal_id=deal_id))
    return True


def unlink_deal_alliance(conn: Connection, deal_id: int, alliance_id: int) -> None:
    conn.execute(
        delete(ALLIANCE_DEAL).where(ALLIANCE_DEAL.c.deal_id == deal_id, ALLIANCE_DEAL.c.alliance_id == alliance_id)
    )


def link_org_alliance(conn: Connection, org_id: int, alliance_id: int) -> bool:
    exists = conn.execute(
        select(MEMBER.c.org_id).where(MEMBER.c.org_id == org_id, MEMBER.c.alliance_id == alliance_id)
    ).first()
    if exists:
        return False
    conn.execute(insert(MEMBER).values(alliance_id=alliance_id, org_id=org_id))
    return True


def unlink_org_alliance(conn: Connection, org_id: int, alliance_id: int) -> None:
    conn.execute(delete(MEMBER).where(MEMBER.c.org_id == org_id, MEMBER.c.alliance_id == alliance_id))


def link_deals(conn: Connection, from_id: int, to_id: int, relation: str) -> str | None:
    """Link two deals; returns the earlier relation if there was one (for undo), else None."""
    if from_id == to_id:
        raise DealError(f"deal {to_id}: a deal cannot be linked to itself")
    for deal_id in (from_id, to_id):
        if conn.execute(select(DEAL.c.id).where(DEAL.c.id == deal_id)).scalar() is None:
            raise DealError(f"deal {deal_id}: no such deal")
    earlier = conn.execute(
        select(LINK.c.relation).where(LINK.c.from_deal_id == from_id, LINK.c.to_deal_id == to_id)
    ).scalar()
    if earlier is None:
        conn.execute(insert(LINK).values(from_deal_id=from_id, to_deal_id=to_id, relation=relation))
    else:
        conn.execute(
            LINK.update().where(LINK.c.from_deal_id == from_id, LINK.c.to_deal_id == to_id).values(relation=relation)
        )
    return earlier


def unlink_deals(conn: Connection, from_id: int, to_id: int) -> None:
    conn.execute(delete(LINK).where(LINK.c.from_deal_id == from_id, LINK.c.to_deal_id == to_id))


# --------------------------------------------------------------------------------------------
# Organisations and alliances views


@dataclass(frozen=True)
class OrgSummary:
    id: int
    name: str
    native_name: str | None
    aliases: tuple[str, ...]
    country: str | None
    sector: str | None
    parent: str | None
    children: tuple[str, ...]
    notes: str | None
    deals_out: int
    deals_in: int
    alliances: tuple[str, ...]


@dataclass(frozen=True)
class OrgListItem:
    id: int
    name: str
    country: str | None
    sector: str | None
    deals_out: int
    deals_in: int


def list_orgs(conn: Connection, text: str = "", limit: int = 500) -> list[OrgListItem]:
    """Organisations matching ``text`` (name or alias), busiest first."""
    out_n = select(func.count()).where(DEAL.c.from_org_id == ORG.c.id).scalar_subquery()
    in_n = select(func.count()).where(DEAL.c.to_org_id == ORG.c.id).scalar_subquery()
    stmt = select(ORG.c.id, ORG.c.name, ORG.c.country, ORG.c.sector, out_n, in_n)
    if text.strip():
        stmt = stmt.where(ORG.c.id.in_(matching_org_ids(text)))
    stmt = stmt.order_by((out_n + in_n).desc(), ORG.c.name_key).limit(limit)
    return [OrgListItem(*r) for r in conn.execute(stmt)]


def org_summary(conn: Connection, org_id: int) -> OrgSummary | None:
    row = conn.execute(select(ORG).where(ORG.c.id == org_id)).mappings().first()
    if row is None:
        return None
    parent = conn.execute(select(ORG.c.name).where(ORG.c.id == row["parent_id"])).scalar() if row["parent_id"] else None
    children = tuple(
        conn.execute(select(ORG.c.name).where(ORG.c.parent_id == org_id).order_by(ORG.c.name_key)).scalars()
    )
    out_n = conn.execute(select(func.count()).where(DEAL.c.from_org_id == org_id)).scalar_one()
    in_n = conn.execute(select(func.count()).where(DEAL.c.to_org_id == org_id)).scalar_one()
    alliances = tuple(
        conn.execute(
            select(ALLIANCE.c.name)
            .join(MEMBER, MEMBER.c.alliance_id == ALLIANCE.c.id)
            .where(MEMBER.c.org_id == org_id)
            .order_by(ALLIANCE.c.name_key)
        ).scalars()
    )
    return OrgSummary(
        org_id, row["name"], row["native_name"], tuple(aliases_of(conn, org_id)), row["country"], row["sector"],
        parent, children, row["notes"], out_n, in_n, alliances,
    )  # fmt: skip


@dataclass(frozen=True)
class AllianceSummary:
    id: int
    name: str
    description: str | None
    members: tuple[tuple[int, str], ...]
    deal_count: int


def list_alliances(conn: Connection) -> list[AllianceSummary]:
    out = []
    for a in conn.execute(select(ALLIANCE).order_by(ALLIANCE.c.name_key)).mappings():
        members = tuple(
            conn.execute(
                select(ORG.c.id, ORG.c.name)
                .join(MEMBER, MEMBER.c.org_id == ORG.c.id)
                .where(MEMBER.c.alliance_id == a["id"])
                .order_by(ORG.c.name_key)
            ).all()
        )
        n = conn.execute(select(func.count()).where(ALLIANCE_DEAL.c.alliance_id == a["id"])).scalar_one()
        out.append(AllianceSummary(a["id"], a["name"], a["description"], members, n))
    return out


def find_alliance_id(conn: Connection, name: str) -> int | None:
    return conn.execute(select(ALLIANCE.c.id).where(ALLIANCE.c.name_key == name_key(name))).scalar()
