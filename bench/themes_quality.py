"""Theme analysis quality and speed, printed as tables.

    .venv/bin/python bench/themes_quality.py [--answers 50000]

1. Precision, recall and F1 per theme, micro and macro, on the held-out test split.
   Goal (issue 5): micro-F1 >= 0.85 and macro-F1 >= 0.80.
2. Answers per second over N answers (the labelled answers, cycled: nothing caches whole
   texts, so repeats cost as much as new ones) for:
   - a bare spacy.blank("en") tokenizer pass (the yardstick),
   - the theme pipeline alone,
   - `analyse classify` end to end (themes, redaction and safeguarding, JSON out), in one
     process and on both cores.
   Goal: >= 5,000 answers/s on 2 cores, and within 3x of the bare tokenizer.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import spacy  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from analysis.classify import classify_file  # noqa: E402
from analysis.theme_data import load_answers, split  # noqa: E402
from analysis.theme_train import evaluate, figures_summary, figures_table  # noqa: E402
from analysis.themes import default_analyser  # noqa: E402


def _quality(console: Console, analyser) -> None:  # noqa: ANN001
    figures = evaluate(analyser.nlp, split(load_answers(), "test"), "test")
    console.print(figures_table(figures))
    console.print(figures_summary(figures))
    met = figures.micro.f1 >= 0.85 and figures.macro_f1 >= 0.80
    console.print(f"goal micro >= 0.85 and macro >= 0.80: {'met' if met else 'NOT met'}")


def _rate(n: int, run) -> float:  # noqa: ANN001
    start = time.perf_counter()
    run()
    return n / (time.perf_counter() - start)


def _speed(console: Console, analyser, n: int) -> None:  # noqa: ANN001
    texts = [a.text for a in load_answers()]
    texts = (texts * (n // len(texts) + 1))[:n]
    lines = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts))
    blank = spacy.blank("en")

    def bare() -> None:
        for _ in blank.pipe(texts, batch_size=1000):
            pass

    def themes() -> None:
        analyser.analyse(texts)

    def classify(workers: int):  # noqa: ANN202
        def run() -> None:
            classify_file(io.StringIO(lines), io.StringIO(), lambda bad: None, workers=workers)

        return run

    rates = {
        "bare spacy.blank('en') tokenizer": _rate(n, bare),
        "theme pipeline (1 process)": _rate(n, themes),
        "analyse classify (1 process)": _rate(n, classify(1)),
        "analyse classify (2 processes)": _rate(n, classify(2)),
    }
    base = rates["bare spacy.blank('en') tokenizer"]
    table = Table(title=f"Throughput over {n:,} answers")
    table.add_column("pass")
    table.add_column("answers/s", justify="right")
    table.add_column("tokenizer / this", justify="right")
    for name, rate in rates.items():
        table.add_row(name, f"{rate:,.0f}", f"{base / rate:.1f}x")
    console.print(table)
    best = rates["analyse classify (2 processes)"]
    console.print(
        f"goal >= 5,000 answers/s on 2 cores: {'met' if best >= 5000 else 'NOT met'} "
        f"({best:,.0f}); within 3x of the tokenizer: "
        f"{'met' if base / best <= 3 else 'NOT met'} ({base / best:.1f}x)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=50_000)
    args = parser.parse_args()
    analyser = default_analyser()
    if analyser is None:
        print("the theme pipeline is not built: run `make setup` first", file=sys.stderr)
        return 1
    console = Console(width=110)
    _quality(console, analyser)
    _speed(console, analyser, args.answers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
