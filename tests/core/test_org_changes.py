"""Organisations edited, aliased, merged and deleted (tracker/core/records/org_edit.py, org_merge.py), and
each change undone, on every backend; after every merge the running sums equal a recomputation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import Connection, select

from tests.support.data import CIRCULAR_CSV
from tests.support.sums import assert_sums_match_the_deals
from tracker.core.analysis.totals import compute_totals
from tracker.core.csvio import importer as csvio
from tracker.core.domain.fields import DealValues
from tracker.core.records.alliances import ensure_alliance
from tracker.core.records.changes import add_deal
from tracker.core.records.links import link_org_alliance
from tracker.core.records.org_edit import OrgChange, add_alias, delete_org, edit_org, remove_alias
from tracker.core.records.org_merge import merge_orgs
from tracker.core.records.org_state import OrgError, resolve_org
from tracker.core.records.orgs import OrgFields, create_org, find_org_id, org_summary
from tracker.core.storage.handle import Database
from tracker.core.storage.handles import DEAL


def org(conn: Connection, name: str) -> int:
    return resolve_org(conn, name)


def summary(db: Database, name: str) -> object:
    with db.read() as conn:
        return org_summary(conn, org(conn, name))


def test_a_rename_keeps_the_old_name_as_an_alias_and_undo_puts_it_back(db: Database) -> None:
    with db.write() as conn:
        nvidia = org(conn, "Nvidia")
        before = org_summary(conn, nvidia)
        entry = edit_org(conn, nvidia, OrgChange(name="  NVIDIA   Corp ", country="US", notes="GPUs"))
    with db.read() as conn:
        after = org_summary(conn, nvidia)
        assert after is not None and after.name == "NVIDIA Corp" and after.country == "US"
        assert "Nvidia" in after.aliases and "英伟达" in after.aliases
        assert find_org_id(conn, "nvidia") == nvidia
    with db.write() as conn:
        entry.undo(conn)
    with db.read() as conn:
        assert org_summary(conn, nvidia) == before
        assert find_org_id(conn, "NVIDIA Corp") is None


def test_renaming_to_another_organisations_name_or_alias_is_refused_naming_it(db: Database) -> None:
    with db.write() as conn:
        openai = org(conn, "OpenAI")
        with pytest.raises(OrgError, match="name 'oracle': already the name of 'Oracle'"):
            edit_org(conn, openai, OrgChange(name="oracle"))
        with pytest.raises(OrgError, match="name '甲骨文': already an alias of 'Oracle'") as caught:
            edit_org(conn, openai, OrgChange(name="甲骨文"))
        assert caught.value.field == "name"
        with pytest.raises(OrgError, match=r"U\+0009\) at position 4"):
            edit_org(conn, openai, OrgChange(name="Tab\there"))
        with pytest.raises(OrgError, match="zero-width space"):
            edit_org(conn, openai, OrgChange(native_name="Zero\u200bWidth"))
    assert summary(db, "OpenAI").name == "OpenAI"  # type: ignore[attr-defined]


def test_a_parent_that_closes_a_cycle_is_refused(db: Database) -> None:
    with db.write() as conn:
        alibaba = org(conn, "Alibaba")
        with pytest.raises(OrgError, match="parent '阿里云': would make a cycle of parents: Alibaba → Alibaba Cloud"):
            edit_org(conn, alibaba, OrgChange(parent="阿里云"))
        with pytest.raises(OrgError, match="cannot be its own parent"):
            edit_org(conn, alibaba, OrgChange(parent="阿里"))
        with pytest.raises(OrgError, match="parent 'Nobody': no organisation has this name or alias"):
            edit_org(conn, alibaba, OrgChange(parent="Nobody"))
        edit_org(conn, org(conn, "Alibaba Cloud"), OrgChange(parent=""))
    assert summary(db, "Alibaba Cloud").parent is None  # type: ignore[attr-defined]


def test_aliases_are_cleaned_and_a_conflict_names_the_owner(db: Database) -> None:
    with db.write() as conn:
        openai = org(conn, "OpenAI")
        entry = add_alias(conn, openai, "  Open\u3000  AI ")
        with pytest.raises(OrgError, match="alias '英伟达': already an alias of 'Nvidia'"):
            add_alias(conn, openai, "英伟达")
        with pytest.raises(OrgError, match="alias 'Oracle': already the name of 'Oracle'"):
            add_alias(conn, openai, "Oracle")
        with pytest.raises(OrgError, match="alias 'open ai': already an alias of 'OpenAI'"):
            add_alias(conn, openai, "open ai")
        with pytest.raises(OrgError, match="alias 'GPT': not an alias of 'OpenAI' \\(its aliases: Open AI\\)"):
            remove_alias(conn, openai, "GPT")
    assert summary(db, "Open AI").aliases == ("Open AI",)  # type: ignore[attr-defined]
    with db.write() as conn:
        entry.undo(conn)
        assert find_org_id(conn, "Open AI") is None
        nvidia = org(conn, "Nvidia")
        gone = remove_alias(conn, nvidia, "nvidia corporation")
        assert find_org_id(conn, "NVIDIA Corporation") is None
        gone.undo(conn)
        assert find_org_id(conn, "NVIDIA Corporation") == nvidia


def nvdia_with_everything(conn: Connection) -> int:
    """A misspelt Nvidia with a deal, an alias, an alliance, a child and notes."""
    nvdia = create_org(conn, OrgFields(name="Nvdia", native_name="英偉達", notes="typed in a hurry"), ["NVDA typo"])
    create_org(conn, OrgFields(name="Nvdia Labs", parent_id=nvdia))
    link_org_alliance(conn, nvdia, ensure_alliance(conn, "GPU club"))
    for to, amount in (("Microsoft", "5000000000.1234"), ("Oracle", None)):
        add_deal(
            conn,
            DealValues(date=dt.date(2025, 3, 1), kind="investment", from_org="Nvdia", to_org=to,
                       amount=Decimal(amount) if amount else None, currency="USD" if amount else None,
                       qualifier="exact" if amount else "undisclosed"),
        )  # fmt: skip
    add_deal(conn, DealValues(date=dt.date(2024, 1, 1), kind="purchase", from_org="DeepSeek", to_org="Nvdia"))
    return nvdia


def test_merge_moves_everything_keeps_the_names_and_the_sums_exact(db: Database) -> None:
    with db.write() as conn:
        nvdia = nvdia_with_everything(conn)
        nvidia = org(conn, "Nvidia")
        before = org_summary(conn, nvidia)
        deals_before = conn.execute(select(DEAL.c.id, DEAL.c.version).order_by(DEAL.c.id)).all()
    assert_sums_match_the_deals(db)
    with db.write() as conn:
        result = merge_orgs(conn, nvdia, nvidia)
    assert result.deals_moved == 3 and set(result.aliases_added) == {"Nvdia", "英偉達", "NVDA typo"}
    assert result.fields_filled == ("notes",)
    assert_sums_match_the_deals(db)
    with db.read() as conn:
        after = org_summary(conn, nvidia)
        assert after is not None and before is not None
        assert find_org_id(conn, "nvdia") == nvidia and find_org_id(conn, "NVDA typo") == nvidia
        assert after.deals_out == before.deals_out + 2 and after.deals_in == before.deals_in + 1
        assert after.children == ("Nvdia Labs",) and "GPU club" in after.alliances
        assert after.notes == "typed in a hurry" and after.country == "United States"
        assert org_summary(conn, nvdia) is None
        totals = compute_totals(conn, "org")
        assert any("Nvidia" in str(row) for row in totals.rows)  # read through the running sums
    with db.write() as conn:
        result.undo.undo(conn)
    assert_sums_match_the_deals(db)
    with db.read() as conn:
        assert org_summary(conn, nvidia) == before
        restored = org_summary(conn, nvdia)
        assert restored is not None and restored.deals_out == 2 and restored.deals_in == 1
        assert restored.children == ("Nvdia Labs",) and restored.alliances == ("GPU club",)
        assert set(restored.aliases) == {"英偉達", "NVDA typo"}
        assert len(conn.execute(select(DEAL.c.id)).all()) == len(deals_before)


def test_merge_of_the_real_data_set_keeps_the_sums_exact(empty_db: Database) -> None:
    csvio.import_deals(empty_db, CIRCULAR_CSV)
    with empty_db.write() as conn:
        amd, nvidia = org(conn, "AMD"), org(conn, "NVIDIA")  # 9 and 32 deals, none between them
        result = merge_orgs(conn, amd, nvidia)
        assert result.deals_moved == 9
    assert_sums_match_the_deals(empty_db)
    with empty_db.write() as conn:
        result.undo.undo(conn)
    assert_sums_match_the_deals(empty_db)


def test_merge_refuses_a_deal_that_would_have_one_organisation_on_both_sides(db: Database) -> None:
    with db.write() as conn:
        openai, nvidia = org(conn, "OpenAI"), org(conn, "Nvidia")
        ids = conn.execute(
            select(DEAL.c.id).where(DEAL.c.from_org_id.in_([openai, nvidia]), DEAL.c.to_org_id.in_([openai, nvidia]))
        ).scalars()
        listed = ", ".join(f"#{i}" for i in sorted(ids))
        with pytest.raises(OrgError) as caught:
            merge_orgs(conn, openai, nvidia)
        assert str(caught.value) == (
            f"merge 'OpenAI' into 'Nvidia': 2 deals between them ({listed}) would have 'Nvidia' on both sides; "
            "edit or delete them first"
        )
        with pytest.raises(OrgError, match="the same organisation"):
            merge_orgs(conn, openai, openai)
    assert summary(db, "OpenAI").deals_out == 2  # type: ignore[attr-defined]


def test_merge_of_a_parent_into_its_child(db: Database) -> None:
    with db.write() as conn:
        alibaba, cloud = org(conn, "Alibaba"), org(conn, "Alibaba Cloud")
        result = merge_orgs(conn, alibaba, cloud)
        merged = org_summary(conn, cloud)
        assert merged is not None and merged.parent is None and "阿里巴巴" in merged.aliases
        result.undo.undo(conn)
        back = org_summary(conn, cloud)
        assert back is not None and back.parent == "Alibaba"
    assert_sums_match_the_deals(db)


def test_delete_refuses_an_organisation_with_deals_and_undo_brings_one_back(db: Database) -> None:
    with db.write() as conn:
        with pytest.raises(OrgError, match="'Nvidia': has 4 deals \\(1 from it, 3 to it\\); not deleted"):
            delete_org(conn, org(conn, "Nvidia"))
        nvi = create_org(conn, OrgFields(name="Nvi", country="US"), ["NV"])
        create_org(conn, OrgFields(name="Nvi Kid", parent_id=nvi))
        link_org_alliance(conn, nvi, ensure_alliance(conn, "Club"))
        entry = delete_org(conn, nvi)
        assert find_org_id(conn, "NV") is None
        assert org_summary(conn, org(conn, "Nvi Kid")).parent is None  # type: ignore[union-attr]
        entry.undo(conn)
        back = org_summary(conn, nvi)
        assert back is not None and back.aliases == ("NV",) and back.children == ("Nvi Kid",)
        assert back.alliances == ("Club",)


def test_an_undo_after_another_writer_changed_the_organisation_is_refused(db: Database) -> None:
    with db.write() as conn:
        oracle = org(conn, "Oracle")
        entry = edit_org(conn, oracle, OrgChange(sector="database"))
        edit_org(conn, oracle, OrgChange(notes="someone else"))
        with pytest.raises(OrgError, match="changed by another writer since; the edit not undone"):
            entry.undo(conn)


def test_merge_of_a_grandparent_into_its_grandchild_closes_no_cycle(db: Database) -> None:
    with db.write() as conn:
        top = create_org(conn, OrgFields(name="Top Holdings", country="Japan"))
        mid = create_org(conn, OrgFields(name="Mid Co", parent_id=top))
        leaf = create_org(conn, OrgFields(name="Leaf Co", parent_id=mid))
        result = merge_orgs(conn, top, leaf)
        assert org_summary(conn, mid).parent is None  # type: ignore[union-attr]  # not Leaf Co: that is a cycle
        merged = org_summary(conn, leaf)
        assert merged is not None and merged.parent == "Mid Co" and merged.country == "Japan"
        assert result.fields_filled == ("country",)
        result.undo.undo(conn)
        assert org_summary(conn, mid).parent == "Top Holdings"  # type: ignore[union-attr]
        assert org_summary(conn, leaf).country is None  # type: ignore[union-attr]


def test_a_rename_to_one_of_its_aliases_or_in_case_only(db: Database) -> None:
    with db.write() as conn:
        nvidia, openai = org(conn, "Nvidia"), org(conn, "OpenAI")
        edit_org(conn, nvidia, OrgChange(name="nvidia corporation"))  # its own alias: the alias becomes the name
        edit_org(conn, openai, OrgChange(name="OPENAI"))  # case only: no alias of the old spelling
        renamed, cased = org_summary(conn, nvidia), org_summary(conn, openai)
        assert renamed is not None and renamed.name == "nvidia corporation"
        assert set(renamed.aliases) == {"Nvidia", "英伟达"}
        assert cased is not None and cased.name == "OPENAI" and cased.aliases == ()
