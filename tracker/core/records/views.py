"""Saved views (schema 0013): a filter, a sort and the visible columns of the deals table under a name.

Stored in the database (table ``saved_view``), so that a team on one PostgreSQL server shares them; the name
is unique ignoring case. A view keeps its fields as typed (``--since 2025-09``, the organisation's name) and
is checked again each time it is applied (an organisation renamed since is named in the error). Written by
``tracker view save|delete`` and by the app; read by ``tracker list --view``, ``tracker export --view`` and
the app's palette and keys 1-9.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from tracker.core.domain.columns import OPTIONAL_COLUMNS
from tracker.core.domain.errors import TrackerError
from tracker.core.records.listing import ListOptions
from tracker.core.storage.handles import VIEWS

__all__ = ["SavedView", "ViewError", "delete_view", "get_view", "list_views", "save_view", "view_key"]

NAME_LENGTH = 200
CONFIDENCE_LEVELS = ("confirmed", "reported", "rumored", "unsourced")
"""The deal confidences agreed with the sources work (schema 0011, ``deal.confidence``)."""
CONFIDENCE_APPLIES = "confidences" in {f.name for f in fields(ListOptions)}
"""Whether deals have a confidence to filter by (schema 0011): a view keeps its confidence filter either way,
and it is applied once they have."""


class ViewError(TrackerError, ValueError):
    """A view that cannot be saved, found or deleted; the message names it."""


def view_key(name: str) -> str:
    """The look-up key of a view's name: stripped, case ignored (``Big deals`` is ``big DEALS``)."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class SavedView:
    """One saved view. ``reverse`` is ``tracker list --reverse``: the other order than the sort's natural one
    (newest and biggest first, names A to Z). ``columns`` None: the table's default columns."""

    name: str
    search: str = ""
    kinds: tuple[str, ...] = ()
    org: str | None = None
    since: str | None = None
    until: str | None = None
    confidences: tuple[str, ...] = ()
    sort: str = "date"
    reverse: bool = False
    columns: tuple[str, ...] | None = None
    created: str = ""
    created_by: str = ""

    def options(self) -> ListOptions:
        """The view as ``tracker list``'s options (checked with :meth:`ListOptions.check`); its confidence
        filter only where deals have a confidence (:data:`CONFIDENCE_APPLIES`)."""
        extra: dict[str, Any] = {"confidences": self.confidences} if CONFIDENCE_APPLIES else {}
        return ListOptions(
            search=self.search, kinds=self.kinds, org=self.org, since=self.since, until=self.until, sort=self.sort,
            reverse=self.reverse, **extra,
        )  # fmt: skip

    @property
    def confidence_ignored(self) -> bool:
        """The view filters by confidence but deals have none here (said to the user)."""
        return bool(self.confidences) and not CONFIDENCE_APPLIES

    def check(self) -> SavedView:
        """The view with its name, kinds and sort tidied; a bad field raises, naming it and the value."""
        name = " ".join(self.name.split())
        if not name:
            raise ViewError("view name '': give a name")
        if len(name) > NAME_LENGTH:
            raise ViewError(f"view name {name[:40]!r}…: at most {NAME_LENGTH} characters")
        if self.columns is not None:
            bad = [c for c in self.columns if c not in OPTIONAL_COLUMNS]
            if bad:
                raise ViewError(f"--columns {bad[0]!r}: one of {', '.join(OPTIONAL_COLUMNS)}")
        for level in self.confidences:
            if level.strip().lower() not in CONFIDENCE_LEVELS:
                raise ViewError(f"--confidence {level!r}: one of {', '.join(CONFIDENCE_LEVELS)}")
        self.options().check()
        kinds = tuple(dict.fromkeys(k.strip().lower() for k in self.kinds))
        levels = tuple(dict.fromkeys(c.strip().lower() for c in self.confidences))
        return replace(self, name=name, kinds=kinds, confidences=levels, sort=self.sort.strip().lower())

    def describe(self) -> str:
        """The view in words (for ``view list`` and the palette): what it filters, its sort, its columns."""
        parts = []
        if self.search:
            parts.append(f"search “{self.search}”")
        if self.kinds:
            parts.append("kind " + "/".join(self.kinds))
        if self.org:
            parts.append(f"org {self.org}")
        if self.since or self.until:
            parts.append(f"date {self.since or '…'} – {self.until or '…'}")
        if self.confidences:
            parts.append("confidence " + "/".join(self.confidences))
        parts.append(f"sort {self.sort}{' reversed' if self.reverse else ''}")
        if self.columns is not None:
            parts.append("columns " + (", ".join(self.columns) or "none extra"))
        return ", ".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "search": self.search, "kinds": list(self.kinds), "org": self.org,
            "since": self.since, "until": self.until, "confidence": list(self.confidences), "sort": self.sort,
            "reverse": self.reverse, "columns": None if self.columns is None else list(self.columns),
            "created": self.created, "created_by": self.created_by,
        }  # fmt: skip


def _row(view: SavedView) -> dict[str, Any]:
    return {
        "name": view.name, "name_key": view_key(view.name), "search": view.search, "kinds": ",".join(view.kinds),
        "org": view.org, "since": view.since, "until": view.until, "confidence": ",".join(view.confidences) or None,
        "sort": view.sort, "reverse": view.reverse,
        "columns": None if view.columns is None else ",".join(view.columns),
        "created": view.created, "created_by": view.created_by,
    }  # fmt: skip


def _view(row: Any) -> SavedView:
    return SavedView(
        name=row.name, search=row.search, kinds=tuple(k for k in row.kinds.split(",") if k), org=row.org,
        since=row.since, until=row.until, confidences=tuple(c for c in (row.confidence or "").split(",") if c),
        sort=row.sort, reverse=bool(row.reverse),
        columns=None if row.columns is None else tuple(c for c in row.columns.split(",") if c),
        created=row.created, created_by=row.created_by,
    )  # fmt: skip


def list_views(conn: Connection) -> list[SavedView]:
    """Every saved view, by name (case ignored): the order of the app's keys 1-9."""
    return [_view(r) for r in conn.execute(select(VIEWS).order_by(VIEWS.c.name_key))]


def get_view(conn: Connection, name: str) -> SavedView | None:
    row = conn.execute(select(VIEWS).where(VIEWS.c.name_key == view_key(name))).first()
    return _view(row) if row is not None else None


def save_view(conn: Connection, view: SavedView, *, replace_existing: bool = False, user: str = "") -> SavedView:
    """Store ``view`` (checked) under its name; a name taken (case ignored) is refused unless
    ``replace_existing``, which keeps the stored view's row and takes the new name's spelling. Returns it as
    stored (with its creation time and creator)."""
    view = view.check()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    view = replace(view, created=now, created_by=user or view.created_by)
    old = conn.execute(select(VIEWS.c.id, VIEWS.c.name).where(VIEWS.c.name_key == view_key(view.name))).first()
    if old is not None:
        if not replace_existing:
            raise ViewError(f"view {view.name!r}: a view named {old.name!r} exists (--replace replaces it)")
        conn.execute(update(VIEWS).where(VIEWS.c.id == old.id).values(**_row(view)))
    else:
        conn.execute(insert(VIEWS).values(**_row(view)))
    return view


def delete_view(conn: Connection, name: str) -> SavedView:
    """Delete the view named ``name`` (case ignored) and return it; none of that name is refused."""
    view = get_view(conn, name)
    if view is None:
        raise ViewError(f"view {name!r}: no view has this name (tracker view list shows them)")
    conn.execute(delete(VIEWS).where(VIEWS.c.name_key == view_key(name)))
    return view
