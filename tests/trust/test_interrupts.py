"""Ctrl-C anywhere in the CLI: one line on stderr ("tracker: interrupted; nothing was written", or what was),
exit code 130, no traceback, from a real process interrupted as a terminal interrupts it (SIGINT to its whole
process group) in the middle of its work (finding 20 of issue 17).

The process is caught mid-work deterministically: an export or a listing writes into a pipe nobody reads
(it blocks once the pipe is full), an import reads from a pipe that stops in the middle of the file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.processes import HEADER, deal_rows, tracker_args, tracker_env, write_deals_csv
from tracker.cli import common
from tracker.cli.main import cli

ROWS = 5_000


@pytest.fixture
def filled(db_target: str, tmp_path: Path) -> Iterator[str]:
    """``db_target`` with the seed and ROWS generated deals."""
    source = write_deals_csv(tmp_path / "deals.csv", ROWS, "int")
    done = subprocess.run(tracker_args(db_target, "import", str(source)), capture_output=True, env=tracker_env())
    assert done.returncode == 0, done.stderr.decode()
    yield db_target


def _start(db: str, *args: str, stdin: int | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        tracker_args(db, *args), stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=tracker_env(),
        start_new_session=True,  # its own process group, signalled as a terminal signals its foreground job
    )  # fmt: skip


def _interrupt(proc: subprocess.Popen[bytes]) -> tuple[int, str]:
    """SIGINT to the process group (children included), then its exit code and stderr."""
    os.killpg(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    return proc.returncode, err.decode(errors="replace")


def _one_interrupted_line(err: str) -> str:
    assert "Traceback" not in err and "KeyboardInterrupt" not in err and "unexpected error" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("tracker: interrupted; "), err
    assert sum(line.startswith("tracker: interrupted") for line in lines) == 1, err
    return lines[-1]


def _blocked_on_output(proc: subprocess.Popen[bytes]) -> None:
    """Read the first bytes (the command is at work), then stop reading: it blocks once the pipe is full."""
    assert proc.stdout is not None
    first = proc.stdout.read1(4096)  # type: ignore[attr-defined]
    assert first, "the command wrote nothing"
    time.sleep(0.5)
    assert proc.poll() is None, "the command finished before it could be interrupted"


@pytest.mark.parametrize("args", [("export",), ("list", "--format", "json"), ("map", "--top", "100000")], ids=" ".join)
def test_ctrl_c_while_writing_output(filled: str, args: tuple[str, ...]) -> None:
    proc = _start(filled, *args)
    _blocked_on_output(proc)
    code, err = _interrupt(proc)
    assert code == 130, err
    line = _one_interrupted_line(err)
    if args == ("export",):  # rows went out before the interrupt: never "nothing was written"
        assert line == "tracker: interrupted; the export to standard output was cut short: what it got is incomplete"


def test_ctrl_c_in_the_middle_of_an_import_writes_nothing(db_target: str, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("fx", "list").code == 0  # created and seeded
    before = run_cli("list", "--format", "csv").out
    proc = _start(db_target, "import", "-", stdin=subprocess.PIPE)
    assert proc.stdin is not None
    proc.stdin.write(HEADER.encode())
    proc.stdin.writelines(r.encode() for r in deal_rows(5000, "half"))
    proc.stdin.flush()  # ... and the rest never comes: the importer waits for it
    time.sleep(2.0)
    assert proc.poll() is None, proc.communicate()
    code, err = _interrupt(proc)
    assert code == 130, err
    assert _one_interrupted_line(err) == "tracker: interrupted; nothing was written"
    assert run_cli("list", "--format", "csv").out == before


def test_ctrl_c_during_export_to_a_file_keeps_the_old_file(filled: str, tmp_path: Path) -> None:
    target = tmp_path / "out" / "deals.csv"
    target.parent.mkdir()
    target.write_text("the old export\n", encoding="utf-8")
    for _attempt in range(5):
        proc = _start(filled, "export", str(target))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            if len(os.listdir(target.parent)) > 1:  # the temporary file beside the target: at work
                break
            time.sleep(0.002)
        if proc.poll() is not None:
            proc.communicate()
            target.write_text("the old export\n", encoding="utf-8")
            continue  # it finished first: try again
        code, err = _interrupt(proc)
        assert code == 130, err
        _one_interrupted_line(err)
        assert target.read_text(encoding="utf-8") == "the old export\n"
        return
    pytest.skip("the export always finished before it could be interrupted")


# ---------------------------------------------------------------------------------------------
# The wrapper itself (tracker/cli/common.py), in-process


def test_the_wrapper_turns_ctrl_c_into_one_line_and_130(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import tracker.core.analysis.totals as totals

    def cut(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(totals, "compute_totals", cut)
    got = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "totals"])
    assert got.exit_code == 130
    assert got.stderr.strip().splitlines()[-1] == "tracker: interrupted; nothing was written"


def test_a_command_says_what_it_had_written() -> None:
    @common.user_errors
    def command() -> None:
        with common.on_interrupt("wrote 2 of 5 files into out/"):
            raise KeyboardInterrupt

    with pytest.raises(common.Interrupted) as caught:
        command()
    assert caught.value.exit_code == 130
    assert caught.value.format_message() == "interrupted; wrote 2 of 5 files into out/"
