"""Completion of the last name in a ``;``-separated list of names (the deal form's alliances, the members of
a new alliance), matched by a look-up key: typing ``openai-nv`` offers ``OpenAI–Nvidia–Oracle triangle``
when the key is :func:`tracker.core.domain.names.alliance_key` (case, dashes and spacing aside).

The names can be given after the input is made (:attr:`NameListSuggester.names`, read from the database in a
worker), so nothing is cached. A name holding control characters is never offered (it could not be typed,
and a suggestion is drawn as typed)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.suggester import Suggester

from tracker.core.domain.names import name_key
from tracker.core.domain.text import has_control


class NameListSuggester(Suggester):
    """Suggest the first of ``names`` whose key starts with the key of what is typed after the last ``;``."""

    def __init__(self, names: Iterable[str] = (), *, key: Callable[[str], str] = name_key) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.key = key
        self.names: list[str] = []
        self.set_names(names)

    def set_names(self, names: Iterable[str]) -> None:
        """The names to offer, in the order they are offered."""
        self.names = [n for n in names if not has_control(n)]

    async def get_suggestion(self, value: str) -> str | None:
        return self.suggest(value)

    def suggest(self, value: str) -> str | None:
        """``value`` with its last name completed, or None."""
        _head, _sep, tail = value.rpartition(";")
        typed = tail.lstrip()
        wanted = self.key(typed) if typed else ""
        if not wanted:
            return None
        prefix = value[: len(value) - len(typed)]
        for name in self.names:
            if self.key(name).startswith(wanted) and name != typed:
                return prefix + name
        return None
