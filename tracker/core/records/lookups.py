"""Look-up names at their old address, until every importer uses their homes: :func:`org_name` lives in
:mod:`~tracker.core.records.orgs`, :func:`alliance_names` in :mod:`~tracker.core.records.alliances` and
:func:`matching_ids` in :mod:`~tracker.core.records.pages`. Nothing is defined here."""

from __future__ import annotations

from tracker.core.records.alliances import alliance_names  # re-export until integration
from tracker.core.records.orgs import org_name  # re-export until integration
from tracker.core.records.pages import matching_ids  # re-export until integration

__all__ = ["alliance_names", "matching_ids", "org_name"]
