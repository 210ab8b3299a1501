"""Deal names at their old address, until every importer uses their homes: filters and pages
(:mod:`~tracker.core.records.pages`), details (:mod:`~tracker.core.records.details`), changes
(:mod:`~tracker.core.records.changes`), organisations (:mod:`~tracker.core.records.orgs`), alliances
(:mod:`~tracker.core.records.alliances`) and :class:`~tracker.core.records.errors.DealError`. Nothing is
defined here."""

from __future__ import annotations

from tracker.core.domain.rows import DealRow  # re-export until integration
from tracker.core.records.alliances import (  # re-export until integration
    AllianceSummary,
    find_alliance_id,
    list_alliances,
)
from tracker.core.records.changes import (  # re-export until integration
    add_deal,
    delete_deal,
    restore_deal,
    snapshot,
    unknown_parties,
    update_deal,
    values_of,
)
from tracker.core.records.details import DealDetail, Party, get_deal  # re-export until integration
from tracker.core.records.errors import DealError  # re-export until integration
from tracker.core.records.orgs import OrgSummary, list_orgs, org_summary  # re-export until integration
from tracker.core.records.pages import DealFilter, count_deals, page  # re-export until integration

__all__ = [
    "AllianceSummary",
    "DealDetail",
    "DealError",
    "DealFilter",
    "DealRow",
    "OrgSummary",
    "Party",
    "add_deal",
    "count_deals",
    "delete_deal",
    "find_alliance_id",
    "get_deal",
    "list_alliances",
    "list_orgs",
    "org_summary",
    "page",
    "restore_deal",
    "snapshot",
    "unknown_parties",
    "update_deal",
    "values_of",
]
