"""amounts up to 10^18 with 4 decimals, a capacity qualifier, the value sort's index

- An amount was its count of 10^-4 units in a BIGINT: at most about 9.2 × 10^14 units, and the parser stopped
  at 10^14. 450조원 (4.5 × 10^14 KRW) and quadrillions of rupiah or dong did not fit. 10^18 units with 4
  decimals is 10^22 stored units, past 64 bits, and SQLite has no exact type beyond them (its NUMERIC is a
  float). ``deal.amount`` becomes that count written with exactly 24 digits (zero-padded; ``C`` collation
  on PostgreSQL; a CHECK keeps it so), the same on both backends: equal-width digit strings sort as their
  numbers, so ``ix_deal_amount_id`` (now on ``coalesce(amount, '')``) keeps the amount sort an index walk,
  and the running sums cut each amount into two integer parts (its first 13 and last 11 digits) that
  cannot overflow. Every existing amount is converted exactly (``printf('%024d')`` / ``lpad``).
- The running sums are kept in parts of 10^11 (they were 10^8): their triggers are made again from the SQL
  frozen below and both tables summed again from the deals.
- ``deal.capacity_qualifier``: how a capacity is known (exact, up to, at least, estimated), NULL without a
  capacity; an existing capacity becomes ``exact``.
- ``ix_deal_currency_amount`` (currency, amount, id): per currency, the deals in amount order, which the sort
  by value in the reporting currency merges (tracker/core/records/valuesort.py).

Revision ID: 0007
Revises: 0010
Create Date: 2026-12-07 19:30:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0007"
down_revision = "0010"
branch_labels = None
depends_on = None

DIGITS = 24
AMOUNT_CHECK = "amount IS NULL OR (length(amount) = 24 AND ltrim(amount, '0123456789') = '')"
INDEXES = (
    "CREATE INDEX ix_deal_amount_id ON deal (coalesce(amount, ''), id)",
    "CREATE INDEX ix_deal_currency_amount ON deal (currency, coalesce(amount, ''), id)",
)
OLD_INDEX = "CREATE INDEX ix_deal_amount_id ON deal (coalesce(amount, -1), id)"

# The SQL of the running sums as tracker/core/storage/sums.py generated it for this schema, frozen here: a
# migration never imports the application, whose code moves on (tests/trust/test_upgrades.py checks that
# sums.py still generates exactly this). Per dialect: "sqlite", and "postgresql" for every other.
MEASURES = ('deals',
 'disclosed',
 'gw_hi',
 'gw_lo',
 'gw_up_to_hi',
 'gw_up_to_lo',
 'gw_at_least_hi',
 'gw_at_least_lo',
 'gw_estimated_hi',
 'gw_estimated_lo',
 'exact_hi',
 'exact_lo',
 'up_to_hi',
 'up_to_lo',
 'at_least_hi',
 'at_least_lo',
 'estimated_hi',
 'estimated_lo')

TRIGGERS: dict[str, tuple[str, ...]] = {'postgresql': ('CREATE OR REPLACE FUNCTION deal_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP IN ('DELETE', 'UPDATE') THEN\n"
                '    INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, '
                'gw_up_to_hi, gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, '
                'exact_hi, exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) '
                "SELECT OLD.from_org_id, CASE WHEN OLD.kind = 'partnership' THEN 'p' ELSE 'o' END, CASE WHEN "
                "OLD.kind = 'infrastructure' THEN 1 ELSE 0 END, coalesce(OLD.currency, ''), -1, -CASE WHEN "
                "OLD.amount IS NULL THEN 0 ELSE 1 END, -CASE WHEN coalesce(OLD.capacity_qualifier, 'exact') NOT IN "
                "('up to', 'at least', 'estimated') THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, "
                "-CASE WHEN coalesce(OLD.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') "
                'THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = '
                "'up to' THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN "
                "OLD.capacity_qualifier = 'up to' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, "
                "-CASE WHEN OLD.capacity_qualifier = 'at least' THEN coalesce(OLD.capacity_gw / 100000000000, 0) "
                "ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'at least' THEN coalesce(OLD.capacity_gw % "
                "100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'estimated' THEN "
                'coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = '
                "'estimated' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, -CASE WHEN "
                "coalesce(OLD.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                'coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN '
                "coalesce(OLD.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                "coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up "
                "to' THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN "
                "OLD.qualifier = 'up to' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, "
                "-CASE WHEN OLD.qualifier = 'at least' THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) "
                "ELSE 0 END, -CASE WHEN OLD.qualifier = 'at least' THEN coalesce(CAST(substr(OLD.amount, 14) AS "
                "BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' THEN "
                'coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = '
                "'estimated' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END WHERE TRUE ON "
                'CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals = party_total.deals + '
                'excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = party_total.gw_hi '
                '+ excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = '
                'party_total.gw_up_to_hi + excluded.gw_up_to_hi, gw_up_to_lo = party_total.gw_up_to_lo + '
                'excluded.gw_up_to_lo, gw_at_least_hi = party_total.gw_at_least_hi + excluded.gw_at_least_hi, '
                'gw_at_least_lo = party_total.gw_at_least_lo + excluded.gw_at_least_lo, gw_estimated_hi = '
                'party_total.gw_estimated_hi + excluded.gw_estimated_hi, gw_estimated_lo = '
                'party_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = party_total.exact_hi + '
                'excluded.exact_hi, exact_lo = party_total.exact_lo + excluded.exact_lo, up_to_hi = '
                'party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + excluded.up_to_lo, '
                'at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
                'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
                'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo;\n'
                '    INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, '
                'gw_up_to_hi, gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, '
                'exact_hi, exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) '
                "SELECT OLD.to_org_id, CASE WHEN OLD.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN "
                "OLD.kind = 'infrastructure' THEN 1 ELSE 0 END, coalesce(OLD.currency, ''), -1, -CASE WHEN "
                "OLD.amount IS NULL THEN 0 ELSE 1 END, -CASE WHEN coalesce(OLD.capacity_qualifier, 'exact') NOT IN "
                "('up to', 'at least', 'estimated') THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, "
                "-CASE WHEN coalesce(OLD.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') "
                'THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = '
                "'up to' THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN "
                "OLD.capacity_qualifier = 'up to' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, "
                "-CASE WHEN OLD.capacity_qualifier = 'at least' THEN coalesce(OLD.capacity_gw / 100000000000, 0) "
                "ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'at least' THEN coalesce(OLD.capacity_gw % "
                "100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'estimated' THEN "
                'coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = '
                "'estimated' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, -CASE WHEN "
                "coalesce(OLD.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                'coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN '
                "coalesce(OLD.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                "coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up "
                "to' THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN "
                "OLD.qualifier = 'up to' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, "
                "-CASE WHEN OLD.qualifier = 'at least' THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) "
                "ELSE 0 END, -CASE WHEN OLD.qualifier = 'at least' THEN coalesce(CAST(substr(OLD.amount, 14) AS "
                "BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' THEN "
                'coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = '
                "'estimated' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END WHERE "
                'OLD.to_org_id IS NOT NULL ON CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals = '
                'party_total.deals + excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi '
                '= party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = '
                'party_total.gw_up_to_hi + excluded.gw_up_to_hi, gw_up_to_lo = party_total.gw_up_to_lo + '
                'excluded.gw_up_to_lo, gw_at_least_hi = party_total.gw_at_least_hi + excluded.gw_at_least_hi, '
                'gw_at_least_lo = party_total.gw_at_least_lo + excluded.gw_at_least_lo, gw_estimated_hi = '
                'party_total.gw_estimated_hi + excluded.gw_estimated_hi, gw_estimated_lo = '
                'party_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = party_total.exact_hi + '
                'excluded.exact_hi, exact_lo = party_total.exact_lo + excluded.exact_lo, up_to_hi = '
                'party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + excluded.up_to_lo, '
                'at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
                'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
                'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo;\n'
                '    INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, gw_lo, gw_up_to_hi, '
                'gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, exact_hi, '
                'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
                "OLD.kind, CAST(EXTRACT(YEAR FROM OLD.date) AS INTEGER), coalesce(OLD.currency, ''), -1, -CASE "
                "WHEN OLD.amount IS NULL THEN 0 ELSE 1 END, -CASE WHEN coalesce(OLD.capacity_qualifier, 'exact') "
                "NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 "
                "END, -CASE WHEN coalesce(OLD.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', "
                "'estimated') THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, -CASE WHEN "
                "OLD.capacity_qualifier = 'up to' THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, "
                "-CASE WHEN OLD.capacity_qualifier = 'up to' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE "
                "0 END, -CASE WHEN OLD.capacity_qualifier = 'at least' THEN coalesce(OLD.capacity_gw / "
                "100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'at least' THEN "
                'coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = '
                "'estimated' THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN "
                "OLD.capacity_qualifier = 'estimated' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, "
                "-CASE WHEN coalesce(OLD.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                'coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN '
                "coalesce(OLD.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                "coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up "
                "to' THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN "
                "OLD.qualifier = 'up to' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, "
                "-CASE WHEN OLD.qualifier = 'at least' THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) "
                "ELSE 0 END, -CASE WHEN OLD.qualifier = 'at least' THEN coalesce(CAST(substr(OLD.amount, 14) AS "
                "BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'estimated' THEN "
                'coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = '
                "'estimated' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END WHERE TRUE ON "
                'CONFLICT (kind, year, currency) DO UPDATE SET deals = period_total.deals + excluded.deals, '
                'disclosed = period_total.disclosed + excluded.disclosed, gw_hi = period_total.gw_hi + '
                'excluded.gw_hi, gw_lo = period_total.gw_lo + excluded.gw_lo, gw_up_to_hi = '
                'period_total.gw_up_to_hi + excluded.gw_up_to_hi, gw_up_to_lo = period_total.gw_up_to_lo + '
                'excluded.gw_up_to_lo, gw_at_least_hi = period_total.gw_at_least_hi + excluded.gw_at_least_hi, '
                'gw_at_least_lo = period_total.gw_at_least_lo + excluded.gw_at_least_lo, gw_estimated_hi = '
                'period_total.gw_estimated_hi + excluded.gw_estimated_hi, gw_estimated_lo = '
                'period_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = period_total.exact_hi + '
                'excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, up_to_hi = '
                'period_total.up_to_hi + excluded.up_to_hi, up_to_lo = period_total.up_to_lo + excluded.up_to_lo, '
                'at_least_hi = period_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
                'period_total.at_least_lo + excluded.at_least_lo, estimated_hi = period_total.estimated_hi + '
                'excluded.estimated_hi, estimated_lo = period_total.estimated_lo + excluded.estimated_lo;\n'
                '    DELETE FROM party_total WHERE org_id = OLD.from_org_id AND deals = 0;\n'
                '    DELETE FROM party_total WHERE org_id = OLD.to_org_id AND deals = 0;\n'
                '    DELETE FROM period_total WHERE kind = OLD.kind AND year = CAST(EXTRACT(YEAR FROM OLD.date) AS '
                'INTEGER) AND deals = 0;\n'
                '  END IF;\n'
                "  IF TG_OP IN ('INSERT', 'UPDATE') THEN\n"
                '    INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, '
                'gw_up_to_hi, gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, '
                'exact_hi, exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) '
                "SELECT NEW.from_org_id, CASE WHEN NEW.kind = 'partnership' THEN 'p' ELSE 'o' END, CASE WHEN "
                "NEW.kind = 'infrastructure' THEN 1 ELSE 0 END, coalesce(NEW.currency, ''), 1, CASE WHEN "
                "NEW.amount IS NULL THEN 0 ELSE 1 END, CASE WHEN coalesce(NEW.capacity_qualifier, 'exact') NOT IN "
                "('up to', 'at least', 'estimated') THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, "
                "CASE WHEN coalesce(NEW.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') "
                'THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = '
                "'up to' THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN "
                "NEW.capacity_qualifier = 'up to' THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, "
                "CASE WHEN NEW.capacity_qualifier = 'at least' THEN coalesce(NEW.capacity_gw / 100000000000, 0) "
                "ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'at least' THEN coalesce(NEW.capacity_gw % "
                "100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'estimated' THEN "
                'coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = '
                "'estimated' THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE WHEN "
                "coalesce(NEW.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                'coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN '
                "coalesce(NEW.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                "coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' "
                'THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = '
                "'up to' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN "
                "NEW.qualifier = 'at least' THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 "
                "END, CASE WHEN NEW.qualifier = 'at least' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), "
                "0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' THEN coalesce(CAST(substr(NEW.amount, 1, 13) "
                "AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' THEN "
                'coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END WHERE TRUE ON CONFLICT (org_id, '
                'side, infra, currency) DO UPDATE SET deals = party_total.deals + excluded.deals, disclosed = '
                'party_total.disclosed + excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = '
                'party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = party_total.gw_up_to_hi + excluded.gw_up_to_hi, '
                'gw_up_to_lo = party_total.gw_up_to_lo + excluded.gw_up_to_lo, gw_at_least_hi = '
                'party_total.gw_at_least_hi + excluded.gw_at_least_hi, gw_at_least_lo = party_total.gw_at_least_lo '
                '+ excluded.gw_at_least_lo, gw_estimated_hi = party_total.gw_estimated_hi + '
                'excluded.gw_estimated_hi, gw_estimated_lo = party_total.gw_estimated_lo + '
                'excluded.gw_estimated_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = '
                'party_total.exact_lo + excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, '
                'up_to_lo = party_total.up_to_lo + excluded.up_to_lo, at_least_hi = party_total.at_least_hi + '
                'excluded.at_least_hi, at_least_lo = party_total.at_least_lo + excluded.at_least_lo, estimated_hi '
                '= party_total.estimated_hi + excluded.estimated_hi, estimated_lo = party_total.estimated_lo + '
                'excluded.estimated_lo;\n'
                '    INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, '
                'gw_up_to_hi, gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, '
                'exact_hi, exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) '
                "SELECT NEW.to_org_id, CASE WHEN NEW.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN "
                "NEW.kind = 'infrastructure' THEN 1 ELSE 0 END, coalesce(NEW.currency, ''), 1, CASE WHEN "
                "NEW.amount IS NULL THEN 0 ELSE 1 END, CASE WHEN coalesce(NEW.capacity_qualifier, 'exact') NOT IN "
                "('up to', 'at least', 'estimated') THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, "
                "CASE WHEN coalesce(NEW.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') "
                'THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = '
                "'up to' THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN "
                "NEW.capacity_qualifier = 'up to' THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, "
                "CASE WHEN NEW.capacity_qualifier = 'at least' THEN coalesce(NEW.capacity_gw / 100000000000, 0) "
                "ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'at least' THEN coalesce(NEW.capacity_gw % "
                "100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'estimated' THEN "
                'coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = '
                "'estimated' THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE WHEN "
                "coalesce(NEW.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                'coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN '
                "coalesce(NEW.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                "coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' "
                'THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = '
                "'up to' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN "
                "NEW.qualifier = 'at least' THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 "
                "END, CASE WHEN NEW.qualifier = 'at least' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), "
                "0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' THEN coalesce(CAST(substr(NEW.amount, 1, 13) "
                "AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' THEN "
                'coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END WHERE NEW.to_org_id IS NOT NULL ON '
                'CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals = party_total.deals + '
                'excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = party_total.gw_hi '
                '+ excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = '
                'party_total.gw_up_to_hi + excluded.gw_up_to_hi, gw_up_to_lo = party_total.gw_up_to_lo + '
                'excluded.gw_up_to_lo, gw_at_least_hi = party_total.gw_at_least_hi + excluded.gw_at_least_hi, '
                'gw_at_least_lo = party_total.gw_at_least_lo + excluded.gw_at_least_lo, gw_estimated_hi = '
                'party_total.gw_estimated_hi + excluded.gw_estimated_hi, gw_estimated_lo = '
                'party_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = party_total.exact_hi + '
                'excluded.exact_hi, exact_lo = party_total.exact_lo + excluded.exact_lo, up_to_hi = '
                'party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + excluded.up_to_lo, '
                'at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
                'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
                'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo;\n'
                '    INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, gw_lo, gw_up_to_hi, '
                'gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, exact_hi, '
                'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
                "NEW.kind, CAST(EXTRACT(YEAR FROM NEW.date) AS INTEGER), coalesce(NEW.currency, ''), 1, CASE WHEN "
                "NEW.amount IS NULL THEN 0 ELSE 1 END, CASE WHEN coalesce(NEW.capacity_qualifier, 'exact') NOT IN "
                "('up to', 'at least', 'estimated') THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, "
                "CASE WHEN coalesce(NEW.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') "
                'THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = '
                "'up to' THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN "
                "NEW.capacity_qualifier = 'up to' THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, "
                "CASE WHEN NEW.capacity_qualifier = 'at least' THEN coalesce(NEW.capacity_gw / 100000000000, 0) "
                "ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'at least' THEN coalesce(NEW.capacity_gw % "
                "100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'estimated' THEN "
                'coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = '
                "'estimated' THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE WHEN "
                "coalesce(NEW.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                'coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN '
                "coalesce(NEW.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                "coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' "
                'THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = '
                "'up to' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN "
                "NEW.qualifier = 'at least' THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 "
                "END, CASE WHEN NEW.qualifier = 'at least' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), "
                "0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' THEN coalesce(CAST(substr(NEW.amount, 1, 13) "
                "AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'estimated' THEN "
                'coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END WHERE TRUE ON CONFLICT (kind, '
                'year, currency) DO UPDATE SET deals = period_total.deals + excluded.deals, disclosed = '
                'period_total.disclosed + excluded.disclosed, gw_hi = period_total.gw_hi + excluded.gw_hi, gw_lo = '
                'period_total.gw_lo + excluded.gw_lo, gw_up_to_hi = period_total.gw_up_to_hi + '
                'excluded.gw_up_to_hi, gw_up_to_lo = period_total.gw_up_to_lo + excluded.gw_up_to_lo, '
                'gw_at_least_hi = period_total.gw_at_least_hi + excluded.gw_at_least_hi, gw_at_least_lo = '
                'period_total.gw_at_least_lo + excluded.gw_at_least_lo, gw_estimated_hi = '
                'period_total.gw_estimated_hi + excluded.gw_estimated_hi, gw_estimated_lo = '
                'period_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = period_total.exact_hi + '
                'excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, up_to_hi = '
                'period_total.up_to_hi + excluded.up_to_hi, up_to_lo = period_total.up_to_lo + excluded.up_to_lo, '
                'at_least_hi = period_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
                'period_total.at_least_lo + excluded.at_least_lo, estimated_hi = period_total.estimated_hi + '
                'excluded.estimated_hi, estimated_lo = period_total.estimated_lo + excluded.estimated_lo;\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END\n'
                '$$',
                'CREATE TRIGGER deal_totals AFTER INSERT OR DELETE OR UPDATE OF date, kind, from_org_id, '
                'to_org_id, amount, currency, qualifier, capacity_gw, capacity_qualifier ON deal FOR EACH ROW '
                'EXECUTE FUNCTION deal_totals_apply()'),
 'sqlite': ('CREATE TRIGGER deal_totals_insert AFTER INSERT ON deal BEGIN INSERT INTO party_total (org_id, side, '
            'infra, currency, deals, disclosed, gw_hi, gw_lo, gw_up_to_hi, gw_up_to_lo, gw_at_least_hi, '
            'gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, exact_hi, exact_lo, up_to_hi, up_to_lo, '
            'at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT NEW.from_org_id, CASE WHEN NEW.kind = '
            "'partnership' THEN 'p' ELSE 'o' END, CASE WHEN NEW.kind = 'infrastructure' THEN 1 ELSE 0 END, "
            "coalesce(NEW.currency, ''), 1, CASE WHEN NEW.amount IS NULL THEN 0 ELSE 1 END, CASE WHEN "
            "coalesce(NEW.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN coalesce(NEW.capacity_qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.capacity_gw % 100000000000, 0) "
            "ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'up to' THEN coalesce(NEW.capacity_gw / 100000000000, "
            "0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'up to' THEN coalesce(NEW.capacity_gw % "
            "100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'at least' THEN "
            "coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'at least' "
            'THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = '
            "'estimated' THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.capacity_qualifier = 'estimated' THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, "
            "CASE WHEN coalesce(NEW.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN coalesce(NEW.qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(CAST(substr(NEW.amount, 14) AS "
            "BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(CAST(substr(NEW.amount, 1, "
            "13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN "
            "coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'at least' "
            "THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'at "
            "least' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'estimated' THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'estimated' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END WHERE "
            'TRUE ON CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals = party_total.deals + '
            'excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = party_total.gw_hi + '
            'excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = party_total.gw_up_to_hi + '
            'excluded.gw_up_to_hi, gw_up_to_lo = party_total.gw_up_to_lo + excluded.gw_up_to_lo, gw_at_least_hi = '
            'party_total.gw_at_least_hi + excluded.gw_at_least_hi, gw_at_least_lo = party_total.gw_at_least_lo + '
            'excluded.gw_at_least_lo, gw_estimated_hi = party_total.gw_estimated_hi + excluded.gw_estimated_hi, '
            'gw_estimated_lo = party_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = '
            'party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + excluded.exact_lo, '
            'up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo; INSERT INTO '
            'party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, gw_up_to_hi, gw_up_to_lo, '
            'gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, exact_hi, exact_lo, up_to_hi, '
            'up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT NEW.to_org_id, CASE WHEN '
            "NEW.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN NEW.kind = 'infrastructure' THEN 1 ELSE 0 "
            "END, coalesce(NEW.currency, ''), 1, CASE WHEN NEW.amount IS NULL THEN 0 ELSE 1 END, CASE WHEN "
            "coalesce(NEW.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN coalesce(NEW.capacity_qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.capacity_gw % 100000000000, 0) "
            "ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'up to' THEN coalesce(NEW.capacity_gw / 100000000000, "
            "0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'up to' THEN coalesce(NEW.capacity_gw % "
            "100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'at least' THEN "
            "coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'at least' "
            'THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = '
            "'estimated' THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.capacity_qualifier = 'estimated' THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, "
            "CASE WHEN coalesce(NEW.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN coalesce(NEW.qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(CAST(substr(NEW.amount, 14) AS "
            "BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(CAST(substr(NEW.amount, 1, "
            "13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN "
            "coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'at least' "
            "THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'at "
            "least' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'estimated' THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'estimated' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END WHERE "
            'NEW.to_org_id IS NOT NULL ON CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals = '
            'party_total.deals + excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = '
            'party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = '
            'party_total.gw_up_to_hi + excluded.gw_up_to_hi, gw_up_to_lo = party_total.gw_up_to_lo + '
            'excluded.gw_up_to_lo, gw_at_least_hi = party_total.gw_at_least_hi + excluded.gw_at_least_hi, '
            'gw_at_least_lo = party_total.gw_at_least_lo + excluded.gw_at_least_lo, gw_estimated_hi = '
            'party_total.gw_estimated_hi + excluded.gw_estimated_hi, gw_estimated_lo = party_total.gw_estimated_lo '
            '+ excluded.gw_estimated_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = '
            'party_total.exact_lo + excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, '
            'up_to_lo = party_total.up_to_lo + excluded.up_to_lo, at_least_hi = party_total.at_least_hi + '
            'excluded.at_least_hi, at_least_lo = party_total.at_least_lo + excluded.at_least_lo, estimated_hi = '
            'party_total.estimated_hi + excluded.estimated_hi, estimated_lo = party_total.estimated_lo + '
            'excluded.estimated_lo; INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, '
            'gw_lo, gw_up_to_hi, gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, '
            'exact_hi, exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
            "NEW.kind, CAST(substr(NEW.date, 1, 4) AS INTEGER), coalesce(NEW.currency, ''), 1, CASE WHEN "
            "NEW.amount IS NULL THEN 0 ELSE 1 END, CASE WHEN coalesce(NEW.capacity_qualifier, 'exact') NOT IN ('up "
            "to', 'at least', 'estimated') THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN "
            "coalesce(NEW.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            "coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'up to' "
            "THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'up "
            "to' THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = "
            "'at least' THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.capacity_qualifier = 'at least' THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE "
            "WHEN NEW.capacity_qualifier = 'estimated' THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 "
            "END, CASE WHEN NEW.capacity_qualifier = 'estimated' THEN coalesce(NEW.capacity_gw % 100000000000, 0) "
            "ELSE 0 END, CASE WHEN coalesce(NEW.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN coalesce(NEW.qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(CAST(substr(NEW.amount, 14) AS "
            "BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(CAST(substr(NEW.amount, 1, "
            "13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN "
            "coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'at least' "
            "THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'at "
            "least' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'estimated' THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'estimated' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END WHERE "
            'TRUE ON CONFLICT (kind, year, currency) DO UPDATE SET deals = period_total.deals + excluded.deals, '
            'disclosed = period_total.disclosed + excluded.disclosed, gw_hi = period_total.gw_hi + excluded.gw_hi, '
            'gw_lo = period_total.gw_lo + excluded.gw_lo, gw_up_to_hi = period_total.gw_up_to_hi + '
            'excluded.gw_up_to_hi, gw_up_to_lo = period_total.gw_up_to_lo + excluded.gw_up_to_lo, gw_at_least_hi = '
            'period_total.gw_at_least_hi + excluded.gw_at_least_hi, gw_at_least_lo = period_total.gw_at_least_lo + '
            'excluded.gw_at_least_lo, gw_estimated_hi = period_total.gw_estimated_hi + excluded.gw_estimated_hi, '
            'gw_estimated_lo = period_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = '
            'period_total.exact_hi + excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, '
            'up_to_hi = period_total.up_to_hi + excluded.up_to_hi, up_to_lo = period_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = period_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'period_total.at_least_lo + excluded.at_least_lo, estimated_hi = period_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = period_total.estimated_lo + excluded.estimated_lo; END',
            'CREATE TRIGGER deal_totals_delete AFTER DELETE ON deal BEGIN INSERT INTO party_total (org_id, side, '
            'infra, currency, deals, disclosed, gw_hi, gw_lo, gw_up_to_hi, gw_up_to_lo, gw_at_least_hi, '
            'gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, exact_hi, exact_lo, up_to_hi, up_to_lo, '
            'at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT OLD.from_org_id, CASE WHEN OLD.kind = '
            "'partnership' THEN 'p' ELSE 'o' END, CASE WHEN OLD.kind = 'infrastructure' THEN 1 ELSE 0 END, "
            "coalesce(OLD.currency, ''), -1, -CASE WHEN OLD.amount IS NULL THEN 0 ELSE 1 END, -CASE WHEN "
            "coalesce(OLD.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN coalesce(OLD.capacity_qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.capacity_gw % 100000000000, 0) "
            "ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'up to' THEN coalesce(OLD.capacity_gw / 100000000000, "
            "0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'up to' THEN coalesce(OLD.capacity_gw % "
            "100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'at least' THEN "
            "coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'at "
            "least' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier "
            "= 'estimated' THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN "
            "OLD.capacity_qualifier = 'estimated' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, "
            "-CASE WHEN coalesce(OLD.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN coalesce(OLD.qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(CAST(substr(OLD.amount, 14) AS "
            "BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(CAST(substr(OLD.amount, 1, "
            "13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN "
            "coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'at least' "
            'THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = '
            "'at least' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN "
            "OLD.qualifier = 'estimated' THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, "
            "-CASE WHEN OLD.qualifier = 'estimated' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE "
            '0 END WHERE TRUE ON CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals = party_total.deals '
            '+ excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = party_total.gw_hi + '
            'excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = party_total.gw_up_to_hi + '
            'excluded.gw_up_to_hi, gw_up_to_lo = party_total.gw_up_to_lo + excluded.gw_up_to_lo, gw_at_least_hi = '
            'party_total.gw_at_least_hi + excluded.gw_at_least_hi, gw_at_least_lo = party_total.gw_at_least_lo + '
            'excluded.gw_at_least_lo, gw_estimated_hi = party_total.gw_estimated_hi + excluded.gw_estimated_hi, '
            'gw_estimated_lo = party_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = '
            'party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + excluded.exact_lo, '
            'up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo; INSERT INTO '
            'party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, gw_up_to_hi, gw_up_to_lo, '
            'gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, exact_hi, exact_lo, up_to_hi, '
            'up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT OLD.to_org_id, CASE WHEN '
            "OLD.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN OLD.kind = 'infrastructure' THEN 1 ELSE 0 "
            "END, coalesce(OLD.currency, ''), -1, -CASE WHEN OLD.amount IS NULL THEN 0 ELSE 1 END, -CASE WHEN "
            "coalesce(OLD.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN coalesce(OLD.capacity_qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.capacity_gw % 100000000000, 0) "
            "ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'up to' THEN coalesce(OLD.capacity_gw / 100000000000, "
            "0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'up to' THEN coalesce(OLD.capacity_gw % "
            "100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'at least' THEN "
            "coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'at "
            "least' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier "
            "= 'estimated' THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN "
            "OLD.capacity_qualifier = 'estimated' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, "
            "-CASE WHEN coalesce(OLD.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN coalesce(OLD.qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(CAST(substr(OLD.amount, 14) AS "
            "BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(CAST(substr(OLD.amount, 1, "
            "13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN "
            "coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'at least' "
            'THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = '
            "'at least' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN "
            "OLD.qualifier = 'estimated' THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, "
            "-CASE WHEN OLD.qualifier = 'estimated' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE "
            '0 END WHERE OLD.to_org_id IS NOT NULL ON CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals '
            '= party_total.deals + excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = '
            'party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = '
            'party_total.gw_up_to_hi + excluded.gw_up_to_hi, gw_up_to_lo = party_total.gw_up_to_lo + '
            'excluded.gw_up_to_lo, gw_at_least_hi = party_total.gw_at_least_hi + excluded.gw_at_least_hi, '
            'gw_at_least_lo = party_total.gw_at_least_lo + excluded.gw_at_least_lo, gw_estimated_hi = '
            'party_total.gw_estimated_hi + excluded.gw_estimated_hi, gw_estimated_lo = party_total.gw_estimated_lo '
            '+ excluded.gw_estimated_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = '
            'party_total.exact_lo + excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, '
            'up_to_lo = party_total.up_to_lo + excluded.up_to_lo, at_least_hi = party_total.at_least_hi + '
            'excluded.at_least_hi, at_least_lo = party_total.at_least_lo + excluded.at_least_lo, estimated_hi = '
            'party_total.estimated_hi + excluded.estimated_hi, estimated_lo = party_total.estimated_lo + '
            'excluded.estimated_lo; INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, '
            'gw_lo, gw_up_to_hi, gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, '
            'exact_hi, exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
            "OLD.kind, CAST(substr(OLD.date, 1, 4) AS INTEGER), coalesce(OLD.currency, ''), -1, -CASE WHEN "
            "OLD.amount IS NULL THEN 0 ELSE 1 END, -CASE WHEN coalesce(OLD.capacity_qualifier, 'exact') NOT IN "
            "('up to', 'at least', 'estimated') THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE "
            "WHEN coalesce(OLD.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            "coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'up to' "
            "THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'up "
            "to' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = "
            "'at least' THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN "
            "OLD.capacity_qualifier = 'at least' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, "
            "-CASE WHEN OLD.capacity_qualifier = 'estimated' THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE "
            "0 END, -CASE WHEN OLD.capacity_qualifier = 'estimated' THEN coalesce(OLD.capacity_gw % 100000000000, "
            "0) ELSE 0 END, -CASE WHEN coalesce(OLD.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') "
            'THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN '
            "coalesce(OLD.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            "coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' "
            'THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = '
            "'up to' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier "
            "= 'at least' THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN "
            "OLD.qualifier = 'at least' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE "
            "WHEN OLD.qualifier = 'estimated' THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 "
            "END, -CASE WHEN OLD.qualifier = 'estimated' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) "
            'ELSE 0 END WHERE TRUE ON CONFLICT (kind, year, currency) DO UPDATE SET deals = period_total.deals + '
            'excluded.deals, disclosed = period_total.disclosed + excluded.disclosed, gw_hi = period_total.gw_hi + '
            'excluded.gw_hi, gw_lo = period_total.gw_lo + excluded.gw_lo, gw_up_to_hi = period_total.gw_up_to_hi + '
            'excluded.gw_up_to_hi, gw_up_to_lo = period_total.gw_up_to_lo + excluded.gw_up_to_lo, gw_at_least_hi = '
            'period_total.gw_at_least_hi + excluded.gw_at_least_hi, gw_at_least_lo = period_total.gw_at_least_lo + '
            'excluded.gw_at_least_lo, gw_estimated_hi = period_total.gw_estimated_hi + excluded.gw_estimated_hi, '
            'gw_estimated_lo = period_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = '
            'period_total.exact_hi + excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, '
            'up_to_hi = period_total.up_to_hi + excluded.up_to_hi, up_to_lo = period_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = period_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'period_total.at_least_lo + excluded.at_least_lo, estimated_hi = period_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = period_total.estimated_lo + excluded.estimated_lo; DELETE FROM '
            'party_total WHERE org_id = OLD.from_org_id AND deals = 0; DELETE FROM party_total WHERE org_id = '
            'OLD.to_org_id AND deals = 0; DELETE FROM period_total WHERE kind = OLD.kind AND year = '
            'CAST(substr(OLD.date, 1, 4) AS INTEGER) AND deals = 0; END',
            'CREATE TRIGGER deal_totals_update AFTER UPDATE OF date, kind, from_org_id, to_org_id, amount, '
            'currency, qualifier, capacity_gw, capacity_qualifier ON deal BEGIN INSERT INTO party_total (org_id, '
            'side, infra, currency, deals, disclosed, gw_hi, gw_lo, gw_up_to_hi, gw_up_to_lo, gw_at_least_hi, '
            'gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, exact_hi, exact_lo, up_to_hi, up_to_lo, '
            'at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT OLD.from_org_id, CASE WHEN OLD.kind = '
            "'partnership' THEN 'p' ELSE 'o' END, CASE WHEN OLD.kind = 'infrastructure' THEN 1 ELSE 0 END, "
            "coalesce(OLD.currency, ''), -1, -CASE WHEN OLD.amount IS NULL THEN 0 ELSE 1 END, -CASE WHEN "
            "coalesce(OLD.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN coalesce(OLD.capacity_qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.capacity_gw % 100000000000, 0) "
            "ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'up to' THEN coalesce(OLD.capacity_gw / 100000000000, "
            "0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'up to' THEN coalesce(OLD.capacity_gw % "
            "100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'at least' THEN "
            "coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'at "
            "least' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier "
            "= 'estimated' THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN "
            "OLD.capacity_qualifier = 'estimated' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, "
            "-CASE WHEN coalesce(OLD.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN coalesce(OLD.qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(CAST(substr(OLD.amount, 14) AS "
            "BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(CAST(substr(OLD.amount, 1, "
            "13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN "
            "coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'at least' "
            'THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = '
            "'at least' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN "
            "OLD.qualifier = 'estimated' THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, "
            "-CASE WHEN OLD.qualifier = 'estimated' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE "
            '0 END WHERE TRUE ON CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals = party_total.deals '
            '+ excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = party_total.gw_hi + '
            'excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = party_total.gw_up_to_hi + '
            'excluded.gw_up_to_hi, gw_up_to_lo = party_total.gw_up_to_lo + excluded.gw_up_to_lo, gw_at_least_hi = '
            'party_total.gw_at_least_hi + excluded.gw_at_least_hi, gw_at_least_lo = party_total.gw_at_least_lo + '
            'excluded.gw_at_least_lo, gw_estimated_hi = party_total.gw_estimated_hi + excluded.gw_estimated_hi, '
            'gw_estimated_lo = party_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = '
            'party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + excluded.exact_lo, '
            'up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo; INSERT INTO '
            'party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, gw_up_to_hi, gw_up_to_lo, '
            'gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, exact_hi, exact_lo, up_to_hi, '
            'up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT OLD.to_org_id, CASE WHEN '
            "OLD.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN OLD.kind = 'infrastructure' THEN 1 ELSE 0 "
            "END, coalesce(OLD.currency, ''), -1, -CASE WHEN OLD.amount IS NULL THEN 0 ELSE 1 END, -CASE WHEN "
            "coalesce(OLD.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN coalesce(OLD.capacity_qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(OLD.capacity_gw % 100000000000, 0) "
            "ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'up to' THEN coalesce(OLD.capacity_gw / 100000000000, "
            "0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'up to' THEN coalesce(OLD.capacity_gw % "
            "100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'at least' THEN "
            "coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'at "
            "least' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier "
            "= 'estimated' THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN "
            "OLD.capacity_qualifier = 'estimated' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, "
            "-CASE WHEN coalesce(OLD.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN coalesce(OLD.qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(CAST(substr(OLD.amount, 14) AS "
            "BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN coalesce(CAST(substr(OLD.amount, 1, "
            "13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' THEN "
            "coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'at least' "
            'THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = '
            "'at least' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN "
            "OLD.qualifier = 'estimated' THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, "
            "-CASE WHEN OLD.qualifier = 'estimated' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE "
            '0 END WHERE OLD.to_org_id IS NOT NULL ON CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals '
            '= party_total.deals + excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = '
            'party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = '
            'party_total.gw_up_to_hi + excluded.gw_up_to_hi, gw_up_to_lo = party_total.gw_up_to_lo + '
            'excluded.gw_up_to_lo, gw_at_least_hi = party_total.gw_at_least_hi + excluded.gw_at_least_hi, '
            'gw_at_least_lo = party_total.gw_at_least_lo + excluded.gw_at_least_lo, gw_estimated_hi = '
            'party_total.gw_estimated_hi + excluded.gw_estimated_hi, gw_estimated_lo = party_total.gw_estimated_lo '
            '+ excluded.gw_estimated_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = '
            'party_total.exact_lo + excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, '
            'up_to_lo = party_total.up_to_lo + excluded.up_to_lo, at_least_hi = party_total.at_least_hi + '
            'excluded.at_least_hi, at_least_lo = party_total.at_least_lo + excluded.at_least_lo, estimated_hi = '
            'party_total.estimated_hi + excluded.estimated_hi, estimated_lo = party_total.estimated_lo + '
            'excluded.estimated_lo; INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, '
            'gw_lo, gw_up_to_hi, gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, '
            'exact_hi, exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
            "OLD.kind, CAST(substr(OLD.date, 1, 4) AS INTEGER), coalesce(OLD.currency, ''), -1, -CASE WHEN "
            "OLD.amount IS NULL THEN 0 ELSE 1 END, -CASE WHEN coalesce(OLD.capacity_qualifier, 'exact') NOT IN "
            "('up to', 'at least', 'estimated') THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE "
            "WHEN coalesce(OLD.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            "coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'up to' "
            "THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = 'up "
            "to' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, -CASE WHEN OLD.capacity_qualifier = "
            "'at least' THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE 0 END, -CASE WHEN "
            "OLD.capacity_qualifier = 'at least' THEN coalesce(OLD.capacity_gw % 100000000000, 0) ELSE 0 END, "
            "-CASE WHEN OLD.capacity_qualifier = 'estimated' THEN coalesce(OLD.capacity_gw / 100000000000, 0) ELSE "
            "0 END, -CASE WHEN OLD.capacity_qualifier = 'estimated' THEN coalesce(OLD.capacity_gw % 100000000000, "
            "0) ELSE 0 END, -CASE WHEN coalesce(OLD.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') "
            'THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN '
            "coalesce(OLD.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            "coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = 'up to' "
            'THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier = '
            "'up to' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE WHEN OLD.qualifier "
            "= 'at least' THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, -CASE WHEN "
            "OLD.qualifier = 'at least' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) ELSE 0 END, -CASE "
            "WHEN OLD.qualifier = 'estimated' THEN coalesce(CAST(substr(OLD.amount, 1, 13) AS BIGINT), 0) ELSE 0 "
            "END, -CASE WHEN OLD.qualifier = 'estimated' THEN coalesce(CAST(substr(OLD.amount, 14) AS BIGINT), 0) "
            'ELSE 0 END WHERE TRUE ON CONFLICT (kind, year, currency) DO UPDATE SET deals = period_total.deals + '
            'excluded.deals, disclosed = period_total.disclosed + excluded.disclosed, gw_hi = period_total.gw_hi + '
            'excluded.gw_hi, gw_lo = period_total.gw_lo + excluded.gw_lo, gw_up_to_hi = period_total.gw_up_to_hi + '
            'excluded.gw_up_to_hi, gw_up_to_lo = period_total.gw_up_to_lo + excluded.gw_up_to_lo, gw_at_least_hi = '
            'period_total.gw_at_least_hi + excluded.gw_at_least_hi, gw_at_least_lo = period_total.gw_at_least_lo + '
            'excluded.gw_at_least_lo, gw_estimated_hi = period_total.gw_estimated_hi + excluded.gw_estimated_hi, '
            'gw_estimated_lo = period_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = '
            'period_total.exact_hi + excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, '
            'up_to_hi = period_total.up_to_hi + excluded.up_to_hi, up_to_lo = period_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = period_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'period_total.at_least_lo + excluded.at_least_lo, estimated_hi = period_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = period_total.estimated_lo + excluded.estimated_lo; INSERT INTO '
            'party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, gw_up_to_hi, gw_up_to_lo, '
            'gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, exact_hi, exact_lo, up_to_hi, '
            'up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT NEW.from_org_id, CASE WHEN '
            "NEW.kind = 'partnership' THEN 'p' ELSE 'o' END, CASE WHEN NEW.kind = 'infrastructure' THEN 1 ELSE 0 "
            "END, coalesce(NEW.currency, ''), 1, CASE WHEN NEW.amount IS NULL THEN 0 ELSE 1 END, CASE WHEN "
            "coalesce(NEW.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN coalesce(NEW.capacity_qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.capacity_gw % 100000000000, 0) "
            "ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'up to' THEN coalesce(NEW.capacity_gw / 100000000000, "
            "0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'up to' THEN coalesce(NEW.capacity_gw % "
            "100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'at least' THEN "
            "coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'at least' "
            'THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = '
            "'estimated' THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.capacity_qualifier = 'estimated' THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, "
            "CASE WHEN coalesce(NEW.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN coalesce(NEW.qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(CAST(substr(NEW.amount, 14) AS "
            "BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(CAST(substr(NEW.amount, 1, "
            "13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN "
            "coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'at least' "
            "THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'at "
            "least' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'estimated' THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'estimated' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END WHERE "
            'TRUE ON CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals = party_total.deals + '
            'excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = party_total.gw_hi + '
            'excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = party_total.gw_up_to_hi + '
            'excluded.gw_up_to_hi, gw_up_to_lo = party_total.gw_up_to_lo + excluded.gw_up_to_lo, gw_at_least_hi = '
            'party_total.gw_at_least_hi + excluded.gw_at_least_hi, gw_at_least_lo = party_total.gw_at_least_lo + '
            'excluded.gw_at_least_lo, gw_estimated_hi = party_total.gw_estimated_hi + excluded.gw_estimated_hi, '
            'gw_estimated_lo = party_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = '
            'party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + excluded.exact_lo, '
            'up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo; INSERT INTO '
            'party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, gw_up_to_hi, gw_up_to_lo, '
            'gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, exact_hi, exact_lo, up_to_hi, '
            'up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT NEW.to_org_id, CASE WHEN '
            "NEW.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN NEW.kind = 'infrastructure' THEN 1 ELSE 0 "
            "END, coalesce(NEW.currency, ''), 1, CASE WHEN NEW.amount IS NULL THEN 0 ELSE 1 END, CASE WHEN "
            "coalesce(NEW.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN coalesce(NEW.capacity_qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(NEW.capacity_gw % 100000000000, 0) "
            "ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'up to' THEN coalesce(NEW.capacity_gw / 100000000000, "
            "0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'up to' THEN coalesce(NEW.capacity_gw % "
            "100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'at least' THEN "
            "coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'at least' "
            'THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = '
            "'estimated' THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.capacity_qualifier = 'estimated' THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, "
            "CASE WHEN coalesce(NEW.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN coalesce(NEW.qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(CAST(substr(NEW.amount, 14) AS "
            "BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(CAST(substr(NEW.amount, 1, "
            "13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN "
            "coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'at least' "
            "THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'at "
            "least' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'estimated' THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'estimated' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END WHERE "
            'NEW.to_org_id IS NOT NULL ON CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals = '
            'party_total.deals + excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = '
            'party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = '
            'party_total.gw_up_to_hi + excluded.gw_up_to_hi, gw_up_to_lo = party_total.gw_up_to_lo + '
            'excluded.gw_up_to_lo, gw_at_least_hi = party_total.gw_at_least_hi + excluded.gw_at_least_hi, '
            'gw_at_least_lo = party_total.gw_at_least_lo + excluded.gw_at_least_lo, gw_estimated_hi = '
            'party_total.gw_estimated_hi + excluded.gw_estimated_hi, gw_estimated_lo = party_total.gw_estimated_lo '
            '+ excluded.gw_estimated_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = '
            'party_total.exact_lo + excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, '
            'up_to_lo = party_total.up_to_lo + excluded.up_to_lo, at_least_hi = party_total.at_least_hi + '
            'excluded.at_least_hi, at_least_lo = party_total.at_least_lo + excluded.at_least_lo, estimated_hi = '
            'party_total.estimated_hi + excluded.estimated_hi, estimated_lo = party_total.estimated_lo + '
            'excluded.estimated_lo; INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, '
            'gw_lo, gw_up_to_hi, gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, '
            'exact_hi, exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
            "NEW.kind, CAST(substr(NEW.date, 1, 4) AS INTEGER), coalesce(NEW.currency, ''), 1, CASE WHEN "
            "NEW.amount IS NULL THEN 0 ELSE 1 END, CASE WHEN coalesce(NEW.capacity_qualifier, 'exact') NOT IN ('up "
            "to', 'at least', 'estimated') THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN "
            "coalesce(NEW.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            "coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'up to' "
            "THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = 'up "
            "to' THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE WHEN NEW.capacity_qualifier = "
            "'at least' THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 END, CASE WHEN "
            "NEW.capacity_qualifier = 'at least' THEN coalesce(NEW.capacity_gw % 100000000000, 0) ELSE 0 END, CASE "
            "WHEN NEW.capacity_qualifier = 'estimated' THEN coalesce(NEW.capacity_gw / 100000000000, 0) ELSE 0 "
            "END, CASE WHEN NEW.capacity_qualifier = 'estimated' THEN coalesce(NEW.capacity_gw % 100000000000, 0) "
            "ELSE 0 END, CASE WHEN coalesce(NEW.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN coalesce(NEW.qualifier, '
            "'exact') NOT IN ('up to', 'at least', 'estimated') THEN coalesce(CAST(substr(NEW.amount, 14) AS "
            "BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN coalesce(CAST(substr(NEW.amount, 1, "
            "13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'up to' THEN "
            "coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'at least' "
            "THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = 'at "
            "least' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END, CASE WHEN NEW.qualifier = "
            "'estimated' THEN coalesce(CAST(substr(NEW.amount, 1, 13) AS BIGINT), 0) ELSE 0 END, CASE WHEN "
            "NEW.qualifier = 'estimated' THEN coalesce(CAST(substr(NEW.amount, 14) AS BIGINT), 0) ELSE 0 END WHERE "
            'TRUE ON CONFLICT (kind, year, currency) DO UPDATE SET deals = period_total.deals + excluded.deals, '
            'disclosed = period_total.disclosed + excluded.disclosed, gw_hi = period_total.gw_hi + excluded.gw_hi, '
            'gw_lo = period_total.gw_lo + excluded.gw_lo, gw_up_to_hi = period_total.gw_up_to_hi + '
            'excluded.gw_up_to_hi, gw_up_to_lo = period_total.gw_up_to_lo + excluded.gw_up_to_lo, gw_at_least_hi = '
            'period_total.gw_at_least_hi + excluded.gw_at_least_hi, gw_at_least_lo = period_total.gw_at_least_lo + '
            'excluded.gw_at_least_lo, gw_estimated_hi = period_total.gw_estimated_hi + excluded.gw_estimated_hi, '
            'gw_estimated_lo = period_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = '
            'period_total.exact_hi + excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, '
            'up_to_hi = period_total.up_to_hi + excluded.up_to_hi, up_to_lo = period_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = period_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'period_total.at_least_lo + excluded.at_least_lo, estimated_hi = period_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = period_total.estimated_lo + excluded.estimated_lo; DELETE FROM '
            'party_total WHERE org_id = OLD.from_org_id AND deals = 0; DELETE FROM party_total WHERE org_id = '
            'OLD.to_org_id AND deals = 0; DELETE FROM period_total WHERE kind = OLD.kind AND year = '
            'CAST(substr(OLD.date, 1, 4) AS INTEGER) AND deals = 0; END')}

DROP_TRIGGERS: dict[str, tuple[str, ...]] = {'postgresql': ('DROP TRIGGER IF EXISTS deal_totals ON deal', 'DROP FUNCTION IF EXISTS deal_totals_apply()'),
 'sqlite': ('DROP TRIGGER IF EXISTS deal_totals_insert',
            'DROP TRIGGER IF EXISTS deal_totals_delete',
            'DROP TRIGGER IF EXISTS deal_totals_update')}

REBUILD: dict[str, tuple[str, ...]] = {'postgresql': ('DELETE FROM party_total',
                'DELETE FROM period_total',
                'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, '
                'gw_up_to_hi, gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, '
                'exact_hi, exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) '
                "SELECT deal.from_org_id, CASE WHEN deal.kind = 'partnership' THEN 'p' ELSE 'o' END, CASE WHEN "
                "deal.kind = 'infrastructure' THEN 1 ELSE 0 END, coalesce(deal.currency, ''), count(*), "
                'coalesce(sum(CASE WHEN deal.amount IS NULL THEN 0 ELSE 1 END), 0), coalesce(sum(CASE WHEN '
                "coalesce(deal.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                'coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "coalesce(deal.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                'coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.capacity_qualifier = 'up to' THEN coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), "
                "0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'up to' THEN coalesce(deal.capacity_gw % "
                "100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'at least' "
                'THEN coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.capacity_qualifier = 'at least' THEN coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 "
                "END), 0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'estimated' THEN "
                'coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.capacity_qualifier = 'estimated' THEN coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 "
                "END), 0), coalesce(sum(CASE WHEN coalesce(deal.qualifier, 'exact') NOT IN ('up to', 'at least', "
                "'estimated') THEN coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 END), 0), "
                "coalesce(sum(CASE WHEN coalesce(deal.qualifier, 'exact') NOT IN ('up to', 'at least', "
                "'estimated') THEN coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0), "
                "coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN coalesce(CAST(substr(deal.amount, 1, 13) AS "
                "BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN "
                'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.qualifier = 'at least' THEN coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 "
                "END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'at least' THEN "
                'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.qualifier = 'estimated' THEN coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 "
                "END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'estimated' THEN "
                'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0) FROM deal WHERE TRUE GROUP '
                'BY 1, 2, 3, 4 ON CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals = party_total.deals '
                '+ excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = '
                'party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = '
                'party_total.gw_up_to_hi + excluded.gw_up_to_hi, gw_up_to_lo = party_total.gw_up_to_lo + '
                'excluded.gw_up_to_lo, gw_at_least_hi = party_total.gw_at_least_hi + excluded.gw_at_least_hi, '
                'gw_at_least_lo = party_total.gw_at_least_lo + excluded.gw_at_least_lo, gw_estimated_hi = '
                'party_total.gw_estimated_hi + excluded.gw_estimated_hi, gw_estimated_lo = '
                'party_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = party_total.exact_hi + '
                'excluded.exact_hi, exact_lo = party_total.exact_lo + excluded.exact_lo, up_to_hi = '
                'party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + excluded.up_to_lo, '
                'at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
                'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
                'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo',
                'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, '
                'gw_up_to_hi, gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, '
                'exact_hi, exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) '
                "SELECT deal.to_org_id, CASE WHEN deal.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN "
                "deal.kind = 'infrastructure' THEN 1 ELSE 0 END, coalesce(deal.currency, ''), count(*), "
                'coalesce(sum(CASE WHEN deal.amount IS NULL THEN 0 ELSE 1 END), 0), coalesce(sum(CASE WHEN '
                "coalesce(deal.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                'coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "coalesce(deal.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                'coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.capacity_qualifier = 'up to' THEN coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), "
                "0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'up to' THEN coalesce(deal.capacity_gw % "
                "100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'at least' "
                'THEN coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.capacity_qualifier = 'at least' THEN coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 "
                "END), 0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'estimated' THEN "
                'coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.capacity_qualifier = 'estimated' THEN coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 "
                "END), 0), coalesce(sum(CASE WHEN coalesce(deal.qualifier, 'exact') NOT IN ('up to', 'at least', "
                "'estimated') THEN coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 END), 0), "
                "coalesce(sum(CASE WHEN coalesce(deal.qualifier, 'exact') NOT IN ('up to', 'at least', "
                "'estimated') THEN coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0), "
                "coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN coalesce(CAST(substr(deal.amount, 1, 13) AS "
                "BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN "
                'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.qualifier = 'at least' THEN coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 "
                "END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'at least' THEN "
                'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.qualifier = 'estimated' THEN coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 "
                "END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'estimated' THEN "
                'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0) FROM deal WHERE '
                'deal.to_org_id IS NOT NULL GROUP BY 1, 2, 3, 4 ON CONFLICT (org_id, side, infra, currency) DO '
                'UPDATE SET deals = party_total.deals + excluded.deals, disclosed = party_total.disclosed + '
                'excluded.disclosed, gw_hi = party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + '
                'excluded.gw_lo, gw_up_to_hi = party_total.gw_up_to_hi + excluded.gw_up_to_hi, gw_up_to_lo = '
                'party_total.gw_up_to_lo + excluded.gw_up_to_lo, gw_at_least_hi = party_total.gw_at_least_hi + '
                'excluded.gw_at_least_hi, gw_at_least_lo = party_total.gw_at_least_lo + excluded.gw_at_least_lo, '
                'gw_estimated_hi = party_total.gw_estimated_hi + excluded.gw_estimated_hi, gw_estimated_lo = '
                'party_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = party_total.exact_hi + '
                'excluded.exact_hi, exact_lo = party_total.exact_lo + excluded.exact_lo, up_to_hi = '
                'party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + excluded.up_to_lo, '
                'at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
                'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
                'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo',
                'INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, gw_lo, gw_up_to_hi, '
                'gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, exact_hi, '
                'exact_lo, up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT '
                "deal.kind, CAST(EXTRACT(YEAR FROM deal.date) AS INTEGER), coalesce(deal.currency, ''), count(*), "
                'coalesce(sum(CASE WHEN deal.amount IS NULL THEN 0 ELSE 1 END), 0), coalesce(sum(CASE WHEN '
                "coalesce(deal.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                'coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "coalesce(deal.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
                'coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.capacity_qualifier = 'up to' THEN coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), "
                "0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'up to' THEN coalesce(deal.capacity_gw % "
                "100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'at least' "
                'THEN coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.capacity_qualifier = 'at least' THEN coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 "
                "END), 0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'estimated' THEN "
                'coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.capacity_qualifier = 'estimated' THEN coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 "
                "END), 0), coalesce(sum(CASE WHEN coalesce(deal.qualifier, 'exact') NOT IN ('up to', 'at least', "
                "'estimated') THEN coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 END), 0), "
                "coalesce(sum(CASE WHEN coalesce(deal.qualifier, 'exact') NOT IN ('up to', 'at least', "
                "'estimated') THEN coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0), "
                "coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN coalesce(CAST(substr(deal.amount, 1, 13) AS "
                "BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN "
                'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.qualifier = 'at least' THEN coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 "
                "END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'at least' THEN "
                'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
                "deal.qualifier = 'estimated' THEN coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 "
                "END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'estimated' THEN "
                'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0) FROM deal WHERE TRUE GROUP '
                'BY 1, 2, 3 ON CONFLICT (kind, year, currency) DO UPDATE SET deals = period_total.deals + '
                'excluded.deals, disclosed = period_total.disclosed + excluded.disclosed, gw_hi = '
                'period_total.gw_hi + excluded.gw_hi, gw_lo = period_total.gw_lo + excluded.gw_lo, gw_up_to_hi = '
                'period_total.gw_up_to_hi + excluded.gw_up_to_hi, gw_up_to_lo = period_total.gw_up_to_lo + '
                'excluded.gw_up_to_lo, gw_at_least_hi = period_total.gw_at_least_hi + excluded.gw_at_least_hi, '
                'gw_at_least_lo = period_total.gw_at_least_lo + excluded.gw_at_least_lo, gw_estimated_hi = '
                'period_total.gw_estimated_hi + excluded.gw_estimated_hi, gw_estimated_lo = '
                'period_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = period_total.exact_hi + '
                'excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, up_to_hi = '
                'period_total.up_to_hi + excluded.up_to_hi, up_to_lo = period_total.up_to_lo + excluded.up_to_lo, '
                'at_least_hi = period_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
                'period_total.at_least_lo + excluded.at_least_lo, estimated_hi = period_total.estimated_hi + '
                'excluded.estimated_hi, estimated_lo = period_total.estimated_lo + excluded.estimated_lo'),
 'sqlite': ('DELETE FROM party_total',
            'DELETE FROM period_total',
            'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, gw_up_to_hi, '
            'gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, exact_hi, exact_lo, '
            'up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT deal.from_org_id, '
            "CASE WHEN deal.kind = 'partnership' THEN 'p' ELSE 'o' END, CASE WHEN deal.kind = 'infrastructure' "
            "THEN 1 ELSE 0 END, coalesce(deal.currency, ''), count(*), coalesce(sum(CASE WHEN deal.amount IS NULL "
            "THEN 0 ELSE 1 END), 0), coalesce(sum(CASE WHEN coalesce(deal.capacity_qualifier, 'exact') NOT IN ('up "
            "to', 'at least', 'estimated') THEN coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN coalesce(deal.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', "
            "'estimated') THEN coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE "
            "WHEN deal.capacity_qualifier = 'up to' THEN coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), "
            "0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'up to' THEN coalesce(deal.capacity_gw % "
            "100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'at least' THEN "
            'coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "deal.capacity_qualifier = 'at least' THEN coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 END), "
            "0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'estimated' THEN coalesce(deal.capacity_gw / "
            "100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'estimated' THEN "
            'coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "coalesce(deal.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "coalesce(deal.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "deal.qualifier = 'up to' THEN coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 END), "
            "0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN coalesce(CAST(substr(deal.amount, 14) AS "
            "BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'at least' THEN "
            'coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "deal.qualifier = 'at least' THEN coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), "
            "0), coalesce(sum(CASE WHEN deal.qualifier = 'estimated' THEN coalesce(CAST(substr(deal.amount, 1, 13) "
            "AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'estimated' THEN "
            'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0) FROM deal WHERE TRUE GROUP BY 1, '
            '2, 3, 4 ON CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals = party_total.deals + '
            'excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = party_total.gw_hi + '
            'excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = party_total.gw_up_to_hi + '
            'excluded.gw_up_to_hi, gw_up_to_lo = party_total.gw_up_to_lo + excluded.gw_up_to_lo, gw_at_least_hi = '
            'party_total.gw_at_least_hi + excluded.gw_at_least_hi, gw_at_least_lo = party_total.gw_at_least_lo + '
            'excluded.gw_at_least_lo, gw_estimated_hi = party_total.gw_estimated_hi + excluded.gw_estimated_hi, '
            'gw_estimated_lo = party_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = '
            'party_total.exact_hi + excluded.exact_hi, exact_lo = party_total.exact_lo + excluded.exact_lo, '
            'up_to_hi = party_total.up_to_hi + excluded.up_to_hi, up_to_lo = party_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = party_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'party_total.at_least_lo + excluded.at_least_lo, estimated_hi = party_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = party_total.estimated_lo + excluded.estimated_lo',
            'INSERT INTO party_total (org_id, side, infra, currency, deals, disclosed, gw_hi, gw_lo, gw_up_to_hi, '
            'gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, exact_hi, exact_lo, '
            'up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT deal.to_org_id, CASE '
            "WHEN deal.kind = 'partnership' THEN 'p' ELSE 'i' END, CASE WHEN deal.kind = 'infrastructure' THEN 1 "
            "ELSE 0 END, coalesce(deal.currency, ''), count(*), coalesce(sum(CASE WHEN deal.amount IS NULL THEN 0 "
            "ELSE 1 END), 0), coalesce(sum(CASE WHEN coalesce(deal.capacity_qualifier, 'exact') NOT IN ('up to', "
            "'at least', 'estimated') THEN coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN coalesce(deal.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', "
            "'estimated') THEN coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE "
            "WHEN deal.capacity_qualifier = 'up to' THEN coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), "
            "0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'up to' THEN coalesce(deal.capacity_gw % "
            "100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'at least' THEN "
            'coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "deal.capacity_qualifier = 'at least' THEN coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 END), "
            "0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'estimated' THEN coalesce(deal.capacity_gw / "
            "100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'estimated' THEN "
            'coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "coalesce(deal.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "coalesce(deal.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "deal.qualifier = 'up to' THEN coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 END), "
            "0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN coalesce(CAST(substr(deal.amount, 14) AS "
            "BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'at least' THEN "
            'coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "deal.qualifier = 'at least' THEN coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), "
            "0), coalesce(sum(CASE WHEN deal.qualifier = 'estimated' THEN coalesce(CAST(substr(deal.amount, 1, 13) "
            "AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'estimated' THEN "
            'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0) FROM deal WHERE deal.to_org_id '
            'IS NOT NULL GROUP BY 1, 2, 3, 4 ON CONFLICT (org_id, side, infra, currency) DO UPDATE SET deals = '
            'party_total.deals + excluded.deals, disclosed = party_total.disclosed + excluded.disclosed, gw_hi = '
            'party_total.gw_hi + excluded.gw_hi, gw_lo = party_total.gw_lo + excluded.gw_lo, gw_up_to_hi = '
            'party_total.gw_up_to_hi + excluded.gw_up_to_hi, gw_up_to_lo = party_total.gw_up_to_lo + '
            'excluded.gw_up_to_lo, gw_at_least_hi = party_total.gw_at_least_hi + excluded.gw_at_least_hi, '
            'gw_at_least_lo = party_total.gw_at_least_lo + excluded.gw_at_least_lo, gw_estimated_hi = '
            'party_total.gw_estimated_hi + excluded.gw_estimated_hi, gw_estimated_lo = party_total.gw_estimated_lo '
            '+ excluded.gw_estimated_lo, exact_hi = party_total.exact_hi + excluded.exact_hi, exact_lo = '
            'party_total.exact_lo + excluded.exact_lo, up_to_hi = party_total.up_to_hi + excluded.up_to_hi, '
            'up_to_lo = party_total.up_to_lo + excluded.up_to_lo, at_least_hi = party_total.at_least_hi + '
            'excluded.at_least_hi, at_least_lo = party_total.at_least_lo + excluded.at_least_lo, estimated_hi = '
            'party_total.estimated_hi + excluded.estimated_hi, estimated_lo = party_total.estimated_lo + '
            'excluded.estimated_lo',
            'INSERT INTO period_total (kind, year, currency, deals, disclosed, gw_hi, gw_lo, gw_up_to_hi, '
            'gw_up_to_lo, gw_at_least_hi, gw_at_least_lo, gw_estimated_hi, gw_estimated_lo, exact_hi, exact_lo, '
            'up_to_hi, up_to_lo, at_least_hi, at_least_lo, estimated_hi, estimated_lo) SELECT deal.kind, '
            "CAST(substr(deal.date, 1, 4) AS INTEGER), coalesce(deal.currency, ''), count(*), coalesce(sum(CASE "
            'WHEN deal.amount IS NULL THEN 0 ELSE 1 END), 0), coalesce(sum(CASE WHEN '
            "coalesce(deal.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "coalesce(deal.capacity_qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "deal.capacity_qualifier = 'up to' THEN coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN deal.capacity_qualifier = 'up to' THEN coalesce(deal.capacity_gw % "
            "100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'at least' THEN "
            'coalesce(deal.capacity_gw / 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "deal.capacity_qualifier = 'at least' THEN coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 END), "
            "0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'estimated' THEN coalesce(deal.capacity_gw / "
            "100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.capacity_qualifier = 'estimated' THEN "
            'coalesce(deal.capacity_gw % 100000000000, 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "coalesce(deal.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "coalesce(deal.qualifier, 'exact') NOT IN ('up to', 'at least', 'estimated') THEN "
            'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "deal.qualifier = 'up to' THEN coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 END), "
            "0), coalesce(sum(CASE WHEN deal.qualifier = 'up to' THEN coalesce(CAST(substr(deal.amount, 14) AS "
            "BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'at least' THEN "
            'coalesce(CAST(substr(deal.amount, 1, 13) AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN '
            "deal.qualifier = 'at least' THEN coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), "
            "0), coalesce(sum(CASE WHEN deal.qualifier = 'estimated' THEN coalesce(CAST(substr(deal.amount, 1, 13) "
            "AS BIGINT), 0) ELSE 0 END), 0), coalesce(sum(CASE WHEN deal.qualifier = 'estimated' THEN "
            'coalesce(CAST(substr(deal.amount, 14) AS BIGINT), 0) ELSE 0 END), 0) FROM deal WHERE TRUE GROUP BY 1, '
            '2, 3 ON CONFLICT (kind, year, currency) DO UPDATE SET deals = period_total.deals + excluded.deals, '
            'disclosed = period_total.disclosed + excluded.disclosed, gw_hi = period_total.gw_hi + excluded.gw_hi, '
            'gw_lo = period_total.gw_lo + excluded.gw_lo, gw_up_to_hi = period_total.gw_up_to_hi + '
            'excluded.gw_up_to_hi, gw_up_to_lo = period_total.gw_up_to_lo + excluded.gw_up_to_lo, gw_at_least_hi = '
            'period_total.gw_at_least_hi + excluded.gw_at_least_hi, gw_at_least_lo = period_total.gw_at_least_lo + '
            'excluded.gw_at_least_lo, gw_estimated_hi = period_total.gw_estimated_hi + excluded.gw_estimated_hi, '
            'gw_estimated_lo = period_total.gw_estimated_lo + excluded.gw_estimated_lo, exact_hi = '
            'period_total.exact_hi + excluded.exact_hi, exact_lo = period_total.exact_lo + excluded.exact_lo, '
            'up_to_hi = period_total.up_to_hi + excluded.up_to_hi, up_to_lo = period_total.up_to_lo + '
            'excluded.up_to_lo, at_least_hi = period_total.at_least_hi + excluded.at_least_hi, at_least_lo = '
            'period_total.at_least_lo + excluded.at_least_lo, estimated_hi = period_total.estimated_hi + '
            'excluded.estimated_hi, estimated_lo = period_total.estimated_lo + excluded.estimated_lo')}

SUM_TABLES: dict[str, tuple[str, ...]] = {'postgresql': ('CREATE TABLE party_total ( org_id BIGINT NOT NULL, side VARCHAR(1) NOT NULL, infra SMALLINT NOT '
                'NULL, currency VARCHAR(3) NOT NULL, deals BIGINT NOT NULL, disclosed BIGINT NOT NULL, gw_hi '
                'BIGINT NOT NULL, gw_lo BIGINT NOT NULL, gw_up_to_hi BIGINT NOT NULL, gw_up_to_lo BIGINT NOT NULL, '
                'gw_at_least_hi BIGINT NOT NULL, gw_at_least_lo BIGINT NOT NULL, gw_estimated_hi BIGINT NOT NULL, '
                'gw_estimated_lo BIGINT NOT NULL, exact_hi BIGINT NOT NULL, exact_lo BIGINT NOT NULL, up_to_hi '
                'BIGINT NOT NULL, up_to_lo BIGINT NOT NULL, at_least_hi BIGINT NOT NULL, at_least_lo BIGINT NOT '
                'NULL, estimated_hi BIGINT NOT NULL, estimated_lo BIGINT NOT NULL, PRIMARY KEY (org_id, side, '
                'infra, currency) )',
                'CREATE TABLE period_total ( kind VARCHAR(20) NOT NULL, year INTEGER NOT NULL, currency VARCHAR(3) '
                'NOT NULL, deals BIGINT NOT NULL, disclosed BIGINT NOT NULL, gw_hi BIGINT NOT NULL, gw_lo BIGINT '
                'NOT NULL, gw_up_to_hi BIGINT NOT NULL, gw_up_to_lo BIGINT NOT NULL, gw_at_least_hi BIGINT NOT '
                'NULL, gw_at_least_lo BIGINT NOT NULL, gw_estimated_hi BIGINT NOT NULL, gw_estimated_lo BIGINT NOT '
                'NULL, exact_hi BIGINT NOT NULL, exact_lo BIGINT NOT NULL, up_to_hi BIGINT NOT NULL, up_to_lo '
                'BIGINT NOT NULL, at_least_hi BIGINT NOT NULL, at_least_lo BIGINT NOT NULL, estimated_hi BIGINT '
                'NOT NULL, estimated_lo BIGINT NOT NULL, PRIMARY KEY (kind, year, currency) )'),
 'sqlite': ('CREATE TABLE party_total ( org_id INTEGER NOT NULL, side VARCHAR(1) NOT NULL, infra SMALLINT NOT '
            'NULL, currency VARCHAR(3) NOT NULL, deals BIGINT NOT NULL, disclosed BIGINT NOT NULL, gw_hi BIGINT '
            'NOT NULL, gw_lo BIGINT NOT NULL, gw_up_to_hi BIGINT NOT NULL, gw_up_to_lo BIGINT NOT NULL, '
            'gw_at_least_hi BIGINT NOT NULL, gw_at_least_lo BIGINT NOT NULL, gw_estimated_hi BIGINT NOT NULL, '
            'gw_estimated_lo BIGINT NOT NULL, exact_hi BIGINT NOT NULL, exact_lo BIGINT NOT NULL, up_to_hi BIGINT '
            'NOT NULL, up_to_lo BIGINT NOT NULL, at_least_hi BIGINT NOT NULL, at_least_lo BIGINT NOT NULL, '
            'estimated_hi BIGINT NOT NULL, estimated_lo BIGINT NOT NULL, PRIMARY KEY (org_id, side, infra, '
            'currency) ) WITHOUT ROWID',
            'CREATE TABLE period_total ( kind VARCHAR(20) NOT NULL, year INTEGER NOT NULL, currency VARCHAR(3) NOT '
            'NULL, deals BIGINT NOT NULL, disclosed BIGINT NOT NULL, gw_hi BIGINT NOT NULL, gw_lo BIGINT NOT NULL, '
            'gw_up_to_hi BIGINT NOT NULL, gw_up_to_lo BIGINT NOT NULL, gw_at_least_hi BIGINT NOT NULL, '
            'gw_at_least_lo BIGINT NOT NULL, gw_estimated_hi BIGINT NOT NULL, gw_estimated_lo BIGINT NOT NULL, '
            'exact_hi BIGINT NOT NULL, exact_lo BIGINT NOT NULL, up_to_hi BIGINT NOT NULL, up_to_lo BIGINT NOT '
            'NULL, at_least_hi BIGINT NOT NULL, at_least_lo BIGINT NOT NULL, estimated_hi BIGINT NOT NULL, '
            'estimated_lo BIGINT NOT NULL, PRIMARY KEY (kind, year, currency) ) WITHOUT ROWID')}

OLD_SUM_TABLES: dict[str, tuple[str, ...]] = {'postgresql': ('CREATE TABLE party_total ( org_id BIGINT NOT NULL, side VARCHAR(1) NOT NULL, infra SMALLINT NOT '
                'NULL, currency VARCHAR(3) NOT NULL, deals BIGINT NOT NULL, disclosed BIGINT NOT NULL, gw_hi '
                'BIGINT NOT NULL, gw_lo BIGINT NOT NULL, exact_hi BIGINT NOT NULL, exact_lo BIGINT NOT NULL, '
                'up_to_hi BIGINT NOT NULL, up_to_lo BIGINT NOT NULL, at_least_hi BIGINT NOT NULL, at_least_lo '
                'BIGINT NOT NULL, estimated_hi BIGINT NOT NULL, estimated_lo BIGINT NOT NULL, PRIMARY KEY (org_id, '
                'side, infra, currency) )',
                'CREATE TABLE period_total ( kind VARCHAR(20) NOT NULL, year INTEGER NOT NULL, currency VARCHAR(3) '
                'NOT NULL, deals BIGINT NOT NULL, disclosed BIGINT NOT NULL, gw_hi BIGINT NOT NULL, gw_lo BIGINT '
                'NOT NULL, exact_hi BIGINT NOT NULL, exact_lo BIGINT NOT NULL, up_to_hi BIGINT NOT NULL, up_to_lo '
                'BIGINT NOT NULL, at_least_hi BIGINT NOT NULL, at_least_lo BIGINT NOT NULL, estimated_hi BIGINT '
                'NOT NULL, estimated_lo BIGINT NOT NULL, PRIMARY KEY (kind, year, currency) )'),
 'sqlite': ('CREATE TABLE party_total ( org_id INTEGER NOT NULL, side VARCHAR(1) NOT NULL, infra SMALLINT NOT '
            'NULL, currency VARCHAR(3) NOT NULL, deals BIGINT NOT NULL, disclosed BIGINT NOT NULL, gw_hi BIGINT '
            'NOT NULL, gw_lo BIGINT NOT NULL, exact_hi BIGINT NOT NULL, exact_lo BIGINT NOT NULL, up_to_hi BIGINT '
            'NOT NULL, up_to_lo BIGINT NOT NULL, at_least_hi BIGINT NOT NULL, at_least_lo BIGINT NOT NULL, '
            'estimated_hi BIGINT NOT NULL, estimated_lo BIGINT NOT NULL, PRIMARY KEY (org_id, side, infra, '
            'currency) ) WITHOUT ROWID',
            'CREATE TABLE period_total ( kind VARCHAR(20) NOT NULL, year INTEGER NOT NULL, currency VARCHAR(3) NOT '
            'NULL, deals BIGINT NOT NULL, disclosed BIGINT NOT NULL, gw_hi BIGINT NOT NULL, gw_lo BIGINT NOT NULL, '
            'exact_hi BIGINT NOT NULL, exact_lo BIGINT NOT NULL, up_to_hi BIGINT NOT NULL, up_to_lo BIGINT NOT '
            'NULL, at_least_hi BIGINT NOT NULL, at_least_lo BIGINT NOT NULL, estimated_hi BIGINT NOT NULL, '
            'estimated_lo BIGINT NOT NULL, PRIMARY KEY (kind, year, currency) ) WITHOUT ROWID')}



def _sibling(name: str) -> ModuleType:
    """An older migration, whose frozen SQL is made again here (it never changes: it is history)."""
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"tracker_migration_{name[:4]}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _dialect() -> str:
    return "sqlite" if op.get_bind().dialect.name == "sqlite" else "postgresql"


def _triggers_off(dialect: str, sums: dict[str, tuple[str, ...]]) -> None:
    """The running-sums triggers (of ``sums``: a migration's DROP_TRIGGERS) and the version trigger off: the
    changes below are not edits of any deal (no version is raised)."""
    m0006 = _sibling("0006_ids_never_reused.py")
    for stmt in (*sums[dialect], *m0006.DROP_VERSION_TRIGGER[dialect]):
        op.execute(stmt)


def _triggers_on(dialect: str, triggers: dict[str, tuple[str, ...]], rebuild: dict[str, tuple[str, ...]]) -> None:
    m0006 = _sibling("0006_ids_never_reused.py")
    for stmt in (*triggers[dialect], *m0006.VERSION_TRIGGER[dialect]):
        op.execute(stmt)
    for stmt in rebuild[dialect]:
        op.execute(stmt)
    if dialect == "sqlite":
        op.execute("PRAGMA analysis_limit = 1000")
    op.execute("ANALYZE")


def upgrade() -> None:
    dialect = _dialect()
    _triggers_off(dialect, _sibling("0004_running_totals.py").DROP_TRIGGERS)
    op.execute("DROP INDEX ix_deal_amount_id")
    if dialect == "sqlite":
        op.execute(f"ALTER TABLE deal ADD COLUMN amount_digits VARCHAR({DIGITS}) "
                   f"CONSTRAINT ck_deal_amount_digits CHECK ({AMOUNT_CHECK.replace('amount', 'amount_digits')})")
        op.execute(f"UPDATE deal SET amount_digits = printf('%0{DIGITS}d', amount) WHERE amount IS NOT NULL")
        op.execute("ALTER TABLE deal DROP COLUMN amount")
        op.execute("ALTER TABLE deal RENAME COLUMN amount_digits TO amount")
    else:
        op.execute(f'ALTER TABLE deal ALTER COLUMN amount TYPE VARCHAR({DIGITS}) COLLATE "C" '
                   f"USING lpad(amount::text, {DIGITS}, '0')")
        op.execute(f"ALTER TABLE deal ADD CONSTRAINT ck_deal_amount_digits CHECK ({AMOUNT_CHECK})")
    op.execute("ALTER TABLE deal ADD COLUMN capacity_qualifier VARCHAR(12)")
    op.execute("UPDATE deal SET capacity_qualifier = 'exact' WHERE capacity_gw IS NOT NULL")
    for stmt in INDEXES:
        op.execute(stmt)
    for table in ("party_total", "period_total"):  # they gain columns; derived, they are made and summed again
        op.execute(f"DROP TABLE {table}")
    for stmt in SUM_TABLES[dialect]:
        op.execute(stmt)
    _triggers_on(dialect, TRIGGERS, REBUILD)


def downgrade() -> None:
    dialect = _dialect()
    m0004 = _sibling("0004_running_totals.py")
    _triggers_off(dialect, DROP_TRIGGERS)
    too_big = op.get_bind().exec_driver_sql("SELECT count(*) FROM deal WHERE amount > '000009223372036854775807'")
    if too_big.scalar():
        raise RuntimeError("schema 0007 cannot go down: some amounts do not fit 64 bits at 4 decimals")
    for name in ("ix_deal_currency_amount", "ix_deal_amount_id"):
        op.execute(f"DROP INDEX {name}")
    op.execute("ALTER TABLE deal DROP COLUMN capacity_qualifier")
    if dialect == "sqlite":
        op.execute("ALTER TABLE deal ADD COLUMN amount_int BIGINT")
        op.execute("UPDATE deal SET amount_int = CAST(amount AS INTEGER)")
        op.execute("ALTER TABLE deal DROP COLUMN amount")
        op.execute("ALTER TABLE deal RENAME COLUMN amount_int TO amount")
    else:
        op.execute("ALTER TABLE deal DROP CONSTRAINT ck_deal_amount_digits")
        op.execute("ALTER TABLE deal ALTER COLUMN amount TYPE BIGINT USING amount::bigint")
    op.execute(OLD_INDEX)
    for table in ("party_total", "period_total"):
        op.execute(f"DROP TABLE {table}")
    for stmt in OLD_SUM_TABLES[dialect]:
        op.execute(stmt)
    _triggers_on(dialect, m0004.TRIGGERS, m0004.REBUILD)
