"""What a view asks the deals table to show: typed messages instead of tuples like ``("org", id, name)``.

The organizations and alliances lists return one of these when they close (`Screen.dismiss`), and so do
the map and totals panes, whose `EcosystemMap.OpenDeals` and `EcosystemMap.ShowOrg` are these messages
posted by the map; the app then narrows the main screen's deals to what was asked (`TrackerApp`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tracker.core.records.undo import UndoEntry

__all__ = ["ChangeMade", "ShowAlliance", "ShowDeals", "ShowOrganization", "ShowRequest"]


@dataclass
class ShowOrganization(Message):
    """The deals of one organization. ``name`` is "" when the sender does not know it (the app looks it up)."""

    org_id: int
    name: str = ""


@dataclass
class ShowAlliance(Message):
    """The deals of one alliance."""

    alliance_id: int
    name: str


@dataclass
class ShowDeals(Message):
    """These deals (those behind a map edge or cycle), described by ``title`` ("" for "N deals")."""

    deal_ids: tuple[int, ...]
    title: str = ""


ShowRequest = ShowOrganization | ShowAlliance | ShowDeals
"""Any of the requests above: what a view screen returns when it closes on a choice."""


@dataclass
class ChangeMade(Message):
    """A view changed the database: the app keeps ``undo`` for `u` and says ``text`` (tracker/ui/app.py)."""

    undo: UndoEntry
    text: str
