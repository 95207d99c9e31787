"""spaCy's multi-label text classifier, writing its scores to `doc.cats` in one pass per doc.

spaCy's own `set_annotations` converts each of the ~120 scores of every doc separately from a
numpy scalar; here each doc's row becomes Python floats at once. Scores, training and saving
are spaCy's, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.language import Language
from spacy.pipeline.textcat_multilabel import (
    DEFAULT_MULTI_TEXTCAT_MODEL,
    MultiLabel_TextCategorizer,
)
from spacy.tokens import Doc
from thinc.api import Model


class FastMultiLabelTextCategorizer(MultiLabel_TextCategorizer):
    def set_annotations(self, docs: Iterable[Doc], scores) -> None:  # noqa: ANN001
        labels = self.labels
        for doc, row in zip(docs, self.model.ops.to_numpy(scores).tolist(), strict=True):
            doc.cats.update(zip(labels, row, strict=True))


@Language.factory(
    "youthvoice_textcat_multilabel",
    assigns=["doc.cats"],
    default_config={
        "threshold": 0.5,
        "model": DEFAULT_MULTI_TEXTCAT_MODEL,
        "scorer": {"@scorers": "spacy.textcat_multilabel_scorer.v2"},
    },
    default_score_weights={"cats_score": 1.0},
)
def make_fast_textcat(
    nlp: Language, name: str, model: Model, threshold: float, scorer: Callable | None
) -> FastMultiLabelTextCategorizer:
    return FastMultiLabelTextCategorizer(nlp.vocab, model, name, threshold=threshold, scorer=scorer)
