"""`e` on the organisations list: edit an organisation (name, native name, aliases, country, sector, parent,
notes) in a form. Returns the saved change's `UndoEntry` (the app keeps it for `u`), or None.

Each field is checked as it is typed, by the rules the core applies (names cleaned and refused with the
character and its position, labels not too long, a parent that names an organisation); what only the
database can tell (a name another organisation has, a parent that closes a cycle) comes back from the save
under its field, and the form stays open with everything typed. The write runs in a thread worker through
tracker/core/records/org_edit.py. Names are data: every label is plain text (`markup=False`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static, TextArea

from tracker.core.domain.namelist import escape_name, split_names
from tracker.core.domain.names import clean_name, label_problem, name_key, name_problem
from tracker.core.domain.text import has_control, visible

if TYPE_CHECKING:
    from tracker.core.records.org_edit import OrgChange
    from tracker.core.records.orgs import OrgSummary
    from tracker.core.records.undo import UndoEntry  # noqa: F401  (the result type, named in a string)
    from tracker.core.storage.handle import Database

CSS = Path(__file__).with_name("org_dialogs.tcss").read_text(encoding="utf-8")

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("name", "Name", "the name shown everywhere (the old one stays an alias)"),
    ("native_name", "Native name", "the name in its own language, e.g. 英伟达"),
    ("aliases", "Aliases", "other names, separated by ;"),
    ("country", "Country", ""),
    ("sector", "Sector", "e.g. chips, cloud, AI lab"),
    ("parent", "Parent", "an organisation's name or alias; empty for none"),
)
COLUMNS = (*(c for c, _, _ in FIELDS), "notes")


def initial_fields(o: OrgSummary) -> dict[str, str]:
    """The form's fields for the organisation ``o``."""
    return {
        "name": o.name, "native_name": o.native_name or "", "aliases": "; ".join(escape_name(a) for a in o.aliases),
        "country": o.country or "", "sector": o.sector or "", "parent": o.parent or "", "notes": o.notes or "",
    }  # fmt: skip


def field_problem(column: str, text: str, known: frozenset[str] = frozenset()) -> str:
    """What is wrong with ``text`` in the field ``column`` as typed ("" if nothing is); ``known``: the look-up
    keys of every organisation name and alias (a parent must be one)."""
    value = text.strip()
    if column == "name" and not value:
        return "required"
    if column in ("name", "native_name") and value:
        return name_problem(clean_name(value)) or ""
    if column == "aliases":
        for alias in split_names(text):
            problem = name_problem(clean_name(alias))
            if problem:
                return f"{alias!r} {problem}"
    if column in ("country", "sector") and value:
        return label_problem(" ".join(value.split())) or ""
    if column == "parent" and value and known and name_key(value) not in known:
        return "no organisation has this name or alias"
    if column == "notes" and has_control(value.replace("\n", "").replace("\t", "")):
        return "holds a control character (plain text, line breaks allowed)"
    return ""


class OrgFormScreen(ModalScreen["UndoEntry | None"]):
    """The organisation's fields; ctrl+s (or enter in a field) saves, escape cancels."""

    DEFAULT_CSS = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="org-form.cancel"),
        Binding("ctrl+s", "save", "Save", id="org-form.save"),
    ]

    def __init__(self, db: Database, summary: OrgSummary, names: list[str]) -> None:
        super().__init__()
        self.db = db
        self.org_id = summary.id
        self.initial = initial_fields(summary)
        self.names = [n for n in names if not has_control(n)]
        self.known = frozenset(name_key(n) for n in names)
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Edit organisation: " + visible(self.initial["name"])), classes="dialog-title")
            for column, label, placeholder in FIELDS:
                with Horizontal(classes="org-row"):
                    yield Label(label, classes="org-label")
                    suggester = SuggestFromList(self.names, case_sensitive=False) if column == "parent" else None
                    yield Input(
                        self.initial[column], placeholder=placeholder, suggester=suggester, id=f"f-{column}",
                        compact=True,
                    )  # fmt: skip
                yield Label("", id=f"e-{column}", classes="org-error", markup=False)
            with Horizontal(classes="org-row"):
                yield Label("Notes", classes="org-label")
                yield TextArea(self.initial["notes"], id="f-notes", compact=True, soft_wrap=True)
            yield Label("", id="e-notes", classes="org-error", markup=False)
            yield Label("", id="org-problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Save", id="save", variant="primary", compact=True)

    def on_mount(self) -> None:
        for column in (*COLUMNS, "problem"):
            self.query_one(f"#e-{column}" if column != "problem" else "#org-problem", Label).display = False
        self.query_one("#f-name", Input).focus()

    def texts(self) -> dict[str, str]:
        """What the form holds now, by field."""
        out = {column: self.query_one(f"#f-{column}", Input).value for column, _, _ in FIELDS}
        out["notes"] = self.query_one("#f-notes", TextArea).text
        return out

    def show_error(self, column: str, message: str) -> None:
        label = self.query_one(f"#e-{column}", Label)
        label.update(visible(message))
        label.display = bool(message)

    def set_problem(self, message: str) -> None:
        label = self.query_one("#org-problem", Label)
        label.update(visible(message))
        label.display = bool(message)

    @property
    def problem(self) -> str:
        return str(self.query_one("#org-problem", Label).content)

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _check_field(self, event: Input.Changed | TextArea.Changed) -> None:
        if isinstance(event, Input.Changed):
            column, text = (event.input.id or "").removeprefix("f-"), event.value
        else:
            column, text = "notes", event.text_area.text
        if column in COLUMNS and self.is_mounted:
            self.show_error(column, field_problem(column, text, self.known))

    def change(self) -> OrgChange:
        """The fields that differ from what the form opened with (the rest is left as it is)."""
        from tracker.core.records.org_edit import OrgChange

        now = self.texts()
        given = {c: now[c] for c in COLUMNS if now[c].strip() != self.initial[c].strip()}
        aliases = split_names(given.pop("aliases")) if "aliases" in given else None
        return OrgChange(aliases=aliases, **given)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        if self.saving:
            return
        texts = self.texts()
        problems = {c: p for c in COLUMNS if (p := field_problem(c, texts[c], self.known))}
        for column in COLUMNS:
            self.show_error(column, problems.get(column, ""))
        if problems:
            self.set_problem("Not saved: fix the fields marked in red.")
            self.query_one(f"#f-{next(iter(problems))}").focus()
            return
        change = self.change()
        if change == type(change)():
            self.dismiss(None)
            return
        self.saving = True
        self.set_problem("Saving…")
        self._write(change)

    @work(thread=True, exclusive=True, group="org-form", exit_on_error=False)
    def _write(self, change: OrgChange) -> None:
        from tracker.core.records.org_edit import edit_org

        try:
            with self.db.write() as conn:
                entry = edit_org(conn, self.org_id, change)
        except Exception as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self.dismiss, entry)

    def _failed(self, exc: BaseException) -> None:
        from tracker.core.records.org_state import OrgError
        from tracker.ui.errors import user_message

        self.saving = False
        message = user_message(exc)
        field = exc.field if isinstance(exc, OrgError) else ""
        if field in COLUMNS:
            self.show_error(field, message)
            self.query_one(f"#f-{field}").focus()
        self.set_problem(f"Not saved: {message}")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
