"""Safeguarding detector quality and speed on the held-out test split, printed as tables.

    .venv/bin/python bench/safeguarding_quality.py [--split test]

Recall per category, precision, the share of hard negatives (idioms, negated and topical
text) and ordinary answers flagged, for the lexicon alone, the classifier alone and the
detector (lexicon OR classifier) in one run; then throughput in texts per second.
Goals (issue 4): recall >= 0.98 overall and per category; hard negatives flagged <= 15%.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from analysis.build import Figures, evaluate  # noqa: E402
from analysis.labelled import CATEGORIES, load_examples, split  # noqa: E402
from analysis.risk_lexicon import default_lexicon  # noqa: E402
from analysis.risk_model import RiskModel  # noqa: E402
from analysis.safeguarding import Detector  # noqa: E402


class _ClassifierOnly(Detector):
    """The classifier with its usual inputs (including the lexicon's findings as features),
    but no lexicon hit flags a text by itself."""

    def _combine(self, text, scan, scores):  # noqa: ANN001, ANN202
        return super()._combine(text, [], scores)


def _pct(n: int, d: int) -> str:
    return f"{n / d:.3f} ({n}/{d})" if d else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["train", "dev", "test"])
    args = parser.parse_args()
    model = RiskModel.load()
    if model is None:
        print("the classifier is not built: run `make setup` first", file=sys.stderr)
        return 1
    examples = split(load_examples(), args.split)
    variants = {
        "lexicon only": Detector(default_lexicon(), None),
        "classifier only": _ClassifierOnly(default_lexicon(), model),
        "detector (either)": Detector(default_lexicon(), model),
    }
    figures: dict[str, Figures] = {
        n: evaluate(d, examples, args.split) for n, d in variants.items()
    }

    console = Console()
    table = Table(title=f"Safeguarding recall by category ({args.split} split, unseen in training)")
    table.add_column("category")
    for name in figures:
        table.add_column(name, justify="right")
    for c in CATEGORIES:
        table.add_row(c, *(_pct(*f.recall[c]) for f in figures.values()))
    table.add_row(
        "[b]all disclosures[/b]",
        *(
            _pct(sum(v[0] for v in f.recall.values()), sum(v[1] for v in f.recall.values()))
            for f in figures.values()
        ),
    )
    table.add_row("precision", *(f"{f.precision:.3f}" for f in figures.values()))
    table.add_row("hard negatives flagged", *(_pct(*f.hard_negatives) for f in figures.values()))
    table.add_row("ordinary answers flagged", *(_pct(*f.ordinary) for f in figures.values()))
    table.add_row(
        "non-disclosures given the crisis reply",
        *(_pct(*f.signposted_negatives) for f in figures.values()),
    )
    console.print(table)

    detector = variants["detector (either)"]
    texts = [e.text for e in load_examples()]
    detector.score_many(texts[:50])  # warm up
    start = time.perf_counter()
    detector.score_many(texts)
    batch = len(texts) / (time.perf_counter() - start)
    start = time.perf_counter()
    for t in texts[:500]:
        detector.score(t)
    single = 500 / (time.perf_counter() - start)
    speed = Table(title="Throughput (one process)")
    speed.add_column("mode")
    speed.add_column("texts per second", justify="right")
    speed.add_row(f"batch of {len(texts)} (analyse classify)", f"{batch:,.0f}")
    speed.add_row("one at a time (the gateway)", f"{single:,.0f}")
    speed.add_row("ratio batch / one at a time", f"{batch / single:.2f}")
    console.print(speed)
    f = figures["detector (either)"]
    worst = min(r[0] / r[1] for r in f.recall.values() if r[1])
    console.print(
        f"goals: recall >= 0.98 overall ({f.overall_recall:.3f}) and per category (lowest "
        f"{worst:.3f}); hard negatives flagged <= 15% ({f.fp_rate:.1%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
