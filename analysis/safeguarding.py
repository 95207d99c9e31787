"""The safeguarding detector: does this text suggest a child may be at risk, and of what?

Recall comes first. A text is flagged when the curated lexicon finds a phrase (normalised for
case, spacing, leetspeak, misspellings and emoji; negated phrases and idioms excepted) OR the
trained classifier scores it at or above its threshold. Past events are still flagged, marked
`past`, because historical harm must still reach a person. The gateway, the action server's
answers and `youthvoice analyse classify` all call `Detector.score`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from analysis.labelled import CATEGORIES
from analysis.risk_lexicon import Hit, Lexicon, default_lexicon
from analysis.risk_model import RISK, RiskModel

# When a text's only risk words are negated or idioms, the classifier alone needs this score.
NEGATED_THRESHOLD = 0.3

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SafeguardingResult:
    """What the detector found in one text."""

    flag: bool
    category: str | None = None  # the headline: the most urgent category the lexicon found
    categories: tuple[str, ...] = ()
    evidence: tuple[dict[str, Any], ...] = ()
    past: bool = False  # every lexicon hit was about the past
    # True: reply to the child with signposting and keep the message from the bot (a lexicon
    # phrase, or a confident classifier). False: a person reviews it; the chat goes on.
    respond: bool = False
    detector_version: str = ""
    model_score: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "flag": self.flag,
            "category": self.category,
            "categories": list(self.categories),
            "evidence": list(self.evidence),
            "past": self.past,
            "respond": self.respond,
        }


@dataclass
class Detector:
    lexicon: Lexicon
    model: RiskModel | None
    version: str = field(init=False)

    def __post_init__(self) -> None:
        self.version = f"lex-{self.lexicon.version}" + ("+model" if self.model else "")

    def score(self, text: str) -> SafeguardingResult:
        return self.score_many([text])[0]

    def score_many(self, texts: list[str]) -> list[SafeguardingResult]:
        texts = [_as_text(t) for t in texts]
        scans = [self.lexicon.scan(t) for t in texts]  # once: for the hits and the classifier
        model_scores: list[dict[str, float] | None] = (
            self.model.scores_many(texts, scans) if self.model else [None] * len(texts)
        )
        return [
            self._combine(t, scan, s) for t, scan, s in zip(texts, scans, model_scores, strict=True)
        ]

    def _combine(
        self, text: str, scan: list[Hit], scores: dict[str, float] | None
    ) -> SafeguardingResult:
        hits = [h for h in scan if h.kind == "hit"]
        evidence: list[dict[str, Any]] = [
            {"source": "lexicon", "category": h.category, "match": h.match, "past": h.past}
            for h in hits
        ]
        # Lexicon categories first (most urgent first): its evidence is explicit. The
        # classifier's category is added after them.
        ordered = [c for c in CATEGORIES if c in {h.category for h in hits}]
        risk = scores.get(RISK) if scores else None
        threshold = self.model.threshold if self.model else 1.0
        if not hits and any(h.kind in ("negated", "excluded") for h in scan):
            # Its only risk words are negated ("nobody hurts me at home") or idioms ("i
            # killed it in my exams"): the classifier alone must be surer than usual.
            threshold = max(threshold, NEGATED_THRESHOLD)
        if scores and risk is not None and risk >= threshold:
            best = max(CATEGORIES, key=lambda c: scores.get(c, 0.0))
            ordered += [best] if best not in ordered else []
            evidence.append({"source": "classifier", "category": best, "score": round(risk, 3)})
        if not ordered:
            return SafeguardingResult(False, detector_version=self.version, model_score=risk)
        return SafeguardingResult(
            flag=True,
            category=ordered[0],
            categories=tuple(ordered),
            evidence=tuple(evidence),
            past=bool(hits) and all(h.past for h in hits),
            respond=bool(hits) or (risk is not None and risk >= self.model.respond_threshold),
            detector_version=self.version,
            model_score=risk,
        )


def _as_text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) else ""


@lru_cache(maxsize=1)
def default_detector() -> Detector:
    """The detector every process uses: the lexicon, plus the classifier when it is built."""
    model = RiskModel.load()
    if model is None:
        log.warning("safeguarding classifier not built (make setup): screening with the lexicon")
    return Detector(default_lexicon(), model)


def score(text: str) -> SafeguardingResult:
    return default_detector().score(text)
