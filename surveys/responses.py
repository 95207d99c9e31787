"""What a consultation's responses add up to: who took part, how far they got (the funnel),
and how the choice and scale questions were answered."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from surveys.models import (
    Answer,
    AnswerStatus,
    Consultation,
    Enrolment,
    EnrolmentStatus,
    Question,
    QuestionType,
)

CHART_TYPES = (QuestionType.SINGLE, QuestionType.MULTI, QuestionType.SCALE, QuestionType.YESNO)
YESNO_LABELS = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}


@dataclass
class QuestionFigures:
    question: Question
    answered: int = 0
    skipped: int = 0  # skipped, or no valid answer after two tries
    reached: int = 0  # answered + skipped: got to this question
    counts: list[tuple[str, int]] = field(default_factory=list)  # (label, count), in order


@dataclass
class Overview:
    invited: int
    started: int
    completed: int
    stopped: int
    questions: list[QuestionFigures]


def questions_of(session: Session, consultation: Consultation) -> list[Question]:
    return list(
        session.exec(
            select(Question)
            .where(Question.survey_id == consultation.survey_id, Question.active)
            .order_by(Question.position)
        ).all()
    )


def _labels(q: Question) -> list[tuple[str, str]]:
    """(stored value, label) for every possible answer, in the order they are offered."""
    spec = q.spec or {}
    if q.type == QuestionType.SCALE:
        s = spec.get("scale") or {}
        lo, hi = int(s.get("min", 1)), int(s.get("max", 5))
        nums = [
            (
                str(n),
                str(n)
                + (f" ({s['low']})" if n == lo and s.get("low") else "")
                + (f" ({s['high']})" if n == hi and s.get("high") else ""),
            )
            for n in range(lo, hi + 1)
        ]
        return nums + [(o["value"], o["label"]) for o in spec.get("extra_options", [])]
    if q.type == QuestionType.YESNO:
        return list(YESNO_LABELS.items())
    return [(o["value"], o["label"]) for o in spec.get("options", [])]


def overview(session: Session, consultation: Consultation) -> Overview:
    statuses = dict(
        session.exec(
            select(Enrolment.status, func.count())
            .where(Enrolment.consultation_id == consultation.id)
            .group_by(Enrolment.status)
        ).all()
    )
    questions = questions_of(session, consultation)
    by_id = {q.id: QuestionFigures(q) for q in questions}
    values: dict[int, Counter] = {q.id: Counter() for q in questions}
    rows = session.exec(
        select(Answer.question_id, Answer.status, Answer.value)
        .join(Enrolment, Enrolment.id == Answer.enrolment_id)
        .where(Enrolment.consultation_id == consultation.id)
    ).all()
    for question_id, status, value in rows:
        figures = by_id.get(question_id)
        if figures is None:
            continue  # a question since removed from the survey
        figures.reached += 1
        if status == AnswerStatus.ANSWERED:
            figures.answered += 1
            if figures.question.type in CHART_TYPES:
                chosen = value if isinstance(value, list) else [value]
                values[question_id].update(str(v) for v in chosen)
        else:
            figures.skipped += 1
    for q in questions:
        if q.type in CHART_TYPES:
            by_id[q.id].counts = [(label, values[q.id][v]) for v, label in _labels(q)]
    in_progress = statuses.get(EnrolmentStatus.IN_PROGRESS, 0)
    completed = statuses.get(EnrolmentStatus.COMPLETED, 0)
    stopped = statuses.get(EnrolmentStatus.STOPPED, 0)
    return Overview(
        invited=sum(statuses.values()),
        started=in_progress + completed + stopped,
        completed=completed,
        stopped=stopped,
        questions=[by_id[q.id] for q in questions],
    )


def display_value(q: Question, value: Any) -> str:
    """An answer as a person reads it (labels, not stored values)."""
    if value is None:
        return ""
    labels = dict(_labels(q)) if q.type in CHART_TYPES else {}
    if isinstance(value, list):
        return "; ".join(labels.get(str(v), str(v)) for v in value)
    return labels.get(str(value), str(value))
