"""``tracker source add|list|remove``: a deal's sources (tracker/core/records/sources.py), from scripts."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from tracker.cli.common import UserError, open_db, shown, user_errors

if TYPE_CHECKING:
    from tracker.core.records.sources import Confidence, Source

FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="json for scripts."
)


@click.group("source")
def source_group() -> None:
    """A deal's sources: add, list, remove (confidence is derived from them)."""


@source_group.command("add")
@click.argument("deal")
@click.option("--url", required=True, help="Where the source is (a web address, a filing's link).")
@click.option(
    "--kind", default=None,
    help="filing, press-release, earnings-call, news, analysis, social or rumor (default news).",
)  # fmt: skip
@click.option("--outlet", default=None, help="Who published it (Reuters, SEC, the company itself).")
@click.option("--title", default=None)
@click.option("--author", default=None)
@click.option("--date", "published", default=None, help="When it was published: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--excerpt", default=None, help="The sentence that states the deal, in its language.")
@click.option("--lang", default=None, help="Its language: en, zh, zh-Hans, pt-BR ...")
@click.option("--retrieved", default=None, help="When it was read: YYYY-MM-DD (default today).")
@FORMAT
@click.pass_context
@user_errors
def source_add(ctx: click.Context, deal: str, fmt: str, **given: str | None) -> None:
    """Add a source to DEAL (its id or ref), after its others; prints the deal's confidence."""
    import datetime as dt

    from tracker.core.domain.source_fields import parse_source_fields
    from tracker.core.records.sources import add_source, deal_by_key, deal_confidence

    if given.get("retrieved") is None:
        given["retrieved"] = dt.date.today().isoformat()
    values = parse_source_fields(given)  # a bad field: SourceError, one line, before the database is opened
    db = open_db(ctx)
    with db.write() as conn:
        source = add_source(conn, deal_by_key(conn, deal), values)
        confidence = deal_confidence(conn, source.deal_id)
    if fmt == "json":
        click.echo(json.dumps({**source.as_dict(), "confidence": confidence.level, "outlets": confidence.outlets},
                              ensure_ascii=False))  # fmt: skip
    else:
        click.echo(f"added source {source.id} to deal #{source.deal_id}; the deal is {confidence}")


def _line(s: Source) -> str:
    parts = [f"{s.id:>6}", s.kind, s.outlet or "-", s.published or "-", s.url or "-"]
    extra = [f"{k} {v}" for k, v in (("by", s.author), ("lang", s.lang), ("retrieved", s.retrieved)) if v]
    text = "  ".join(parts) + (f"  ({', '.join(extra)})" if extra else "")
    if s.title:
        text += f"\n        {s.title}"
    if s.excerpt:
        text += f"\n        “{s.excerpt}”"
    return shown(text)


def _header(deal_id: int, confidence: Confidence, n: int) -> str:
    return f"deal #{deal_id}: {confidence}; {n} source{'' if n == 1 else 's'}"


@source_group.command("list")
@click.argument("deal")
@FORMAT
@click.pass_context
@user_errors
def source_list(ctx: click.Context, deal: str, fmt: str) -> None:
    """The sources of DEAL (its id or ref), first first, with the deal's confidence."""
    from tracker.core.records.sources import deal_by_key, deal_confidence, list_sources

    db = open_db(ctx)
    with db.read() as conn:
        deal_id = deal_by_key(conn, deal)
        sources = list_sources(conn, deal_id)
        confidence = deal_confidence(conn, deal_id)
    if fmt == "json":
        click.echo(json.dumps({
            "deal": deal_id, "confidence": confidence.level, "outlets": confidence.outlets,
            "sources": [s.as_dict() for s in sources],
        }, ensure_ascii=False, indent=2))  # fmt: skip
        return
    click.echo(_header(deal_id, confidence, len(sources)))
    for s in sources:
        click.echo(_line(s))


@source_group.command("remove")
@click.argument("source_id", metavar="ID", type=click.IntRange(min=1))
@click.pass_context
@user_errors
def source_remove(ctx: click.Context, source_id: int) -> None:
    """Remove source ID (the ids `tracker source list` shows); prints the deal's confidence after."""
    from tracker.core.records.errors import DealError
    from tracker.core.records.sources import deal_confidence, remove_source

    db = open_db(ctx)
    with db.write() as conn:
        try:
            gone = remove_source(conn, source_id)
        except DealError as exc:
            raise UserError(str(exc)) from None
        confidence = deal_confidence(conn, gone.deal_id)
    click.echo(f"removed source {source_id} of deal #{gone.deal_id}; the deal is {confidence}")
