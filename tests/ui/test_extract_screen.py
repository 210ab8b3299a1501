"""Pilot tests of the extract screen (E on the deals screen; "Extract deals from text" in the palette): the text
read with ctrl+e, each proposal shown with its words marked, accept (saved, undone by u; a new organisation
confirmed first), edit (the deal form prefilled, saved from it), reject (nothing written), attach (the article as a source of the stored deal a proposal repeats)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, TextArea

from tests.support.terminal import settle
from tracker.core.records.pages import count_deals
from tracker.core.storage.opening import open_database
from tracker.ui.app import TrackerApp
from tracker.ui.screens.deal_form import DealFormScreen
from tracker.ui.screens.extract import ExtractScreen

TRIANGLE = "三角联盟:OpenAI向甲骨文购买云计算服务,甲骨文向英伟达采购GPU芯片,英伟达再投资OpenAI。"


def deals(path: str) -> int:
    db = open_database(path)
    try:
        with db.read() as conn:
            return count_deals(conn)
    finally:
        db.dispose()


def source_of(path: str, deal_id: int | None) -> tuple[str, str]:
    from tracker.core.records.details import get_deal

    db = open_database(path)
    try:
        with db.read() as conn:
            detail: Any = get_deal(conn, deal_id)
            return detail.source_outlet, detail.source_url
    finally:
        db.dispose()


def panel(screen: ExtractScreen) -> str:
    parts = ("#extract-title", "#extract-marked", "#extract-proposal")
    return "\n".join(str(screen.query_one(p).render()) for p in parts)


async def open_extract(pilot: Any, text: str, *, palette: bool = False) -> ExtractScreen:
    await settle(pilot)
    if palette:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"extract deals")
        await pilot.pause(0.3)
        await pilot.press("enter")
    else:
        await pilot.press("E")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExtractScreen)
    screen.query_one("#extract-text", TextArea).load_text(text)
    await pilot.press("ctrl+e")
    await settle(pilot)
    return screen


async def test_accept_saves_the_proposal_and_u_undoes_it(db_path: str) -> None:
    before = deals(db_path)
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_extract(pilot, TRIANGLE)
        shown = panel(screen)
        assert "Proposal 1 of 3" in shown and "purchase  OpenAI → Oracle" in shown
        assert "OpenAI向甲骨文购买云计算服务" in shown
        marked = screen.marked
        styles = {marked.plain[s.start : s.end]: str(s.style) for s in marked.spans}
        assert styles["甲骨文"] == "bold reverse" and styles["购买"] == "bold underline"
        screen.query_one("#extract-source", Input).value = "证券日报 https://example.com/a"
        await pilot.press("a")
        await settle(pilot)
        assert deals(db_path) == before + 1
        assert source_of(db_path, app.undo_stack[-1].deal_id) == ("证券日报", "https://example.com/a")
        assert app.undo_stack[-1].label.startswith("add deal #")
        assert "Proposal 2 of 3 (1 done)" in panel(screen)
        await pilot.press("left")
        await pilot.pause()
        assert "accepted as #" in panel(screen)
        await pilot.press("u")
        await settle(pilot)
        assert deals(db_path) == before


async def test_accept_confirms_a_new_organisation_first(db_path: str) -> None:
    before = deals(db_path)
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_extract(pilot, "星河科技向英伟达采购GPU芯片。", palette=True)
        assert "new organisations: 星河科技" in panel(screen)
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is not screen  # the question, "Back" focused
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and deals(db_path) == before  # back: nothing written
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert deals(db_path) == before + 1
        assert "accepted as #" in panel(screen)


async def test_edit_opens_the_form_prefilled_and_saves_from_it(db_path: str) -> None:
    before = deals(db_path)
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_extract(pilot, "软银集团同意向OpenAI注资至多400亿美元。")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DealFormScreen)
        assert form.query_one("#f-from_org", Input).value == "SoftBank Group"
        assert form.query_one("#f-amount", Input).value == "至多400亿美元"
        form.query_one("#f-description", Input).value = "SoftBank leads OpenAI's round"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")  # SoftBank Group is not stored yet: created from the reference list, once asked
        await settle(pilot)
        assert app.screen is screen
        assert deals(db_path) == before + 1
        assert "saved as #" in panel(screen)


async def test_reject_writes_nothing_and_moves_on(db_path: str) -> None:
    before = deals(db_path)
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_extract(pilot, TRIANGLE)
        await pilot.press("x")
        await pilot.pause()
        assert "Proposal 2 of 3 (1 done)" in panel(screen) and "purchase  Oracle → Nvidia" in panel(screen)
        await pilot.press("x", "x")
        await pilot.pause()
        assert deals(db_path) == before
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main


def sources_of(path: str, deal_id: int) -> list[Any]:
    from tracker.core.records.sources import list_sources

    db = open_database(path)
    try:
        with db.read() as conn:
            return list_sources(conn, deal_id)
    finally:
        db.dispose()


async def test_attach_adds_the_article_as_a_source_of_the_deal_it_repeats_and_u_takes_it_back(db_path: str) -> None:
    before = deals(db_path)
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_extract(pilot, "2025年9月29日\n" + TRIANGLE)  # the dateline: the seed's month
        assert "looks like stored deal #4" in panel(screen)  # the seed's OpenAI → Oracle purchase
        had = len(sources_of(db_path, 4))
        screen.query_one("#extract-source", Input).value = "Reuters https://example.com/triangle"
        await pilot.press("s")
        await settle(pilot)
        added = sources_of(db_path, 4)
        assert len(added) == had + 1 and deals(db_path) == before  # a source, not a deal
        new = added[-1]
        assert (new.kind, new.outlet, new.url) == ("news", "Reuters", "https://example.com/triangle")
        assert new.excerpt is not None and "OpenAI向甲骨文购买云计算服务" in new.excerpt
        assert "Proposal 2 of 3 (1 done)" in panel(screen)
        await pilot.press("u")
        await settle(pilot)
        assert len(sources_of(db_path, 4)) == had


async def test_attach_without_a_stored_twin_says_so_and_writes_nothing(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_extract(pilot, "星河科技向英伟达采购GPU芯片。")
        await pilot.press("s")
        await settle(pilot)
        assert "Proposal 1 of 1 (0 done)" in panel(screen)
        assert not app.undo_stack
