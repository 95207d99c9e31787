"""Tag free-text answers with themes: the trained pipeline behind one small API.

analyser = default_analyser()          # None until `youthvoice analyse train` has run
[result] = analyser.analyse(["the 7 never comes after 6"])
result.themes == ["TRANS"]; result.redacted; result.as_json()
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language

from analysis import theme_train

BATCH = 512


@dataclass(frozen=True)
class ThemeResult:
    themes: list[str]
    subthemes: list[str]
    scores: dict[str, float]
    valence: str
    suggestion: bool
    redacted: str

    def as_json(self) -> dict:
        return {
            "themes": self.themes,
            "subthemes": self.subthemes,
            "scores": self.scores,
            "valence": self.valence,
            "suggestion": self.suggestion,
            "redacted": self.redacted,
        }


class ThemeAnalyser:
    """A loaded theme pipeline."""

    def __init__(self, nlp: Language, version: str = ""):
        self.nlp = nlp
        self.version = version

    @classmethod
    def load(cls, directory: Path = theme_train.MODEL_DIR) -> ThemeAnalyser | None:
        nlp = theme_train.load(directory)
        return None if nlp is None else cls(nlp, theme_train.model_version(directory))

    def analyse(
        self,
        texts: Sequence[str],
        known_names: Sequence[Iterable[str]] | None = None,
    ) -> list[ThemeResult]:
        """One result per text, in order. `known_names[i]` are names the i-th participant
        gave about themselves: they are always redacted from that answer."""
        names = known_names or [()] * len(texts)
        docs = []
        for text, own in zip(texts, names, strict=True):
            doc = self.nlp.make_doc(text)
            doc._.known_names = list(own)
            docs.append(doc)
        out = []
        for doc in self.nlp.pipe(docs, batch_size=BATCH):
            out.append(
                ThemeResult(
                    themes=list(doc._.themes),
                    subthemes=list(doc._.subthemes),
                    scores=dict(doc._.scores),
                    valence=doc._.valence,
                    suggestion=bool(doc._.suggestion),
                    redacted=doc._.redacted,
                )
            )
        return out

    def content_lemmas(self, text: str) -> list[str]:
        """The lemmas that carry meaning (no stop words, numbers or punctuation)."""
        doc = self.nlp.get_pipe("lemmatizer")(self.nlp.make_doc(text))
        return [
            t.lemma_
            for t in doc
            if len(t) > 2 and t.text.replace("_", "").isalpha() and not t.is_stop
        ]


@lru_cache(maxsize=1)
def default_analyser() -> ThemeAnalyser | None:
    """The pipeline saved by setup (analysis/models/themes), or None if it is not built."""
    return ThemeAnalyser.load()
