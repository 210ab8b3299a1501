"""Real `tracker` processes, generated deals CSVs, SQLite peeks and spare PostgreSQL schemas, for any test."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
"""The pytest-xdist worker running this test (``gw0``, ``gw1``...), or "" when the suite runs in one process.
Whatever a test creates on the shared PostgreSQL server (databases, roles) carries it in its name."""


def _own_database(url: str | None) -> str | None:
    """The server's database for this worker: ``NAME_gw0`` beside ``NAME``, created when missing, so that
    workers running at once never reset each other's schema."""
    if not url or not WORKER:
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{WORKER}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if conn.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).first() is None:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


PG_URL = _own_database(os.environ.get("TRACKER_TEST_POSTGRES_URL"))
TRACKER = [sys.executable, "-m", "tracker"]
HEADER = "id,date,kind,from_org,to_org,amount,currency,qualifier,status,description\n"


@dataclass
class Proc:
    code: int
    out: str
    err: str


def tracker_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_DB", "TRACKER_DEBUG", "TRACKER_BUSY_TIMEOUT")}
    return {**env, "COLUMNS": "200", **extra}


def tracker_args(db: str, *args: str, empty: bool = False) -> list[str]:
    return [*TRACKER, "--db", db, *(["--empty"] if empty else []), *args]


def run_tracker(db: str, *args: str, empty: bool = False, input: bytes | str | None = None,
                env: dict[str, str] | None = None, timeout: float = 300) -> Proc:  # fmt: skip
    data = input.encode() if isinstance(input, str) else input
    proc = subprocess.run(
        tracker_args(db, *args, empty=empty), input=data, capture_output=True, env=env or tracker_env(),
        timeout=timeout,
    )  # fmt: skip
    return Proc(proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace"))


def start_tracker(
    db: str, *args: str, empty: bool = False, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        tracker_args(db, *args, empty=empty), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=env or tracker_env(),
    )  # fmt: skip


def finish(proc: subprocess.Popen[bytes], timeout: float = 300) -> Proc:
    out, err = proc.communicate(timeout=timeout)
    return Proc(proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"))


def deal_rows(n: int, prefix: str, *, orgs: int = 500, start: int = 0) -> Iterator[str]:
    """``n`` deterministic deals CSV rows (no header), each with a unique outside key ``{prefix}-{i}``."""
    kinds = ("investment", "purchase", "partnership")
    for i in range(start, start + n):
        a, b = i % orgs, (i * 7 + 3) % orgs
        if a == b:
            b = (b + 1) % orgs
        amount = "" if i % 5 == 0 else f"{(i % 9973) * 1000 + 1}.25"
        qualifier = "undisclosed" if not amount else "exact"
        currency = "" if not amount else ("USD" if i % 3 else "CNY")
        yield (f"{prefix}-{i},20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d},{kinds[i % 3]},"
               f"Org {a},Org {b},{amount},{currency},{qualifier},announced,\"Deal {i}, generated\"\n")  # fmt: skip


def write_deals_csv(path: Path, n: int, prefix: str, *, orgs: int = 500) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(HEADER)
        f.writelines(deal_rows(n, prefix, orgs=orgs))
    return path


def sqlite_rows(path: Path | str, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def sqlite_value(path: Path | str, sql: str) -> object:
    return sqlite_rows(path, sql)[0][0]


def no_traceback(err: str) -> None:
    assert "Traceback" not in err, err
    assert "unexpected error" not in err, err


def pg_admin(sql: str) -> None:
    assert PG_URL is not None
    from sqlalchemy import create_engine

    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def reset_pg_schema(url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url
