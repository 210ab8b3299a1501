"""SQLModel tables of the deal database.

Money and capacities are ``Decimal`` in Python and exact integers in the database, because SQLite has no
decimal type and stores ``NUMERIC`` as a float: an amount as its count of 10^-4 units written with 24 digits
(``AmountDigits``, schema 0007: up to 10^18 units, past 64 bits), a capacity as that count in a BIGINT
(``ScaledDecimal``). Sums in SQL therefore stay exact. FX rates, never summed, are stored as decimal text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from tracker.core.domain.scaled import DIGITS, SCALE, amount_digits, from_scaled

_FACTOR = Decimal(10) ** SCALE

ID = BigInteger().with_variant(Integer(), "sqlite")
"""The type of every id and every column holding one: BIGINT on PostgreSQL (schema 0006), INTEGER on SQLite
(64-bit there, and only ``INTEGER PRIMARY KEY`` is the rowid that ``AUTOINCREMENT`` applies to)."""
NEVER_REUSED: dict[str, Any] = {"sqlite_autoincrement": True}
"""Table options of a table whose ids are never given twice (schema 0006): SQLite's ``AUTOINCREMENT`` (its
plain rowid reuses the highest id after a delete); PostgreSQL's sequence never goes back by itself."""


def _id() -> Any:
    return Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))


class ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal stored exactly as an integer count of 10^-4 units."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value) * _FACTOR
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {SCALE} decimal places")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return from_scaled(value)


AMOUNT_TEXT = String(DIGITS).with_variant(String(DIGITS, collation="C"), "postgresql")
"""The stored type of an amount: DIGITS digits, compared byte by byte (``C``) on PostgreSQL."""
AMOUNT_CHECK = f"amount IS NULL OR (length(amount) = {DIGITS} AND ltrim(amount, '0123456789') = '')"
"""What every stored amount is (the same SQL on both backends): exactly DIGITS decimal digits."""


class AmountDigits(TypeDecorator[Decimal]):
    """A Decimal amount stored exactly as its count of 10^-4 units in DIGITS zero-padded digits
    (tracker.core.domain.scaled): sortable as text, exact beyond 64 bits on SQLite and PostgreSQL."""

    impl = AMOUNT_TEXT
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else amount_digits(Decimal(value))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else from_scaled(value)


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal stored as its exact text (FX rates)."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else format(Decimal(value), "f")

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


class Organization(SQLModel, table=True):
    __tablename__ = "organization"
    __table_args__ = (NEVER_REUSED,)

    id: int | None = _id()
    name: str = Field(sa_column=Column(String(200), nullable=False))
    name_key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    native_name: str | None = Field(default=None, sa_column=Column(String(200)))
    country: str | None = Field(default=None, sa_column=Column(String(100)))
    sector: str | None = Field(default=None, sa_column=Column(String(100)))
    parent_id: int | None = Field(
        default=None, sa_column=Column(ID, ForeignKey("organization.id", ondelete="SET NULL"), index=True)
    )
    notes: str | None = Field(default=None, sa_column=Column(Text))


class OrgAlias(SQLModel, table=True):
    """Another name of an organisation (native-language names included); keys are casefolded."""

    __tablename__ = "org_alias"
    __table_args__ = (NEVER_REUSED,)

    id: int | None = _id()
    org_id: int = Field(
        sa_column=Column(ID, ForeignKey("organization.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    alias: str = Field(sa_column=Column(String(200), nullable=False))
    alias_key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))


class Deal(SQLModel, table=True):
    __tablename__ = "deal"
    __table_args__ = (
        Index("ix_deal_date_id", "date", "id"),
        # to_org_id and kind after the date (schema 0004): the map's cycles read every directed pair from it
        Index("ix_deal_from_org", "from_org_id", "date", "to_org_id", "kind"),
        Index("ix_deal_to_org", "to_org_id", "date"),
        # the deals table's keyset pages when sorted by these columns (schema 0005); the amount sorts as
        # coalesce(amount, ''), undisclosed lowest: what tracker.core.storage.handles.AMOUNT_KEY writes
        # (schema 0007: the stored digits); the value sort merges one walk per currency of ix_deal_currency_amount
        Index("ix_deal_kind_id", "kind", "id"),
        Index("ix_deal_status_id", "status", "id"),
        Index("ix_deal_amount_id", text("coalesce(amount, '')"), "id"),
        Index("ix_deal_currency_amount", "currency", text("coalesce(amount, '')"), "id"),
        CheckConstraint(AMOUNT_CHECK, name="ck_deal_amount_digits"),
        Index("ix_deal_confidence_id", "confidence", "id"),
        NEVER_REUSED,
    )

    id: int | None = _id()
    ref: str | None = Field(default=None, sa_column=Column(String(200), unique=True))
    date: dt.date = Field(nullable=False)
    date_precision: str = Field(default="day", sa_column=Column(String(5), nullable=False, server_default="day"))
    kind: str = Field(sa_column=Column(String(20), nullable=False))
    from_org_id: int = Field(sa_column=Column(ID, ForeignKey("organization.id", ondelete="RESTRICT"), nullable=False))
    to_org_id: int | None = Field(
        default=None, sa_column=Column(ID, ForeignKey("organization.id", ondelete="RESTRICT"))
    )
    amount: Decimal | None = Field(default=None, sa_column=Column(AmountDigits()))
    currency: str | None = Field(default=None, sa_column=Column(String(3)))
    qualifier: str = Field(
        default="undisclosed", sa_column=Column(String(12), nullable=False, server_default="undisclosed")
    )
    amount_text: str | None = Field(default=None, sa_column=Column(String(200)))
    capacity_gw: Decimal | None = Field(default=None, sa_column=Column(ScaledDecimal()))
    # how the capacity is known (schema 0007): exact, up to, at least, estimated; None without a capacity
    capacity_qualifier: str | None = Field(default=None, sa_column=Column(String(12)))
    status: str = Field(default="announced", sa_column=Column(String(10), nullable=False, server_default="announced"))
    description: str | None = Field(default=None, sa_column=Column(Text))
    source_outlet: str | None = Field(default=None, sa_column=Column(String(200)))
    source_author: str | None = Field(default=None, sa_column=Column(String(200)))
    source_title: str | None = Field(default=None, sa_column=Column(Text))
    source_date: str | None = Field(default=None, sa_column=Column(String(10)))
    source_url: str | None = Field(default=None, sa_column=Column(Text))
    # how sure we are (schema 0011): derived from the deal's sources (tracker/core/records/confidence.py)
    # by every writer; the source_* columns above mirror its first source (deal_source, position 0)
    confidence: str = Field(
        default="unsourced", sa_column=Column(String(10), nullable=False, server_default="unsourced")
    )
    # the row's version (schema 0006): every UPDATE raises it (a trigger, tracker/core/storage/versions.py), so
    # a form saving an edit can tell that another writer changed the deal since the form was opened
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))


class DealSource(SQLModel, table=True):
    """One source of a deal (schema 0011); ``position`` 0 is the deal's first source, the one its
    ``source_*`` columns mirror."""

    __tablename__ = "deal_source"
    __table_args__ = (UniqueConstraint("deal_id", "position", name="uq_deal_source_position"), NEVER_REUSED)

    id: int | None = _id()
    deal_id: int = Field(sa_column=Column(ID, ForeignKey("deal.id", ondelete="CASCADE"), nullable=False))
    position: int = Field(sa_column=Column(Integer, nullable=False))
    kind: str = Field(sa_column=Column(String(20), nullable=False, server_default="news"))
    outlet: str | None = Field(default=None, sa_column=Column(String(200)))
    author: str | None = Field(default=None, sa_column=Column(String(200)))
    title: str | None = Field(default=None, sa_column=Column(Text))
    url: str | None = Field(default=None, sa_column=Column(Text))
    published: str | None = Field(default=None, sa_column=Column(String(10)))
    retrieved: str | None = Field(default=None, sa_column=Column(String(10)))
    lang: str | None = Field(default=None, sa_column=Column(String(35)))
    excerpt: str | None = Field(default=None, sa_column=Column(Text))


class Alliance(SQLModel, table=True):
    __tablename__ = "alliance"
    __table_args__ = (NEVER_REUSED,)

    id: int | None = _id()
    name: str = Field(sa_column=Column(String(200), nullable=False))
    name_key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    description: str | None = Field(default=None, sa_column=Column(Text))


class AllianceMember(SQLModel, table=True):
    __tablename__ = "alliance_member"

    alliance_id: int = Field(sa_column=Column(ID, ForeignKey("alliance.id", ondelete="CASCADE"), primary_key=True))
    org_id: int = Field(
        sa_column=Column(ID, ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True, index=True)
    )


class AllianceDeal(SQLModel, table=True):
    __tablename__ = "alliance_deal"

    alliance_id: int = Field(sa_column=Column(ID, ForeignKey("alliance.id", ondelete="CASCADE"), primary_key=True))
    deal_id: int = Field(sa_column=Column(ID, ForeignKey("deal.id", ondelete="CASCADE"), primary_key=True, index=True))


class DealLink(SQLModel, table=True):
    """A directed link between two deals: ``from_deal`` is "part of" or "related" to ``to_deal``."""

    __tablename__ = "deal_link"

    from_deal_id: int = Field(sa_column=Column(ID, ForeignKey("deal.id", ondelete="CASCADE"), primary_key=True))
    to_deal_id: int = Field(
        sa_column=Column(ID, ForeignKey("deal.id", ondelete="CASCADE"), primary_key=True, index=True)
    )
    relation: str = Field(sa_column=Column(String(10), nullable=False))


class DismissedPair(SQLModel, table=True):
    """Two deals a user said are not duplicates ("keep both", schema 0009): ``dedupe`` asks no more. The
    lower id first; the row goes with either deal."""

    __tablename__ = "dismissed_pair"

    low_id: int = Field(sa_column=Column(ID, ForeignKey("deal.id", ondelete="CASCADE"), primary_key=True))
    high_id: int = Field(sa_column=Column(ID, ForeignKey("deal.id", ondelete="CASCADE"), primary_key=True, index=True))


class SavedView(SQLModel, table=True):
    """A saved view of the deals table (schema 0013): a filter, a sort and the visible columns under a name
    unique ignoring case (``name_key``); shared by everyone on the database. Filter fields kept as typed."""

    __tablename__ = "saved_view"
    __table_args__ = (NEVER_REUSED,)

    id: int | None = _id()
    name: str = Field(sa_column=Column(String(200), nullable=False))
    name_key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    search: str = Field(sa_column=Column(String(1000), nullable=False))
    kinds: str = Field(sa_column=Column(String(200), nullable=False))
    org: str | None = Field(default=None, sa_column=Column(String(200)))
    since: str | None = Field(default=None, sa_column=Column(String(20)))
    until: str | None = Field(default=None, sa_column=Column(String(20)))
    confidence: str | None = Field(default=None, sa_column=Column(String(60)))
    sort: str = Field(sa_column=Column(String(20), nullable=False))
    reverse: bool = Field(sa_column=Column(Boolean, nullable=False))
    columns: str | None = Field(default=None, sa_column=Column(String(200)))
    created: str = Field(sa_column=Column(String(32), nullable=False))
    created_by: str = Field(sa_column=Column(String(200), nullable=False))


class FxRate(SQLModel, table=True):
    """1 unit of ``currency`` = ``rate`` units of the reporting currency (USD), from ``as_of`` on."""

    __tablename__ = "fx_rate"
    __table_args__ = (UniqueConstraint("currency", "as_of", name="uq_fx_currency_as_of"), NEVER_REUSED)

    id: int | None = _id()
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    rate: Decimal = Field(sa_column=Column(DecimalText(), nullable=False))
    as_of: dt.date = Field(nullable=False)


class ChangeLog(SQLModel, table=True):
    """The history of every change, append-only, kept by triggers (schema 0012, tracker/core/storage/history.py)."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_deal", "deal_id", "id"), NEVER_REUSED)

    id: int | None = _id()
    at: str = Field(sa_column=Column(String(23), nullable=False))
    actor: str | None = Field(default=None, sa_column=Column(String(200)))
    role: str | None = Field(default=None, sa_column=Column(String(200)))
    command: str | None = Field(default=None, sa_column=Column(String(200)))
    tbl: str = Field(sa_column=Column(String(40), nullable=False))
    op: str = Field(sa_column=Column(String(10), nullable=False))
    row_key: str | None = Field(default=None, sa_column=Column(String(100)))
    deal_id: int | None = Field(default=None, sa_column=Column(ID))
    old: str | None = Field(default=None, sa_column=Column(Text))
    new: str | None = Field(default=None, sa_column=Column(Text))


class ChangeContext(SQLModel, table=True):
    """The running SQLite write transaction's actor and command, read by the history's triggers (schema 0012)."""

    __tablename__ = "change_context"
    __table_args__ = ({"info": {"derived": True}},)

    id: int = Field(sa_column=Column(ID, primary_key=True, autoincrement=False))
    actor: str | None = Field(default=None, sa_column=Column(String(200)))
    command: str | None = Field(default=None, sa_column=Column(String(200)))


def _summed() -> list[Column[Any]]:
    """The measures of a running-sums table (see tracker/core/storage/sums.py): counts, then each sum as the two
    exact parts sum(value / 10^11) and sum(value % 10^11): capacity by its qualifier (``gw`` exact, schema 0007),
    then the amount by its qualifier."""
    summed = ("gw", "gw_up_to", "gw_at_least", "gw_estimated", "exact", "up_to", "at_least", "estimated")
    names = ["deals", "disclosed"] + [f"{m}_{p}" for m in summed for p in ("hi", "lo")]
    return [Column(name, BigInteger, nullable=False) for name in names]


class PartyTotal(SQLModel, table=True):
    """Running sums of each organisation's deals by side, kept by triggers (schema 0004)."""

    __tablename__ = "party_total"
    __table_args__ = (*_summed(), {"sqlite_with_rowid": False, "info": {"derived": True}})

    org_id: int = Field(sa_column=Column(ID, primary_key=True, autoincrement=False))
    side: str = Field(sa_column=Column(String(1), primary_key=True))
    infra: int = Field(sa_column=Column(SmallInteger, primary_key=True, autoincrement=False))
    currency: str = Field(sa_column=Column(String(3), primary_key=True))


class PeriodTotal(SQLModel, table=True):
    """Running sums of the deals by kind, year and currency, kept by triggers (schema 0004)."""

    __tablename__ = "period_total"
    __table_args__ = (*_summed(), {"sqlite_with_rowid": False, "info": {"derived": True}})

    kind: str = Field(sa_column=Column(String(20), primary_key=True))
    year: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    currency: str = Field(sa_column=Column(String(3), primary_key=True))


REPORTING_CURRENCY = "USD"
