"""How well and how fast `tracker extract` reads the corpus (tests/data/extract: paragraphs of real reporting
on the AI-infrastructure race, paraphrased, half Chinese, half English, each with the deals it states).

Prints, per language: parties-and-direction precision and recall, and per field (kind, amount, currency,
qualifier, capacity, date) precision, recall and the share of matched deals where it is right; then the time
per 1,000 characters and for a 5,000-character article, beside the targets (P and R >= 0.85, amount and
currency right on >= 90% of matched deals, under 200 ms for 5,000 characters).

    .venv/bin/python benchmarks/bench_extract.py [--misses]
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.extract_corpus import FIELDS, load_corpus, score
from tracker.core.extract.assemble import extract
from tracker.core.extract.parties import NameBook


def main() -> None:
    started = time.perf_counter()
    book = NameBook()
    build = time.perf_counter() - started
    corpus = load_corpus()
    scores = score(corpus, book)
    print(f"corpus: {len(corpus)} paragraphs ({sum(p.lang == 'zh' for p in corpus)} zh, "
          f"{sum(p.lang == 'en' for p in corpus)} en), {sum(len(p.deals) for p in corpus)} deals expected")  # fmt: skip
    for lang, s in scores.items():
        print(f"\n[{lang}] {s.proposed} proposed, {s.expected} expected, {s.matched} matched")
        print(f"  {'parties+direction':<18} P {s.precision():.2f}  R {s.recall():.2f}   (target >= 0.85 each)")
        for name in FIELDS:
            p, r, a = s.field_pr(name)
            target = "   (target: right on >= 90% of matched)" if name in ("amount", "currency") else ""
            print(f"  {name:<18} P {p:.2f}  R {r:.2f}  right on {a:.0%} of matched{target}")
        if "--misses" in sys.argv:
            for miss in s.misses:
                print("   -", miss)
    chars = sum(s.chars for s in scores.values())
    seconds = sum(s.seconds for s in scores.values())
    article = ""
    paras = [p.text for p in corpus]
    while len(article) < 5000:
        article += paras[len(article) % len(paras)] + "\n\n"
    article = article[:5000]
    runs = 20
    t0 = time.perf_counter()
    for _ in range(runs):
        extract(article, book, dt.date(2025, 10, 1))
    per_article = (time.perf_counter() - t0) / runs
    print(f"\nspeed: {seconds / chars * 1000 * 1000:.1f} ms per 1,000 characters over the corpus; "
          f"{per_article * 1000:.1f} ms for a 5,000-character article (target < 200 ms); "
          f"the name book (reference list) built once in {build * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
