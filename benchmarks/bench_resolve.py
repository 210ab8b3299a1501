"""Time what did-you-mean costs: the import with its new names resolved (reference list, close names)
beside the same import with that step left out, and one look-up against 10,000 stored organisations.

    .venv/bin/python benchmarks/bench_resolve.py                 # 200,000 rows, 3 alternated rounds
    .venv/bin/python benchmarks/bench_resolve.py --rows 1000000  # the benchmark file's size

Each round imports the generated file (tests/support/gen_deals.py: ~5,000 organisations, 30% Chinese
names) into a new empty SQLite database, in this process, once as shipped and once with
``NewNames.resolve`` replaced by a function that only returns the names to create (the reference). The
table shows the medians and their ratio. Then a resolver over 10,000 organisations with two aliases each
(loose keys precomputed) is asked for typed names: the time per look-up is what one keystroke costs in
the deal form.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.support import gen_deals  # noqa: E402
from tracker.core.csvio import parties  # noqa: E402
from tracker.core.csvio.importer import import_deals  # noqa: E402
from tracker.core.records.resolve import NameResolver  # noqa: E402
from tracker.core.storage.opening import open_database  # noqa: E402


def plain(self: Any, conn: Any, fresh: dict[str, tuple[str, int, str]], index: dict[str, int]) -> dict[str, str]:
    """The reference: every new name created as written, nothing looked up."""
    return {key: name for key, (name, _line, _column) in fresh.items()}


def import_once(csv_path: Path, folder: Path, resolve: bool) -> tuple[float, int]:
    shipped = parties.NewNames.resolve
    if not resolve:
        parties.NewNames.resolve = plain  # type: ignore[method-assign]
    try:
        db = open_database(folder / f"b{time.monotonic_ns()}.db")
        try:
            start = time.perf_counter()
            report = import_deals(db, csv_path)
            return time.perf_counter() - start, len(report.created_orgs) + len(report.reference_orgs)
        finally:
            db.dispose()
    finally:
        parties.NewNames.resolve = shipped  # type: ignore[method-assign]


def resolve_alone(csv_path: Path, folder: Path) -> tuple[float, int]:
    """The resolution step by itself: every distinct party name of the file, into an empty database
    (created from the reference list or checked for close names), rolled back."""
    import csv

    from tracker.core.csvio.report import ImportReport
    from tracker.core.domain.names import name_key

    fresh: dict[str, tuple[str, int, str]] = {}
    with open(csv_path, encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            for column in ("from_org", "to_org"):
                name = (row[column] or "").strip()
                if name:
                    fresh.setdefault(name_key(name), (name, line, column))
    db = open_database(folder / "alone.db")
    try:
        with db.write() as conn:
            start = time.perf_counter()
            parties.NewNames(ImportReport()).resolve(conn, fresh, {})
            seconds = time.perf_counter() - start
            conn.rollback()
    finally:
        db.dispose()
    return seconds, len(fresh)


def lookups(n_orgs: int) -> tuple[float, float, int]:
    rng = random.Random(7)
    entries: list[tuple[str, str]] = []
    for _ in range(n_orgs):
        name = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 14))).title()
        entries += [(name, name), (f"{name} Holdings", name)]
        if rng.random() < 0.3:
            entries.append(("".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(2, 6))), name))
    start = time.perf_counter()
    resolver = NameResolver(entries)
    built = time.perf_counter() - start
    typed = ["Nvdia", "Microsfot", "Qwertyuiopas", "英偉達", "Open AI", "Zzzzzzzz", entries[10][0][:-1] + "x"]
    rounds = 50
    start = time.perf_counter()
    for _ in range(rounds):
        for t in typed:
            resolver.candidates(t)
    return built, (time.perf_counter() - start) / (rounds * len(typed)), len(entries)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "deals.csv"
        with open(csv_path, "w", encoding="utf-8", newline="") as out:
            gen_deals.generate(args.rows, out)
        times: dict[bool, list[float]] = {True: [], False: []}
        orgs = 0
        for _ in range(args.rounds):
            for resolve in (True, False):
                seconds, orgs = import_once(csv_path, folder, resolve)
                times[resolve].append(seconds)
        alone, distinct = resolve_alone(csv_path, folder)
    with_, without = statistics.median(times[True]), statistics.median(times[False])
    print(f"import of {args.rows:,} rows ({orgs:,} new organisations), median of {args.rounds}:")
    print(f"  with the resolver     {with_:8.2f} s")
    print(f"  reference (without)   {without:8.2f} s")
    print(f"  ratio                 {with_ / without:8.2f}x")
    print(f"  the resolution alone  {alone:8.2f} s  ({distinct:,} distinct names, each once)")
    built, per, n = lookups(10_000)
    print(f"did-you-mean over 10,000 organisations ({n:,} names and aliases):")
    print(f"  index built once      {built:8.2f} s")
    print(f"  one look-up           {per * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
