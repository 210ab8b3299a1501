"""Time ``tracker import`` and ``tracker export`` beside the sqlite3 command-line tool doing the same work.

    .venv/bin/python benchmarks/bench_csv.py                 # the 1,000,000-row file, 3 alternated rounds
    .venv/bin/python benchmarks/bench_csv.py --rows 50000    # a quick try on a smaller file

In every round, in this order: ``tracker --db NEW.db --empty import FILE``, then the reference import
(the sqlite3 CLI: ``.import`` into a staging table, then ``INSERT ... SELECT`` into an organisations
table and a deals table with the two party foreign keys and indexes on date and on each party), then
``tracker --db DB export OUT.csv``, then the reference export (``sqlite3 -csv`` of the deals joined back
to organisation names, from the same database). Wall time is ``time.perf_counter`` around each child
process; peak memory is the child's maximum resident set size from ``os.wait4``. The table shows
medians over the rounds, the ratio to the reference and the targets (import <= 1.5x, export <= 2x,
peak memory < 300 MiB). The last imported database is left at ``benchmarks/out/bench.db`` for the
other benchmarks to reuse.

The input file is made by ``tests/support/gen_deals.py`` (seeded, so every machine times the same bytes) when it is
missing.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(ROOT))

from tests.support import gen_deals  # noqa: E402  (the generator the tests use too)

IMPORT_TARGET = 1.5
EXPORT_TARGET = 2.0
MEMORY_TARGET_MIB = 300

# The reference load. SQLite pragmas as tracker opens its files (WAL, synchronous NORMAL, foreign keys
# on, the same 64 MiB page cache as tracker's import), the deal table and indexes shaped like tracker's
# (see tracker/core/storage/tables.py), amounts stored as integers of 10^-4 units. Two variants: the indexes
# created with the table, before the rows arrive ("ref import", the target's reference), and created
# after the load ("ref import, indexes after": how tracker itself bulk-loads an empty table).
REFERENCE_IMPORT = """\
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -65536;
.mode csv
.import --schema temp '{csv}' staging
CREATE TABLE organization (
    id INTEGER PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    name_key VARCHAR(200) NOT NULL UNIQUE
);
CREATE TABLE deal (
    id INTEGER PRIMARY KEY,
    date DATE NOT NULL,
    date_precision VARCHAR(5) NOT NULL,
    kind VARCHAR(20) NOT NULL,
    from_org_id INTEGER NOT NULL REFERENCES organization (id) ON DELETE RESTRICT,
    to_org_id INTEGER REFERENCES organization (id) ON DELETE RESTRICT,
    amount BIGINT,
    currency VARCHAR(3),
    qualifier VARCHAR(12) NOT NULL,
    capacity_gw BIGINT,
    status VARCHAR(10) NOT NULL,
    description TEXT,
    source_outlet VARCHAR(200),
    source_title TEXT,
    source_date VARCHAR(10),
    source_url TEXT
);
{indexes_before}BEGIN;
INSERT INTO organization (name, name_key)
    SELECT name, lower(name) FROM (
        SELECT from_org AS name FROM temp.staging
        UNION SELECT to_org FROM temp.staging WHERE to_org <> ''
    );
INSERT INTO deal (date, date_precision, kind, from_org_id, to_org_id, amount, currency, qualifier,
                  capacity_gw, status, description, source_outlet, source_title, source_date, source_url)
    SELECT
        CASE length(s.date) WHEN 4 THEN s.date || '-01-01' WHEN 7 THEN s.date || '-01' ELSE s.date END,
        CASE length(s.date) WHEN 4 THEN 'year' WHEN 7 THEN 'month' ELSE 'day' END,
        s.kind, f.id, t.id,
        CASE WHEN s.amount = '' THEN NULL ELSE CAST(round(CAST(s.amount AS REAL) * 10000) AS INTEGER) END,
        nullif(s.currency, ''),
        CASE WHEN s.amount = '' THEN 'undisclosed' ELSE s.qualifier END,
        CASE WHEN s.capacity_gw = '' THEN NULL ELSE CAST(round(CAST(s.capacity_gw AS REAL) * 10000) AS INTEGER) END,
        s.status, nullif(s.description, ''), nullif(s.source_outlet, ''), nullif(s.source_title, ''),
        nullif(s.source_date, ''), nullif(s.source_url, '')
    FROM temp.staging AS s
    JOIN organization AS f ON f.name_key = lower(s.from_org)
    LEFT JOIN organization AS t ON t.name_key = lower(s.to_org);
{indexes_after}COMMIT;
SELECT count(*) FROM deal;
"""

INDEXES = """\
CREATE INDEX ix_deal_date_id ON deal (date, id);
CREATE INDEX ix_deal_from_org ON deal (from_org_id, date);
CREATE INDEX ix_deal_to_org ON deal (to_org_id, date);
"""


def reference_import(csv_path: Path, *, indexes_first: bool) -> str:
    before, after = (INDEXES, "") if indexes_first else ("", INDEXES)
    return REFERENCE_IMPORT.format(csv=csv_path, indexes_before=before, indexes_after=after)


# The reference export: every deal with its parties' names, amounts as plain decimals, in id order.
REFERENCE_EXPORT = """\
SELECT d.id,
    CASE d.date_precision WHEN 'year' THEN substr(d.date, 1, 4) WHEN 'month' THEN substr(d.date, 1, 7)
        ELSE substr(d.date, 1, 10) END AS date,
    d.kind, f.name AS from_org, t.name AS to_org,
    CASE WHEN d.amount IS NULL THEN NULL WHEN d.amount % 10000 = 0 THEN d.amount / 10000
        ELSE rtrim(printf('%d.%04d', d.amount / 10000, d.amount % 10000), '0') END AS amount,
    d.currency, d.qualifier,
    CASE WHEN d.capacity_gw IS NULL THEN NULL WHEN d.capacity_gw % 10000 = 0 THEN d.capacity_gw / 10000
        ELSE rtrim(printf('%d.%04d', d.capacity_gw / 10000, d.capacity_gw % 10000), '0') END AS capacity_gw,
    d.status, d.description, d.source_outlet, d.source_title, d.source_url, d.source_date
FROM deal AS d
JOIN organization AS f ON f.id = d.from_org_id
LEFT JOIN organization AS t ON t.id = d.to_org_id
ORDER BY d.id;
"""


@dataclass
class Sample:
    seconds: float
    peak_mib: float


@dataclass
class Series:
    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak(self) -> float:
        return max(s.peak_mib for s in self.samples)

    def spread(self) -> str:
        times = sorted(s.seconds for s in self.samples)
        return f"{times[0]:.1f}-{times[-1]:.1f}"


def run(cmd: list[str], *, stdin: str | None = None, stdout: Path | None = None) -> Sample:
    """Run one child process; its wall time and its peak resident set size (from wait4)."""
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(stdout, "wb")) if stdout else subprocess.DEVNULL
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.PIPE,
            cwd=ROOT,
        )
        if stdin is not None:
            assert proc.stdin is not None
            proc.stdin.write(stdin.encode())
            proc.stdin.close()
        assert proc.stderr is not None
        err = proc.stderr.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')[-3000:]}")
    return Sample(seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def wait_for_search_index(db: Path) -> Sample:
    """Schema 0008: after a big import, a background process builds the search index (while searches scan
    the deals not yet indexed). Wait for it, so that it never runs during another measurement, and report
    how long it took after the import returned (its memory is not ours to read: 0)."""
    t0 = time.perf_counter()
    while True:
        with contextlib.closing(sqlite3.connect(db, timeout=60)) as c:
            try:
                left = c.execute("SELECT count(*) FROM deal_search_gap WHERE lo < hi").fetchone()[0]
            except sqlite3.OperationalError:  # an older schema: no index to wait for
                left = 0
        if not left:
            return Sample(time.perf_counter() - t0, 0.0)
        time.sleep(0.5)


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def count_rows(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def header_lines(csv_path: Path, rows: int) -> list[str]:
    def version(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().split("\n")[0]
        except (OSError, subprocess.CalledProcessError):
            return "?"

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    commit = version(["git", "-C", str(ROOT), "describe", "--always", "--dirty"])
    tracker = version([str(tracker_bin()), "--version"])
    sqlalchemy = version([sys.executable, "-c", "import sqlalchemy; print(sqlalchemy.__version__)"])
    sqlite_cli = version(["sqlite3", "--version"]).split(" ")[0]
    return [
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), {mem} RAM, {platform.platform()}",
        f"python {platform.python_version()}, SQLite library {sqlite3.sqlite_version}, sqlite3 CLI {sqlite_cli}, "
        f"SQLAlchemy {sqlalchemy}, {tracker}, git {commit}",
        f"input: {csv_path} ({rows:,} rows, {csv_path.stat().st_size / 2**20:.0f} MiB)",
    ]


def tracker_bin() -> Path:
    exe = Path(sys.executable).with_name("tracker")
    return exe if exe.exists() else ROOT / ".venv" / "bin" / "tracker"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows in the generated file (default 1,000,000)")
    ap.add_argument("--rounds", type=int, default=3, help="alternated rounds (default 3)")
    ap.add_argument("--file", type=Path, default=None, help="a deals CSV to use instead of the generated one")
    args = ap.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    if args.file is not None:
        csv_path = args.file.resolve()
    else:
        csv_path = gen_deals.DEFAULT_OUT if args.rows == 1_000_000 else OUT / f"deals-{args.rows}.csv"
        if not csv_path.exists():
            print(f"generating {csv_path} ...", file=sys.stderr)
            with open(csv_path, "w", encoding="utf-8", newline="") as f:
                gen_deals.generate(args.rows, f)
    rows = count_rows(csv_path) if args.file is not None else args.rows
    for line in header_lines(csv_path, rows):
        print(line)
    print(
        f"rounds: {args.rounds}, alternated: tracker import, (its search index), sqlite3 import (indexes first), sqlite3 import "
        "(indexes after), tracker export, sqlite3 export"
    )
    print(flush=True)

    tracker = str(tracker_bin())
    sqlite = shutil.which("sqlite3")
    if sqlite is None:
        raise SystemExit("the sqlite3 command-line tool is not installed")
    work = OUT / "bench-tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    names = ("import", "search index, in the background", "ref import", "ref import, indexes after", "export",
             "ref export")  # fmt: skip
    series = {k: Series(k) for k in names}
    bench_db = OUT / "bench.db"
    try:
        for r in range(1, args.rounds + 1):
            tdb, rdb = work / "tracker.db", work / "reference.db"
            remove_db(tdb)
            remove_db(rdb)
            steps = [
                ("import", lambda tdb=tdb: run([tracker, "--db", str(tdb), "--empty", "import", str(csv_path)])),
                ("search index, in the background", lambda tdb=tdb: wait_for_search_index(tdb)),
                (
                    "ref import",
                    lambda rdb=rdb: run([sqlite, str(rdb)], stdin=reference_import(csv_path, indexes_first=True)),
                ),
                (
                    "ref import, indexes after",
                    lambda rdb=rdb: (
                        remove_db(rdb),
                        run([sqlite, str(rdb)], stdin=reference_import(csv_path, indexes_first=False)),
                    )[1],
                ),
                ("export", lambda tdb=tdb: run([tracker, "--db", str(tdb), "export", str(work / "tracker.csv")])),
                (
                    "ref export",
                    lambda tdb=tdb: run(
                        [sqlite, "-csv", "-header", str(tdb), REFERENCE_EXPORT], stdout=work / "reference.csv"
                    ),
                ),
            ]
            for name, step in steps:
                sample = step()
                series[name].samples.append(sample)
                print(f"round {r}: {name:<26} {sample.seconds:7.2f} s  {sample.peak_mib:7.1f} MiB", flush=True)
            if r == 1:  # the work was done, and done right
                with sqlite3.connect(tdb) as c:
                    n_tracker = c.execute("SELECT count(*) FROM deal").fetchone()[0]
                with sqlite3.connect(rdb) as c:
                    n_ref = c.execute("SELECT count(*) FROM deal").fetchone()[0]
                n_out, n_ref_out = count_rows(work / "tracker.csv"), count_rows(work / "reference.csv")
                print(f"check: deals tracker {n_tracker:,} / reference {n_ref:,}; exported rows tracker "
                      f"{n_out:,} / reference {n_ref_out:,}", flush=True)  # fmt: skip
                if not n_tracker == n_ref == n_out == n_ref_out == rows:
                    raise SystemExit("the row counts differ: the comparison would be meaningless")
        remove_db(bench_db)
        with sqlite3.connect(work / "tracker.db") as c:  # checkpoint the WAL so one file can be moved
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.move(work / "tracker.db", bench_db)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(
        "| step | tracker median (range) | sqlite3 median (range) | ratio | target | tracker peak | sqlite3 peak | memory target |"
    )
    print("|---|---|---|---|---|---|---|---|")
    ok = True
    for name, target in (("import", IMPORT_TARGET), ("export", EXPORT_TARGET)):
        ours, ref = series[name], series[f"ref {name}"]
        ratio = ours.median / ref.median
        time_ok = ratio <= target
        mem_ok = ours.peak < MEMORY_TARGET_MIB
        ok = ok and time_ok and mem_ok
        print(
            f"| {name} | {ours.median:.1f} s ({ours.spread()}) | {ref.median:.1f} s ({ref.spread()}) | "
            f"{ratio:.2f}x | <= {target}x {'ok' if time_ok else 'MISSED'} | {ours.peak:.0f} MiB | "
            f"{ref.peak:.0f} MiB | < {MEMORY_TARGET_MIB} MiB {'ok' if mem_ok else 'MISSED'} |"
        )
    after = series["ref import, indexes after"]
    print(
        f"| (import vs reference with indexes built after the load) | {series['import'].median:.1f} s | "
        f"{after.median:.1f} s ({after.spread()}) | {series['import'].median / after.median:.2f}x | (information) | | "
        f"{after.peak:.0f} MiB | |"
    )
    index = series["search index, in the background"]
    print(
        f"| (the search index, built by a background process after the import returned; searches scan the "
        f"deals not yet indexed meanwhile) | {index.median:.1f} s ({index.spread()}) | | | (information) | | | |"
    )
    print(f"\nthe imported database is at {bench_db}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
