"""The app's first page read with the standard library matches the core's first page exactly."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.support.data import CIRCULAR_CSV
from tracker.core.csvio.importer import import_deals
from tracker.core.csvio.seed import load_seed
from tracker.core.records.firstpage import first_page
from tracker.core.records.fx import rates_at
from tracker.core.records.pages import DealFilter, count_deals, page
from tracker.core.storage.opening import open_database


def test_first_page_equals_the_cores_first_page(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    db = open_database(path, populate=load_seed)
    import_deals(db, CIRCULAR_CSV)
    with db.read() as conn:
        core_rows = page(conn, DealFilter(), limit=40)
        count = count_deals(conn)
        rates = {c: r.rate for c, r in rates_at(conn).items()}
    db.dispose()
    quick = first_page(str(path), limit=40)
    assert quick is not None
    assert quick.count == count == 99
    fields = ("id", "date", "date_precision", "kind", "from_org", "to_org", "amount", "currency", "qualifier",
              "capacity_gw", "status", "description")  # fmt: skip
    assert [[getattr(r, f) for f in fields] for r in quick.rows] == [[getattr(r, f) for f in fields] for r in core_rows]
    assert [r.key for r in quick.rows] == [r.key for r in core_rows]
    assert {c: r.rate for c, r in quick.rates.items()} == rates


def test_first_page_declines_when_unsure(tmp_path: Path) -> None:
    assert first_page("postgresql+psycopg://u:p@localhost/db") is None
    assert first_page(str(tmp_path / "missing.db")) is None
    assert not (tmp_path / "missing.db").exists()  # read-only: never creates a file
    path = tmp_path / "old.db"
    open_database(path, populate=load_seed).dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.commit()
    con.close()
    assert first_page(str(path)) is None  # an older schema waits for the upgrade


def test_quickpage_imports_neither_sqlalchemy_nor_sqlmodel() -> None:
    code = "import sys, tracker.core.records.firstpage, tracker.ui.sources.cells; print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel'}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
