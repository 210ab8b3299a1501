"""Organisations named in a text: every stored name and alias and every name of the reference list, found in
one pass by an Aho-Corasick automaton (pyahocorasick: one scan whatever the number of names, so a database
of thousands of organisations costs no more per article than eight), and organisations not yet known.

Known names match leftmost-longest (阿里云 before 阿里); Latin names only as whole words and written with a
capital (``Oracle``, ``NVIDIA``, ``xAI`` as listed: the verb "switch" is not Switch). Traditional Chinese is
matched through its simplified form (輝達 is 英伟达). A name is given by the stored organisation's name when
stored, else the reference list's (英伟达 is Nvidia), else as written.

Unknown organisations: in English, a run of capitalised words (``Crusoe Energy``, ``Mistral AI``) that is not
a place, a month, a product word or a sentence's ordinary first word; a single word at a sentence's start
counts only when it is written like a brand (``CoreWeave``, ``xAI``, ``G42``). In Chinese, a name of two to
six characters ending in 公司, 集团 or 科技 that stands alone (``星辰科技``, not ``全球科技产业``). Generic
phrases (the chipmaker, 该公司, 科技巨头) are never parties.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from tracker.core.domain.names import name_key
from tracker.core.records.reference import RefOrg, reference_orgs


@dataclass(frozen=True)
class Party:
    """An organisation named at ``text[start:end]``."""

    start: int
    end: int
    name: str  # the organisation's name (stored, else the reference list's, else as written)
    known: bool  # stored or on the reference list
    sector: str | None = None


@dataclass(frozen=True)
class _Entry:
    surface: str
    name: str
    sector: str | None


_LATIN = re.compile(r"[A-Za-z]")
_STOP_TEXT = """
    the a an it its in on at as but and or if this that these those there their they he she we our his her after
    before while when where which who whose what why how for from with by to of under over about also meanwhile
    separately however according earlier later last next this today yesterday tomorrow shares share investors
    analysts executives sources people company companies startup deal deals chief news report reports reported
    reportedly both each all some many most several other others such then so yet still under monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july august september
    october november december sept jan feb mar apr jun jul aug sep oct nov dec ai gpu gpus tpu tpus cpu cpus ceo
    cfo cto coo ipo us u.s uk u.k eu usa gw mw llm llms chatgpt gpt america american americans china chinese
    japan japanese korea korean europe european india indian taiwan germany france britain british uk saudi
    arabia uae emirates abu dhabi dubai qatar singapore texas ohio virginia arizona wisconsin michigan georgia
    louisiana pennsylvania new york california washington abilene norway finland sweden netherlands ireland
    spain italy australia canada mexico brazil wall street silicon valley white house congress senate government
    federal state states united kingdom blackwell hopper rubin grace h100 h200 b200 gb200 gb300 mi300 mi300x
    mi450 trainium inferentia ironwood stargate-like project projects plan plans data center centers centre
    centres cloud
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())
_EN_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9&.\-]*(?:\s+(?:[A-Z][A-Za-z0-9&.\-]*|&))*")
_ZH_SUFFIX = re.compile(r"公司|集团|科技")
_ZH_STOP = set(
    "向与和及跟同从对为给由被把将已获在是的了等拟也则于称表示并且而但其该本子母各多家巨头企业旗下包括宣布计划"
)
_ZH_GENERIC = ("科技巨头", "该公司", "本公司", "子公司", "母公司", "分公司", "全球科技", "中国科技", "美国科技", "科技公司",
               "云计算公司", "初创公司", "新创公司", "芯片公司", "人工智能公司", "这家公司", "两家公司", "多家公司", "上市公司", "集团公司")  # fmt: skip
_ZH_AFTER = set("向与和及将宣已获计的在是等拟也则于称表为从对同共达签正再又还近今日，。、；：！？,.;:!?)）】」”\"' \n")


class NameBook:
    """The names an extraction looks for (built once per database state)."""

    def __init__(self, stored: Iterable[tuple[str, str]] = ()) -> None:
        """``stored``: (a stored name or alias, its organisation's name)."""
        self.automaton = ahocorasick.Automaton()
        self.stored_names: set[str] = set()
        entries: dict[str, _Entry] = {}
        by_key: dict[str, str] = {}
        for surface, org in stored:
            self.stored_names.add(org)
            by_key[name_key(surface)] = org
        refs: list[tuple[str, RefOrg]] = [(n, ref) for ref in reference_orgs() for n in ref.names]
        for surface, ref in refs:
            stored_as = next((by_key[k] for k in (name_key(n) for n in ref.names) if k in by_key), None)
            self._add(entries, surface, stored_as or ref.name, ref.sector, primary=surface == ref.name)
        sectors = {ref.name: ref.sector for ref in reference_orgs()}
        for surface, org in stored:
            self._add(entries, surface, org, sectors.get(org), primary=surface == org)
        for key, entry in entries.items():
            self.automaton.add_word(key, (len(key), entry))
        if entries:
            self.automaton.make_automaton()
        self.empty = not entries

    @staticmethod
    def _add(entries: dict[str, _Entry], surface: str, name: str, sector: str | None, *, primary: bool) -> None:
        from tracker.core.extract.segments import normalised

        surface = surface.strip()
        if not surface or (_LATIN.search(surface) and len(surface) <= 2 and not primary):
            return  # two-letter tickers (BE, MU) are words too
        entries.setdefault(normalised(surface).lower(), _Entry(surface, name, sector))

    def known(self, norm: str, start: int, end: int) -> list[Party]:
        """Known names in ``norm[start:end]`` (normalised text), leftmost-longest, not overlapping."""
        if self.empty:
            return []
        low = norm[start:end].lower()
        found: list[tuple[int, int, _Entry]] = []
        for last, (length, entry) in self.automaton.iter(low):
            s, e = start + last - length + 1, start + last + 1
            if self._fits(norm, s, e, entry):
                found.append((s, e, entry))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        out: list[Party] = []
        reach = -1
        for s, e, entry in found:
            if s >= reach:
                out.append(Party(s, e, entry.name, True, entry.sector))
                reach = e
        return out

    @staticmethod
    def _fits(norm: str, s: int, e: int, entry: _Entry) -> bool:
        written = norm[s:e]
        if not _LATIN.search(written):
            return True
        if (s > 0 and norm[s - 1].isascii() and norm[s - 1].isalnum()) or (
            e < len(norm) and norm[e].isascii() and norm[e].isalnum()
        ):
            return False
        if written == entry.surface or (written.isupper() and len(written) >= 4):
            return True
        first = next(c for c in written if c.isalpha())
        return first.isupper() and len(written) >= 3


def unknown_english(norm: str, start: int, end: int, taken: list[Party], sentence_start: int) -> list[Party]:
    """Capitalised names in ``norm[start:end]`` not overlapping a known party (see the module's text)."""
    out: list[Party] = []
    for m in _EN_NAME.finditer(norm, start, end):
        words = m.group().split()
        s = m.start()
        while words and (words[0].lower().rstrip(".") in _STOP_WORDS or not words[0][0].isupper()):
            s = norm.index(words[0], s) + len(words[0])
            words = words[1:]
        while words and (words[-1] in ("&",) or words[-1].lower().rstrip(".") in _STOP_WORDS):
            words = words[:-1]
        if not words:
            continue
        s = norm.index(words[0], s)
        e = norm.index(words[-1], s) + len(words[-1])
        if norm[e - 1] == ".":
            e -= 1
        if any(p.start < e and s < p.end for p in taken):
            continue
        if not _looks_like_name(words, at_start=norm[sentence_start:s].strip() == ""):
            continue
        out.append(Party(s, e, norm[s:e], False))
    return out


def _looks_like_name(words: list[str], *, at_start: bool) -> bool:
    if all(w.lower().rstrip(".") in _STOP_WORDS for w in words):
        return False
    if len(words) > 1:
        return True
    word = words[0]
    if len(word) < 2 or word.endswith("'s"):
        return False
    brandish = any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word)
    return brandish or not at_start


def unknown_chinese(norm: str, start: int, end: int, taken: list[Party]) -> list[Party]:
    """Names ending in 公司, 集团 or 科技 in ``norm[start:end]`` (see the module's text)."""
    out: list[Party] = []
    for m in _ZH_SUFFIX.finditer(norm, start, end):
        e = m.end()
        if e < end and norm[e] not in _ZH_AFTER and not norm[e].isascii():
            continue
        s = m.start()
        while s > start and s > m.start() - 6 and _is_han(norm[s - 1]) and norm[s - 1] not in _ZH_STOP:
            s -= 1
        if any(p.start <= s < p.end for p in taken):
            continue  # 英伟达公司 is Nvidia already
        if m.start() - s < 2 or any(g in norm[max(start, s - 2) : e] for g in _ZH_GENERIC):
            continue
        if any(p.start < e and s < p.end for p in taken):
            continue
        out.append(Party(s, e, norm[s:e], False))
    return out


def _is_han(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff"
