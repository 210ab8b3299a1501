"""Pilot tests: add (valid, invalid, new organisations), edit, delete and undo, links and their undo,
markup in data, a failed write that keeps what the user typed."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Select

from tests.support.databases import on_db
from tests.support.terminal import fill_form, settle
from tracker.core.records.changes import snapshot
from tracker.core.records.details import get_deal
from tracker.core.records.orgs import find_org_id
from tracker.core.storage.errors import DatabaseBusy
from tracker.ui.app import TrackerApp
from tracker.ui.screens.confirm import ConfirmScreen
from tracker.ui.screens.deal_form import DealFormScreen
from tracker.ui.screens.link import LinkScreen


def count(db_path: str) -> int:
    from tracker.core.records.pages import count_deals

    return on_db(db_path, count_deals)


async def open_form(pilot: Any, key: str) -> DealFormScreen:
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DealFormScreen)
    return screen


async def test_add_valid_deal_then_undo(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "a")
        fill_form(form, date="2026-03-01", kind="investment", from_org="英伟达", to_org="openai", amount="up to $5B")
        await pilot.pause()
        assert str(form.query_one("#amount-feedback").content) == "= 5,000,000,000 USD, up to"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.main
        assert count(db_path) == 9
        assert app.main.table.row_count == 9
        assert app.main.table.get_row_at(0).cells[:4] == ("2026-03-01", "Nvidia", "OpenAI", "≤ $5B")
        assert app.undo_stack and app.undo_stack[-1].label.startswith("add deal")
        await pilot.press("u")
        await settle(pilot)
        assert count(db_path) == 8
        assert app.main.table.row_count == 8


async def test_add_invalid_shows_errors_and_saves_nothing(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "a")
        fill_form(form, date="2026-13-45", kind="purchase", from_org="OpenAI", amount="lots")
        await pilot.pause()
        assert "not a number" in str(form.query_one("#amount-feedback").content)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#e-date").display
        assert str(form.query_one("#e-date").content)
        assert "required for a purchase deal" in str(form.query_one("#e-to_org").content)
        assert "not a number" in str(form.query_one("#e-amount").content)
        assert "Not saved" in form.problem
        assert count(db_path) == 8
        # what was typed is still there; escape asks before discarding it
        assert form.query_one("#f-date", Input).value == "2026-13-45"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and app.screen.title_text == "Discard changes?"
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is app.main
        assert count(db_path) == 8


async def test_new_organisation_needs_confirmation(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "a")
        fill_form(form, date="2026-02", kind="purchase", from_org="Acme Robotics", to_org="Nvidia", amount="CNY 2亿")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Acme Robotics" in app.screen.question.plain
        await pilot.press("n")  # declined: nothing saved, the form stays as typed
        await settle(pilot)
        assert app.screen is form
        assert "Not saved" in form.problem
        assert count(db_path) == 8
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is app.main
        assert count(db_path) == 9
        assert on_db(db_path, lambda c: find_org_id(c, "acme robotics")) is not None


async def test_edit_deal_then_undo_restores_previous(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"100 billion", "enter")
        await settle(pilot)
        deal_id = app.main.table.current_row.id
        before = on_db(db_path, lambda c: snapshot(c, deal_id))
        form = await open_form(pilot, "e")
        # the form starts from the deal as stored, amount as written
        assert form.query_one("#f-amount", Input).value == "高达1000亿美元"
        assert form.query_one("#f-from_org", Input).value == "Nvidia"
        fill_form(form, status="agreed", amount="$90B", qualifier="")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.main
        after = on_db(db_path, lambda c: get_deal(c, deal_id))
        assert after.status == "agreed" and after.qualifier == "exact"
        assert "$90B" in app.main.detail.text
        await pilot.press("u")
        await settle(pilot)
        assert on_db(db_path, lambda c: snapshot(c, deal_id)) == before


async def test_delete_asks_then_undo_restores_links(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"100 billion", "enter")
        await settle(pilot)
        deal_id = app.main.table.current_row.id
        before = on_db(db_path, lambda c: snapshot(c, deal_id))
        assert before.alliance_ids and before.links  # the triangle alliance and the 10 GW "part of" link
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert count(db_path) == 8
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert count(db_path) == 7
        assert app.main.table.row_count == 0  # the filter matched only that deal
        await pilot.press("u")
        await settle(pilot)
        assert count(db_path) == 8
        assert on_db(db_path, lambda c: snapshot(c, deal_id)) == before
        assert app.main.table.row_count == 1


async def link(pilot: Any, kind: str, **fields: str) -> None:
    await pilot.press("l")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LinkScreen)
    screen.query_one("#link-kind", Select).value = kind
    await pilot.pause()
    for name, value in fields.items():
        widget = screen.query_one(f"#link-{name}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            widget.value = value  # type: ignore[attr-defined]
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_link_deal_to_alliance_and_undo(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        deal_id = app.main.table.current_row.id
        await link(pilot, "deal-alliance", alliance="Compute Club")
        assert app.screen is app.main
        names = on_db(db_path, lambda c: [n for _, n in get_deal(c, deal_id).alliances])
        assert "Compute Club" in names
        assert "Compute Club" in app.main.detail.text
        await pilot.press("u")
        await settle(pilot)
        names = on_db(db_path, lambda c: [n for _, n in get_deal(c, deal_id).alliances])
        assert "Compute Club" not in names
        from tracker.core.records.alliances import find_alliance_id

        assert on_db(db_path, lambda c: find_alliance_id(c, "Compute Club")) is None  # created by the link: gone


async def test_link_deal_to_deal_and_undo(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        deal_id = app.main.table.current_row.id
        other = app.main.table.get_row_at(1).id
        await link(pilot, "deal-deal", relation="part of")
        screen = app.screen
        assert isinstance(screen, LinkScreen) and "Other deal: required" in str(
            screen.query_one("#link-problem").content
        )
        other_row = on_db(db_path, lambda c: get_deal(c, other))
        words = f"{other_row.from_party.name} {other_row.to_party.name if other_row.to_party else ''} 2025-09"
        screen.query_one("#link-deal", Input).focus()
        screen.query_one("#link-deal", Input).value = words
        await settle(pilot)
        await pilot.press("enter", "ctrl+s")  # enter picks the highlighted match; ctrl+s links
        await settle(pilot)
        assert app.screen is app.main
        links = on_db(db_path, lambda c: get_deal(c, deal_id).links)
        assert [(x.id, x.relation) for x in links] == [(other, "part of")]
        await pilot.press("u")
        await settle(pilot)
        assert on_db(db_path, lambda c: get_deal(c, deal_id).links) == ()


async def test_link_org_to_alliance_and_undo(db_path: str) -> None:
    from tracker.core.records.orgs import org_summary

    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        detail = on_db(db_path, lambda c: get_deal(c, app.main.table.current_row.id))
        org_id = detail.from_party.id  # Alibaba Cloud: not in the triangle
        assert "OpenAI–Nvidia–Oracle triangle" not in on_db(db_path, lambda c: org_summary(c, org_id)).alliances
        await link(pilot, "org-alliance", org=org_id, alliance="OpenAI–Nvidia–Oracle triangle")
        assert app.screen is app.main
        summary = on_db(db_path, lambda c: org_summary(c, org_id))
        assert "OpenAI–Nvidia–Oracle triangle" in summary.alliances
        await pilot.press("u")
        await settle(pilot)
        summary = on_db(db_path, lambda c: org_summary(c, org_id))
        assert "OpenAI–Nvidia–Oracle triangle" not in summary.alliances


async def test_link_form_requires_fields(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await link(pilot, "deal-alliance")
        assert isinstance(app.screen, LinkScreen)
        assert "required" in str(app.screen.query_one("#link-problem").content)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main
        assert not app.undo_stack


async def test_markup_in_names_shows_as_typed(db_path: str, monkeypatch: Any) -> None:
    app = TrackerApp(db_target=db_path)
    notices: list[tuple[str, bool]] = []  # (message, markup) of every notification
    real_notify = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        notices.append((message, kwargs.get("markup", True)))
        real_notify(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "a")
        fill_form(
            form, date="2026-04", kind="infrastructure", from_org="[bold]Acme[/bold] [link=x]", description="[red]x"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "[bold]Acme[/bold] [link=x]" in app.screen.question.plain
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is app.main
        assert app.main.table.get_row_at(0).cells[1] == "[bold]Acme[/bold] [link=x]"
        assert any("(new: [bold]Acme[/bold] [link=x])" in m and not markup for m, markup in notices)
        assert "[bold]Acme[/bold] [link=x]" in app.main.detail.text
        assert "[red]x" in app.main.detail.text
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("slash", *"acme", "enter")
        await settle(pilot)
        assert "[bold]Acme[/bold] [link=x]" in app.screen.query_one("#org-detail").text


async def test_failed_write_keeps_the_form(db_path: str, monkeypatch: Any) -> None:
    from tracker.core.records import undo as ops

    def busy(*args: Any, **kwargs: Any) -> Any:
        raise DatabaseBusy("database t.db is busy: another process held it for more than 30 s")

    monkeypatch.setattr(ops, "add", busy)
    app = TrackerApp(db_target=db_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "a")
        fill_form(form, date="2026-05-06", kind="investment", from_org="Nvidia", to_org="OpenAI", amount="$7B")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "Not saved: database t.db is busy" in form.problem
        assert form.field_texts()["amount"] == "$7B" and form.field_texts()["date"] == "2026-05-06"
        assert count(db_path) == 8
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.main
        assert count(db_path) == 9


async def test_undo_with_nothing_to_undo(db_path: str) -> None:
    app = TrackerApp(db_target=db_path)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert app.screen is app.main
