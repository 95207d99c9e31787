"""Builds the safeguarding classifier and reports how well the detector does on held-out data."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.labelled import CATEGORIES, Example, load_examples, split
from analysis.risk_lexicon import default_lexicon
from analysis.risk_model import MODEL_DIR, RISK, RiskModel, choose_threshold, save, train
from analysis.safeguarding import Detector


@dataclass
class Figures:
    """Recall per category and overall, and false-positive rates, on one split."""

    split: str
    recall: dict[str, tuple[int, int]]  # category -> (caught, total)
    hard_negatives: tuple[int, int]  # (flagged, total)
    ordinary: tuple[int, int]
    precision: float
    signposted_negatives: tuple[int, int]  # non-disclosures that would get the crisis reply

    @property
    def overall_recall(self) -> float:
        caught = sum(c for c, _ in self.recall.values())
        return caught / max(1, sum(t for _, t in self.recall.values()))

    @property
    def fp_rate(self) -> float:
        return self.hard_negatives[0] / max(1, self.hard_negatives[1])


def evaluate(detector: Detector, examples: list[Example], name: str) -> Figures:
    results = detector.score_many([e.text for e in examples])
    recall = {c: [0, 0] for c in CATEGORIES}
    hard, ordinary, signposted = [0, 0], [0, 0], [0, 0]
    flagged_total = true_flags = 0
    for e, r in zip(examples, results, strict=True):
        flagged_total += r.flag
        if e.category:
            recall[e.category][1] += 1
            recall[e.category][0] += r.flag
            true_flags += r.flag
        else:
            bucket = hard if e.kind == "hard_negative" else ordinary
            bucket[1] += 1
            bucket[0] += r.flag
            signposted[1] += 1
            signposted[0] += r.respond
    return Figures(
        name,
        {c: (v[0], v[1]) for c, v in recall.items()},
        (hard[0], hard[1]),
        (ordinary[0], ordinary[1]),
        true_flags / max(1, flagged_total),
        (signposted[0], signposted[1]),
    )


def build_model(echo=print) -> Figures:  # noqa: ANN001
    """Train on the train split, pick the threshold on dev, save; returns the test figures."""
    examples = load_examples()
    nlp = train(split(examples, "train"))
    dev = split(examples, "dev")
    lexicon = default_lexicon()
    risk = [
        (s or {}).get(RISK, 0.0) for s in RiskModel(nlp, 1.0).scores_many([e.text for e in dev])
    ]
    threshold, recall, fp = choose_threshold(risk, [bool(lexicon.hits(e.text)) for e in dev], dev)
    save(nlp, MODEL_DIR, threshold)
    echo(
        f"classifier saved to {MODEL_DIR} (threshold {threshold:.2f}: "
        f"dev recall {recall:.3f}, dev hard-negative flags {fp:.1%})"
    )
    detector = Detector(lexicon, RiskModel.load(MODEL_DIR))
    return evaluate(detector, split(examples, "test"), "test")
