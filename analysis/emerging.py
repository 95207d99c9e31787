"""Emerging themes: what young people talk about that the taxonomy misses.

Answers that fit no theme well are clustered with TF-IDF over lemma n-grams and NMF
(scikit-learn), which stays meaningful for the small consultations councils run (20-400
answers), where embedding-based topic models have too little to work with. Each cluster is
shown with its top terms and a few redacted example answers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

FIT = 0.6  # an answer whose best theme score is below this fits no theme well
MIN_ANSWERS = 4  # fewer unfitted answers than this: nothing to cluster
MAX_CLUSTERS = 8
SEED = 3
EXTRA_STOP = {"no_words", "|", "yes", "no", "like", "just", "really", "get", "thing", "lot"}


@dataclass(frozen=True)
class Unfitted:
    answer_id: int | str
    text: str  # raw: used for the terms only, never shown
    redacted: str  # what is shown
    best_score: float


@dataclass(frozen=True)
class EmergingTheme:
    terms: list[str]
    size: int
    examples: list[str]  # redacted
    answer_ids: list[int | str]

    def as_json(self) -> dict:
        return {
            "label": " / ".join(self.terms[:3]),
            "terms": self.terms,
            "size": self.size,
            "examples": self.examples,
            "answer_ids": self.answer_ids,
        }


def _unigrams_and_bigrams(words: list[str]) -> list[str]:
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def unfitted(items: Sequence[Unfitted], fit: float = FIT) -> list[Unfitted]:
    return [i for i in items if i.best_score < fit]


def cluster(
    items: Sequence[Unfitted],
    lemmas: Callable[[str], list[str]],
    examples: int = 3,
) -> list[EmergingTheme]:
    """Clusters of `items` (already the answers that fit no theme), biggest first.

    `lemmas(text)` gives the content lemmas of a text (the theme pipeline's tokenizer and
    lemmatizer, stop words removed)."""
    docs = [[w for w in lemmas(i.text) if w not in EXTRA_STOP] for i in items]
    keep = [n for n, d in enumerate(docs) if d]
    if len(keep) < MIN_ANSWERS:
        return []
    vectoriser = TfidfVectorizer(
        analyzer=_unigrams_and_bigrams,
        min_df=2,
        sublinear_tf=True,
    )
    try:
        matrix = vectoriser.fit_transform([docs[n] for n in keep])
    except ValueError:  # no term appears in two answers: no shared topic to report
        return []
    if matrix.shape[1] < 2:
        return []
    k = max(2, min(MAX_CLUSTERS, round(math.sqrt(len(keep) / 2)), matrix.shape[1] - 1))
    model = NMF(n_components=k, init="nndsvda", random_state=SEED, max_iter=400)
    weights = model.fit_transform(matrix)
    terms = vectoriser.get_feature_names_out()
    out = []
    for c in range(k):
        members = [r for r in range(len(keep)) if weights[r].argmax() == c and weights[r, c] > 0]
        if len(members) < 2:
            continue
        top_terms = [str(terms[t]) for t in np.argsort(model.components_[c])[::-1][:6]]
        ranked = sorted(members, key=lambda r: -weights[r, c])
        out.append(
            EmergingTheme(
                top_terms,
                len(members),
                [items[keep[r]].redacted for r in ranked[:examples]],
                [items[keep[r]].answer_id for r in ranked],
            )
        )
    return sorted(out, key=lambda e: -e.size)
