"""`youthvoice analyse ...`: build the safeguarding classifier and classify free text."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group("analyse")
def analyse() -> None:
    """Text analysis: safeguarding screening (and, later, themes)."""


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
def classify(source: Path, output: Path | None) -> None:
    """Classify INPUT.jsonl lines of {"id", "text"}; writes one JSON line per input."""
    from analysis.classify import BadLine, classify_file

    def report(bad: BadLine) -> None:
        click.echo(f"{source.name}:{bad.line}: skipped: {bad.reason}", err=True)

    total = sum(1 for _ in source.open(encoding="utf-8", errors="replace"))
    with source.open(encoding="utf-8", errors="replace") as src:
        out = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            with click.progressbar(length=total, label="classifying", file=sys.stderr) as bar:
                written, skipped = classify_file(src, out, report, lambda: bar.update(1))
        finally:
            if output:
                out.close()
    click.echo(f"{written} classified, {skipped} skipped", err=True)
