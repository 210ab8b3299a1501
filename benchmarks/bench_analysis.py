"""Time totals, the top-50 map and cycle detection on a 1,000,000-deal database, beside the sqlite3 CLI.

Usage: .venv/bin/python benchmarks/bench_analysis.py [--db PATH] [--deals N] [--orgs N] [--runs N]

Uses benchmarks/out/bench.db when it exists (built by gen_deals.py + import); otherwise builds its own
file (default /tmp/tracker-analysis-bench.db) with raw sqlite3 executemany into the tracker schema.
Prints one row per measurement: our median time, the target, and the same GROUP BY run by the `sqlite3`
command-line tool as a reference, plus EXPLAIN QUERY PLAN of the totals queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sqlite3
import statistics
import subprocess
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from tracker.core.analysis.cycles import find_cycles
from tracker.core.analysis.graph import build_graph
from tracker.core.analysis.layout import layout_graph
from tracker.core.analysis.totals import compute_totals
from tracker.core.domain.vocab import GROUPINGS
from tracker.core.records.fx import set_rate
from tracker.core.storage.opening import open_database

SHARED = Path(__file__).parent / "out" / "bench.db"
CURRENCIES = ["USD"] * 16 + ["CNY", "EUR", "JPY", "BRL"]  # BRL has no rate: reported apart
QUALIFIERS = ["exact"] * 6 + ["up to", "at least", "estimated", "undisclosed", "undisclosed"]
KINDS = ["investment", "purchase", "purchase", "infrastructure", "partnership"]


def build(path: Path, deals: int, orgs: int) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    open_database(path).dispose()
    rng = random.Random(5)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = OFF")
    con.executemany(
        "INSERT INTO organization (id, name, name_key, country, parent_id) VALUES (?, ?, ?, ?, ?)",
        (
            (i, f"Org {i}", f"org {i}", rng.choice(["United States", "China", "France", None]), None if i % 50 else 1)
            for i in range(1, orgs + 1)
        ),
    )
    con.executemany(
        "INSERT INTO fx_rate (currency, rate, as_of) VALUES (?, ?, ?)",
        [("CNY", "0.1404", "2025-09-29"), ("EUR", "1.173", "2025-09-29"), ("JPY", "0.00672", "2025-09-29")],
    )

    def party() -> int:  # a few hubs take most of the deals, like the real market
        return min(int(rng.paretovariate(0.6)), orgs)

    def rows() -> Any:
        for i in range(1, deals + 1):
            kind = rng.choice(KINDS)
            a = party()
            b = None if kind == "infrastructure" else rng.randint(1, orgs) if rng.random() < 0.5 else party()
            if b == a:
                b = a % orgs + 1
            q = rng.choice(QUALIFIERS)
            amount = None if q == "undisclosed" else rng.randint(1, 10**6) * 10**8  # 10^4 .. 10^10 units
            year = rng.randint(2015, 2025)
            yield (i, f"{year}-{rng.randint(1, 12):02d}-01", "day", kind, a, b, amount,
                   None if amount is None else rng.choice(CURRENCIES), q,
                   rng.randint(1, 50) * 10**4 if rng.random() < 0.05 else None, "announced")  # fmt: skip

    con.executemany(
        "INSERT INTO deal (id, date, date_precision, kind, from_org_id, to_org_id, amount, currency, qualifier,"
        " capacity_gw, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )
    con.commit()
    con.execute("ANALYZE")
    con.close()


SEED_RATES = [tuple(line.split(",")) for line in (Path(__file__).resolve().parents[1] / "tracker" / "seed" / "fx_rates.csv")
              .read_text(encoding="utf-8").split()[1:]]  # fmt: skip


def _unrated(conn: Any) -> list[str]:
    """Currencies of disclosed amounts without any FX rate."""
    used = conn.exec_driver_sql("SELECT DISTINCT currency FROM period_total WHERE disclosed > 0").scalars()
    rated = set(conn.exec_driver_sql("SELECT DISTINCT currency FROM fx_rate").scalars()) | {"USD"}
    return sorted(c for c in used if c and c not in rated)


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


# The reference: the same sums straight from the deals table in the sqlite3 CLI (what one would run without
# tracker's running sums); tracker itself reads party_total / period_total (tracker/core/storage/sums.py).
_SUMS = "count(*), sum(amount / 100000000), sum(amount % 100000000)"  # a plain sum(amount) overflows on 1M deals
REFERENCE_SQL = {
    "org": f"SELECT from_org_id, kind, currency, qualifier, {_SUMS} FROM deal GROUP BY 1, 2, 3, 4;"
    f" SELECT to_org_id, kind, currency, qualifier, {_SUMS} FROM deal"
    " WHERE to_org_id IS NOT NULL GROUP BY 1, 2, 3, 4;",
    "kind": f"SELECT kind, currency, qualifier, {_SUMS} FROM deal GROUP BY 1, 2, 3;",
    "year": f"SELECT strftime('%Y', date), currency, qualifier, {_SUMS} FROM deal GROUP BY 1, 2, 3;",
    "alliance": f"SELECT alliance_id, currency, qualifier, {_SUMS} FROM deal"
    " JOIN alliance_deal ON deal_id = deal.id GROUP BY 1, 2, 3;",
}


def reference_ms(path: Path, sql: str, runs: int) -> float | None:
    exe = shutil.which("sqlite3")
    if exe is None:
        return None
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([exe, str(path), sql], check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--deals", type=int, default=1_000_000)
    ap.add_argument("--orgs", type=int, default=5_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    path = args.db or (SHARED if SHARED.exists() else Path("/tmp/tracker-analysis-bench.db"))
    if not path.exists():
        t = time.perf_counter()
        build(path, args.deals, args.orgs)
        print(f"built {path} ({args.deals:,} deals, {args.orgs:,} organisations) in {time.perf_counter() - t:.1f} s")
    db = open_database(path)
    with db.read() as conn:
        n = conn.exec_driver_sql("SELECT count(*) FROM deal").scalar()
        missing = _unrated(conn)
    print(f"database {path}: {n:,} deals\n")
    rows: list[tuple[str, float, str, float | None, str]] = []
    if missing:
        # as found (bench_csv.py imports into an --empty database: no FX rates), every amount in those
        # currencies is reported apart, per row: the worst case, measured for information
        for by in ("org", "country", "group"):
            with db.read() as conn:
                ms, totals = median_ms(lambda by=by, conn=conn: compute_totals(conn, by), args.runs)
            rows.append((f"totals --by {by}, no rate for {','.join(missing)}", ms, "(info)", None,
                         f"{len(totals.rows)} rows"))  # fmt: skip
        with db.write() as conn:  # what a user does first (the seed has these rates): tracker fx set ...
            for currency, rate, as_of in SEED_RATES:
                if currency in missing:
                    set_rate(conn, currency, Decimal(rate), dt.date.fromisoformat(as_of))
        print(f"added the seed's FX rates for {', '.join(missing)} (tracker fx set), as a user would\n")
    for by in GROUPINGS:
        with db.read() as conn:
            ms, totals = median_ms(lambda by=by, conn=conn: compute_totals(conn, by), args.runs)
        ref_sql = REFERENCE_SQL.get({"country": "org", "group": "org"}.get(by, by))
        ref = reference_ms(path, ref_sql, args.runs) if ref_sql else None
        rows.append((f"totals --by {by}", ms, "< 500 ms", ref, f"{len(totals.rows)} rows"))
    with db.read() as conn:
        ms, graph = median_ms(lambda: layout_graph(build_graph(conn, top=50)), args.runs)
        rows.append(("map, top 50 orgs (build + layout)", ms, "< 1000 ms", None, f"{graph.width}x{graph.height} cells"))
        ms, search = median_ms(lambda: find_cycles(conn), args.runs)
        rows.append(("cycles, whole graph", ms, "< 2000 ms", None, search.note))
    print(f"{'measurement':<36} {'ours':>10} {'target':>10} {'sqlite3 CLI':>12}  note")
    for name, ms, target, ref, note in rows:
        ref_s = f"{ref:,.0f} ms" if ref is not None else "-"
        print(f"{name:<36} {ms:>7,.0f} ms {target:>10} {ref_s:>12}  {note}")
    print("\nEXPLAIN QUERY PLAN (SQLite):")
    con = sqlite3.connect(path)
    for label, sql in (
        ("by organisation and side", "SELECT org_id, side, sum(deals), sum(exact_hi) FROM party_total "
                                     "GROUP BY org_id, side"),
        ("by kind", "SELECT kind, sum(deals), sum(exact_hi) FROM period_total GROUP BY kind"),
        ("map edges of 3 parties", "SELECT from_org_id, to_org_id, kind, count(*) FROM deal WHERE from_org_id "
                                   "IN (1, 2, 3) AND to_org_id IN (1, 2, 3) GROUP BY 1, 2, 3"),
        ("cycle pairs", "SELECT from_org_id, to_org_id FROM deal "
                        "WHERE kind IN ('investment', 'purchase') AND to_org_id IS NOT NULL"),
    ):  # fmt: skip
        plan = " | ".join(r[3] for r in con.execute("EXPLAIN QUERY PLAN " + sql))
        print(f"  {label}: {plan}")
    con.close()
    db.dispose()


if __name__ == "__main__":
    main()
