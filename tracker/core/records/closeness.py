"""Names close to one another: what "did you mean" is made of. Pure (no database): an index of names
built once, asked many times.

Two names are *the same but for form* when their loose keys (:func:`loose_key`) are equal: case, spacing,
punctuation and dashes, a legal suffix (``Inc.``, ``Corp.``, ``Ltd.``, ``LLC``, ``Group``, ``集团``,
``有限公司``, ``股份有限公司``, ...), full-width letters (NFKC), and traditional against simplified Chinese
(OpenCC's dictionaries, through ``opencc-python-reimplemented``: ``英偉達`` is ``英伟达``). They are *a typo
apart* when their loose keys are a few edits apart (Damerau's optimal string alignment, from ``rapidfuzz``:
a swap of two letters is one edit): one edit where the longer key has 5 to 8 characters, two from 9, none
where either has fewer than 5 (``Meta`` and ``Mota`` are different names) and none in a key holding a digit (``9988.HK`` and ``9989.HK``
are different tickers).

:class:`CloseIndex` keeps each key once, bucketed by length, so a look-up costs one dictionary probe and
a C-speed distance over the keys of nearby lengths only: fast enough for every keystroke over tens of
thousands of names, and for each distinct new name of a million-row import.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

T = TypeVar("T")

LATIN_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "ltd",
        "limited",
        "llc",
        "plc",
        "group",
        "holdings",
        "holding",
        "ag",
        "sa",
        "se",
        "nv",
        "bv",
        "gmbh",
        "kk",
        "pjsc",
        "lp",
        "llp",
        "pte",
        "pty",
    ]
)
"""Legal-form words dropped from the end of a name (repeatedly: ``Co., Ltd.``), as whole words."""
CJK_SUFFIXES = (
    "股份有限公司", "有限责任公司", "集团有限公司", "控股有限公司", "有限公司", "集团", "控股", "公司",
    "株式会社", "주식회사",
)  # fmt: skip
"""Legal-form endings of Chinese, Japanese and Korean names (simplified: the key is converted first)."""
CJK_PREFIXES = ("株式会社", "주식회사", "(주)")

_WORDS = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


@functools.cache
def _t2s() -> object:
    import opencc  # opencc-python-reimplemented: OpenCC's dictionaries in pure Python (loaded once)

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` with traditional Chinese characters made simplified (other text unchanged)."""
    if not _CJK.search(text):
        return text
    converted: str = _t2s().convert(text)  # type: ignore[attr-defined]
    return converted


@functools.lru_cache(maxsize=65536)
def loose_key(name: str) -> str:
    """What is left of ``name`` when case, spacing, punctuation and dashes, a legal suffix, full-width
    forms and traditional characters are set aside: ``Open-AI Inc.`` -> ``openai``, ``英偉達集團`` -> ``英伟达``."""
    text = simplified(unicodedata.normalize("NFKC", name).casefold())
    for prefix in CJK_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
    words = _WORDS.findall(text)
    while len(words) > 1 and words[-1] in LATIN_SUFFIXES:
        words.pop()
    key = "".join(words)
    stripped = True
    while stripped:
        stripped = False
        for suffix in CJK_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                stripped = True
    return key


def typo_budget(key: str) -> int:
    """How many edits still make a loose key close to another: 0 under 5 characters or with a digit,
    1 up to 8 characters, 2 from 9."""
    if len(key) < 5 or any(ch.isdigit() for ch in key):
        return 0
    return 1 if len(key) <= 8 else 2


@dataclass(frozen=True)
class Close(Generic[T]):
    """One candidate: what it points at, the name that matched, and how far (0: the same but for form)."""

    target: T
    matched: str
    edits: int


class CloseIndex(Generic[T]):
    """Names (each pointing at a target: an organisation, a reference entry) searchable by closeness."""

    def __init__(self, entries: Iterable[tuple[str, T]] = ()) -> None:
        self.by_key: dict[str, list[tuple[str, T]]] = {}
        self.by_length: dict[int, list[str]] = {}
        for name, target in entries:
            self.add(name, target)

    def __len__(self) -> int:
        return len(self.by_key)

    def add(self, name: str, target: T) -> None:
        """Index ``name`` as a way to name ``target``."""
        key = loose_key(name)
        if not key:
            return
        found = self.by_key.get(key)
        if found is None:
            self.by_key[key] = [(name, target)]
            self.by_length.setdefault(len(key), []).append(key)
        elif all(t != target for _n, t in found):
            found.append((name, target))

    def close(self, name: str, limit: int = 3) -> list[Close[T]]:
        """The targets whose names are close to ``name``: the same but for form first, then a typo
        apart, nearest first; one entry per target, at most ``limit``."""
        key = loose_key(name)
        if not key:
            return []
        out: list[Close[T]] = []
        seen: list[T] = []

        def take(k: str, edits: int) -> None:
            for matched, target in self.by_key[k]:
                if target not in seen:
                    seen.append(target)
                    out.append(Close(target, matched, edits))

        if key in self.by_key:
            take(key, 0)
        if typo_budget(key) and len(out) < limit:
            near: list[tuple[int, str]] = []
            most = 2  # the budget of a key of 9 or more; each pair is held to the budget of its longer key
            for length in range(len(key) - most, len(key) + most + 1):
                keys = self.by_length.get(length)
                if not keys:
                    continue
                for k, edits, _i in process.extract(key, keys, scorer=OSA.distance, score_cutoff=most, limit=None):
                    if 0 < edits <= typo_budget(max(k, key, key=len)) and typo_budget(k):
                        near.append((int(edits), k))
            for edits, k in sorted(near):
                take(k, edits)
        return out[:limit]
