"""The extract screen (`E` on the deals screen, or "Extract deals from text" in the command palette): paste an
article or load it from a file, `ctrl+e` reads it (tracker/core/extract), and the proposals are walked one by
one with the text they came from shown, each field's words marked: `a` accepts (saved through the one write
path, the article as its source and the stating sentence as its excerpt; new organisations are confirmed as
in the deal form), `e` opens the deal form prefilled, `x` rejects, `←`/`→` move. Every save is undone by `u`.
User text is shown as `Text`, never parsed as markup.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static, TextArea

from tracker.core.domain.text import visible

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from tracker.core.domain.fields import DealValues
    from tracker.core.extract.output import Article
    from tracker.core.extract.stored import Checked
    from tracker.core.storage.handle import Database
    from tracker.ui.screens.deal_fields import DealFormResult

CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
MARKS = {"from_org": "bold reverse", "to_org": "bold reverse", "kind": "bold underline", "amount": "bold italic",
         "capacity_gw": "bold italic", "date": "underline", "status": "italic"}  # fmt: skip
"""How each field's words are marked in the text (styles only: every theme keeps its colours)."""
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What a terminal may obey, shown as U+FFFD in the marked text (one character for one, unlike ``visible``)."""
FORM_KEYS = ("date", "kind", "from_org", "to_org", "amount", "currency", "qualifier", "capacity_gw", "status",
             "description", "source_outlet", "source_title", "source_url", "source_date")  # fmt: skip


class ExtractScreen(Screen[None]):
    """Deals proposed from pasted or loaded text, walked one at a time: accept, edit, reject."""

    HELP_TITLE = "Extract deals from text"
    DEFAULT_CSS = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "extract", "Read", id="extract.read", priority=True, tooltip="Propose the text's deals"),
        Binding("a", "accept", "Accept", id="extract.accept", tooltip="Save the proposed deal (u undoes)"),
        Binding("e", "edit", "Edit", id="extract.edit", tooltip="The deal form, prefilled with the proposal"),
        Binding("x", "reject", "Reject", id="extract.reject", tooltip="Leave the proposal out"),
        Binding(
            "s", "attach", "Attach", id="extract.attach", tooltip="Add the article as a source of the deal it repeats"
        ),
        Binding("right,right_square_bracket", "move(1)", "Next", id="extract.next", tooltip="The next proposal"),
        Binding(
            "left,left_square_bracket",
            "move(-1)",
            "Previous",
            id="extract.previous",
            show=False,
            tooltip="The previous proposal",
        ),
        Binding("escape", "back", "Back", id="extract.back", tooltip="Back to the deals"),
    ]

    def __init__(self, db: Database, text: str = "", article_date: dt.date | None = None) -> None:
        super().__init__()
        self.db = db
        self.initial_text = text
        self.article_date = article_date
        self.text = ""
        self.day = dt.date.today()
        self.checked: list[Checked] = []
        self.states: list[str] = []
        self.at = 0
        self.busy = False
        self.marked = Text()
        """The sentence shown, each field's words styled (MARKS)."""

    def compose(self) -> ComposeResult:
        yield Static(Text("Extract deals: paste the article (or load a file), then ctrl+e"), id="extract-title",
                     classes="list-title")  # fmt: skip
        with Horizontal(id="extract-body"):
            with Vertical(id="extract-input"):
                yield Input(placeholder="a file to load: its path, then enter", id="extract-path")
                yield Input(placeholder="the source: outlet and/or URL (证券日报 https://…)", id="extract-source")
                yield TextArea(self.initial_text, id="extract-text", soft_wrap=True)
            with Vertical(id="extract-review"):
                with VerticalScroll(id="extract-view", can_focus=True):
                    yield Static(Text("No proposals yet."), id="extract-marked")
                yield Static(Text(""), id="extract-proposal")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#extract-text", TextArea).focus()

    # ---------------------------------------------------------------- reading

    @on(Input.Submitted, "#extract-path")
    def load_file(self, event: Input.Submitted) -> None:
        from tracker.core.domain.errors import TrackerError
        from tracker.core.extract.reading import read_article

        try:
            text = read_article(str(Path(event.value.strip()).expanduser()))
        except TrackerError as exc:
            self.app.notify(str(exc), severity="error", markup=False)
            return
        self.query_one("#extract-text", TextArea).load_text(text)
        self.action_extract()

    def action_extract(self) -> None:
        text = self.query_one("#extract-text", TextArea).text
        if not text.strip():
            self.app.notify("Paste an article first (or load a file).", severity="warning")
            return
        self.busy = True
        self._read(text)

    @work(thread=True, exclusive=True, group="extract", exit_on_error=False)
    def _read(self, text: str) -> None:
        from tracker.core.extract.assemble import extract
        from tracker.core.extract.stored import check, load_book
        from tracker.core.extract.when import dateline

        day = self.article_date or dateline(text) or dt.date.today()
        try:
            with self.db.read() as conn:
                checked = check(conn, extract(text, load_book(conn), day))
        except Exception as exc:
            self.app.call_from_thread(self.app.notify, f"Could not read: {exc}", severity="error", markup=False)
            return
        self.app.call_from_thread(self._show, text, day, checked)

    def _show(self, text: str, day: dt.date, checked: list[Checked]) -> None:
        self.busy = False
        self.text, self.day, self.checked = text, day, checked
        self.states = [""] * len(checked)
        self.at = 0
        self._paint()
        self.query_one("#extract-view").focus()

    # ---------------------------------------------------------------- showing

    def _paint(self) -> None:
        marked = self.query_one("#extract-marked", Static)
        panel = self.query_one("#extract-proposal", Static)
        title = self.query_one("#extract-title", Static)
        if not self.checked:
            marked.update(Text("No deals found in this text." if self.text else "No proposals yet."))
            panel.update(Text(""))
            return
        c = self.checked[self.at]
        p = c.proposal
        a, b = p.spans["excerpt"]
        start = self.text.rfind("\n", 0, a) + 1
        end = self.text.find("\n", b)
        end = len(self.text) if end < 0 else end
        shown = Text(UNSAFE.sub("\ufffd", self.text[start:end]))  # one for one: the spans stay put
        for field, style in MARKS.items():
            if field in p.spans:
                s, e = p.spans[field]
                shown.stylize(style, s - start, e - start)
        self.marked = shown
        marked.update(shown)
        done = sum(1 for s in self.states if s)
        title.update(Text(f"Proposal {self.at + 1} of {len(self.checked)} ({done} done): a accept, e edit, "
                          "x reject, s attach, ←/→ move, esc back"))  # fmt: skip
        panel.update(proposal_text(c, self.states[self.at]))

    def action_move(self, step: int) -> None:
        if self.checked:
            self.at = (self.at + step) % len(self.checked)
            self._paint()

    def _next(self, state: str) -> None:
        self.states[self.at] = state
        open_ones = [i for i, s in enumerate(self.states) if not s]
        if open_ones:
            self.at = next((i for i in open_ones if i > self.at), open_ones[0])
        self._paint()

    def _current(self) -> Checked | None:
        if self.busy or not self.checked:
            return None
        if self.states[self.at]:
            self.app.notify(f"This proposal is {self.states[self.at]} already.", markup=False)
            return None
        return self.checked[self.at]

    def row(self, c: Checked) -> dict[str, str]:
        """The proposal as deals-CSV fields, with the article as its source and the sentence as its excerpt."""
        from tracker.core.extract.output import csv_row

        return csv_row(c, self.article())

    def article(self) -> Article:
        """The article as the source field gives it: a URL among its words, the rest the outlet."""
        from tracker.core.extract.output import Article

        words = self.query_one("#extract-source", Input).value.split()
        url = next((w for w in words if w.lower().startswith(("http://", "https://"))), None)
        outlet = " ".join(w for w in words if w != url) or None
        return Article(self.day.isoformat(), url=url, outlet=outlet)

    # ---------------------------------------------------------------- actions

    def action_reject(self) -> None:
        if self._current() is not None:
            self._next("rejected")

    def action_attach(self) -> None:
        """The article as a new source of the stored deal the proposal duplicates (undone by ``u``)."""
        from tracker.core.domain.errors import TrackerError
        from tracker.core.domain.source_fields import parse_source_fields
        from tracker.core.records import source_undo

        c = self._current()
        app: Any = self.app
        if c is None or app.writable_or_warning() is None:
            return
        deal_id = c.existing_deal
        if deal_id is None:
            self.app.notify("This proposal duplicates no stored deal: a accepts it as a new one.", markup=False)
            return
        art = self.article()
        fields = {"kind": "news", "outlet": art.outlet, "title": art.title, "url": art.url, "published": art.date,
                  "retrieved": dt.date.today().isoformat(), "lang": art.lang, "excerpt": c.proposal.excerpt}  # fmt: skip
        try:
            values = parse_source_fields(fields)
        except TrackerError as exc:
            app.show_error("Not attached", str(exc))
            return
        self.busy = True

        def done(entry: Any) -> None:
            app.record(entry, f"Added the article as a source of deal #{deal_id}")
            self.busy = False
            self._next(f"attached to #{deal_id}")

        app.db_call(lambda conn: source_undo.add(conn, deal_id, values), done, write=True, failed=self._failed)

    def action_accept(self) -> None:
        from tracker.core.domain.fields import parse_deal_fields

        c = self._current()
        app: Any = self.app
        if c is None or app.writable_or_warning() is None:
            return
        values, errors = parse_deal_fields(self.row(c))
        if errors:
            app.show_error("Not saved", "; ".join(str(e) for e in errors))
            return
        self.busy = True

        def unknown(conn: Connection) -> tuple[list[str], dict[str, str]]:
            from tracker.core.records.changes import unknown_parties
            from tracker.ui.screens.new_orgs import new_org_notes

            names = unknown_parties(conn, values)
            return names, new_org_notes(conn, values, names) if names else {}

        def asked(found: tuple[list[str], dict[str, str]]) -> None:
            names, notes = found
            if not names:
                self._write(values, create_orgs=False)
                return
            from tracker.ui.screens.new_orgs import new_orgs_screen

            def answered(yes: bool | None) -> None:
                if yes:
                    self._write(values, create_orgs=True)
                else:
                    self.busy = False
                    self.app.notify("Not saved: e edits the names.", markup=False)

            self.app.push_screen(new_orgs_screen(names, notes), answered)

        app.db_call(unknown, asked, failed=self._failed)

    def _write(self, values: DealValues, *, create_orgs: bool) -> None:
        from tracker.core.records import undo as ops

        app: Any = self.app

        def done(result: Any) -> None:
            deal_id, created, entry = result
            new = f" (new: {', '.join(created)})" if created else ""
            app.record(entry, f"Added deal #{deal_id}{new}")
            self.busy = False
            self._next(f"accepted as #{deal_id}")

        app.db_call(lambda conn: ops.add(conn, values, create_orgs), done, write=True, failed=self._failed)

    def _failed(self, message: str) -> None:
        self.busy = False
        app: Any = self.app
        app.show_error("Not saved", message)

    def action_edit(self) -> None:
        c = self._current()
        app: Any = self.app
        if c is None or app.writable_or_warning() is None:
            return
        initial = form_fields(self.row(c), c)

        def show(names: list[str]) -> None:
            from tracker.ui.screens.deal_form import DealFormScreen

            self.app.push_screen(DealFormScreen(self.db, initial=initial, names=names), self._edited)

        from tracker.core.records.orgs import all_org_names

        app.db_call(all_org_names, show)

    def _edited(self, result: DealFormResult | None) -> None:
        if result is None:
            return
        app: Any = self.app
        new = f" (new: {', '.join(result.created_orgs)})" if result.created_orgs else ""
        app.record(result.undo, f"Added deal #{result.deal_id}{new}")
        self._next(f"saved as #{result.deal_id}")

    def action_back(self) -> None:
        self.dismiss(None)


def form_fields(row: dict[str, str], c: Checked) -> dict[str, str]:
    """The deal form's fields for a proposal: its amount as the article wrote it (高达1000亿美元)."""
    from tracker.core.domain.capacity import format_capacity

    p = c.proposal
    fields = {k: row.get(k, "") for k in FORM_KEYS}
    if p.amount_text:
        fields["amount"] = p.amount_text
    fields["capacity_gw"] = format_capacity(p.capacity_gw, p.capacity_qualifier)
    return fields


def proposal_text(c: Checked, state: str) -> Text:
    """The proposal's fields as a person reads them, and what the database says about it."""
    from tracker.core.domain.amount_format import format_amount
    from tracker.core.domain.capacity import format_capacity

    p = c.proposal
    out = Text()
    out.append(f"{p.kind}  ", style="bold")
    out.append(visible(p.from_org) + (f" → {visible(p.to_org)}" if p.to_org else ""), style="bold")
    out.append(f"\namount {format_amount(p.amount, p.currency, p.qualifier)}")
    if p.capacity_gw is not None:
        out.append(f"   capacity {format_capacity(p.capacity_gw, p.capacity_qualifier)} GW")
    out.append(f"\ndate {p.date}   status {p.status}   confidence {p.confidence:.2f}")
    if c.new_orgs:
        out.append("\nnew organisations: " + visible(", ".join(c.new_orgs)), style="italic")
    if c.existing_deal is not None:
        out.append(f"\nlooks like stored deal #{c.existing_deal}", style="italic")
    if state:
        out.append(f"\n{state}", style="bold")
    return out
