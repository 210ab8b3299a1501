"""Alliances in the core, on both backends: one key (case, dashes, spacing aside) for every look-up and
creation; create, rename, delete (the deals stay) and members, each with its undo; schema 0010 merges
alliances that only differed that way."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import func, select

from tracker.core.domain.fields import parse_deal_fields
from tracker.core.domain.names import DASHES, alliance_key
from tracker.core.records.alliance_edits import (
    add_member,
    create_alliance,
    remove_alliance,
    remove_member,
    rename_alliance,
)
from tracker.core.records.alliances import (
    alliance_names,
    ensure_alliance,
    find_alliance_id,
    get_alliance,
    list_alliances,
    unknown_alliances,
)
from tracker.core.records.changes import add_deal
from tracker.core.records.errors import DealError
from tracker.core.storage.handle import Database
from tracker.core.storage.handles import ALLIANCE, DEAL, ORG

SEED = "OpenAI–Nvidia–Oracle triangle"


def test_the_dash_list_is_every_unicode_dash_but_the_wave_dashes() -> None:
    pd = {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Pd"}
    assert (pd - {"\u301c", "\u3030"}) | {"\u2212"} == DASHES


@pytest.mark.parametrize(
    "name",
    ["OpenAI-Nvidia-Oracle triangle", "openai—nvidia—oracle TRIANGLE", "OpenAI - Nvidia - Oracle  triangle",
     "ＯｐｅｎＡＩ‐Nvidia−Oracle triangle", "OpenAI–Nvidia–Oracle Triangle"],
)  # fmt: skip
def test_names_differing_by_case_dashes_or_spacing_share_one_key(name: str) -> None:
    assert alliance_key(name) == alliance_key(SEED) == "openai-nvidia-oracletriangle"


def test_other_names_keep_their_own_key() -> None:
    assert alliance_key("OpenAI Nvidia Oracle triangle") != alliance_key(SEED)  # no dash is not a dash
    assert alliance_key("OpenAI~Nvidia~Oracle triangle") != alliance_key(SEED)


def test_lookups_and_creation_use_the_key(db: Database) -> None:
    with db.write() as conn:
        seed_id = find_alliance_id(conn, SEED)
        assert seed_id is not None
        assert find_alliance_id(conn, "openai-nvidia-oracle triangle") == seed_id
        assert ensure_alliance(conn, "OpenAI - Nvidia - Oracle triangle") == seed_id
        wanted = ["OPENAI—NVIDIA—ORACLE TRIANGLE", "Brand new", "brand-new", "BRAND NEW"]
        assert unknown_alliances(conn, wanted) == ["Brand new", "brand-new"]  # a dash is not a space
        assert unknown_alliances(conn, ["Brand new", "BRAND  NEW", "brandnew"]) == ["Brand new"]
        assert conn.execute(select(func.count()).select_from(ALLIANCE)).scalar_one() == 2


def test_a_deal_added_with_a_hyphen_joins_the_seeds_alliance(db: Database) -> None:
    values, errors = parse_deal_fields({"date": "2025-10", "kind": "purchase", "from_org": "OpenAI",
                                        "to_org": "Nvidia", "alliances": "OpenAI-Nvidia-Oracle triangle"})  # fmt: skip
    assert not errors
    with db.write() as conn:
        add_deal(conn, values)
        names = [a.name for a in list_alliances(conn)]
        assert names.count(SEED) == 1 and len(names) == 2
        assert get_alliance(conn, SEED).deal_count == 4


def test_create_with_members_and_refusals(db: Database) -> None:
    with db.write() as conn:
        alliance_id, _undo = create_alliance(conn, "  Stargate   UAE ", ["OpenAI", "英伟达"], "  G42 and friends ")
        a = get_alliance(conn, "STARGATE uae")
        assert (a.id, a.name, a.description) == (alliance_id, "Stargate UAE", "G42 and friends")
        assert [n for _, n in a.members] == ["Nvidia", "OpenAI"]
        with pytest.raises(DealError, match="exists already as 'OpenAI–Nvidia–Oracle triangle'"):
            create_alliance(conn, "OpenAI-Nvidia-Oracle triangle")
        with pytest.raises(DealError, match="organisation 'Nobody Inc': no such organisation"):
            create_alliance(conn, "Other", ["Nobody Inc"])
        with pytest.raises(DealError, match="a name is required"):
            create_alliance(conn, "   ")
        with pytest.raises(DealError, match="control character"):
            create_alliance(conn, "Tab\there")
        assert find_alliance_id(conn, "Other") is None


def test_create_is_undone(db: Database) -> None:
    with db.write() as conn:
        _id, undo = create_alliance(conn, "Fresh", ["OpenAI"])
    with db.write() as conn:
        undo.undo(conn)
        assert find_alliance_id(conn, "Fresh") is None


def test_rename_keeps_deals_and_members_and_is_undone(db: Database) -> None:
    with db.write() as conn:
        before, after, undo = rename_alliance(conn, "openai-nvidia-oracle triangle", "The triangle")
        assert (before, after) == (SEED, "The triangle")
        a = get_alliance(conn, "the TRIANGLE")
        assert a.deal_count == 3 and len(a.members) == 3
        assert find_alliance_id(conn, SEED) is None
    with db.write() as conn:
        undo.undo(conn)
        assert get_alliance(conn, SEED).deal_count == 3


def test_rename_may_change_only_the_dashes_but_not_take_another_name(db: Database) -> None:
    with db.write() as conn:
        _b, after, _u = rename_alliance(conn, SEED, "OpenAI-Nvidia-Oracle triangle")
        assert after == "OpenAI-Nvidia-Oracle triangle"
        with pytest.raises(DealError, match="the alliance 'Alibaba Cloud–Nvidia Physical AI ecosystem' has it"):
            rename_alliance(conn, after, "alibaba cloud-nvidia physical ai ecosystem")
        with pytest.raises(DealError, match="called so already"):
            rename_alliance(conn, after, after)
        with pytest.raises(DealError, match="alliance 'Nope': no such alliance"):
            rename_alliance(conn, "Nope", "Yes")


def test_delete_keeps_the_deals_and_undo_restores_everything(db: Database) -> None:
    with db.write() as conn:
        deals_before = conn.execute(select(func.count()).select_from(DEAL)).scalar_one()
        orgs_before = conn.execute(select(func.count()).select_from(ORG)).scalar_one()
        seed_id = find_alliance_id(conn, SEED)
        snap, undo = remove_alliance(conn, "openai-nvidia-oracle triangle")
        assert snap.id == seed_id and len(snap.deal_ids) == 3 and len(snap.member_ids) == 3
        assert find_alliance_id(conn, SEED) is None
        assert conn.execute(select(func.count()).select_from(DEAL)).scalar_one() == deals_before
        assert conn.execute(select(func.count()).select_from(ORG)).scalar_one() == orgs_before
    with db.write() as conn:
        undo.undo(conn)
        a = get_alliance(conn, SEED)
        assert (a.id, a.deal_count, len(a.members)) == (seed_id, 3, 3)
        assert a.description and a.description.startswith("三角联盟")


def test_undo_of_a_delete_is_refused_when_the_name_was_taken_again(db: Database) -> None:
    with db.write() as conn:
        _snap, undo = remove_alliance(conn, SEED)
        create_alliance(conn, "OpenAI - Nvidia - Oracle triangle")
    with db.write() as conn, pytest.raises(DealError, match="created again since"):
        undo.undo(conn)


def test_members_added_and_removed_with_undo(db: Database) -> None:
    with db.write() as conn:
        a_name, o_name, undo_add = add_member(conn, "alibaba cloud-nvidia physical ai ecosystem", "阿里巴巴")
        assert (a_name, o_name) == ("Alibaba Cloud–Nvidia Physical AI ecosystem", "Alibaba")
        with pytest.raises(DealError, match=r"a member of .* already"):
            add_member(conn, a_name, "Alibaba")
        _a, _o, undo_remove = remove_member(conn, a_name, "Nvidia")
        with pytest.raises(DealError, match="not a member"):
            remove_member(conn, a_name, "Nvidia")
        assert [n for _, n in get_alliance(conn, a_name).members] == ["Alibaba", "Alibaba Cloud"]
    with db.write() as conn:
        undo_remove.undo(conn)
        undo_add.undo(conn)
        assert [n for _, n in get_alliance(conn, a_name).members] == ["Alibaba Cloud", "Nvidia"]
        assert alliance_names(conn)[0] == a_name
