"""`export FILE` and `export --all DIR` never lose data (issue 17): the database is refused as an output
(#17.1); an export killed (SIGKILL), interrupted (SIGINT) or out of disk space (``ulimit -f``) leaves the
old file or folder exactly as it was and, but for SIGKILL, no temporary file (#17.2, #17.3); new exports are
private (#17.16); a folder that does not exist is one line (#17.19).

The kill comes mid-export without timing guesses: the test waits until the temporary file beside the target
holds data, freezes the exporter (SIGSTOP), checks that it has not renamed it yet, then signals it.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.processes import Proc, no_traceback, run_tracker, sqlite_value, tracker_args, tracker_env

Run = Callable[..., Proc]
BIG_ROWS = int(os.environ.get("TRACKER_EXPORT_KILL_ROWS", "60000"))
OLD = b"the previous export, which must survive\r\n" * 1000
# The parallel export (two workers) from this many deals up, for a test's process (its default is 200,000)
PARALLEL = "import sys; from tracker.core.csvio import parallel; parallel.MIN_DEALS = 1000; "
PARALLEL += "sys.argv[0] = 'tracker'; from tracker.cli.main import main; main()"


def _generated_csv(path: Path, rows: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("date,kind,from_org,to_org,amount,currency,qualifier,description\n")
        pad = "x" * 900
        for i in range(rows):
            f.write(f'2024-{1 + i % 12:02d}-{1 + i % 28:02d},investment,Org {i % 300},Org {(i * 7 + 1) % 300},'
                    f'{i * 1000 + 1},USD,exact,"Deal {i}, {pad}"\n')  # fmt: skip
    return path


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database of BIG_ROWS deals of about 1 KB each (an export of about 60 MB)."""
    folder = tmp_path_factory.mktemp("big")
    db = folder / "big.db"
    result = run_tracker(str(db), "import", str(_generated_csv(folder / "big.csv", BIG_ROWS)), empty=True)
    assert result.code == 0, result.err
    return db


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(folder: Path, name: str) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(f".{name}.")]


def _start(db: Path | str, *args: str, parallel: bool = False, group: bool = False,
           limit: int | None = None) -> subprocess.Popen[bytes]:  # fmt: skip
    cmd = tracker_args(str(db), *args)
    if parallel:
        cmd = [sys.executable, "-c", PARALLEL, *cmd[3:]]

    def limited() -> None:
        if limit is not None:  # a full disk: writes past `limit` bytes fail with EFBIG
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=tracker_env(),
                            start_new_session=group, preexec_fn=limited)  # fmt: skip


def _finish(proc: subprocess.Popen[bytes]) -> Proc:
    out, err = proc.communicate(timeout=300)
    return Proc(proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"))


def _freeze_mid_write(proc: subprocess.Popen[bytes], folder: Path, name: str, inner: str | None = None) -> None:
    """Wait until the export's temporary file (``inner`` in its temporary folder, for --all) holds data,
    then stop the exporter (SIGSTOP) before it can rename anything; fail (not flake) if it ends first."""
    while True:
        for temp in _leftovers(folder, name):
            data = temp / inner if inner else temp
            try:
                if data.stat().st_size > 1 << 20:
                    proc.send_signal(signal.SIGSTOP)
                    assert data.exists(), "the export renamed its file before it was stopped: use more rows"
                    return
            except FileNotFoundError:
                pass
        if proc.poll() is not None:
            pytest.fail(f"the export ended (exit {proc.returncode}) before it was caught; use more rows")
        time.sleep(0.002)


def _signal(proc: subprocess.Popen[bytes], sig: int, *, group: bool) -> None:
    if group:  # as a terminal's Ctrl-C: the whole process group (the parallel export's workers too)
        os.killpg(proc.pid, sig)
        os.killpg(proc.pid, signal.SIGCONT)
    else:
        proc.send_signal(sig)
        proc.send_signal(signal.SIGCONT)


# ---------------------------------------------------------------------------------------------
# The database is never an output (#17.1)


def test_exporting_onto_the_database_is_refused_under_any_of_its_names(tmp_path: Path) -> None:
    db = tmp_path / "e1.db"
    assert run_tracker(str(db), "list").code == 0
    os.symlink(db, tmp_path / "link.db")
    os.link(db, tmp_path / "hard.db")
    (tmp_path / "sub").mkdir()
    os.chdir(tmp_path / "sub")  # relative spellings: from another folder
    try:
        for target in ("../e1.db", str(db), str(tmp_path / "sub" / ".." / "e1.db"), str(tmp_path / "link.db"),
                       str(tmp_path / "hard.db"), f"{db}-wal", f"{db}-shm", "../e1.db-journal"):  # fmt: skip
            result = run_tracker(str(db), "export", target)
            assert result.code == 1, target
            no_traceback(result.err)
            assert "that is the database" in result.err, (target, result.err)
            assert len(result.err.strip().splitlines()) == 1
        for folder in (str(tmp_path), "..", str(tmp_path / "sub" / "..")):
            result = run_tracker(str(db), "export", "--all", folder)
            assert result.code == 1 and "holds the database" in result.err, (folder, result.err)
    finally:
        os.chdir(tmp_path)
    assert sqlite_value(db, "PRAGMA integrity_check") == "ok"
    assert sqlite_value(db, "SELECT count(*) FROM deal") == 8
    listed = run_tracker(str(db), "list")
    assert listed.code == 0 and "created" not in listed.err  # not emptied and seeded again
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


# ---------------------------------------------------------------------------------------------
# A file written whole or not at all (#17.2)


@pytest.mark.slow
@pytest.mark.parametrize("parallel", [False, True], ids=["one-process", "parallel"])
def test_sigkill_mid_export_leaves_the_old_file_intact(big_db: Path, tmp_path: Path, parallel: bool) -> None:
    target = tmp_path / "good.csv"
    target.write_bytes(OLD)
    proc = _start(big_db, "export", str(target), parallel=parallel)
    _freeze_mid_write(proc, tmp_path, "good.csv")
    _signal(proc, signal.SIGKILL, group=False)
    assert _finish(proc).code == -signal.SIGKILL
    assert target.read_bytes() == OLD  # a temporary file may remain beside it (SIGKILL cannot be cleaned up)
    again = run_tracker(str(big_db), "export", str(target))
    assert again.code == 0, again.err
    assert target.read_bytes().count(b"\r\n") == BIG_ROWS + 1


@pytest.mark.slow
@pytest.mark.parametrize(("parallel", "group"), [(False, False), (True, True)], ids=["one-process", "parallel-group"])
def test_ctrl_c_mid_export_leaves_the_old_file_and_no_temporary_file(
    big_db: Path, tmp_path: Path, parallel: bool, group: bool
) -> None:
    target = tmp_path / "good.csv"
    target.write_bytes(OLD)
    proc = _start(big_db, "export", str(target), parallel=parallel, group=group)
    _freeze_mid_write(proc, tmp_path, "good.csv")
    _signal(proc, signal.SIGINT, group=group)
    result = _finish(proc)
    assert result.code == 130, result.err
    no_traceback(result.err)
    assert "interrupted" in result.err
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path, "good.csv") == []


def _filled(db_target: str, tmp_path: Path, rows: int = 3000) -> str:
    """``db_target`` holding ``rows`` deals of about 1 KB (an export of about 3 MB)."""
    csv = _generated_csv(tmp_path / "filled.csv", rows)
    result = run_tracker(db_target, "import", str(csv), empty=True)
    assert result.code == 0, result.err
    return db_target


def test_a_full_disk_leaves_the_old_file_and_no_temporary_file(db_target: str, tmp_path: Path) -> None:
    db = _filled(db_target, tmp_path)
    target = tmp_path / "good.csv"
    target.write_bytes(OLD)
    result = _finish(_start(db, "export", str(target), limit=1 << 20))
    assert result.code == 1, result.err
    no_traceback(result.err)
    assert f"cannot write {target}" in result.err and "File too large" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path, "good.csv") == []


# ---------------------------------------------------------------------------------------------
# A folder written whole or not at all (#17.3)


def _old_bundle(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A previous export --all (of the seed) at tmp_path/dump, and the checksum of each of its files."""
    seed = tmp_path / "seed.db"
    assert run_tracker(str(seed), "export", "--all", str(tmp_path / "dump")).code == 0
    dump = tmp_path / "dump"
    return dump, {p.name: _sha(p) for p in dump.iterdir()}


@pytest.mark.slow
def test_sigkill_mid_export_all_leaves_the_old_folder_and_an_unimportable_leftover(
    big_db: Path, tmp_path: Path
) -> None:
    dump, before = _old_bundle(tmp_path)
    proc = _start(big_db, "export", "--all", str(dump))
    _freeze_mid_write(proc, tmp_path, "dump", inner="deals.csv")
    _signal(proc, signal.SIGKILL, group=False)
    assert _finish(proc).code == -signal.SIGKILL
    assert {p.name: _sha(p) for p in dump.iterdir()} == before
    (leftover,) = _leftovers(tmp_path, "dump")
    refused = run_tracker(str(tmp_path / "new.db"), "import", "--all", str(leftover), empty=True)
    assert refused.code == 1 and "did not finish" in refused.err, refused.err
    assert not (tmp_path / "new.db").exists()


@pytest.mark.slow
def test_ctrl_c_mid_export_all_leaves_the_old_folder_and_nothing_else(big_db: Path, tmp_path: Path) -> None:
    dump, before = _old_bundle(tmp_path)
    proc = _start(big_db, "export", "--all", str(dump), group=True)
    _freeze_mid_write(proc, tmp_path, "dump", inner="deals.csv")
    _signal(proc, signal.SIGINT, group=True)
    result = _finish(proc)
    assert result.code == 130, result.err
    no_traceback(result.err)
    assert {p.name: _sha(p) for p in dump.iterdir()} == before
    assert _leftovers(tmp_path, "dump") == []


def test_a_full_disk_during_export_all_leaves_the_old_folder_and_nothing_else(db_target: str, tmp_path: Path) -> None:
    db = _filled(db_target, tmp_path)
    dump, before = _old_bundle(tmp_path)
    result = _finish(_start(db, "export", "--all", str(dump), limit=1 << 20))
    assert result.code == 1, result.err
    no_traceback(result.err)
    assert "File too large" in result.err and len(result.err.strip().splitlines()) == 1
    assert {p.name: _sha(p) for p in dump.iterdir()} == before
    assert _leftovers(tmp_path, "dump") == []
    again = run_tracker(db, "export", "--all", str(dump))  # no limit: the folder is replaced whole
    assert again.code == 0, again.err
    assert "deals.csv: 3000" in again.err


def test_a_folder_holding_other_files_is_not_replaced(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    result = run_tracker(str(db), "export", "--all", str(mine))
    assert result.code == 1 and "notes.txt" in result.err, result.err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_tracker(str(db), "export", "--all", str(empty)).code == 0  # an empty folder is fine
    assert (empty / "manifest.json").exists()


# ---------------------------------------------------------------------------------------------
# Private files (#17.16), odd targets, a folder that does not exist (#17.19)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_exports_are_private_even_with_a_permissive_umask(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert run_tracker(str(db), "list").code == 0
    code = "import os, sys; os.umask(0); sys.argv[0] = 'tracker'; from tracker.cli.main import main; main()"
    for args in (["export", str(tmp_path / "new.csv")], ["export", "--all", str(tmp_path / "dump")]):
        proc = subprocess.run([sys.executable, "-c", code, "--db", str(db), *args], capture_output=True,
                              env=tracker_env(), timeout=120)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
    assert _mode(tmp_path / "new.csv") == 0o600
    assert _mode(tmp_path / "dump") == 0o700
    names = (
        "organizations.csv",
        "alliances.csv",
        "deal_links.csv",
        "fx_rates.csv",
        "deals.csv",
        "sources.csv",
        "manifest.json",
    )
    assert {p.name: _mode(p) for p in (tmp_path / "dump").iterdir()} == dict.fromkeys(names, 0o600)
    shared = tmp_path / "shared.csv"
    shared.write_text("old")
    shared.chmod(0o644)
    assert run_tracker(str(db), "export", str(shared)).code == 0
    assert _mode(shared) == 0o644  # a file replaced keeps the permissions its owner gave it


def test_a_folder_that_does_not_exist_is_one_line_and_nothing_is_written(run_cli: Run, db_target: str,
                                                                        tmp_path: Path) -> None:  # fmt: skip
    target = tmp_path / "no" / "such" / "folder" / "deals.csv"
    result = run_cli("export", str(target))
    assert result.code == 1
    no_traceback(result.err)
    assert result.err.strip() == f"tracker: cannot write {target}: the folder {target.parent} does not exist"
    assert not (tmp_path / "no").exists()
    if "://" not in db_target:
        assert not Path(db_target).exists()  # said before the database is opened, or created
    for odd, message in ((str(tmp_path), "it is a folder"),):
        result = run_cli("export", odd)
        assert result.code == 1 and message in result.err, result.err


def test_a_folder_the_user_cannot_write_is_one_line() -> None:
    base = Path(tempfile.mkdtemp(prefix="tracker-export-"))  # outside pytest's private folder: "nobody" reads it
    try:
        base.chmod(0o777)
        db = base / "t.db"
        assert run_tracker(str(db), "list").code == 0
        db.chmod(0o666)
        locked = base / "locked"
        locked.mkdir()
        locked.chmod(0o755)  # root's: nobody may create a file in it
        proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                               *tracker_args(str(db), "export", str(locked / "x.csv"))],
                              capture_output=True, env=tracker_env(HOME=str(base)), timeout=120)  # fmt: skip
        err = proc.stderr.decode()
        assert proc.returncode == 1, err
        no_traceback(err)
        assert f"cannot write {locked / 'x.csv'}" in err and "Permission denied" in err
        assert list(locked.iterdir()) == []
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_devices_and_pipes_are_written_in_place(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert run_tracker(str(db), "list").code == 0
    assert run_tracker(str(db), "export", "/dev/null").code == 0
    assert Path("/dev/null").is_char_device()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    proc = subprocess.Popen(tracker_args(str(db), "export", str(fifo)), stderr=subprocess.PIPE, env=tracker_env())
    with open(fifo, "rb") as f:
        data = f.read()
    assert proc.wait(timeout=120) == 0
    assert data.count(b"\r\n") == 9 and stat.S_ISFIFO(os.stat(fifo).st_mode)
