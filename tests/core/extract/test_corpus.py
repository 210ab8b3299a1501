"""The corpus figures (tests/data/extract; benchmarks/bench_extract.py prints them) held to the issue's targets,
and the seed article read into the seed's deals and nothing from its commentary."""

from __future__ import annotations

import csv
import datetime as dt
import io
from importlib import resources

from tests.support.data import SEED_ARTICLE
from tests.support.extract_corpus import load_corpus, score
from tracker.core.domain.amount_parser import parse_amount
from tracker.core.domain.capacity import parse_capacity
from tracker.core.extract.assemble import extract
from tracker.core.extract.parties import NameBook
from tracker.core.records.reference import reference_for


def test_the_corpus_is_as_the_issue_asks() -> None:
    corpus = load_corpus()
    assert len(corpus) >= 30
    langs = [p.lang for p in corpus]
    assert abs(langs.count("zh") - langs.count("en")) <= 2
    assert sum(not p.deals for p in corpus) >= 5


def test_the_corpus_figures_meet_the_targets() -> None:
    for lang, s in score(load_corpus()).items():
        assert s.precision() >= 0.85, (lang, s.precision(), s.misses)
        assert s.recall() >= 0.85, (lang, s.recall(), s.misses)
        for name in ("amount", "currency"):
            assert s.field_pr(name)[2] >= 0.9, (lang, name, s.misses)


def _seed_deals() -> list[tuple[str, str, str | None, object, object, str]]:
    text = resources.files("tracker.seed").joinpath("deals.csv").read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        name = lambda n: (reference_for(n).name if reference_for(n) else n) if n else None  # noqa: E731
        amount = parse_amount(row["amount"] or None, row["currency"] or None).amount
        cap = parse_capacity(row["capacity_gw"]) if row["capacity_gw"] else None
        out.append((row["kind"], name(row["from_org"]), name(row["to_org"]), amount,
                    (cap.gw, cap.qualifier) if cap else None, row["date"]))  # fmt: skip
    return out


def test_the_seed_article_gives_the_seeds_deals_and_nothing_from_its_commentary() -> None:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    found = extract(text, NameBook(), dt.date(2025, 9, 29))
    got = [
        (p.kind, p.from_org, p.to_org, p.amount, (p.capacity_gw, p.capacity_qualifier) if p.capacity_gw else None,
         p.date)
        for p in found
    ]  # fmt: skip
    assert sorted(got, key=str) == sorted(_seed_deals(), key=str)
    commentary = text.index("可以看到")
    triangle = text.index("例如")
    assert all(p.spans["excerpt"][0] < commentary or p.spans["excerpt"][0] >= triangle for p in found)
