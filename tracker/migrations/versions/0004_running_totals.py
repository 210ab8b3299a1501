"""running totals kept by triggers; the covering totals indexes go

The analysis read the 1M-row deal table for every grouping (seconds). Schema 0004 keeps running sums in
``party_total`` (per organisation, side, infrastructure or not, currency) and ``period_total`` (per kind,
year, currency), maintained by triggers on ``deal`` (their SQL is frozen below), and fills them from the
deals already there. The three covering indexes of 0003 are no longer read and cost a third of a bulk
import: they are dropped. ``ix_deal_from_org`` gains ``to_org_id`` and ``kind`` so that the map's cycle
search still reads every directed pair from an index.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FROM_TOTALS = ["from_org_id", "kind", "currency", "qualifier", "to_org_id", "amount", "capacity_gw"]
TO_TOTALS = ["to_org_id", "kind", "currency", "qualifier", "amount", "capacity_gw"]
KIND_TOTALS = ["kind", "currency", "qualifier", "date", "amount", "capacity_gw"]

# The SQL of the running sums as tracker/core/storage/sums.py generated it for this schema, frozen here: a
# migration never imports the application, whose code moves on (tests/trust/test_upgrades.py checks that
# sums.py still generates exactly this). Per dialect: "sqlite", and "postgresql" for every other.
MEASURES = (
    'deals', 'disclosed', 'gw_hi', 'gw_lo', 'exact_hi', 'exact_lo',
    'up_to_hi', 'up_to_lo', 'at_least_hi', 'at_least_lo', 'estimated_hi', 'estimated_lo',
)

TRIGGERS: dict[str, tuple[str, ...]] = {
    'sqlite': (
        (
            'CREATE TRIGGER deal_totals_insert AFTER INSERT ON deal BEGIN '
            'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
            "NEW.from_org_id, CASE WHEN NEW.kind = 'partnership' THEN 'p' ELSE 'o' END, CASE WHEN NEW.kind = "
            "'infrastructure' THEN 1 ELSE 0 END, coalesce(NEW.currency, ''), 1, CASE WHEN NEW.amount IS NULL THEN 0 "
            'ELSE 1 END, coalesce(NEW.capacity_gw / 100000000, 0), coalesce(NEW.capacity_gw % 100000000, 0), CASE WHEN '
            "NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 "
            "END, CASE WHEN NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount % "
            "100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount / 100000000, 0) ELSE "
            "0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'at least' THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'at least' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' "
            "THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' THEN "
            'coalesce(NEW.amount % 100000000, 0) ELSE 0 END WHERE TRUE ON CONFLICT (org_id, side, infra, currency) DO '
            'UPDATE SET deals = party_total.deals + excluded.deals, disclosed = party_total.disclosed + '
            'excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + '
            'excluded.gw_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + '
            'excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo; '
            'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT NEW.to_org_id, '
            "CASE WHEN NEW.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN NEW.kind = 'infrastructure' THEN 1 "
            "ELSE 0 END, coalesce(NEW.currency, ''), 1, CASE WHEN NEW.amount IS NULL THEN 0 ELSE 1 END, "
            'coalesce(NEW.capacity_gw / 100000000, 0), coalesce(NEW.capacity_gw % 100000000, 0), CASE WHEN '
            "NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 "
            "END, CASE WHEN NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount % "
            "100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount / 100000000, 0) ELSE "
            "0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'at least' THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'at least' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' "
            "THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' THEN "
            'coalesce(NEW.amount % 100000000, 0) ELSE 0 END WHERE NEW.to_org_id IS NOT NULL ON CONFLICT (org_id, side, '
            'infra, currency) DO UPDATE SET deals = party_total.deals + excluded.deals, disclosed = '
            'party_total.disclosed + excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = '
            'party_total.gw_lo + excluded.gw_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = '
            'party_total.exact_lo + excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = '
            'party_total.up_to_lo + excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, '
            'at_least_lo = party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo; '
            'INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, exact_lo, '
            'up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT NEW.kind, '
            "CAST(substr(NEW.date, 1, 4) AS INTEGER), coalesce(NEW.currency, ''), 1, CASE WHEN NEW.amount IS NULL THEN "
            '0 ELSE 1 END, coalesce(NEW.capacity_gw / 100000000, 0), coalesce(NEW.capacity_gw % 100000000, 0), CASE '
            "WHEN NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount / 100000000, 0) "
            "ELSE 0 END, CASE WHEN NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount % "
            "100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount / 100000000, 0) ELSE "
            "0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'at least' THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'at least' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' "
            "THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' THEN "
            'coalesce(NEW.amount % 100000000, 0) ELSE 0 END WHERE TRUE ON CONFLICT (kind, year, currency) DO UPDATE '
            'SET deals = period_total.deals + excluded.deals, disclosed = period_total.disclosed + excluded.disclosed, '
            'gw_hi = period_total.gw_hi + excluded.gw_hi, gw_lo = period_total.gw_lo + excluded.gw_lo, exact_hi = '
            'period_total.exact_hi + excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, up_to_hi '
            '= period_total.up_to_hi + excluded.up_to_hi, up_to_lo = period_total.up_to_lo + excluded.up_to_lo, '
            'at_least_hi = period_total.at_least_hi + excluded.at_least_hi, at_least_lo = period_total.at_least_lo + '
            'excluded.at_least_lo, estimated_hi = period_total.estimated_hi + excluded.estimated_hi, estimated_lo = '
            'period_total.estimated_lo + excluded.estimated_lo; '
            'END'
        ),
        (
            'CREATE TRIGGER deal_totals_delete AFTER DELETE ON deal BEGIN '
            'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
            "OLD.from_org_id, CASE WHEN OLD.kind = 'partnership' THEN 'p' ELSE 'o' END, CASE WHEN OLD.kind = "
            "'infrastructure' THEN 1 ELSE 0 END, coalesce(OLD.currency, ''), -1, -CASE WHEN OLD.amount IS NULL THEN 0 "
            'ELSE 1 END, -coalesce(OLD.capacity_gw / 100000000, 0), -coalesce(OLD.capacity_gw % 100000000, 0), -CASE '
            "WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount / 100000000, 0) "
            "ELSE 0 END, -CASE WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount % "
            "100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(OLD.amount / 100000000, 0) "
            "ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE "
            "WHEN OLD.qualifier = 'at least' THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN "
            "OLD.qualifier = 'at least' THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier "
            "= 'estimated' THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' "
            'THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END WHERE TRUE ON CONFLICT (org_id, side, infra, '
            'currency) DO UPDATE SET deals = party_total.deals + excluded.deals, disclosed = party_total.disclosed + '
            'excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + '
            'excluded.gw_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + '
            'excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo; '
            'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT OLD.to_org_id, '
            "CASE WHEN OLD.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN OLD.kind = 'infrastructure' THEN 1 "
            "ELSE 0 END, coalesce(OLD.currency, ''), -1, -CASE WHEN OLD.amount IS NULL THEN 0 ELSE 1 END, "
            '-coalesce(OLD.capacity_gw / 100000000, 0), -coalesce(OLD.capacity_gw % 100000000, 0), -CASE WHEN '
            "OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 "
            "END, -CASE WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount % "
            "100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(OLD.amount / 100000000, 0) "
            "ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE "
            "WHEN OLD.qualifier = 'at least' THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN "
            "OLD.qualifier = 'at least' THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier "
            "= 'estimated' THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' "
            'THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END WHERE OLD.to_org_id IS NOT NULL ON CONFLICT (org_id, '
            'side, infra, currency) DO UPDATE SET deals = party_total.deals + excluded.deals, disclosed = '
            'party_total.disclosed + excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = '
            'party_total.gw_lo + excluded.gw_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = '
            'party_total.exact_lo + excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = '
            'party_total.up_to_lo + excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, '
            'at_least_lo = party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo; '
            'INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, exact_lo, '
            'up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT OLD.kind, '
            "CAST(substr(OLD.date, 1, 4) AS INTEGER), coalesce(OLD.currency, ''), -1, -CASE WHEN OLD.amount IS NULL "
            'THEN 0 ELSE 1 END, -coalesce(OLD.capacity_gw / 100000000, 0), -coalesce(OLD.capacity_gw % 100000000, 0), '
            "-CASE WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount / 100000000, "
            "0) ELSE 0 END, -CASE WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN "
            "coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN "
            "coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN "
            "coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'at least' THEN "
            "coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'at least' THEN "
            "coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' THEN "
            "coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' THEN "
            'coalesce(OLD.amount % 100000000, 0) ELSE 0 END WHERE TRUE ON CONFLICT (kind, year, currency) DO UPDATE '
            'SET deals = period_total.deals + excluded.deals, disclosed = period_total.disclosed + excluded.disclosed, '
            'gw_hi = period_total.gw_hi + excluded.gw_hi, gw_lo = period_total.gw_lo + excluded.gw_lo, exact_hi = '
            'period_total.exact_hi + excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, up_to_hi '
            '= period_total.up_to_hi + excluded.up_to_hi, up_to_lo = period_total.up_to_lo + excluded.up_to_lo, '
            'at_least_hi = period_total.at_least_hi + excluded.at_least_hi, at_least_lo = period_total.at_least_lo + '
            'excluded.at_least_lo, estimated_hi = period_total.estimated_hi + excluded.estimated_hi, estimated_lo = '
            'period_total.estimated_lo + excluded.estimated_lo; '
            'DELETE FROM party_total WHERE org_id = OLD.from_org_id AND deals = 0; '
            'DELETE FROM party_total WHERE org_id = OLD.to_org_id AND deals = 0; '
            'DELETE FROM period_total WHERE kind = OLD.kind AND year = CAST(substr(OLD.date, 1, 4) AS INTEGER) AND '
            'deals = 0; '
            'END'
        ),
        (
            'CREATE TRIGGER deal_totals_update AFTER UPDATE OF date, kind, from_org_id, to_org_id, amount, currency, '
            'qualifier, capacity_gw ON deal BEGIN '
            'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
            "OLD.from_org_id, CASE WHEN OLD.kind = 'partnership' THEN 'p' ELSE 'o' END, CASE WHEN OLD.kind = "
            "'infrastructure' THEN 1 ELSE 0 END, coalesce(OLD.currency, ''), -1, -CASE WHEN OLD.amount IS NULL THEN 0 "
            'ELSE 1 END, -coalesce(OLD.capacity_gw / 100000000, 0), -coalesce(OLD.capacity_gw % 100000000, 0), -CASE '
            "WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount / 100000000, 0) "
            "ELSE 0 END, -CASE WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount % "
            "100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(OLD.amount / 100000000, 0) "
            "ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE "
            "WHEN OLD.qualifier = 'at least' THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN "
            "OLD.qualifier = 'at least' THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier "
            "= 'estimated' THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' "
            'THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END WHERE TRUE ON CONFLICT (org_id, side, infra, '
            'currency) DO UPDATE SET deals = party_total.deals + excluded.deals, disclosed = party_total.disclosed + '
            'excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + '
            'excluded.gw_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + '
            'excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo; '
            'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT OLD.to_org_id, '
            "CASE WHEN OLD.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN OLD.kind = 'infrastructure' THEN 1 "
            "ELSE 0 END, coalesce(OLD.currency, ''), -1, -CASE WHEN OLD.amount IS NULL THEN 0 ELSE 1 END, "
            '-coalesce(OLD.capacity_gw / 100000000, 0), -coalesce(OLD.capacity_gw % 100000000, 0), -CASE WHEN '
            "OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 "
            "END, -CASE WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount % "
            "100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(OLD.amount / 100000000, 0) "
            "ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE "
            "WHEN OLD.qualifier = 'at least' THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN "
            "OLD.qualifier = 'at least' THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier "
            "= 'estimated' THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' "
            'THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END WHERE OLD.to_org_id IS NOT NULL ON CONFLICT (org_id, '
            'side, infra, currency) DO UPDATE SET deals = party_total.deals + excluded.deals, disclosed = '
            'party_total.disclosed + excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = '
            'party_total.gw_lo + excluded.gw_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = '
            'party_total.exact_lo + excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = '
            'party_total.up_to_lo + excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, '
            'at_least_lo = party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo; '
            'INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, exact_lo, '
            'up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT OLD.kind, '
            "CAST(substr(OLD.date, 1, 4) AS INTEGER), coalesce(OLD.currency, ''), -1, -CASE WHEN OLD.amount IS NULL "
            'THEN 0 ELSE 1 END, -coalesce(OLD.capacity_gw / 100000000, 0), -coalesce(OLD.capacity_gw % 100000000, 0), '
            "-CASE WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount / 100000000, "
            "0) ELSE 0 END, -CASE WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN "
            "coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN "
            "coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN "
            "coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'at least' THEN "
            "coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'at least' THEN "
            "coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' THEN "
            "coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' THEN "
            'coalesce(OLD.amount % 100000000, 0) ELSE 0 END WHERE TRUE ON CONFLICT (kind, year, currency) DO UPDATE '
            'SET deals = period_total.deals + excluded.deals, disclosed = period_total.disclosed + excluded.disclosed, '
            'gw_hi = period_total.gw_hi + excluded.gw_hi, gw_lo = period_total.gw_lo + excluded.gw_lo, exact_hi = '
            'period_total.exact_hi + excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, up_to_hi '
            '= period_total.up_to_hi + excluded.up_to_hi, up_to_lo = period_total.up_to_lo + excluded.up_to_lo, '
            'at_least_hi = period_total.at_least_hi + excluded.at_least_hi, at_least_lo = period_total.at_least_lo + '
            'excluded.at_least_lo, estimated_hi = period_total.estimated_hi + excluded.estimated_hi, estimated_lo = '
            'period_total.estimated_lo + excluded.estimated_lo; '
            'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
            "NEW.from_org_id, CASE WHEN NEW.kind = 'partnership' THEN 'p' ELSE 'o' END, CASE WHEN NEW.kind = "
            "'infrastructure' THEN 1 ELSE 0 END, coalesce(NEW.currency, ''), 1, CASE WHEN NEW.amount IS NULL THEN 0 "
            'ELSE 1 END, coalesce(NEW.capacity_gw / 100000000, 0), coalesce(NEW.capacity_gw % 100000000, 0), CASE WHEN '
            "NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 "
            "END, CASE WHEN NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount % "
            "100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount / 100000000, 0) ELSE "
            "0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'at least' THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'at least' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' "
            "THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' THEN "
            'coalesce(NEW.amount % 100000000, 0) ELSE 0 END WHERE TRUE ON CONFLICT (org_id, side, infra, currency) DO '
            'UPDATE SET deals = party_total.deals + excluded.deals, disclosed = party_total.disclosed + '
            'excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + '
            'excluded.gw_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + '
            'excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo; '
            'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT NEW.to_org_id, '
            "CASE WHEN NEW.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN NEW.kind = 'infrastructure' THEN 1 "
            "ELSE 0 END, coalesce(NEW.currency, ''), 1, CASE WHEN NEW.amount IS NULL THEN 0 ELSE 1 END, "
            'coalesce(NEW.capacity_gw / 100000000, 0), coalesce(NEW.capacity_gw % 100000000, 0), CASE WHEN '
            "NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 "
            "END, CASE WHEN NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount % "
            "100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount / 100000000, 0) ELSE "
            "0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'at least' THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'at least' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' "
            "THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' THEN "
            'coalesce(NEW.amount % 100000000, 0) ELSE 0 END WHERE NEW.to_org_id IS NOT NULL ON CONFLICT (org_id, side, '
            'infra, currency) DO UPDATE SET deals = party_total.deals + excluded.deals, disclosed = '
            'party_total.disclosed + excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = '
            'party_total.gw_lo + excluded.gw_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = '
            'party_total.exact_lo + excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = '
            'party_total.up_to_lo + excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, '
            'at_least_lo = party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo; '
            'INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, exact_lo, '
            'up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT NEW.kind, '
            "CAST(substr(NEW.date, 1, 4) AS INTEGER), coalesce(NEW.currency, ''), 1, CASE WHEN NEW.amount IS NULL THEN "
            '0 ELSE 1 END, coalesce(NEW.capacity_gw / 100000000, 0), coalesce(NEW.capacity_gw % 100000000, 0), CASE '
            "WHEN NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount / 100000000, 0) "
            "ELSE 0 END, CASE WHEN NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount % "
            "100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount / 100000000, 0) ELSE "
            "0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'at least' THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'at least' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' "
            "THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' THEN "
            'coalesce(NEW.amount % 100000000, 0) ELSE 0 END WHERE TRUE ON CONFLICT (kind, year, currency) DO UPDATE '
            'SET deals = period_total.deals + excluded.deals, disclosed = period_total.disclosed + excluded.disclosed, '
            'gw_hi = period_total.gw_hi + excluded.gw_hi, gw_lo = period_total.gw_lo + excluded.gw_lo, exact_hi = '
            'period_total.exact_hi + excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, up_to_hi '
            '= period_total.up_to_hi + excluded.up_to_hi, up_to_lo = period_total.up_to_lo + excluded.up_to_lo, '
            'at_least_hi = period_total.at_least_hi + excluded.at_least_hi, at_least_lo = period_total.at_least_lo + '
            'excluded.at_least_lo, estimated_hi = period_total.estimated_hi + excluded.estimated_hi, estimated_lo = '
            'period_total.estimated_lo + excluded.estimated_lo; '
            'DELETE FROM party_total WHERE org_id = OLD.from_org_id AND deals = 0; '
            'DELETE FROM party_total WHERE org_id = OLD.to_org_id AND deals = 0; '
            'DELETE FROM period_total WHERE kind = OLD.kind AND year = CAST(substr(OLD.date, 1, 4) AS INTEGER) AND '
            'deals = 0; '
            'END'
        ),
    ),
    'postgresql': (
        (
            'CREATE OR REPLACE FUNCTION deal_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$\n'
            'BEGIN\n'
            "  IF TG_OP IN ('DELETE', 'UPDATE') THEN\n"
            '    INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
            "OLD.from_org_id, CASE WHEN OLD.kind = 'partnership' THEN 'p' ELSE 'o' END, CASE WHEN OLD.kind = "
            "'infrastructure' THEN 1 ELSE 0 END, coalesce(OLD.currency, ''), -1, -CASE WHEN OLD.amount IS NULL THEN 0 "
            'ELSE 1 END, -coalesce(OLD.capacity_gw / 100000000, 0), -coalesce(OLD.capacity_gw % 100000000, 0), -CASE '
            "WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount / 100000000, 0) "
            "ELSE 0 END, -CASE WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount % "
            "100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(OLD.amount / 100000000, 0) "
            "ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE "
            "WHEN OLD.qualifier = 'at least' THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN "
            "OLD.qualifier = 'at least' THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier "
            "= 'estimated' THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' "
            'THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END WHERE TRUE ON CONFLICT (org_id, side, infra, '
            'currency) DO UPDATE SET deals = party_total.deals + excluded.deals, disclosed = party_total.disclosed + '
            'excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + '
            'excluded.gw_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + '
            'excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo;\n'
            '    INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT OLD.to_org_id, '
            "CASE WHEN OLD.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN OLD.kind = 'infrastructure' THEN 1 "
            "ELSE 0 END, coalesce(OLD.currency, ''), -1, -CASE WHEN OLD.amount IS NULL THEN 0 ELSE 1 END, "
            '-coalesce(OLD.capacity_gw / 100000000, 0), -coalesce(OLD.capacity_gw % 100000000, 0), -CASE WHEN '
            "OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 "
            "END, -CASE WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount % "
            "100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(OLD.amount / 100000000, 0) "
            "ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE "
            "WHEN OLD.qualifier = 'at least' THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN "
            "OLD.qualifier = 'at least' THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier "
            "= 'estimated' THEN coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' "
            'THEN coalesce(OLD.amount % 100000000, 0) ELSE 0 END WHERE OLD.to_org_id IS NOT NULL ON CONFLICT (org_id, '
            'side, infra, currency) DO UPDATE SET deals = party_total.deals + excluded.deals, disclosed = '
            'party_total.disclosed + excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = '
            'party_total.gw_lo + excluded.gw_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = '
            'party_total.exact_lo + excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = '
            'party_total.up_to_lo + excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, '
            'at_least_lo = party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo;\n'
            '    INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, exact_lo, '
            'up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT OLD.kind, '
            "CAST(EXTRACT(YEAR FROM OLD.date) AS INTEGER), coalesce(OLD.currency, ''), -1, -CASE WHEN OLD.amount IS "
            'NULL THEN 0 ELSE 1 END, -coalesce(OLD.capacity_gw / 100000000, 0), -coalesce(OLD.capacity_gw % 100000000, '
            "0), -CASE WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.amount / "
            "100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier NOT IN ('up to', 'at least', 'estimated') THEN "
            "coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN "
            "coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN "
            "coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'at least' THEN "
            "coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'at least' THEN "
            "coalesce(OLD.amount % 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' THEN "
            "coalesce(OLD.amount / 100000000, 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' THEN "
            'coalesce(OLD.amount % 100000000, 0) ELSE 0 END WHERE TRUE ON CONFLICT (kind, year, currency) DO UPDATE '
            'SET deals = period_total.deals + excluded.deals, disclosed = period_total.disclosed + excluded.disclosed, '
            'gw_hi = period_total.gw_hi + excluded.gw_hi, gw_lo = period_total.gw_lo + excluded.gw_lo, exact_hi = '
            'period_total.exact_hi + excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, up_to_hi '
            '= period_total.up_to_hi + excluded.up_to_hi, up_to_lo = period_total.up_to_lo + excluded.up_to_lo, '
            'at_least_hi = period_total.at_least_hi + excluded.at_least_hi, at_least_lo = period_total.at_least_lo + '
            'excluded.at_least_lo, estimated_hi = period_total.estimated_hi + excluded.estimated_hi, estimated_lo = '
            'period_total.estimated_lo + excluded.estimated_lo;\n'
            '    DELETE FROM party_total WHERE org_id = OLD.from_org_id AND deals = 0;\n'
            '    DELETE FROM party_total WHERE org_id = OLD.to_org_id AND deals = 0;\n'
            '    DELETE FROM period_total WHERE kind = OLD.kind AND year = CAST(EXTRACT(YEAR FROM OLD.date) AS '
            'INTEGER) AND deals = 0;\n'
            '  END IF;\n'
            "  IF TG_OP IN ('INSERT', 'UPDATE') THEN\n"
            '    INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
            "NEW.from_org_id, CASE WHEN NEW.kind = 'partnership' THEN 'p' ELSE 'o' END, CASE WHEN NEW.kind = "
            "'infrastructure' THEN 1 ELSE 0 END, coalesce(NEW.currency, ''), 1, CASE WHEN NEW.amount IS NULL THEN 0 "
            'ELSE 1 END, coalesce(NEW.capacity_gw / 100000000, 0), coalesce(NEW.capacity_gw % 100000000, 0), CASE WHEN '
            "NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 "
            "END, CASE WHEN NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount % "
            "100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount / 100000000, 0) ELSE "
            "0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'at least' THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'at least' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' "
            "THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' THEN "
            'coalesce(NEW.amount % 100000000, 0) ELSE 0 END WHERE TRUE ON CONFLICT (org_id, side, infra, currency) DO '
            'UPDATE SET deals = party_total.deals + excluded.deals, disclosed = party_total.disclosed + '
            'excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + '
            'excluded.gw_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + '
            'excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo;\n'
            '    INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT NEW.to_org_id, '
            "CASE WHEN NEW.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN NEW.kind = 'infrastructure' THEN 1 "
            "ELSE 0 END, coalesce(NEW.currency, ''), 1, CASE WHEN NEW.amount IS NULL THEN 0 ELSE 1 END, "
            'coalesce(NEW.capacity_gw / 100000000, 0), coalesce(NEW.capacity_gw % 100000000, 0), CASE WHEN '
            "NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 "
            "END, CASE WHEN NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount % "
            "100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount / 100000000, 0) ELSE "
            "0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'at least' THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'at least' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' "
            "THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' THEN "
            'coalesce(NEW.amount % 100000000, 0) ELSE 0 END WHERE NEW.to_org_id IS NOT NULL ON CONFLICT (org_id, side, '
            'infra, currency) DO UPDATE SET deals = party_total.deals + excluded.deals, disclosed = '
            'party_total.disclosed + excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = '
            'party_total.gw_lo + excluded.gw_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = '
            'party_total.exact_lo + excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = '
            'party_total.up_to_lo + excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, '
            'at_least_lo = party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo;\n'
            '    INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, exact_lo, '
            'up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT NEW.kind, '
            "CAST(EXTRACT(YEAR FROM NEW.date) AS INTEGER), coalesce(NEW.currency, ''), 1, CASE WHEN NEW.amount IS NULL "
            'THEN 0 ELSE 1 END, coalesce(NEW.capacity_gw / 100000000, 0), coalesce(NEW.capacity_gw % 100000000, 0), '
            "CASE WHEN NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount / 100000000, "
            "0) ELSE 0 END, CASE WHEN NEW.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.amount "
            "% 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount / 100000000, 0) "
            "ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE "
            "WHEN NEW.qualifier = 'at least' THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'at least' THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'estimated' THEN coalesce(NEW.amount / 100000000, 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' "
            'THEN coalesce(NEW.amount % 100000000, 0) ELSE 0 END WHERE TRUE ON CONFLICT (kind, year, currency) DO '
            'UPDATE SET deals = period_total.deals + excluded.deals, disclosed = period_total.disclosed + '
            'excluded.disclosed, gw_hi = period_total.gw_hi + excluded.gw_hi, gw_lo = period_total.gw_lo + '
            'excluded.gw_lo, exact_hi = period_total.exact_hi + excluded.exact_hi, exact_lo = period_total.exact_lo + '
            'excluded.exact_lo, up_to_hi = period_total.up_to_hi + excluded.up_to_hi, up_to_lo = period_total.up_to_lo '
            '+ excluded.up_to_lo, at_least_hi = period_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'period_total.at_least_lo + excluded.at_least_lo, estimated_hi = period_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = period_total.estimated_lo + excluded.estimated_lo;\n'
            '  END IF;\n'
            '  RETURN NULL;\n'
            'END\n'
            '$$'
        ),
        (
            'CREATE TRIGGER deal_totals AFTER INSERT OR DELETE OR UPDATE OF date, kind, from_org_id, to_org_id, '
            'amount, currency, qualifier, capacity_gw ON deal FOR EACH ROW EXECUTE FUNCTION deal_totals_apply()'
        ),
    ),
}

DROP_TRIGGERS: dict[str, tuple[str, ...]] = {
    'sqlite': (
        'DROP TRIGGER IF EXISTS deal_totals_insert',
        'DROP TRIGGER IF EXISTS deal_totals_delete',
        'DROP TRIGGER IF EXISTS deal_totals_update',
    ),
    'postgresql': (
        'DROP TRIGGER IF EXISTS deal_totals ON deal',
        'DROP FUNCTION IF EXISTS deal_totals_apply()',
    ),
}

REBUILD: dict[str, tuple[str, ...]] = {
    'sqlite': (
        'DELETE FROM party_total',
        'DELETE FROM period_total',
        (
            'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
            "deal.from_org_id, CASE WHEN deal.kind = 'partnership' THEN 'p' ELSE 'o' END, CASE WHEN deal.kind = "
            "'infrastructure' THEN 1 ELSE 0 END, coalesce(deal.currency, ''), count(*), coalesce(sum(CASE WHEN "
            'deal.amount IS NULL THEN 0 ELSE 1 END), 0), coalesce(sum(coalesce(deal.capacity_gw / 100000000, 0)), 0), '
            'coalesce(sum(coalesce(deal.capacity_gw % 100000000, 0)), 0), coalesce(sum(CASE WHEN deal.qualifier NOT IN '
            "('up to', 'at least', 'estimated') THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN deal.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(deal.amount "
            "% 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN "
            "coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' "
            "THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'at "
            "least' THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = "
            "'at least' THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN "
            "deal.qualifier = 'estimated' THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE "
            "WHEN deal.qualifier = 'estimated' THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0) FROM deal "
            'WHERE TRUE GROUP BY 1, 2, 3, 4 ON CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals = '
            'party_total.deals + excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = '
            'party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, exact_hi = '
            'party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + excluded.exact_lo, up_to_hi = '
            'party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + excluded.up_to_lo, '
            'at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = party_total.at_least_lo + '
            'excluded.at_least_lo, estimated_hi = party_total.estimated_hi + excluded.estimated_hi, estimated_lo = '
            'party_total.estimated_lo + excluded.estimated_lo'
        ),
        (
            'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
            "deal.to_org_id, CASE WHEN deal.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN deal.kind = "
            "'infrastructure' THEN 1 ELSE 0 END, coalesce(deal.currency, ''), count(*), coalesce(sum(CASE WHEN "
            'deal.amount IS NULL THEN 0 ELSE 1 END), 0), coalesce(sum(coalesce(deal.capacity_gw / 100000000, 0)), 0), '
            'coalesce(sum(coalesce(deal.capacity_gw % 100000000, 0)), 0), coalesce(sum(CASE WHEN deal.qualifier NOT IN '
            "('up to', 'at least', 'estimated') THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN deal.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(deal.amount "
            "% 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN "
            "coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' "
            "THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'at "
            "least' THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = "
            "'at least' THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN "
            "deal.qualifier = 'estimated' THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE "
            "WHEN deal.qualifier = 'estimated' THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0) FROM deal "
            'WHERE deal.to_org_id IS NOT NULL GROUP BY 1, 2, 3, 4 ON CONFLICT (org_id, side, infra, currency) DO '
            'UPDATE SET deals = party_total.deals + excluded.deals, disclosed = party_total.disclosed + '
            'excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + '
            'excluded.gw_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + '
            'excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo'
        ),
        (
            'INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, exact_lo, '
            'up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT deal.kind, '
            "CAST(substr(deal.date, 1, 4) AS INTEGER), coalesce(deal.currency, ''), count(*), coalesce(sum(CASE WHEN "
            'deal.amount IS NULL THEN 0 ELSE 1 END), 0), coalesce(sum(coalesce(deal.capacity_gw / 100000000, 0)), 0), '
            'coalesce(sum(coalesce(deal.capacity_gw % 100000000, 0)), 0), coalesce(sum(CASE WHEN deal.qualifier NOT IN '
            "('up to', 'at least', 'estimated') THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN deal.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(deal.amount "
            "% 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN "
            "coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' "
            "THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'at "
            "least' THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = "
            "'at least' THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN "
            "deal.qualifier = 'estimated' THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE "
            "WHEN deal.qualifier = 'estimated' THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0) FROM deal "
            'WHERE TRUE GROUP BY 1, 2, 3 ON CONFLICT (kind, year, currency) DO UPDATE SET deals = period_total.deals + '
            'excluded.deals, disclosed = period_total.disclosed + excluded.disclosed, gw_hi = period_total.gw_hi + '
            'excluded.gw_hi, gw_lo = period_total.gw_lo + excluded.gw_lo, exact_hi = period_total.exact_hi + '
            'excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, up_to_hi = period_total.up_to_hi '
            '+ excluded.up_to_hi, up_to_lo = period_total.up_to_lo + excluded.up_to_lo, at_least_hi = '
            'period_total.at_least_hi + excluded.at_least_hi, at_least_lo = period_total.at_least_lo + '
            'excluded.at_least_lo, estimated_hi = period_total.estimated_hi + excluded.estimated_hi, estimated_lo = '
            'period_total.estimated_lo + excluded.estimated_lo'
        ),
    ),
    'postgresql': (
        'DELETE FROM party_total',
        'DELETE FROM period_total',
        (
            'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
            "deal.from_org_id, CASE WHEN deal.kind = 'partnership' THEN 'p' ELSE 'o' END, CASE WHEN deal.kind = "
            "'infrastructure' THEN 1 ELSE 0 END, coalesce(deal.currency, ''), count(*), coalesce(sum(CASE WHEN "
            'deal.amount IS NULL THEN 0 ELSE 1 END), 0), coalesce(sum(coalesce(deal.capacity_gw / 100000000, 0)), 0), '
            'coalesce(sum(coalesce(deal.capacity_gw % 100000000, 0)), 0), coalesce(sum(CASE WHEN deal.qualifier NOT IN '
            "('up to', 'at least', 'estimated') THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN deal.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(deal.amount "
            "% 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN "
            "coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' "
            "THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'at "
            "least' THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = "
            "'at least' THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN "
            "deal.qualifier = 'estimated' THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE "
            "WHEN deal.qualifier = 'estimated' THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0) FROM deal "
            'WHERE TRUE GROUP BY 1, 2, 3, 4 ON CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals = '
            'party_total.deals + excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = '
            'party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, exact_hi = '
            'party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + excluded.exact_lo, up_to_hi = '
            'party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + excluded.up_to_lo, '
            'at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = party_total.at_least_lo + '
            'excluded.at_least_lo, estimated_hi = party_total.estimated_hi + excluded.estimated_hi, estimated_lo = '
            'party_total.estimated_lo + excluded.estimated_lo'
        ),
        (
            'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, '
            'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
            "deal.to_org_id, CASE WHEN deal.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN deal.kind = "
            "'infrastructure' THEN 1 ELSE 0 END, coalesce(deal.currency, ''), count(*), coalesce(sum(CASE WHEN "
            'deal.amount IS NULL THEN 0 ELSE 1 END), 0), coalesce(sum(coalesce(deal.capacity_gw / 100000000, 0)), 0), '
            'coalesce(sum(coalesce(deal.capacity_gw % 100000000, 0)), 0), coalesce(sum(CASE WHEN deal.qualifier NOT IN '
            "('up to', 'at least', 'estimated') THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN deal.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(deal.amount "
            "% 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN "
            "coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' "
            "THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'at "
            "least' THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = "
            "'at least' THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN "
            "deal.qualifier = 'estimated' THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE "
            "WHEN deal.qualifier = 'estimated' THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0) FROM deal "
            'WHERE deal.to_org_id IS NOT NULL GROUP BY 1, 2, 3, 4 ON CONFLICT (org_id, side, infra, currency) DO '
            'UPDATE SET deals = party_total.deals + excluded.deals, disclosed = party_total.disclosed + '
            'excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + '
            'excluded.gw_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + '
            'excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo'
        ),
        (
            'INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, gw_lo, exact_hi, exact_lo, '
            'up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT deal.kind, '
            "CAST(EXTRACT(YEAR FROM deal.date) AS INTEGER), coalesce(deal.currency, ''), count(*), coalesce(sum(CASE "
            'WHEN deal.amount IS NULL THEN 0 ELSE 1 END), 0), coalesce(sum(coalesce(deal.capacity_gw / 100000000, 0)), '
            '0), coalesce(sum(coalesce(deal.capacity_gw % 100000000, 0)), 0), coalesce(sum(CASE WHEN deal.qualifier '
            "NOT IN ('up to', 'at least', 'estimated') THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN deal.qualifier NOT IN ('up to', 'at least', 'estimated') THEN coalesce(deal.amount "
            "% 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN "
            "coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' "
            "THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'at "
            "least' THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = "
            "'at least' THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN "
            "deal.qualifier = 'estimated' THEN coalesce(deal.amount / 100000000, 0) ELSE 0 END), 0), coalesce(sum(CASE "
            "WHEN deal.qualifier = 'estimated' THEN coalesce(deal.amount % 100000000, 0) ELSE 0 END), 0) FROM deal "
            'WHERE TRUE GROUP BY 1, 2, 3 ON CONFLICT (kind, year, currency) DO UPDATE SET deals = period_total.deals + '
            'excluded.deals, disclosed = period_total.disclosed + excluded.disclosed, gw_hi = period_total.gw_hi + '
            'excluded.gw_hi, gw_lo = period_total.gw_lo + excluded.gw_lo, exact_hi = period_total.exact_hi + '
            'excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, up_to_hi = period_total.up_to_hi '
            '+ excluded.up_to_hi, up_to_lo = period_total.up_to_lo + excluded.up_to_lo, at_least_hi = '
            'period_total.at_least_hi + excluded.at_least_hi, at_least_lo = period_total.at_least_lo + '
            'excluded.at_least_lo, estimated_hi = period_total.estimated_hi + excluded.estimated_hi, estimated_lo = '
            'period_total.estimated_lo + excluded.estimated_lo'
        ),
    ),
}


def _frozen(statements: dict[str, tuple[str, ...]], dialect: str) -> tuple[str, ...]:
    return statements["sqlite" if dialect == "sqlite" else "postgresql"]


def _measures() -> list[sa.Column]:
    return [sa.Column(name, sa.BigInteger(), nullable=False) for name in MEASURES]


def upgrade() -> None:
    op.create_table(
        "party_total",
        sa.Column("org_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("side", sa.String(length=1), nullable=False),
        sa.Column("infra", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        *_measures(),
        sa.PrimaryKeyConstraint("org_id", "side", "infra", "currency"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "period_total",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        *_measures(),
        sa.PrimaryKeyConstraint("kind", "year", "currency"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_kind_totals")
        batch_op.drop_index("ix_deal_to_totals")
        batch_op.drop_index("ix_deal_from_totals")
        batch_op.drop_index("ix_deal_from_org")
        batch_op.create_index("ix_deal_from_org", ["from_org_id", "date", "to_org_id", "kind"], unique=False)
    dialect = op.get_bind().dialect.name
    for stmt in _frozen(TRIGGERS, dialect):
        op.execute(stmt)
    for stmt in _frozen(REBUILD, dialect):
        op.execute(stmt)
    # statistics for the new index: without them SQLite's planner ignores it for the listing's queries
    if dialect == "sqlite":
        op.execute("PRAGMA analysis_limit = 1000")
    op.execute("ANALYZE")


def downgrade() -> None:
    for stmt in _frozen(DROP_TRIGGERS, op.get_bind().dialect.name):
        op.execute(stmt)
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_from_org")
        batch_op.create_index("ix_deal_from_org", ["from_org_id", "date"], unique=False)
        batch_op.create_index("ix_deal_from_totals", FROM_TOTALS, unique=False)
        batch_op.create_index("ix_deal_to_totals", TO_TOTALS, unique=False)
        batch_op.create_index("ix_deal_kind_totals", KIND_TOTALS, unique=False)
    op.drop_table("period_total")
    op.drop_table("party_total")
