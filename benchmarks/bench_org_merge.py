"""Time `merge_orgs` (and its undo) of a hub organisation, beside the same deals moved by one plain UPDATE.

Usage: .venv/bin/python benchmarks/bench_org_merge.py [--deals N] [--hub-share F] [--path PATH]

Builds a SQLite file (default /tmp/tracker-merge-bench.db) with N deals between 1,000 organisations, of
which organisation 2 is a party of about F of the deals (default 0.2), none of them with organisation 3.
Then, on copies of that file: our merge of 2 into 3 (deals on both sides, memberships, aliases, the running
sums kept by the triggers) and its undo; and, as the reference, the sqlite3 module running the two UPDATEs
that move the same deals (the same triggers fire), which is the least any merge must do.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import time
from pathlib import Path

from tracker.core.records.org_merge import merge_orgs
from tracker.core.storage.opening import open_database


def build(path: Path, deals: int, share: float) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    open_database(path).dispose()
    rng = random.Random(7)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = OFF")
    con.executemany(
        "INSERT INTO organization (id, name, name_key) VALUES (?, ?, ?)",
        ((i, f"Org {i}", f"org {i}") for i in range(1, 1001)),
    )

    def pair() -> tuple[int, int]:
        while True:
            a, b = rng.randint(4, 1000), rng.randint(4, 1000)
            if rng.random() < share:
                a = 2
            if a != b:
                return (a, b) if rng.random() < 0.5 else (b, a)

    rows = []
    for i in range(1, deals + 1):
        a, b = pair()
        rows.append((i, f"2025-{rng.randint(1, 12):02d}-01", rng.choice(["investment", "purchase"]), a, b,
                     rng.randint(1, 10**6) * 10**8, "USD", "exact"))  # fmt: skip
    con.executemany(
        "INSERT INTO deal (id, date, kind, from_org_id, to_org_id, amount, currency, qualifier) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.commit()
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=200_000)
    parser.add_argument("--hub-share", type=float, default=0.2)
    parser.add_argument("--path", type=Path, default=Path("/tmp/tracker-merge-bench.db"))
    args = parser.parse_args()
    t0 = time.perf_counter()
    build(args.path, args.deals, args.hub_share)
    print(f"built {args.deals:,} deals in {time.perf_counter() - t0:.1f} s")

    ours = args.path.with_suffix(".ours.db")
    ref = args.path.with_suffix(".ref.db")
    for copy in (ours, ref):
        shutil.copy(args.path, copy)

    db = open_database(ours)
    t0 = time.perf_counter()
    with db.write() as conn:
        result = merge_orgs(conn, 2, 3)
    merge_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    with db.write() as conn:
        result.undo.undo(conn)
    undo_s = time.perf_counter() - t0
    db.dispose()

    con = sqlite3.connect(ref)
    t0 = time.perf_counter()
    with con:
        con.execute("UPDATE deal SET from_org_id = 3 WHERE from_org_id = 2")
        con.execute("UPDATE deal SET to_org_id = 3 WHERE to_org_id = 2")
    ref_s = time.perf_counter() - t0
    con.close()

    print(f"{'measure':<44}{'seconds':>10}")
    print(f"{f'merge_orgs, {result.deals_moved:,} deals moved':<44}{merge_s:>10.2f}")
    print(f"{'its undo':<44}{undo_s:>10.2f}")
    print(f"{'reference: sqlite3, the two UPDATEs alone':<44}{ref_s:>10.2f}")
    for path in (ours, ref):
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
