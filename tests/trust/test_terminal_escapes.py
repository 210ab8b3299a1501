"""No escape from the data into the terminal (finding 13 of issue 17): every path that prints data shows
control characters visibly, never raw. The bytes each command writes to a real pseudo-terminal are read
and searched for the sequences a hostile name carries: OSC 52 (writes the clipboard: it put ``rm -rf ~``
there through tmux), ``ESC [2J`` (clears the screen), BEL, the C1 CSI (U+009B), a bidirectional override,
an OSC 0 title and a hyperlink. The data is planted as an older version or an ``import --all`` could have
stored it, bypassing today's checks; names with control characters are refused on input
(tracker/core/records/orgs.py, alliances.py: tested at the end).

``plant_hostile`` is shared with the app's test, tests/ui/test_hostile_names.py.
"""

from __future__ import annotations

import datetime as dt
import os
import pty
import select
import subprocess
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import Connection, insert
from sqlalchemy import select as sql_select

from tests.support.processes import tracker_args, tracker_env
from tracker.core.domain.names import name_key
from tracker.core.records.alliances import ensure_alliance
from tracker.core.records.errors import DealError
from tracker.core.records.orgs import OrgFields, create_org, set_aliases
from tracker.core.storage.handle import Database
from tracker.core.storage.handles import ALIAS, ALLIANCE, ALLIANCE_DEAL, DEAL, LINK, MEMBER, ORG

OSC52 = "\x1b]52;c;cm0gLXJmIH4K\x07"  # "rm -rf ~" into the clipboard
CLEAR = "\x1b[2J"
C1_CSI = "\x9b2J"
BIDI = "\u202e"
TITLE = "\x1b]0;pwned\x07"
LINK_OSC = "\x1b]8;;http://evil.example/\x1b\\"
FORBIDDEN = ("\x1b]52", "\x1b[2J", "\x07", "\x9b", "\u202e", "\x1b]0;", "\x1b]8;;http://evil")
"""What must never reach the terminal from the data (the program's own escapes are other sequences)."""

NAMES = {
    "evil": f"Evil{OSC52}Corp",
    "clear": f"Clear{CLEAR}Co",
    "c1": f"Csi{C1_CSI}Inc",
    "bidi": f"Bidi{BIDI}Labs",
    "markup": "Acme [/x]",
    "ticker": "Nvidia [NVDA]",
}
ALLIANCE_NAME = f"Alliance{OSC52} [/x]"
SHOWN = ("Evil\\x1b]52;c;cm0gLXJmIH4K\\x07Corp", "Clear\\x1b[2JCo")
"""How two of the names look once shown visibly."""


def plant_hostile(conn: Connection) -> dict[str, int]:
    """Organisations, an alliance and deals whose every text field carries terminal escapes, written
    directly (as a version without today's checks stored them). Returns the organisations' ids by key."""
    ids: dict[str, int] = {}
    for key, name in NAMES.items():
        extra = {"country": f"Land{CLEAR}", "sector": f"AI{TITLE}", "notes": f"note{OSC52}\nline two"}
        ids[key] = conn.execute(
            insert(ORG).values(name=name, name_key=name_key(name), native_name=None, **extra).returning(ORG.c.id)
        ).scalar_one()
    conn.execute(insert(ALIAS).values(org_id=ids["evil"], alias=f"EvilAlias{C1_CSI}", alias_key=f"evilalias{C1_CSI}"))
    alliance = conn.execute(
        insert(ALLIANCE)
        .values(name=ALLIANCE_NAME, name_key=name_key(ALLIANCE_NAME), description=f"about{TITLE}")
        .returning(ALLIANCE.c.id)
    ).scalar_one()
    for key in ("evil", "markup", "ticker"):
        conn.execute(insert(MEMBER).values(alliance_id=alliance, org_id=ids[key]))
    text = {
        "description": f"Line one{CLEAR}\nline two{OSC52}", "source_outlet": f"Outlet{TITLE}",
        "source_author": f"Author{BIDI}", "source_title": f"Title{C1_CSI}", "source_url": f"http://x.example/{LINK_OSC}",
        "amount_text": f"{CLEAR}$1B",
    }  # fmt: skip
    deals = []
    pairs = [("evil", "clear", "investment"), ("clear", "evil", "purchase"), ("c1", "bidi", "partnership"),
             ("markup", "ticker", "investment"), ("ticker", "markup", "purchase"), ("bidi", "evil", "investment")]  # fmt: skip
    for i, (a, b, kind) in enumerate(pairs):
        values = {
            "ref": f"hostile-{i}{CLEAR}", "date": dt.date(2030, 1, 1 + i), "date_precision": "day", "kind": kind,
            "from_org_id": ids[a], "to_org_id": ids[b], "amount": Decimal(10**9 * (i + 1)), "currency": "USD",
            "qualifier": "exact", "status": "announced", **text,
        }  # fmt: skip
        deals.append(conn.execute(insert(DEAL).values(**values).returning(DEAL.c.id)).scalar_one())
    conn.execute(insert(ALLIANCE_DEAL).values(alliance_id=alliance, deal_id=deals[0]))
    conn.execute(insert(LINK).values(from_deal_id=deals[1], to_deal_id=deals[0], relation="related"))
    return ids


def assert_safe(written: str, where: str) -> None:
    for bad in FORBIDDEN:
        assert bad not in written, f"{where}: {bad!r} reached the terminal: ...{written[-400:]!r}"


def on_terminal(db: str, *args: str, timeout: float = 120) -> tuple[int, str]:
    """Run ``tracker`` with stdout and stderr on a pseudo-terminal; its exit code and every byte written."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        tracker_args(db, *args), stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=tracker_env(TERM="xterm")
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if select.select([master], [], [], 0.5)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the program closed its end
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    os.close(master)
    code = proc.wait(timeout=30)
    return code, seen.decode("utf-8", errors="replace")


@pytest.fixture
def hostile(db: Database, db_target: str) -> str:
    with db.write() as conn:
        plant_hostile(conn)
    db.dispose()
    return db_target


COMMANDS: list[tuple[str, ...]] = [
    ("map",),
    ("map", "--cycles"),
    ("map", "--format", "dot"),
    ("map", "--format", "mermaid"),
    ("map", "--format", "json"),
    ("map", "--cycles", "--format", "json"),
    ("map", "--group-parents"),
    ("totals",),
    ("totals", "--by", "alliance"),
    ("totals", "--by", "country"),
    ("totals", "--format", "json"),
    ("list",),
    ("list", "--search", "evil"),
    ("fx", "list"),
]


def test_every_printing_path_shows_the_data_visibly(hostile: str) -> None:
    for args in COMMANDS:
        code, written = on_terminal(hostile, *args)
        assert code == 0, (args, written[-2000:])
        assert_safe(written, " ".join(args))
    _code, drawn = on_terminal(hostile, "map")
    assert all(name in drawn for name in ("Acme [/x]", "Nvidia [NVDA]")), drawn
    assert SHOWN[1] in drawn  # the edges' lines name both parties in full
    _code, cycles = on_terminal(hostile, "map", "--cycles")
    assert f"{SHOWN[0]} → {SHOWN[1]} → {SHOWN[0]}" in cycles or f"{SHOWN[1]} → {SHOWN[0]} → {SHOWN[1]}" in cycles


def test_errors_that_quote_the_data_or_the_arguments(hostile: str) -> None:
    cases = [
        ("map", "--org", NAMES["evil"] + "x"),  # no such organisation: the message quotes it
        ("fx", "set", f"C{CLEAR}", "1"),
        ("list", "--format", f"t{OSC52}"),  # click's own usage error
        (f"cmd{OSC52}",),
        ("add", "--date", "2030-01-01", "--kind", "investment", "--from", NAMES["evil"], "--to", f"New{OSC52}"),
        ("totals", "--currency", f"X{C1_CSI}"),
    ]
    for args in cases:
        code, written = on_terminal(hostile, *args)
        assert code in (1, 2), (args, written)
        assert "Traceback" not in written, written
        assert_safe(written, " ".join(args))


def test_the_errors_of_the_cli_wrapper_are_shown_visibly(hostile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Any message the wrapper prints (a core error quoting a name, an unexpected one) is made visible."""
    from click.testing import CliRunner

    import tracker.core.records.orgs as orgs
    from tracker.cli.main import cli

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(f"boom {OSC52} {CLEAR}")

    monkeypatch.setattr(orgs, "find_org_id", broken)
    got = CliRunner().invoke(cli, ["--db", hostile, "map", "--org", "x"])
    assert got.exit_code == 1
    assert_safe(got.stderr, "unexpected error")
    assert "boom \\x1b]52;c;" in got.stderr


# ---------------------------------------------------------------------------------------------
# Names with control characters are refused where organisations and alliances are created


@pytest.mark.parametrize("bad", [OSC52, CLEAR, C1_CSI, BIDI, "\x00", "\n", "\t", "\x7f"])
def test_names_with_control_characters_are_refused(db: Database, bad: str) -> None:
    name = f"Bad{bad}Name"
    with db.write() as conn:
        seeded = conn.execute(sql_select(ORG.c.id)).scalars().all()
        alliances = conn.execute(sql_select(ALLIANCE.c.id)).scalars().all()
        for make in (
            lambda: create_org(conn, OrgFields(name=name)),
            lambda: create_org(conn, OrgFields(name="Fine Name", native_name=name)),
            lambda: create_org(conn, OrgFields(name="Fine Name"), [name]),
            lambda: create_org(conn, OrgFields(name="Fine Name", country=name)),
            lambda: create_org(conn, OrgFields(name="Fine Name", sector=name)),
            lambda: set_aliases(conn, seeded[0], [name]),
            lambda: ensure_alliance(conn, name),
        ):
            with pytest.raises(DealError, match=r"control character"):
                make()
    with db.read() as conn:
        assert conn.execute(sql_select(ORG.c.id)).scalars().all() == seeded
        assert conn.execute(sql_select(ALLIANCE.c.id)).scalars().all() == alliances


def test_the_cli_refuses_them_in_one_line(run_cli: Callable[..., object]) -> None:
    got = run_cli("add", "--date", "2030-01-01", "--kind", "investment", "--from", f"Evil{OSC52}", "--to", "OpenAI")
    assert got.code == 1  # type: ignore[attr-defined]
    lines = got.err.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and "control character" in lines[0] and "\x1b" not in lines[0], lines


# ---------------------------------------------------------------------------------------------
# Arguments that are not valid UTF-8 (finding 19: lone surrogates, as Python decodes such bytes)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        ([b"list", b"--search", b"\xff"], "--search '\\xff'"),
        ([b"list", b"--search=a\xffb"], "--search 'a\\xffb'"),
        ([b"map", b"--org", b"Nv\xed\xb3\xbfidia"], "--org 'Nv\\xed\\xb3\\xbfidia'"),  # a surrogate, CESU-8-style
        ([b"fx", b"set", b"\xffCN", b"1"], "argument 5 '\\xffCN'"),
        ([b"add", b"--kind", b"investment", b"--from", b"A\x1b\xff", b"--date", b"2030"], "--from 'A\\x1b\\xff'"),
        ([b"import", b"/tmp/\xff.csv"], "argument 4 '/tmp/\\xff.csv'"),
    ],
)
def test_arguments_that_are_not_utf8_get_one_line(db_target: str, args: list[bytes], named: str) -> None:
    before = subprocess.run(tracker_args(db_target, "fx", "list"), capture_output=True, env=tracker_env())
    proc = subprocess.run([*(a.encode() for a in tracker_args(db_target)), *args], capture_output=True,
                          env=tracker_env(), timeout=60)  # fmt: skip
    err = proc.stderr.decode("utf-8", errors="replace")
    assert proc.returncode == 1, err
    assert err.splitlines() == [f"tracker: {named}: not valid UTF-8 text; give it in UTF-8"]
    assert proc.stdout == b""
    after = subprocess.run(tracker_args(db_target, "fx", "list"), capture_output=True, env=tracker_env())
    assert after.stdout == before.stdout  # nothing written


def test_a_database_named_in_bytes_that_are_not_utf8() -> None:
    env = {k.encode(): v.encode() for k, v in tracker_env().items()}
    env[b"TRACKER_DB"] = b"/tmp/\xff.db"
    proc = subprocess.run([*(a.encode() for a in tracker_args("x")[:-2]), b"list"], capture_output=True, env=env)
    assert proc.returncode == 1
    assert proc.stderr.decode() == "tracker: TRACKER_DB '/tmp/\\xff.db': not valid UTF-8 text; give it in UTF-8\n"
