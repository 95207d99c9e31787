"""`youthvoice analyse ...`: build the safeguarding classifier and the theme pipeline,
classify free text, tag stored answers and summarise a consultation's themes."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

log = logging.getLogger(__name__)


@click.group("analyse")
def analyse() -> None:
    """Text analysis: safeguarding screening and theme analysis."""


def _corrections() -> list:
    """Officers' reviewed tags from the database, if there is one to read."""
    from sqlalchemy.exc import SQLAlchemyError

    from surveys.db import session_scope
    from surveys.theme_tags import reviewed_examples

    try:
        with session_scope() as session:
            return reviewed_examples(session)
    except SQLAlchemyError as exc:
        # A fresh install trains before `youthvoice init` creates the database.
        click.echo(f"no officer corrections yet (no database to read: {exc.__class__.__name__})")
        return []


@analyse.command("train")
@click.option("--if-changed", is_flag=True, help="Do nothing if the data and code are unchanged.")
def train_themes(if_changed: bool) -> None:
    """Rebuild the theme pipeline (fixed seed) from the labelled answers plus officers'
    corrections, and print precision, recall and F1 per theme on the held-out split."""
    from analysis import theme_train

    corrections = _corrections()
    if if_changed and theme_train.is_current(extra=corrections):
        click.echo("theme pipeline is up to date")
        return
    from rich.console import Console

    figures = theme_train.build(corrections, click.echo)
    Console(width=100).print(theme_train.figures_table(figures))
    click.echo(theme_train.figures_summary(figures))


@analyse.command("train-safeguarding")
@click.option("--force", is_flag=True, help="Retrain even if the labelled data is unchanged.")
def train_safeguarding(force: bool) -> None:
    """Train the safeguarding classifier on analysis/data/safeguarding (only when it changed)."""
    from analysis.build import build_model
    from analysis.risk_model import is_current

    if is_current() and not force:
        click.echo("safeguarding classifier is up to date")
        return
    figures = build_model(click.echo)
    click.echo(
        f"held-out test: recall {figures.overall_recall:.3f}, "
        f"hard negatives flagged {figures.fp_rate:.1%} (see `make bench` for the full table)"
    )


@analyse.command("classify")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--workers", type=int, default=None, help="Processes (default: 2 for big files).")
def classify(source: Path, output: Path | None, workers: int | None) -> None:
    """Classify INPUT.jsonl lines of {"id", "text", "question"?}: themes, sub-themes, scores,
    valence, suggestion, redacted text and safeguarding; one JSON line per input line."""
    from analysis.classify import BadLine, NotBuilt, classify_file, default_workers

    def report(bad: BadLine) -> None:
        click.echo(f"{source.name}:{bad.line}: skipped: {bad.reason}", err=True)

    total = sum(1 for _ in source.open(encoding="utf-8", errors="replace"))
    workers = workers or default_workers(total)
    with source.open(encoding="utf-8", errors="replace") as src:
        out = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            with click.progressbar(length=total, label="classifying", file=sys.stderr) as bar:
                written, skipped = classify_file(
                    src, out, report, lambda: bar.update(1), workers=workers
                )
        except NotBuilt as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            if output:
                out.close()
    click.echo(f"{written} classified, {skipped} skipped", err=True)


@analyse.command("tag")
@click.option("--limit", type=int, default=5000, show_default=True)
def tag(limit: int) -> None:
    """Tag stored free-text answers not yet analysed by the current pipeline (the worker
    does this every 30 seconds)."""
    from analysis.themes import default_analyser
    from surveys.db import session_scope
    from surveys.theme_tags import tag_pending

    analyser = default_analyser()
    if analyser is None:
        raise click.ClickException(
            "the theme pipeline is not built: run `youthvoice analyse train`"
        )
    with session_scope() as session:
        done = tag_pending(session, analyser, limit)
    click.echo(f"{done} answer(s) tagged")


@analyse.command("year-summary")
@click.argument("year", type=int)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
def year_summary(year: int, output: Path | None) -> None:
    """The theme summary of reporting YEAR (1 April YEAR to 31 March YEAR+1) across every
    consultation, as JSON, with each theme's share the year before."""
    from analysis.themes import default_analyser
    from surveys.db import session_scope
    from surveys.theme_year import BadYear, summarise_year

    try:
        with session_scope() as session:
            data = summarise_year(session, year, default_analyser())
    except BadYear as exc:
        raise click.ClickException(str(exc)) from exc
    _write_json(data, output)


@analyse.command("summary")
@click.argument("consultation")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
def summary(consultation: str, output: Path | None) -> None:
    """The theme summary of CONSULTATION (its slug) as JSON: per question and theme, with
    age-band and group breakdowns, redacted quotes, agreement and emerging themes."""
    from analysis.themes import default_analyser
    from surveys.db import session_scope
    from surveys.theme_summary import NotFound, summarise

    try:
        with session_scope() as session:
            data = summarise(session, consultation, default_analyser())
    except NotFound as exc:
        raise click.ClickException(f"no consultation {consultation!r}") from exc
    _write_json(data, output)


def _write_json(data: dict, output: Path | None) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)
