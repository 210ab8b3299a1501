"""Add or edit a deal: a modal form that saves nothing until it is valid.

- Every field is checked by the core's one validation (`parse_deal_fields`), messages shown inline.
- The amount shows live what the parser understood ("= 100,000,000,000 USD, up to"), and so does the date
  ("= 2025-Q3 (Jul–Sep 2025)").
- Parties autocomplete from organisation names and aliases; names that match nothing are created
  on save only after a confirm dialog lists them. Alliances too (the name after the last ``;`` completes;
  case, dashes and spacing aside it is the existing one): tracker/ui/screens/new_alliances.py.
- The write runs in a thread worker; if it fails (locked or broken database) the message is shown in
  the form and everything typed stays. Escape cancels (asking first if anything changed). The result is
  a `DealFormResult`. A new deal that looks like a stored one shows it and asks: save anyway, or back.
- An edit remembers the deal's row version it was opened at (`fields_of` carries it) and saves only if
  the deal is still at that version. If another writer saved the deal meanwhile, nothing is written and
  `EditConflictScreen` shows yours and theirs field by field: save mine over theirs, take theirs into the
  form, or go back to editing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from tracker.core.domain.text import visible
from tracker.core.domain.vocab import KINDS, QUALIFIERS, STATUSES
from tracker.ui.screens.deal_fields import VERSION_KEY, DealFormResult, fields_of
from tracker.ui.screens.form_feedback import amount_feedback, date_feedback, show_feedback
from tracker.ui.screens.new_alliances import alliance_suggester, load_alliance_names
from tracker.ui.widgets.party_input import PartyInput, PartyNames, read_names_for

if TYPE_CHECKING:
    from tracker.core.domain.fields import DealValues, FieldError
    from tracker.core.records.changes import EditConflict
    from tracker.core.storage.handle import Database

COMMON_CURRENCIES = ("USD", "CNY", "EUR", "JPY", "GBP", "HKD", "KRW", "INR", "SAR", "AED", "CAD", "AUD", "CHF", "SGD")

# (column of parse_deal_fields, label, placeholder); Selects are marked by a placeholder of None.
FIELDS: tuple[tuple[str, str, str | None], ...] = (
    ("date", "Date", "2025-09-29, 2025-09, 2025-Q3 or 2025"),
    ("kind", "Kind", None),
    ("from_org", "From", "organisation or alias (money or order flows from)"),
    ("to_org", "To", "counterparty (empty for infrastructure)"),
    ("amount", "Amount", "$100B, CNY 380B, 高达1000亿美元, empty = undisclosed"),
    ("currency", "Currency", None),
    ("qualifier", "Qualifier", None),
    ("capacity_gw", "Capacity GW", "e.g. 10, at least 10 GW, 500 MW, 至少10吉瓦"),
    ("status", "Status", None),
    ("alliances", "Alliances", "names separated by ;"),
    ("description", "Description", ""),
    ("source_outlet", "Source", "outlet"),
    ("source_title", "Title", "article title"),
    ("source_url", "URL", "https://…"),
    ("source_date", "Source date", "YYYY-MM-DD"),
)


class DealFormScreen(ModalScreen["DealFormResult | None"]):
    """The add/edit form. `deal_id` None adds a deal."""

    HELP_TITLE = "Deal form"

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("f1", "app.help", "Keys", id="form.help", tooltip="The keys of the form"),
    ]

    def __init__(
        self,
        db: Database,
        *,
        deal_id: int | None = None,
        initial: dict[str, str] | None = None,
        names: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.deal_id = deal_id
        self.initial = initial or {"status": "announced"}
        self.names = names or []
        self.alliance_suggester = alliance_suggester()
        self.saving = False
        self.duplicate_ok = False  # the user said "save anyway" to a likely duplicate
        self.start_texts: dict[str, str] = {}  # the fields as the form opened: escape asks if they changed
        raw_version = self.initial.get(VERSION_KEY, "")
        self.version: int | None = int(raw_version) if raw_version.isdigit() else None
        """The row version the edit started from (None: not known, the save does not check)."""

    # ---------------------------------------------------------------- layout

    def _select(self, column: str) -> Select[str]:
        value = self.initial.get(column) or Select.NULL
        if column == "kind":
            return Select([(k, k) for k in KINDS], prompt="choose a kind", value=value, compact=True)
        if column == "status":
            return Select([(s, s) for s in STATUSES], allow_blank=False, value=value, compact=True)
        if column == "qualifier":
            return Select([(q, q) for q in QUALIFIERS], prompt="from the amount", value=value, compact=True)
        from tracker.core.domain.amount_words import CURRENCIES

        codes = [*COMMON_CURRENCIES, *sorted(c for c in CURRENCIES if c not in COMMON_CURRENCIES)]
        return Select([(c, c) for c in codes], prompt="from the amount", value=value, compact=True)

    def compose(self) -> ComposeResult:
        title = "Add a deal" if self.deal_id is None else f"Edit deal #{self.deal_id}"
        party_names = PartyNames(self.names)
        with Vertical(id="form-dialog"):
            yield Static(Text(title), id="form-title")
            with VerticalScroll(id="form-fields"):
                for column, label, placeholder in FIELDS:
                    with Horizontal(classes="form-row"):
                        yield Label(label, classes="form-label")
                        widget: Widget
                        if placeholder is None:
                            widget = self._select(column)
                        elif column in ("from_org", "to_org"):  # completes; offers close names (tab takes)
                            widget = PartyInput(self.initial.get(column, ""), names=party_names, column=column,
                                                placeholder=placeholder)  # fmt: skip
                        else:
                            widget = Input(
                                self.initial.get(column, ""),
                                placeholder=placeholder,
                                suggester=self.alliance_suggester if column == "alliances" else None,
                                compact=True,
                            )
                        widget.id = f"f-{column}"
                        yield widget
                    if column in ("from_org", "to_org"):
                        hint = Label("", id=f"hint-{column}", classes="form-note", markup=False)
                        hint.display = False
                        yield hint
                    if column in ("amount", "date"):
                        yield Label("", id=f"{column}-feedback", classes="form-note", markup=False)
                    yield Label("", id=f"e-{column}", classes="form-error", markup=False)
            yield Label("", id="form-problem", markup=False)
            with Horizontal(id="form-buttons"):
                yield Static("ctrl+s save · esc cancel", id="form-hint")
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Save", id="save", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.start_texts = self.field_texts()
        self._update_amount_feedback()
        self._update_date_feedback()
        self.query_one("#f-date", Input).focus()
        load_alliance_names(self, self.db, self.alliance_suggester)  # for the alliances field's completion
        read_names_for(self, self.db)  # did-you-mean in the party fields, once the names are read

    # ---------------------------------------------------------------- reading the fields

    def field_texts(self) -> dict[str, str]:
        """The form as text fields keyed by deals-CSV column (what `parse_deal_fields` reads)."""
        out: dict[str, str] = {}
        for column, _label, placeholder in FIELDS:
            if placeholder is None:
                value = self.query_one(f"#f-{column}", Select).value
                out[column] = value if isinstance(value, str) else ""
            else:
                out[column] = self.query_one(f"#f-{column}", Input).value
        return out

    @on(Input.Changed, "#f-amount")
    @on(Select.Changed, "#f-currency, #f-qualifier")
    def _update_amount_feedback(self) -> None:
        fields = self.field_texts()
        feedback = amount_feedback(fields["amount"], fields["currency"], fields["qualifier"])
        show_feedback(self.query_one("#amount-feedback", Label), feedback)

    @on(Input.Changed, "#f-date")
    def _update_date_feedback(self) -> None:
        feedback = date_feedback(self.query_one("#f-date", Input).value)
        show_feedback(self.query_one("#date-feedback", Label), feedback)

    def show_errors(self, errors: list[FieldError]) -> None:
        by_column: dict[str, list[str]] = {}
        for e in errors:
            by_column.setdefault(e.column, []).append(e.message)
        known = {column for column, _, _ in FIELDS}
        for column in known:
            label = self.query_one(f"#e-{column}", Label)
            messages = by_column.get(column, [])
            label.update(visible("; ".join(messages)))
            label.display = bool(messages)
        others = [f"{c}: {'; '.join(m)}" for c, m in by_column.items() if c not in known]
        self.set_problem(
            "Not saved: fix the fields marked in red." + (" " + " ".join(others) if others else "") if errors else ""
        )

    def set_problem(self, message: str) -> None:
        label = self.query_one("#form-problem", Label)
        label.update(visible(message))
        label.display = bool(message)

    @property
    def problem(self) -> str:
        return str(self.query_one("#form-problem", Label).content)

    # ---------------------------------------------------------------- saving

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        from tracker.core.domain.fields import parse_deal_fields

        if self.saving:
            return
        values, errors = parse_deal_fields(self.field_texts())
        self.show_errors(errors)
        if errors:
            first = next((e.column for e in errors if self.query(f"#f-{e.column}")), None)
            if first:
                self.query_one(f"#f-{first}").focus()
            return
        self.saving = True
        self.set_problem("Saving…")
        self._check_and_save(values)

    @work(thread=True, exclusive=True, group="deal-form", exit_on_error=False)
    def _check_and_save(self, values: DealValues) -> None:
        from tracker.core.records.alliances import unknown_alliances
        from tracker.core.records.changes import unknown_parties
        from tracker.core.records.duplicates import candidates_for
        from tracker.ui.screens.new_orgs import new_org_notes

        try:
            with self.db.read() as conn:
                unknown = unknown_parties(conn, values)
                adding = self.deal_id is None and not unknown and not self.duplicate_ok
                found = candidates_for(conn, values) if adding else []  # a deal that looks stored: ask first
                new_alliances = unknown_alliances(conn, values.alliances or ())
                notes = new_org_notes(conn, values, unknown) if unknown else {}
        except Exception as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        if new_alliances:  # asked first; then the new organisations, if any
            self.app.call_from_thread(self._confirm_alliances, values, new_alliances, unknown, notes)
            return
        if unknown:
            self.app.call_from_thread(self._confirm_new, values, unknown, notes)
            return
        if found:
            self.app.call_from_thread(self._confirm_duplicate, values, found)
            return
        self._write(values, create_orgs=False)

    def _confirm_duplicate(self, values: DealValues, found: list[Any]) -> None:
        from tracker.ui.screens.careful import duplicate_question

        def answered(yes: bool | None) -> None:
            self.duplicate_ok = bool(yes)
            self.saving = bool(yes)
            self.set_problem("Saving…" if yes else f"Not saved: it looks like deal #{found[0].deal_id}.")
            if yes:
                self._save_confirmed(values)

        self.app.push_screen(duplicate_question(found), answered)

    def _confirm_alliances(
        self, values: DealValues, new_alliances: list[str], unknown: list[str], notes: dict[str, str]
    ) -> None:
        from tracker.ui.screens.new_alliances import ask_new_alliances

        def confirmed() -> None:
            if unknown:
                self._confirm_new(values, unknown, notes)
            else:
                self.set_problem("Saving…")
                self._save_confirmed(values)  # no organisation to create: the same write

        def declined() -> None:
            self.saving = False
            self.set_problem("Not saved: pick existing alliances, or confirm the new ones.")

        ask_new_alliances(self.app, new_alliances, self.alliance_suggester.names, confirmed, declined)

    def _confirm_new(self, values: DealValues, unknown: list[str], notes: dict[str, str]) -> None:
        from tracker.ui.screens.new_orgs import new_orgs_screen

        def answered(yes: bool | None) -> None:
            if yes:
                self.set_problem("Saving…")
                self._save_confirmed(values)
            else:
                self.saving = False
                self.set_problem("Not saved: pick existing organisations, or confirm the new ones.")

        self.app.push_screen(new_orgs_screen(unknown, notes), answered)

    @work(thread=True, exclusive=True, group="deal-form", exit_on_error=False)
    def _save_confirmed(self, values: DealValues) -> None:
        self._write(values, create_orgs=True)

    def _write(self, values: DealValues, *, create_orgs: bool) -> None:
        """The write (in the worker thread)."""
        from tracker.core.records import undo as ops
        from tracker.core.records.changes import EditConflict

        try:
            with self.db.write() as conn:
                if self.deal_id is None:
                    deal_id, created, undo = ops.add(conn, values, create_orgs)
                else:
                    deal_id, created, undo = ops.edit(conn, self.deal_id, values, create_orgs, self.version)
        except EditConflict as exc:  # nothing was written: show both versions first
            self.app.call_from_thread(self._conflict, values, create_orgs, exc)
            return
        except Exception as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._saved, DealFormResult(deal_id, tuple(created), undo))

    def _conflict(self, values: DealValues, create_orgs: bool, conflict: EditConflict) -> None:
        from tracker.ui.screens.edit_conflict import EditConflictScreen

        theirs = fields_of(conflict.theirs)
        fields = [(column, label) for column, label, _placeholder in FIELDS]
        self.set_problem(f"Not saved: deal #{conflict.deal_id} was changed by someone else since you opened it.")

        def chosen(choice: str | None) -> None:
            if choice == "mine":  # theirs was seen: save over it, unless it changes again meanwhile
                self.version = conflict.theirs.version
                self.initial = theirs
                self.set_problem("Saving…")
                self._save_again(values, create_orgs)
                return
            self.saving = False
            if choice == "theirs":
                self.load_fields(theirs)
                self.initial = theirs  # what the form now starts from
                self.version = conflict.theirs.version
                self.set_problem("Their version is in the form now; nothing was saved.")

        screen = EditConflictScreen(conflict.deal_id, fields, self.field_texts(), theirs, base=self.initial)
        self.app.push_screen(screen, chosen)

    @work(thread=True, exclusive=True, group="deal-form", exit_on_error=False)
    def _save_again(self, values: DealValues, create_orgs: bool) -> None:
        self._write(values, create_orgs=create_orgs)

    def load_fields(self, texts: dict[str, str]) -> None:
        """Put ``texts`` (as `fields_of` makes them) into the form's fields."""
        for column, _label, placeholder in FIELDS:
            value = texts.get(column, "")
            if placeholder is None:
                self.query_one(f"#f-{column}", Select).value = value or Select.NULL
            else:
                self.query_one(f"#f-{column}", Input).value = value

    def _saved(self, result: DealFormResult) -> None:
        self.saving = False
        self.dismiss(result)

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        from tracker.ui.errors import user_message

        message = user_message(exc)
        self.set_problem(f"Not saved: {message}")
        self.notify(message, title="Not saved", severity="error", markup=False)

    # ---------------------------------------------------------------- leaving

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        from tracker.ui.screens.careful import ask_discard

        if self.field_texts() == self.start_texts:
            self.dismiss(None)
        else:
            ask_discard(self.app, lambda: self.dismiss(None))
