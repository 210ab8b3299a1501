"""``tracker extract``: an article's text read into proposed deals (nothing is written to the database)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from tracker.cli.common import UserError, echo_json, open_db, shown, user_errors

if TYPE_CHECKING:
    from tracker.core.extract.stored import Checked


@click.command("extract")
@click.argument("source", required=False, default="-", metavar="[FILE|-]")
@click.option(
    "--date",
    "article_date",
    default=None,
    help="The article's date (YYYY-MM-DD), for 今年, last week, in March; default: its dateline, else today.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en", "auto"]),
    default="auto",
    show_default=True,
    help="The article's language (auto: each sentence by its characters).",
)
@click.option("--source-url", default=None, help="The article's address: every deal's source URL.")
@click.option("--outlet", default=None, help="Who published it (证券日报, Reuters): every deal's source outlet.")
@click.option("--title", default=None, help="The article's title: every deal's source title.")
@click.option("--encoding", default=None, help="The file's encoding (default UTF-8); e.g. gb18030.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help='json: {"proposals": [...]} with spans; csv: a deals CSV that `tracker import` takes.',
)
@click.pass_context
@user_errors
def extract_cmd(ctx: click.Context, source: str, article_date: str | None, lang: str, source_url: str | None,
                outlet: str | None, title: str | None, encoding: str | None, fmt: str) -> None:  # fmt: skip
    """Propose the deals an article states (Chinese or English), each with the sentence it came from, the
    character offsets of every field, a confidence, the organisations it would create and the stored deal it
    duplicates. Offline and deterministic; writes nothing."""
    import datetime as dt

    from tracker.core.extract.assemble import extract
    from tracker.core.extract.output import Article, as_json, csv_text
    from tracker.core.extract.reading import read_article
    from tracker.core.extract.segments import language
    from tracker.core.extract.stored import check, load_book
    from tracker.core.extract.when import dateline

    if source == "-" and sys.stdin.isatty():
        raise UserError("give a FILE, or pipe the article's text in (tracker extract - < article.txt)")
    text = read_article(source, encoding)
    if article_date is not None:
        try:
            day = dt.date.fromisoformat(article_date.strip())
        except ValueError:
            raise UserError(f"--date '{article_date}': not a date (YYYY-MM-DD)") from None
    else:
        day = dateline(text) or dt.date.today()
    db = open_db(ctx)
    with db.read() as conn:
        book = load_book(conn)
        checked = check(conn, extract(text, book, day, lang))
    article = Article(day.isoformat(), source_url, outlet, title, language(text) if lang == "auto" else lang)
    if fmt == "json":
        echo_json({"proposals": [as_json(c) for c in checked]})
    elif fmt == "csv":
        click.echo(csv_text(checked, article), nl=False)
    else:
        click.echo(shown(table_text(checked)))


def table_text(checked: list[Checked]) -> str:
    """One line per proposal: kind, parties, amount, capacity, date, status, confidence, what is new or stored."""
    from tracker.core.analysis.cells import pad
    from tracker.core.domain.amount_format import format_amount
    from tracker.core.domain.capacity import format_capacity

    if not checked:
        return "no deals found"
    rows = [("kind", "from → to", "amount", "GW", "date", "status", "conf", "note")]
    for c in checked:
        p = c.proposal
        note = f"duplicates #{c.existing_deal}" if c.existing_deal else ""
        if c.new_orgs:
            note = "new: " + ", ".join(c.new_orgs)
        rows.append((p.kind, f"{p.from_org} → {p.to_org}" if p.to_org else p.from_org,
                     format_amount(p.amount, p.currency, p.qualifier), format_capacity(p.capacity_gw, p.capacity_qualifier),
                     p.date, p.status, f"{p.confidence:.2f}", note))  # fmt: skip
    from rich.cells import cell_len

    widths = [max(cell_len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(pad(v, w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows)
