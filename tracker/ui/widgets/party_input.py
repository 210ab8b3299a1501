"""A party field of the deal form: completes organisation names as you type, offers the stored
organisation for a close name ("did you mean Nvidia?"), and Tab takes what it shows.

- Completion: the first stored name or alias that starts with what is typed (any case), then the first
  name of the reference list (tracker/core/records/reference.py); shown faded after the cursor. Both lists
  are sorted once, so each keystroke costs a binary search, whatever the number of organisations.
- A name that completes to nothing and names nothing stored, but is close to a stored or reference name
  (tracker/core/records/resolve.py), shows "did you mean …? tab takes it" on the line below (the label
  ``#hint-<column>`` of the form); a name of the reference list says it will be created from it.
- Tab takes the completion shown, or the close name offered, then moves on as Tab does.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType
from textual.suggester import Suggester
from textual.widgets import Input, Label

from tracker.core.domain.names import name_key
from tracker.core.domain.text import visible
from tracker.core.records.reference import reference_for, reference_orgs
from tracker.core.records.resolve import NameResolver, did_you_mean

if TYPE_CHECKING:
    from textual.screen import Screen

    from tracker.core.storage.handle import Database


class Completions:
    """Names in tiers (stored, then reference), each sorted once by its casefolded form."""

    def __init__(self, *tiers: list[str]) -> None:
        self.tiers = [sorted({(n.casefold(), n) for n in tier}) for tier in tiers]

    def complete(self, typed: str) -> str | None:
        """The first name of the first tier that starts with ``typed`` (any case) and is longer, or None."""
        folded = typed.casefold()
        if not folded:
            return None
        for tier in self.tiers:
            i = bisect.bisect_left(tier, (folded, ""))
            while i < len(tier) and tier[i][0].startswith(folded):
                if len(tier[i][0]) > len(folded):
                    return tier[i][1]
                i += 1
        return None


class CompletionSuggester(Suggester):
    """Textual's suggester over :class:`Completions` (what is shown faded is what Tab takes)."""

    def __init__(self, completions: Completions) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.completions = completions

    async def get_suggestion(self, value: str) -> str | None:
        found = self.completions.complete(value)
        # shown as the rest of the text after the cursor: keep what was typed, then the completion's end
        return value + found[len(value) :] if found is not None else None


class PartyNames:
    """What both party fields share: the completions, the stored names' keys, and (once read) the resolver."""

    def __init__(self, stored: list[str]) -> None:
        self.completions = Completions(stored, [org.name for org in reference_orgs()])
        self.stored_keys = {name_key(n) for n in stored}
        self.resolver: NameResolver | None = None
        """The stored names for "did you mean", once the form has read them (a thread worker)."""


class PartyInput(Input):
    """The From and To fields of the deal form."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "take", "Take the suggestion", id="form.take_suggestion", show=False),
    ]

    def __init__(self, value: str, *, names: PartyNames, column: str, placeholder: str = "") -> None:
        self.names = names
        self.completions = names.completions
        super().__init__(value, placeholder=placeholder, suggester=CompletionSuggester(self.completions), compact=True)
        self.column = column
        self.meant: str | None = None
        """The close name offered for what is typed (Tab takes it), or None."""

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self:
            self.refresh_hint()

    def refresh_hint(self) -> None:
        """Work out what to offer for the value typed, and say it on the line below."""
        typed = self.value.strip()
        self.meant = None
        note = ""
        if typed and name_key(typed) not in self.names.stored_keys and self.completions.complete(typed) is None:
            ref = reference_for(typed)
            if ref is not None:
                note = f"{ref.name}: a known organisation, created from the reference list on save"
            elif self.names.resolver is not None:
                found = self.names.resolver.candidates(typed)
                if found:
                    self.meant = found[0].name
                    note = f"{did_you_mean(found)} tab takes {self.meant}"
        hints = self.screen.query(f"#hint-{self.column}").results(Label) if self.is_mounted else iter(())
        for hint in hints:
            hint.update(visible(note))
            hint.display = bool(note)

    def action_take(self) -> None:
        """Tab: take the completion shown (or the close name offered), then on to the next field."""
        found = self.completions.complete(self.value) if self.cursor_at_end else None
        if found is not None:
            self.value = found
        elif self.meant is not None:
            self.value = self.meant
        self.cursor_position = len(self.value)
        self.screen.focus_next()


def read_names_for(screen: Screen[Any], db: Database) -> None:
    """Read the stored names for "did you mean" on a worker thread (off the UI thread), then hand them to
    the party fields of ``screen``."""

    def read() -> None:
        with db.read() as conn:
            resolver = NameResolver.load(conn)
        screen.app.call_from_thread(give, resolver)

    def give(resolver: NameResolver) -> None:
        for party in screen.query(PartyInput):
            party.names.resolver = resolver
            party.refresh_hint()

    screen.run_worker(read, thread=True, exclusive=True, group="deal-form-names", exit_on_error=False)
