"""Theme tags on stored answers: the model's suggestions and officers' corrections.

- `tag_pending` runs the theme pipeline over free-text answers not yet analysed by the current
  model, storing a redacted copy, valence, suggestion and one tag row per theme/sub-theme.
- `decide` records an officer accepting, removing or adding a tag, with who and when, and
  audits it. Decided tags survive re-analysis by a newer model; undecided ones are replaced.
- `reviewed_examples` turns officers' reviews into training data for `youthvoice analyse
  train`; `agreement` compares model and officers per theme.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import or_
from sqlmodel import Session, select

from analysis.taxonomy import default_taxonomy
from analysis.theme_data import ThemeExample
from surveys import audit
from surveys.models import (
    Answer,
    AnswerAnalysis,
    AnswerStatus,
    AnswerTag,
    Question,
    QuestionType,
    TagStatus,
    utcnow,
)

ACTIONS = ("accept", "remove", "add")
KEPT = (TagStatus.SUGGESTED, TagStatus.ACCEPTED, TagStatus.ADDED)  # what the answer is tagged
DECIDED = (TagStatus.ACCEPTED, TagStatus.REMOVED, TagStatus.ADDED)


class TagError(ValueError):
    """A tag decision that cannot be made (unknown code or answer, or not a free-text answer)."""


class Analyser(Protocol):
    version: str

    def analyse(self, texts, known_names=None): ...  # noqa: ANN001, ANN201, D102


def free_text_answers():  # noqa: ANN201
    """Answered free-text questions, except a young person's own name."""
    return (
        select(Answer)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.type == QuestionType.TEXT, Answer.status == AnswerStatus.ANSWERED)
        .where(Answer.raw_text != "")
    )


def _is_own_name(question: Question) -> bool:
    return bool((question.spec or {}).get("own_name"))


def known_names(session: Session, enrolment_ids: Iterable[int]) -> dict[int, list[str]]:
    """Per enrolment, the names the young person gave for themselves."""
    ids = sorted(set(enrolment_ids))
    if not ids:
        return {}
    rows = session.exec(
        select(Answer.enrolment_id, Answer.raw_text, Question.spec)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.enrolment_id.in_(ids), Question.type == QuestionType.TEXT)
        .order_by(Answer.id)
    ).all()
    out: dict[int, list[str]] = defaultdict(list)
    for enrolment_id, text, spec in rows:
        if (spec or {}).get("own_name") and text.strip():
            out[enrolment_id] += [text.strip(), *text.strip().split()]
    return dict(out)


def own_name_questions(session: Session) -> list[int]:
    """Ids of the questions whose answer is the young person's own name."""
    return [
        q.id
        for q in session.exec(select(Question).where(Question.type == QuestionType.TEXT)).all()
        if _is_own_name(q)
    ]


def unanalysed(session: Session):  # noqa: ANN201
    """Free-text answers the worker has not analysed yet (own names never are)."""
    return (
        free_text_answers()
        .where(Answer.question_id.notin_(own_name_questions(session)))
        .outerjoin(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
        .where(AnswerAnalysis.id.is_(None))
    )


def pending(session: Session, version: str, limit: int = 500) -> list[Answer]:
    """Free-text answers not yet analysed by model `version`, oldest first."""
    own_names = own_name_questions(session)
    return list(
        session.exec(
            free_text_answers()
            .where(Answer.question_id.notin_(own_names))
            .outerjoin(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
            .where(or_(AnswerAnalysis.id.is_(None), AnswerAnalysis.model_version != version))
            .order_by(Answer.id)
            .limit(limit)
        ).all()
    )


def tag_pending(session: Session, analyser: Analyser, limit: int = 500) -> int:
    """Analyse and tag up to `limit` pending answers; returns how many were analysed."""
    answers = pending(session, analyser.version, limit)
    if not answers:
        return 0
    names = known_names(session, (a.enrolment_id for a in answers))
    results = analyser.analyse(
        [a.raw_text for a in answers], [names.get(a.enrolment_id, []) for a in answers]
    )
    ids = [a.id for a in answers]
    # One query each for the batch's earlier analyses and tags (re-tagging after a retrain).
    analyses = {
        a.answer_id: a
        for a in session.exec(select(AnswerAnalysis).where(AnswerAnalysis.answer_id.in_(ids)))
    }
    tags: dict[int, list[AnswerTag]] = defaultdict(list)
    for tag in session.exec(select(AnswerTag).where(AnswerTag.answer_id.in_(ids))):
        tags[tag.answer_id].append(tag)
    for answer, result in zip(answers, results, strict=True):
        _store(session, answer, result, analyser.version, analyses.get(answer.id), tags[answer.id])
    return len(answers)


def _store(
    session: Session,
    answer: Answer,
    result,  # noqa: ANN001
    version: str,
    analysis: AnswerAnalysis | None,
    earlier_tags: list[AnswerTag],
) -> None:
    analysis = analysis or AnswerAnalysis(
        answer_id=answer.id, valence="neutral", model_version=version
    )
    analysis.valence = result.valence
    analysis.suggestion = result.suggestion
    analysis.redacted = result.redacted
    analysis.model_version = version
    analysis.analysed_at = utcnow()
    session.add(analysis)
    existing = {t.code: t for t in earlier_tags}
    said = {*result.themes, *result.subthemes}
    for code, tag in existing.items():
        if tag.status == TagStatus.SUGGESTED and code not in said:
            session.delete(tag)  # the newer model no longer suggests it, and nobody decided
        else:
            tag.model_said = code in said
            tag.score = result.scores.get(code)
            session.add(tag)
    for code in sorted(said - set(existing)):
        session.add(AnswerTag(answer_id=answer.id, code=code, score=result.scores.get(code)))


def tags_for(session: Session, answer_id: int) -> list[AnswerTag]:
    return list(
        session.exec(
            select(AnswerTag).where(AnswerTag.answer_id == answer_id).order_by(AnswerTag.code)
        ).all()
    )


def decide(session: Session, answer_id: int, code: str, action: str, user_id: int) -> AnswerTag:
    """An officer accepts, removes or adds a tag; recorded with who and when, and audited.

    Adding a sub-theme adds its theme too; removing a theme removes its sub-themes."""
    taxonomy = default_taxonomy()
    if action not in ACTIONS:
        raise TagError(f"action must be one of {ACTIONS}")
    if code not in taxonomy.codes and code not in taxonomy.subtheme_codes:
        raise TagError(f"unknown theme code {code!r}")
    answer = session.exec(free_text_answers().where(Answer.id == answer_id)).first()
    if answer is None:
        raise TagError(f"answer {answer_id} is not a free-text answer")
    tag = _set(session, answer_id, code, action, user_id)
    if action in ("accept", "add") and "." in code:
        parent = code.split(".")[0]
        current = session.exec(
            select(AnswerTag).where(AnswerTag.answer_id == answer_id, AnswerTag.code == parent)
        ).first()
        if current is None or current.status in (TagStatus.REMOVED, TagStatus.SUGGESTED):
            _set(session, answer_id, parent, "accept" if current else "add", user_id)
    if action == "remove" and "." not in code:
        for child in tags_for(session, answer_id):
            if child.code.startswith(code + ".") and child.status != TagStatus.REMOVED:
                _set(session, answer_id, child.code, "remove", user_id)
    return tag


def _set(session: Session, answer_id: int, code: str, action: str, user_id: int) -> AnswerTag:
    tag = session.exec(
        select(AnswerTag).where(AnswerTag.answer_id == answer_id, AnswerTag.code == code)
    ).first()
    if tag is None:
        if action != "add":
            raise TagError(f"answer {answer_id} has no tag {code}: add it instead")
        tag = AnswerTag(answer_id=answer_id, code=code, model_said=False)
    tag.status = {
        "accept": TagStatus.ACCEPTED,
        "remove": TagStatus.REMOVED,
        "add": TagStatus.ACCEPTED if tag.model_said else TagStatus.ADDED,
    }[action]
    tag.decided_by = user_id
    tag.decided_at = utcnow()
    session.add(tag)
    session.flush()
    audit.record(
        session,
        f"theme_tag_{action}",
        actor_id=user_id,
        target=f"answer:{answer_id}",
        detail={"code": code, "status": str(tag.status)},
    )
    return tag


def _reviewed(session: Session) -> dict[int, list[AnswerTag]]:
    """Tags of every answer an officer has made at least one decision on."""
    ids = session.exec(
        select(AnswerTag.answer_id).where(AnswerTag.status.in_(DECIDED)).distinct()
    ).all()
    out: dict[int, list[AnswerTag]] = defaultdict(list)
    if ids:
        for tag in session.exec(
            select(AnswerTag).where(AnswerTag.answer_id.in_(sorted(ids))).order_by(AnswerTag.id)
        ).all():
            out[tag.answer_id].append(tag)
    return dict(out)


def reviewed_examples(session: Session) -> list[ThemeExample]:
    """Officer-reviewed answers as training examples. An officer reviewing an answer is
    taken to agree with the tags they left in place. Valence and suggestion are not reviewed,
    so these examples leave them unlabelled (the trainer skips them)."""
    reviewed = _reviewed(session)
    answers = {
        a.id: a for a in session.exec(select(Answer).where(Answer.id.in_(sorted(reviewed)))).all()
    }
    out = []
    for answer_id, tags in sorted(reviewed.items()):
        kept = {t.code for t in tags if t.status in KEPT}
        out.append(
            ThemeExample(
                answers[answer_id].raw_text,
                tuple(sorted(c for c in kept if "." not in c)),
                tuple(sorted(c for c in kept if "." in c)),
                valence="",
                suggestion=False,
                source="officer",
            )
        )
    return out


@dataclass
class Agreement:
    """Model against officers, for one theme, over officer-reviewed answers."""

    both: int = 0  # the model tagged it and the officer kept it
    model_only: int = 0  # the officer removed it
    officer_only: int = 0  # the officer added it
    neither: int = 0

    @property
    def reviewed(self) -> int:
        return self.both + self.model_only + self.officer_only + self.neither

    @property
    def rate(self) -> float | None:
        return (self.both + self.neither) / self.reviewed if self.reviewed else None

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa: agreement beyond chance (None when it is undefined)."""
        n = self.reviewed
        if not n:
            return None
        observed = (self.both + self.neither) / n
        model_yes = (self.both + self.model_only) / n
        officer_yes = (self.both + self.officer_only) / n
        chance = model_yes * officer_yes + (1 - model_yes) * (1 - officer_yes)
        return None if chance == 1 else (observed - chance) / (1 - chance)

    def as_json(self) -> dict:
        return {
            "reviewed": self.reviewed,
            "both": self.both,
            "model_only": self.model_only,
            "officer_only": self.officer_only,
            "agreement": None if self.rate is None else round(self.rate, 3),
            "kappa": None if self.kappa is None else round(self.kappa, 3),
        }


def agreement(session: Session, answer_ids: Iterable[int] | None = None) -> dict[str, Agreement]:
    """Per top-level theme, how often officers agreed with the model."""
    wanted = None if answer_ids is None else set(answer_ids)
    out = {code: Agreement() for code in default_taxonomy().codes}
    for answer_id, tags in _reviewed(session).items():
        if wanted is not None and answer_id not in wanted:
            continue
        by_code = {t.code: t for t in tags}
        for code, counts in out.items():
            tag = by_code.get(code)
            model, officer = bool(tag and tag.model_said), bool(tag and tag.status in KEPT)
            if model and officer:
                counts.both += 1
            elif model:
                counts.model_only += 1
            elif officer:
                counts.officer_only += 1
            else:
                counts.neither += 1
    return out
