"""The import is strict, and one to one (issue 17: findings 4, 5, 19 and 20, the import's cases).

- 4: a file cut inside a quoted field, or a row cut short, is refused naming the line; nothing written.
- 5: a natural match is one to one: identical rows of one file are that many deals, whatever the
  database holds and whatever the batch size, and importing the same file again changes nothing.
- 19: a ref taken from another deal, an encoding that is not a text file's (rot13, base64, hex, punycode),
  UTF-16 without a byte-order mark: one line naming the cause, exit 1, nothing written.
- 20: a pipe (``<(...)``) or a FIFO is read once, not found "empty" or waited on forever; Ctrl-C during an
  import rolls it back quietly (no traceback from the checking process either).
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.processes import Proc, no_traceback, tracker_args, tracker_env, write_deals_csv
from tracker.core.csvio import check as csvcheck
from tracker.core.csvio.importer import import_deals
from tracker.core.storage.handle import Database

HEADER = "date,kind,from_org,to_org,amount,currency,description\n"


def _export(run_cli: Callable[..., Proc]) -> str:
    result = run_cli("export")
    assert result.code == 0, result.err
    return result.out


def _deals(run_cli: Callable[..., Proc], search: str) -> list[dict[str, Any]]:
    result = run_cli("list", "--search", search, "--format", "json")
    assert result.code == 0, result.err
    return list(json.loads(result.out))


def _refused(result: Proc, *expected: str) -> None:
    assert result.code == 1, result
    no_traceback(result.err)
    for text in expected:
        assert text in result.err, (text, result.err)


# ---------------------------------------------------------------------------------------------
# 4: strict CSV


def test_an_export_cut_inside_a_quoted_description_is_refused_naming_its_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exported = _export(run_cli)
    data = exported.encode()
    line8 = data.index(b"\n8,") + 1  # deal 8 is on line 9; its description is quoted (it has commas)
    opening = data.index(b',"', line8) + 1
    cut = tmp_path / "cut.csv"
    cut.write_bytes(data[: opening + 30])
    _refused(run_cli("import", str(cut)), "line 9", "never closed")
    assert _export(run_cli) == exported


def test_an_export_cut_after_a_field_is_a_short_row_not_a_partial_update(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exported = _export(run_cli)
    rows = list(csv.reader(io.StringIO(exported)))
    header, deal8 = rows[0], rows[8]
    assert deal8[0] == "8" and deal8[header.index("source_outlet")]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerows(rows[:8])
    w.writerow(deal8[: header.index("description") + 1])  # cut right after the description's closing quote
    cut = tmp_path / "short.csv"
    cut.write_text(out.getvalue(), encoding="utf-8", newline="")
    _refused(run_cli("import", str(cut)), "line 9", f"has {header.index('description') + 1} fields",
             f"the header has {len(header)}")  # fmt: skip
    assert _export(run_cli) == exported  # deal 8 keeps its source fields


def test_the_line_named_is_where_the_open_field_begins(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "open.csv"
    f.write_text(
        "date,kind,from_org,to_org,description,source_title\n"
        "2025-01-01,investment,Open Field Co,B Co,fine,fine\n"
        '2025-01-02,investment,Open Field Co,B Co,"two\nlines","the title opens on line 4\nand never closes\n',
        encoding="utf-8",
    )
    _refused(run_cli("import", str(f)), "line 4: a quoted field begins here and is never closed")
    assert _deals(run_cli, "Open Field Co") == []


def test_a_column_absent_from_the_header_still_keeps_its_values(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(io.StringIO(_export(run_cli))))
    deal8 = next(r for r in rows if r["id"] == "8")
    f = tmp_path / "narrow.csv"
    f.write_text(f"id,date,kind,from_org,to_org,status\n8,{deal8['date']},{deal8['kind']},{deal8['from_org']},"
                 f"{deal8['to_org']},agreed\n", encoding="utf-8")  # fmt: skip
    result = run_cli("import", str(f))
    assert result.code == 0, result.err
    assert "updated 1" in result.out
    after = next(r for r in csv.DictReader(io.StringIO(_export(run_cli))) if r["id"] == "8")
    assert after["status"] == "agreed"
    assert {k: v for k, v in after.items() if k != "status"} == {k: v for k, v in deal8.items() if k != "status"}


# ---------------------------------------------------------------------------------------------
# 5: natural matching, one to one


def test_two_identical_rows_are_two_deals_and_importing_again_changes_nothing(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "plants.csv"
    f.write_text(HEADER + "2025-03-01,purchase,Acme Power,Nvidia,5000000,USD,first plant\n"
                 "2025-03-01,purchase,Acme Power,Nvidia,5000000,USD,second plant\n", encoding="utf-8")  # fmt: skip
    first = run_cli("import", str(f))
    assert first.code == 0, first.err
    assert "2 rows: added 2, updated 0, unchanged 0" in first.out
    exported = _export(run_cli)
    again = run_cli("import", str(f))
    assert again.code == 0, again.err
    assert "2 rows: added 0, updated 0, unchanged 2" in again.out
    assert sorted(d["description"] for d in _deals(run_cli, "plant")) == ["first plant", "second plant"]
    assert _export(run_cli) == exported


@pytest.mark.parametrize("batch", [7, 1000])
@pytest.mark.parametrize("seeded", [False, True], ids=["empty", "seeded"])
def test_identical_rows_give_the_same_result_whatever_the_database_and_batch(
    db_target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int, seeded: bool
) -> None:
    from tracker.core.csvio.seed import load_seed
    from tracker.core.storage.opening import open_database

    monkeypatch.setattr(csvcheck, "SPOOL_BATCH", batch)  # the blocks pass two settles one at a time
    f = tmp_path / "same.csv"
    f.write_text(HEADER + "2025-04-01,investment,Same Co,Other Co,1000,USD,the same row\n" * 2500, encoding="utf-8")
    db: Database = open_database(db_target, populate=load_seed if seeded else None)
    try:
        first = import_deals(db, f)
        assert (first.added, first.updated, first.unchanged) == (2500, 0, 0)
        second = import_deals(db, f)
        assert (second.added, second.updated, second.unchanged) == (0, 0, 2500)
        with db.read() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM deal WHERE description = 'the same row'").scalar() == 2500
    finally:
        db.dispose()


def test_a_deal_named_by_id_is_not_also_matched_by_another_row(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(io.StringIO(_export(run_cli))))
    deal2 = next(r for r in rows if r["id"] == "2")
    copy = {**deal2, "id": "", "ref": "", "description": "another deal with the same key"}
    changed = {**deal2, "status": "agreed"}
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(deal2))
    w.writeheader()
    w.writerows([copy, changed])  # the row without an id comes first: it must not take deal 2
    f = tmp_path / "both.csv"
    f.write_text(out.getvalue(), encoding="utf-8", newline="")
    result = run_cli("import", str(f))
    assert result.code == 0, result.err
    assert "2 rows: added 1, updated 1, unchanged 0" in result.out
    after = {r["id"]: r for r in csv.DictReader(io.StringIO(_export(run_cli)))}
    assert after["2"]["status"] == "agreed" and after["2"]["description"] == deal2["description"]
    assert len(after) == len(rows) + 1


def test_two_rows_naming_one_deal_by_id_and_by_ref_are_refused(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(_export(run_cli)))}
    ref = rows["6"]["ref"]
    assert ref
    exported = _export(run_cli)
    f = tmp_path / "twice.csv"
    f.write_text(f"id,date,kind,from_org,status\n6,2025,infrastructure,Microsoft,agreed\n"
                 f"{ref},2025,infrastructure,Microsoft,completed\n", encoding="utf-8")  # fmt: skip
    _refused(run_cli("import", str(f)), "line 3", "names deal 6, which line 2 already names")
    assert _export(run_cli) == exported


# ---------------------------------------------------------------------------------------------
# 19: a ref taken from another deal; encodings


def test_a_ref_moved_onto_another_deals_ref_is_refused_naming_the_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(_export(run_cli)))}
    ref6, ref7 = rows["6"]["ref"], rows["7"]["ref"]
    exported = _export(run_cli)
    f = tmp_path / "moved.csv"
    f.write_text(f"id,date,kind,from_org,ref\n7,2025,infrastructure,Google,{ref6}\n", encoding="utf-8")
    _refused(run_cli("import", str(f)), "line 2", f"ref '{ref6}'", "is deal 6's ref")
    assert _export(run_cli) == exported
    # the ref may move once deal 6 has given it up, earlier in the same file
    f.write_text(f"id,date,kind,from_org,ref\n6,2025,infrastructure,Microsoft,{ref6}-old\n"
                 f"7,2025,infrastructure,Google,{ref6}\n", encoding="utf-8")  # fmt: skip
    moved = run_cli("import", str(f))
    assert moved.code == 0, moved.err
    assert "updated 2" in moved.out
    after = {r["id"]: r["ref"] for r in csv.DictReader(io.StringIO(_export(run_cli)))}
    assert (after["6"], after["7"]) == (f"{ref6}-old", ref6) and ref7 not in after.values()


@pytest.mark.parametrize("codec", ["rot13", "base64", "hex", "punycode", "unicode_escape", "utf-7"])
def test_a_codec_that_is_not_a_text_file_encoding_is_refused(run_cli, tmp_path: Path, codec: str) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "plain.csv"
    f.write_text(HEADER + "2025-01-01,investment,Codec Co,Other Co,1,USD,x\n", encoding="utf-8")
    _refused(run_cli("import", "--encoding", codec, str(f)), f"--encoding '{codec}'", "not a text file encoding")
    assert _deals(run_cli, "Codec Co") == []


def test_utf16_without_a_byte_order_mark_is_refused_with_the_way_out(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = HEADER + "2025-01-01,investment,Wide Co,Other Co,1,USD,宽\n"
    bare = tmp_path / "le.csv"
    bare.write_bytes(text.encode("utf-16-le"))
    _refused(run_cli("import", "--encoding", "utf-16", str(bare)), "byte-order mark", "utf-16-le or utf-16-be")
    assert _deals(run_cli, "Wide Co") == []
    named = run_cli("import", "--encoding", "utf-16-le", str(bare))
    assert named.code == 0, named.err
    marked = tmp_path / "bom.csv"
    marked.write_bytes(text.replace("Wide Co", "Marked Co").encode("utf-16"))
    assert run_cli("import", "--encoding", "utf-16", str(marked)).code == 0
    wide32 = tmp_path / "bom32.csv"
    wide32.write_bytes(text.replace("Wide Co", "Thirty Two Co").encode("utf-32"))
    assert run_cli("import", "--encoding", "utf-32", str(wide32)).code == 0  # NUL bytes, yet not "binary"
    assert [d["description"] for d in _deals(run_cli, "Co")
            if d["from_org"] in ("Wide Co", "Marked Co", "Thirty Two Co")] == ["宽"] * 3  # fmt: skip


# ---------------------------------------------------------------------------------------------
# 20: pipes, FIFOs, Ctrl-C


def test_a_process_substitution_is_read_once(db_target: str) -> None:
    rows = "2025-05-01,investment,Piped Co,Other Co,1,USD,through a pipe\\n"
    script = f'exec "$@" import <(printf "{HEADER.strip()}\\n{rows}")'
    proc = subprocess.run(["bash", "-c", script, "bash", *tracker_args(db_target)], capture_output=True,
                          env=tracker_env(), timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    assert "1 rows: added 1" in proc.stdout.decode()


def test_a_fifo_is_read_once_and_does_not_hang(db_target: str, tmp_path: Path) -> None:
    fifo = tmp_path / "deals.fifo"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "w", encoding="utf-8") as w:
            w.write(HEADER + "2025-05-02,investment,Fifo Co,Other Co,1,USD,through a fifo\n")

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    proc = subprocess.run(tracker_args(db_target, "import", str(fifo)), capture_output=True, env=tracker_env(),
                          timeout=120)  # fmt: skip
    writer.join(timeout=10)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "1 rows: added 1" in proc.stdout.decode()


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 20 MB: above the size from which an import into an empty SQLite database is overlapped."""
    return write_deals_csv(tmp_path_factory.mktemp("ctrl-c") / "big.csv", 200_000, "cc", orgs=5000)


def _deal_count(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT count(*) FROM deal").fetchone()[0])
    finally:
        con.close()


def _locked(path: Path) -> bool:
    con = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc)
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("empty", [True, False], ids=["overlapped", "two-passes"])
def test_ctrl_c_during_an_import_rolls_back_quietly(tmp_path: Path, big_csv: Path, empty: bool) -> None:
    db = tmp_path / "work.db"
    assert subprocess.run(tracker_args(str(db), "list", "--limit", "1", empty=empty), capture_output=True,
                          env=tracker_env(), timeout=120).returncode == 0  # fmt: skip
    before = _deal_count(db)
    proc = subprocess.Popen(tracker_args(str(db), "import", str(big_csv)), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=tracker_env(), start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while not _locked(db):  # writing (the overlapped import also checks meanwhile, in its second process)
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl-C: the whole process group
    _out, err = proc.communicate(timeout=120)
    text = err.decode(errors="replace")
    no_traceback(text)
    assert "KeyboardInterrupt" not in text
    assert proc.returncode == 130, text
    assert "interrupted" in text
    assert _deal_count(db) == before
    assert not _locked(db)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


@pytest.mark.slow
def test_ctrl_c_reaching_the_checking_process_is_left_to_the_writer(tmp_path: Path, big_csv: Path) -> None:
    """The terminal's SIGINT reaches the overlapped import's checking process too. It must not die of it
    (with a traceback, and the writer then failing on its silence): only the writer decides. Sent to the
    checking process alone, the import goes on and completes."""
    db = tmp_path / "work.db"
    assert subprocess.run(tracker_args(str(db), "list", "--limit", "1", empty=True), capture_output=True,
                          env=tracker_env(), timeout=120).returncode == 0  # fmt: skip
    proc = subprocess.Popen(tracker_args(str(db), "import", str(big_csv)), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=tracker_env())  # fmt: skip
    deadline = time.monotonic() + 120
    while not _locked(db) or not _children(proc.pid):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    for child in _children(proc.pid):
        os.kill(child, signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    text = err.decode(errors="replace")
    no_traceback(text)
    assert proc.returncode == 0, text
    assert "200000 rows: added 200000" in out.decode()
    assert _deal_count(db) == 200_000
