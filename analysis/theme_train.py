"""Train, tune and measure the theme pipeline, reproducibly.

`build()` trains on the train split (plus officers' corrections), tunes thresholds on dev and
reports precision, recall and F1 per theme on the held-out test split. The pipeline is saved
to analysis/models/themes with a fingerprint of everything it was built from.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import spacy
from spacy.language import Language
from spacy.training import Example as SpacyExample
from spacy.util import fix_random_seed, minibatch
from thinc.api import Adam, Optimizer

from analysis import theme_pipeline
from analysis.taxonomy import TAXONOMY_PATH, default_taxonomy
from analysis.textnorm import DATA
from analysis.theme_data import ThemeExample, fingerprint, load_answers, split
from analysis.theme_pipeline import (
    SUGGESTION,
    VALENCE_NEGATIVE,
    VALENCE_POSITIVE,
    ThemeDecider,
    blank_pipeline,
)

MODEL_DIR = Path(__file__).resolve().parent / "models" / "themes"
SEED = 11
EPOCHS = 8  # chosen on dev; more overfits
LEARN_RATE = 0.005
HERE = Path(__file__).resolve().parent
PIPELINE_INPUTS = (
    TAXONOMY_PATH,
    DATA / "textspeak.yaml",
    HERE / "textnorm.py",
    HERE / "theme_pipeline.py",
    HERE / "theme_train.py",
)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class ThemeFigures:
    """Held-out figures: per theme, micro and macro, plus sub-themes, valence, suggestion."""

    split: str
    n: int
    themes: dict[str, Counts] = field(default_factory=dict)
    subthemes: Counts = field(default_factory=Counts)
    valence_correct: int = 0
    suggestion: Counts = field(default_factory=Counts)

    @property
    def micro(self) -> Counts:
        return Counts(
            sum(c.tp for c in self.themes.values()),
            sum(c.fp for c in self.themes.values()),
            sum(c.fn for c in self.themes.values()),
        )

    @property
    def macro_f1(self) -> float:
        present = [c for c in self.themes.values() if c.tp + c.fn]
        return sum(c.f1 for c in present) / len(present) if present else 0.0

    @property
    def valence_accuracy(self) -> float:
        return self.valence_correct / self.n if self.n else 0.0


def figures_table(figures: ThemeFigures):  # noqa: ANN201
    """The per-theme table (rich), as `analyse train` and the bench print it."""
    from rich.table import Table

    taxonomy = default_taxonomy()
    table = Table(title=f"Themes on the held-out {figures.split} split ({figures.n} answers)")
    for column in ("theme", "answers", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "theme" else "right")
    for code, c in figures.themes.items():
        table.add_row(f"{code} {taxonomy.name_of(code)}", str(c.tp + c.fn),
                      f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}")  # fmt: skip
    micro = figures.micro
    table.add_row("micro", str(micro.tp + micro.fn), f"{micro.precision:.3f}",
                  f"{micro.recall:.3f}", f"{micro.f1:.3f}", style="bold")  # fmt: skip
    table.add_row("macro", "", "", "", f"{figures.macro_f1:.3f}", style="bold")
    return table


def figures_summary(figures: ThemeFigures) -> str:
    return (
        f"sub-themes micro-F1 {figures.subthemes.f1:.3f}; valence accuracy "
        f"{figures.valence_accuracy:.3f}; suggestion F1 {figures.suggestion.f1:.3f}"
    )


def _cats(example: ThemeExample, labels: list[str]) -> dict[str, float]:
    on = {*example.themes, *example.subthemes}
    if example.valence in ("positive", "mixed"):
        on.add(VALENCE_POSITIVE)
    if example.valence in ("negative", "mixed"):
        on.add(VALENCE_NEGATIVE)
    if example.suggestion:
        on.add(SUGGESTION)
    cats = {label: float(label in on) for label in labels}
    if example.source == "officer":  # officers review tags, not valence: leave those unknown
        for label in (VALENCE_POSITIVE, VALENCE_NEGATIVE, SUGGESTION):
            del cats[label]
    return cats


def train(examples: list[ThemeExample], epochs: int = EPOCHS) -> Language:
    """A trained pipeline (fixed seed and order: the same data gives the same model)."""
    fix_random_seed(SEED)
    rng = random.Random(SEED)
    taxonomy = default_taxonomy()
    nlp = blank_pipeline(taxonomy)
    labels = theme_pipeline.labels(taxonomy)
    lemmatizer = nlp.get_pipe("lemmatizer")
    lemmatizer.initialize()
    data = [  # the classifier reads lemmas: give it the docs the pipeline will give it
        SpacyExample.from_dict(lemmatizer(nlp.make_doc(e.text)), {"cats": _cats(e, labels)})
        for e in examples
    ]
    # A few hundred answers spread over 120 labels: the default rate (0.001) barely moves
    # the rare labels' weights in the epochs we run. Otherwise spaCy's default Adam, but
    # keeping running averages of the weights and serving those: chosen on dev, +0.003 to
    # +0.006 micro-F1 over the last weights for each of three seeds, at no cost per answer.
    optimizer = Adam(learn_rate=LEARN_RATE, L2=0.01, grad_clip=1.0, use_averages=True)
    nlp.initialize(lambda: data, sgd=optimizer)
    with nlp.select_pipes(enable=["textcat"]):
        for _ in range(epochs):
            rng.shuffle(data)
            for batch in minibatch(data, size=16):
                nlp.update(batch, sgd=optimizer, drop=0.2)
    _keep_averages(nlp, optimizer)
    return nlp


def _keep_averages(nlp: Language, optimizer: Optimizer) -> None:
    """Make the optimizer's averaged weights the model's own (`nlp.use_params` does so only
    inside a `with` block), so they are what is tuned, saved and served."""
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None:
            continue
        for node in model.walk():
            for name in node.param_names:
                if (node.id, name) in optimizer.averages:
                    node.set_param(name, optimizer.averages[(node.id, name)].copy())


def evaluate(nlp: Language, examples: list[ThemeExample], name: str) -> ThemeFigures:
    taxonomy = default_taxonomy()
    figures = ThemeFigures(name, len(examples), {c: Counts() for c in taxonomy.codes})
    docs = nlp.pipe([e.text for e in examples], disable=["youthvoice_redactor"])
    for e, doc in zip(examples, docs, strict=True):
        predicted, gold = set(doc._.themes), set(e.themes)
        for code in taxonomy.codes:
            c = figures.themes[code]
            c.tp += code in predicted and code in gold
            c.fp += code in predicted and code not in gold
            c.fn += code in gold and code not in predicted
        sub_p, sub_g = set(doc._.subthemes), set(e.subthemes)
        figures.subthemes.tp += len(sub_p & sub_g)
        figures.subthemes.fp += len(sub_p - sub_g)
        figures.subthemes.fn += len(sub_g - sub_p)
        figures.valence_correct += doc._.valence == e.valence
        figures.suggestion.tp += doc._.suggestion and e.suggestion
        figures.suggestion.fp += doc._.suggestion and not e.suggestion
        figures.suggestion.fn += e.suggestion and not doc._.suggestion
    return figures


def tune(nlp: Language, dev: list[ThemeExample]) -> None:
    """Thresholds that maximise dev F1: first one for every theme and the lexicon boost, then
    per theme within 0.15 of the global threshold, with the whole, half or none of the boost
    (some seeds, such as "mum", are weak evidence); small steps so small dev counts do not
    overfit. Valence and suggestion thresholds maximise dev accuracy."""
    decider: ThemeDecider = nlp.get_pipe("youthvoice_theme_decider")
    docs = list(nlp.pipe([e.text for e in dev], disable=["youthvoice_redactor"]))
    codes = default_taxonomy().codes
    score = np.array([[decider.model_score(d.cats, c) for c in codes] for d in docs])
    seen = [decider.hit_themes(d._.theme_hits) for d in docs]
    hit = np.array([[c in themes for c in codes] for themes in seen])
    gold = np.array([[c in e.themes for c in codes] for e in dev])

    _, _, t, boost = max(
        (_column_f1(score, hit, gold, t, b), -abs(t - 0.5), t, b)
        for b in (0.0, 0.1, 0.15, 0.2, 0.3)
        for t in (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
    )
    decider.thresholds.update(theme=t, lexicon=boost)
    for j, code in enumerate(codes):
        column = (score[:, j : j + 1], hit[:, j : j + 1], gold[:, j : j + 1])
        best = max(
            (_column_f1(*column, option, b), -abs(option - t) - abs(b - boost), option, b)
            for option in (round(t + d, 2) for d in (-0.15, -0.1, -0.05, 0.0, 0.05, 0.1, 0.15))
            for b in (0.0, boost / 2, boost)
        )
        decider.theme_thresholds[code], decider.theme_boosts[code] = best[2], best[3]
    for key, label_check in (("valence", _valence_ok), ("suggestion", _suggestion_ok)):
        scored = []
        for option in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
            decider.thresholds[key] = option
            right = 0
            for e, doc in zip(dev, docs, strict=True):
                decider(doc)
                right += label_check(doc, e)
            scored.append((right, -abs(option - 0.5), option))
        decider.thresholds[key] = max(scored)[2]


def _column_f1(score, hit, gold, threshold: float, boost: float) -> float:  # noqa: ANN001
    got = np.minimum(1.0, score + hit * boost) >= threshold
    tp, fp, fn = (got & gold).sum(), (got & ~gold).sum(), (~got & gold).sum()
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def _valence_ok(doc, e: ThemeExample) -> bool:  # noqa: ANN001
    return doc._.valence == e.valence


def _suggestion_ok(doc, e: ThemeExample) -> bool:  # noqa: ANN001
    return doc._.suggestion == e.suggestion


def save(nlp: Language, fingerprint_value: str, directory: Path = MODEL_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(directory)
    (directory / "youthvoice.json").write_text(
        json.dumps({"data": fingerprint_value, "seed": SEED, "epochs": EPOCHS})
    )


def current_fingerprint(extra: list[ThemeExample] = ()) -> str:  # type: ignore[assignment]
    return fingerprint([*load_answers(), *extra], PIPELINE_INPUTS)


def is_current(directory: Path = MODEL_DIR, extra: list[ThemeExample] = ()) -> bool:  # type: ignore[assignment]
    meta = directory / "youthvoice.json"
    if not meta.exists():
        return False
    return json.loads(meta.read_text()).get("data") == current_fingerprint(extra)


def model_version(directory: Path = MODEL_DIR) -> str:
    """A short id of the saved pipeline (the start of its data fingerprint)."""
    meta = directory / "youthvoice.json"
    return json.loads(meta.read_text())["data"][:12] if meta.exists() else ""


def load(directory: Path = MODEL_DIR) -> Language | None:
    if not (directory / "youthvoice.json").exists():
        return None
    return spacy.load(directory)


def build(
    corrections: list[ThemeExample] = (),  # type: ignore[assignment]
    echo: Callable[[str], None] = print,
    directory: Path = MODEL_DIR,
) -> ThemeFigures:
    """Train on train + corrections, tune on dev, save; returns the test figures."""
    examples = load_answers()
    train_set = [*split(examples, "train"), *corrections]
    echo(
        f"training on {len(train_set)} answers ({len(corrections)} from officers' corrections); "
        f"tuning on {len(split(examples, 'dev'))}; testing on {len(split(examples, 'test'))}"
    )
    nlp = train(train_set)
    tune(nlp, split(examples, "dev"))
    save(nlp, current_fingerprint(list(corrections)), directory)
    echo(f"theme pipeline saved to {directory}")
    return evaluate(nlp, split(examples, "test"), "test")
