"""`export --all` / `import --all` (issue 17): a folder is checked against its manifest before anything is
written (#17.3), names holding `;` or `\\` survive the round trip (#17.11), and bad rows of its files get one
line each naming the file and the line: a parent cycle, a USD rate other than 1 (#17.17), two
organisations sharing an alias (#17.19). On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, insert, inspect, text

from tests.support.processes import Proc, no_traceback, reset_pg_schema
from tracker import __version__
from tracker.core.domain.fields import DealValues
from tracker.core.records.changes import add_deal
from tracker.core.records.orgs import OrgFields, create_org
from tracker.core.storage.handles import ALLIANCE, MEMBER
from tracker.core.storage.opening import open_database
from tracker.migrations import HEAD

Run = Callable[..., Proc]
FILES = ("organizations.csv", "alliances.csv", "deal_links.csv", "fx_rates.csv", "sources.csv", "deals.csv")


def _fresh(db_target: str, tmp_path: Path, name: str) -> str:
    """Another, new database: a new SQLite file, or the PostgreSQL schema emptied."""
    if "://" in db_target:
        return reset_pg_schema(db_target)
    return str(tmp_path / f"{name}.db")


def _rows(target: str, sql: str) -> list[tuple[Any, ...]]:
    db = open_database(target)
    try:
        with db.read() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        db.dispose()


def _count(target: str, table: str) -> int:
    return int(_rows(target, f"SELECT count(*) FROM {table}")[0][0])


def _refused(result: Proc, *fragments: str) -> None:
    assert result.code == 1, (result.out, result.err)
    no_traceback(result.err)
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert lines, result.err
    for fragment in fragments:
        assert fragment in result.err, result.err


# ---------------------------------------------------------------------------------------------
# The manifest (#17.3)


def test_the_manifest_lists_every_file_with_rows_size_checksum_and_versions(run_cli: Run, tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    result = run_cli("export", "--all", str(dump))
    assert result.code == 0, result.err
    manifest = json.loads((dump / "manifest.json").read_text())
    assert manifest["complete"] is True
    assert (manifest["schema_version"], manifest["tracker_version"]) == (HEAD, __version__)
    assert sorted(manifest["files"]) == sorted(FILES)
    for name, entry in manifest["files"].items():
        data = (dump / name).read_bytes()
        assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest(), name
        assert entry["rows"] == len(data.decode().splitlines()) - 1, name  # no field of the seed holds a line break
        assert f"{name}: {entry['rows']}" in result.err


def test_a_bundle_cut_short_mid_description_is_refused_before_anything_is_written(
    run_cli: Run, db_target: str, tmp_path: Path
) -> None:
    """The reproduction: an export stopped mid-file left a folder that restored some deals with exit 0."""
    dump = tmp_path / "dump"
    assert run_cli("export", "--all", str(dump)).code == 0
    deals = (dump / "deals.csv").read_bytes()
    cut = deals.index(b"Nvidia to invest") + 10  # inside a description: the rows before it are whole
    (dump / "deals.csv").write_bytes(deals[:cut])
    other = _fresh(db_target, tmp_path, "other")
    result = run_cli("--empty", "import", "--all", str(dump), db=other)
    _refused(result, "deals.csv", "manifest.json", "nothing was imported")
    if "://" not in other:
        assert not Path(other).exists()  # checked before the database is even created
    else:
        engine = create_engine(other)
        try:
            with engine.connect() as conn:
                assert inspect(conn).get_table_names() == []  # not even the schema was created
        finally:
            engine.dispose()


def test_a_changed_or_missing_file_or_an_unfinished_export_is_refused(run_cli: Run, tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    assert run_cli("export", "--all", str(dump)).code == 0
    before = _count_deals(run_cli)
    orgs = (dump / "organizations.csv").read_bytes()
    (dump / "organizations.csv").write_bytes(orgs.replace(b"China", b"Chine", 1))  # same size, other bytes
    _refused(run_cli("import", "--all", str(dump)), "organizations.csv", "do not match manifest.json")
    (dump / "organizations.csv").write_bytes(orgs)
    (dump / "alliances.csv").unlink()
    _refused(run_cli("import", "--all", str(dump)), "alliances.csv", "missing")
    manifest = json.loads((dump / "manifest.json").read_text())
    (dump / "manifest.json").write_text(json.dumps({**manifest, "complete": False}))
    _refused(run_cli("import", "--all", str(dump)), "did not finish")
    (dump / "manifest.json").write_text("{not json")
    _refused(run_cli("import", "--all", str(dump)), "manifest.json")
    assert _count_deals(run_cli) == before


def _count_deals(run_cli: Run) -> int:
    return len(json.loads(run_cli("list", "--format", "json").out))


def test_a_folder_without_manifest_is_imported_with_a_warning(run_cli: Run, db_target: str, tmp_path: Path) -> None:
    """Hand-made folders (and those of trackers before manifests) still import; the warning says they are
    unchecked."""
    dump = tmp_path / "dump"
    assert run_cli("export", "--all", str(dump)).code == 0
    (dump / "manifest.json").unlink()
    other = _fresh(db_target, tmp_path, "other")
    result = run_cli("--empty", "import", "--all", str(dump), db=other)
    assert result.code == 0, result.err
    assert "warning" in result.err and "no manifest.json" in result.err
    assert _count(other, "deal") == 8


# ---------------------------------------------------------------------------------------------
# Lists of names in one cell (#17.11)

ORG = "Foo; Bar Inc"
ALIASES = ["Foo;Bar", "C:\\data", "ends with \\", "both \\; and ;", "plain alias"]
ALLIANCE_NAMES = ["X; Y alliance", "Back\\slash alliance"]
MEMBERS = [ORG, "Member \\ two", "Member; three"]


def test_names_holding_semicolons_and_backslashes_survive_export_all_and_import_all(
    run_cli: Run, db_target: str, tmp_path: Path
) -> None:
    db = open_database(db_target)
    try:
        with db.write() as conn:
            foo = create_org(conn, OrgFields(name=ORG, country="US"), ALIASES)
            others = [create_org(conn, OrgFields(name=m)) for m in MEMBERS[1:]]
            values = DealValues(date=dt.date(2025, 1, 2), kind="investment", from_org=ORG, to_org="Member; three",
                                alliances=tuple(ALLIANCE_NAMES))  # fmt: skip
            add_deal(conn, values, create_orgs=True)
            alliance = conn.execute(text("SELECT id FROM alliance WHERE name = :n"), {"n": ALLIANCE_NAMES[0]}).scalar()
            conn.execute(insert(MEMBER), [{"alliance_id": alliance, "org_id": o} for o in (foo, *others)])
            conn.execute(insert(ALLIANCE).values(name="Empty; alliance", name_key="empty; alliance"))
    finally:
        db.dispose()
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_cli("export", "--all", str(first)).code == 0
    original = _names(db_target)
    other = _fresh(db_target, tmp_path, "other")
    result = run_cli("--empty", "import", "--all", str(first), db=other)
    assert result.code == 0, result.err
    assert _names(other) == original
    assert run_cli("export", "--all", str(second), db=other).code == 0
    for name in (*FILES, "manifest.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


_NAMES = {
    "orgs": "SELECT name FROM organization",
    "aliases": "SELECT o.name, a.alias FROM org_alias a JOIN organization o ON o.id = a.org_id",
    "members": "SELECT a.name, o.name FROM alliance_member m JOIN alliance a ON a.id = m.alliance_id "
    "JOIN organization o ON o.id = m.org_id",
    "alliances": "SELECT name FROM alliance",
    "deal alliances": "SELECT a.name FROM alliance_deal d JOIN alliance a ON a.id = d.alliance_id",
}


def _names(target: str) -> dict[str, list[tuple[Any, ...]]]:
    return {what: sorted(_rows(target, sql)) for what, sql in _NAMES.items()}


def test_lists_written_before_escapes_import_as_before(run_cli: Run, db_target: str, tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "organizations.csv").write_text("name,aliases\nOld Co,Old;Older ; Oldest;;\n")
    (folder / "alliances.csv").write_text("name,members\nOld pact,Old Co;New Co\n")
    assert run_cli("--empty", "import", "--all", str(folder)).code == 0
    names = _names(db_target)
    assert names["aliases"] == [("Old Co", "Old"), ("Old Co", "Older"), ("Old Co", "Oldest")]
    assert names["members"] == [("Old pact", "New Co"), ("Old pact", "Old Co")]


# ---------------------------------------------------------------------------------------------
# Bad rows of organizations.csv and fx_rates.csv (#17.17, #17.19)


def _folder(tmp_path: Path, name: str, content: str) -> Path:
    folder = tmp_path / name.split(".")[0]
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(content, encoding="utf-8")
    return folder


def test_a_parent_cycle_in_organizations_csv_is_refused_with_its_line(
    run_cli: Run, db_target: str, tmp_path: Path
) -> None:
    assert run_cli("list").code == 0
    before = _count(db_target, "organization")
    cycle = _folder(tmp_path, "organizations.csv", "name,parent\nAlpha,Beta\nBeta,Gamma\nGamma,Alpha\n")
    _refused(run_cli("import", "--all", str(cycle)), "line 4", "parent 'Alpha'", "Gamma → Alpha → Beta → Gamma")
    assert _count(db_target, "organization") == before  # nothing written, not even Alpha
    # a cycle closed through the database: Alibaba Cloud's parent is Alibaba (the seed)
    through = _folder(tmp_path, "organizations.csv", "name,parent\nAlibaba,Alibaba Cloud\n")
    _refused(run_cli("import", "--all", str(through)), "line 2", "Alibaba → Alibaba Cloud → Alibaba")
    own = _folder(tmp_path, "organizations.csv", "name,parent\nOracle,甲骨文\n")  # its own alias
    _refused(run_cli("import", "--all", str(own)), "line 2", "its own parent")
    fine = _folder(tmp_path, "organizations.csv", "name,parent\nAlpha,Beta\nBeta,Gamma\nGamma,\n")
    assert run_cli("import", "--all", str(fine)).code == 0


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("USD,1.35,2025-01-01", "USD is the reporting currency; its rate is 1"),
        ("CNY,0,2025-01-01", "must be a positive number"),
        ("CNY,1e400,2025-01-01", "rate '1e400'"),
        ("CNY,1e-300,2025-01-01", "rate '1e-300'"),
        ("CNY,abc,2025-01-01", "rate 'abc'"),
    ],
)
def test_fx_rates_csv_follows_the_rules_of_fx_set(
    run_cli: Run, db_target: str, tmp_path: Path, line: str, fragment: str
) -> None:
    assert run_cli("list").code == 0
    before = _count(db_target, "fx_rate")
    folder = _folder(tmp_path, "fx_rates.csv", f"currency,rate,as_of\nEUR,1.2,2025-01-01\n{line}\n")
    _refused(run_cli("import", "--all", str(folder)), "line 3", "fx_rates.csv rate", fragment)
    assert _count(db_target, "fx_rate") == before
    assert run_cli("fx", "set", *line.split(",")[:2]).code == 1  # the same rules


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        ("name,aliases\nFoo,shared\nBar,shared\n", ("line 3", "'shared'", "also given to 'Foo' on line 2")),
        ("name,aliases\nFoo,Nvidia\n", ("line 2", "'Nvidia'", "the name of another organisation")),
        ("name,aliases\nFoo,英伟达\n", ("line 2", "'英伟达'", "already an alias of 'Nvidia'")),
        ("name,native_name\nFoo,共享\nBar,共享\n", ("line 3", "'共享'", "also given to 'Foo'")),
        ("name,aliases\nFoo,x\nFoo Two,Foo\n", ("line 3", "'Foo'", "the name of another organisation, 'Foo'")),
    ],
)
def test_an_alias_of_two_organisations_is_one_line_naming_it(
    run_cli: Run, db_target: str, tmp_path: Path, content: str, fragments: tuple[str, ...]
) -> None:
    assert run_cli("list").code == 0
    before = _names(db_target)
    _refused(run_cli("import", "--all", str(_folder(tmp_path, "organizations.csv", content))), *fragments)
    assert _names(db_target) == before


def test_an_alias_moves_between_two_organisations_the_file_restates(
    run_cli: Run, db_target: str, tmp_path: Path
) -> None:
    assert run_cli("list").code == 0
    # 英伟达 moves from Nvidia to Oracle (both rows restate their aliases), in either order
    for order in ("Oracle,英伟达\nNvidia,NVIDIA Corporation\n", "Nvidia,NVIDIA Corporation\nOracle,英伟达\n"):
        folder = _folder(tmp_path, "organizations.csv", "name,aliases\n" + order)
        result = run_cli("import", "--all", str(folder))
        assert result.code == 0, result.err
        owner = _rows(db_target, "SELECT o.name FROM org_alias a JOIN organization o ON o.id = a.org_id "
                                       "WHERE a.alias = '英伟达'")  # fmt: skip
        assert owner == [("Oracle",)]
        folder = _folder(tmp_path, "organizations.csv", "name,aliases\nOracle,\nNvidia,英伟达;NVIDIA Corporation\n")
        assert run_cli("import", "--all", str(folder)).code == 0
