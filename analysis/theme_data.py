"""Labelled free-text answers for theme analysis, checked against the taxonomy.

Files: analysis/data/themes/answers/*.jsonl, one answer per line:
    {"text", "question", "themes": [...], "subthemes": [...], "valence", "suggestion"}
The train / dev / test split is fixed by a hash of the text, as for safeguarding.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from analysis.labelled import split_of
from analysis.taxonomy import Taxonomy, default_taxonomy
from analysis.textnorm import DATA

ANSWERS_DIR = DATA / "themes" / "answers"
VALENCES = ("positive", "negative", "mixed", "neutral")


class LabelError(ValueError):
    """A labelled line breaks a rule (the message starts with file:line)."""


@dataclass(frozen=True)
class ThemeExample:
    text: str
    themes: tuple[str, ...]
    subthemes: tuple[str, ...]
    valence: str
    suggestion: bool
    question: str | None = None
    source: str = "file"  # file | officer (corrections made in the console)

    @property
    def split(self) -> str:
        # Officers' corrections only ever train: the held-out figures stay comparable.
        return "train" if self.source == "officer" else split_of(self.text)


def check(row: object, taxonomy: Taxonomy, where: str) -> ThemeExample:
    """One labelled row, validated: known codes, every sub-theme under a listed theme."""
    if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"]:
        raise LabelError(f"{where}: expected an object with a non-empty text")
    themes, subs = row.get("themes", []), row.get("subthemes", [])
    if not isinstance(themes, list) or not isinstance(subs, list):
        raise LabelError(f"{where}: themes and subthemes must be lists")
    unknown = [c for c in themes if c not in taxonomy.codes] + [
        c for c in subs if c not in taxonomy.subtheme_codes
    ]
    if unknown:
        raise LabelError(f"{where}: unknown code(s) {unknown}")
    orphans = [s for s in subs if s.split(".")[0] not in themes]
    if orphans:
        raise LabelError(f"{where}: sub-theme(s) {orphans} without their theme")
    if row.get("valence") not in VALENCES:
        raise LabelError(f"{where}: valence must be one of {VALENCES}")
    if not isinstance(row.get("suggestion"), bool):
        raise LabelError(f"{where}: suggestion must be true or false")
    return ThemeExample(
        row["text"],
        tuple(sorted(set(themes))),
        tuple(sorted(set(subs))),
        row["valence"],
        row["suggestion"],
        row.get("question"),
    )


def load_answers(
    directory: Path = ANSWERS_DIR, taxonomy: Taxonomy | None = None
) -> list[ThemeExample]:
    """Every labelled answer in `directory/*.jsonl`, in a stable order."""
    taxonomy = taxonomy or default_taxonomy()
    out = []
    for path in sorted(directory.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LabelError(f"{path.name}:{n}: not valid JSON ({exc.msg})") from exc
            out.append(check(row, taxonomy, f"{path.name}:{n}"))
    return out


def split(examples: list[ThemeExample], name: str) -> list[ThemeExample]:
    return [e for e in examples if e.split == name]


def fingerprint(examples: list[ThemeExample], inputs: tuple[Path, ...]) -> str:
    """Changes whenever the examples or any file the pipeline's behaviour depends on does."""
    h = hashlib.sha256()
    for e in examples:
        h.update(json.dumps([e.text, e.themes, e.subthemes, e.valence, e.suggestion]).encode())
    for path in inputs:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()
