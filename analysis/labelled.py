"""The project's labelled safeguarding examples and their fixed train / dev / test split."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from analysis.textnorm import DATA

EXAMPLES_DIR = DATA / "safeguarding"
THEME_ANSWERS_DIR = DATA / "themes" / "answers"
# Theme answers are ordinary survey answers, written without disclosures; those about safety
# at home, exploitation or going missing sit too close to the line to call either way.
BORDERLINE_SUBTHEMES = {"SAFE.home_domestic_abuse", "SAFE.exploitation", "SAFE.missing"}
# How many theme answers join as ordinary examples: about as many as the labelled examples,
# the balance the threshold rule was set for. With all 10,993 the quietest disclosures
# scored under 0.02 (dev recall 0.945 at 0.02), and a threshold low enough to keep them
# flagged "I'd die for a better bus". With 4,400, on dev: recall 0.976, hard negatives
# 45.6%; on test: recall 0.983. New theme answers can change which 4,400 are picked, but
# not how many: after adding some, check `make bench` as after any training data change.
THEME_ANSWERS_CAP = 4400
CATEGORIES = (
    "immediate_danger",
    "suicide",
    "self_harm",
    "sexual_abuse",
    "abuse_home",
    "exploitation",
    "domestic_abuse",
    "missing_homeless",
    "bullying_severe",
)  # most urgent first: an alert's headline category is the first that applies


@dataclass(frozen=True)
class Example:
    text: str
    category: str | None
    kind: str  # disclosure | hard_negative | ordinary
    tags: tuple[str, ...] = field(default=())

    @property
    def split(self) -> str:
        return split_of(self.text)


def split_of(text: str) -> str:
    """60% train, 20% dev, 20% test, fixed by a hash of the text (stable as data grows)."""
    bucket = int(hashlib.sha256(text.encode()).hexdigest(), 16) % 10
    return "test" if bucket < 2 else "dev" if bucket < 4 else "train"


def load_examples(
    directory: Path = EXAMPLES_DIR, theme_answers: Path | None = THEME_ANSWERS_DIR
) -> list[Example]:
    """Every example in `directory/*.jsonl`, then the theme answers as ordinary (not
    disclosure) examples, in a stable order."""
    out = []
    for path in sorted(directory.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            category = row.get("category")
            if category is not None and category not in CATEGORIES:
                raise ValueError(f"{path.name}:{n}: unknown category {category!r}")
            out.append(Example(row["text"], category, row["kind"], tuple(row.get("tags", []))))
    return out + (_theme_answers(theme_answers) if theme_answers else [])


def _theme_answers(directory: Path) -> list[Example]:
    """At most THEME_ANSWERS_CAP theme answers, as ordinary examples, picked by a hash of
    the text (its leading digits; the split uses the remainder, so the two are independent)."""
    out = []
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if not BORDERLINE_SUBTHEMES & set(row.get("subthemes", [])):
                    out.append(Example(row["text"], None, "ordinary", ("theme_answer",)))
    out.sort(key=lambda e: hashlib.sha256(e.text.encode()).hexdigest())
    return out[:THEME_ANSWERS_CAP]


def split(examples: list[Example], name: str) -> list[Example]:
    return [e for e in examples if e.split == name]


# What the classifier's input depends on besides the examples: retrain when any of it changes.
MODEL_INPUTS = (
    DATA / "textspeak.yaml",
    DATA / "safeguarding_lexicon.yaml",
    Path(__file__).resolve().parent / "textnorm.py",
    Path(__file__).resolve().parent / "risk_lexicon.py",
    Path(__file__).resolve().parent / "risk_model.py",
    Path(__file__).resolve(),  # this file: which theme answers join, and how many
)


def data_fingerprint(directory: Path = EXAMPLES_DIR) -> str:
    """Changes whenever the labelled data or the text preparation does (retrain only then)."""
    h = hashlib.sha256()
    for path in [
        *sorted(directory.glob("*.jsonl")),
        *sorted(THEME_ANSWERS_DIR.glob("*.jsonl")),
        *MODEL_INPUTS,
    ]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()
