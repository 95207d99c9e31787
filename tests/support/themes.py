"""A consultation whose young people have answered free-text questions (for theme tests)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from sqlmodel import Session, select

from surveys.models import (
    Answer,
    AnswerStatus,
    Consultation,
    Enrolment,
    EnrolmentStatus,
    Participant,
    Question,
    Survey,
)


@dataclass(frozen=True)
class Reply:
    text: str
    age: str | None = None  # a q1_age option value, e.g. "13-14"
    groups: tuple[str, ...] = ()  # q18_groups option values
    question: str = "q17_council_for_a_day"


def answered_consultation(
    db: Session, replies: list[Reply], survey_slug: str = "bmbf", own_name: str | None = None
) -> tuple[Consultation, list[int]]:
    """A new consultation of `survey_slug` with one young person per reply; returns it and
    the ids of the free-text answers, in order (committed). `own_name` is also given by each
    young person in answer to the survey's own-name question."""
    survey = db.exec(select(Survey).where(Survey.slug == survey_slug)).one()
    questions = {q.key: q for q in db.exec(select(Question).where(Question.survey_id == survey.id))}
    consultation = Consultation(
        slug=f"c-{uuid4().hex[:8]}", title="Theme test consultation", survey_id=survey.id
    )
    db.add(consultation)
    db.flush()
    ids = []
    for reply in replies:
        person = Participant(key=f"p_{uuid4().hex[:10]}", channel="web")
        db.add(person)
        db.flush()
        enrolment = Enrolment(
            participant_id=person.id,
            consultation_id=consultation.id,
            status=EnrolmentStatus.COMPLETED,
        )
        db.add(enrolment)
        db.flush()
        if reply.age:
            db.add(_answer(enrolment, questions["q1_age"], reply.age, reply.age))
        if reply.groups:
            db.add(_answer(enrolment, questions["q18_groups"], list(reply.groups), ""))
        if own_name:
            [name_q] = [q for q in questions.values() if (q.spec or {}).get("own_name")]
            db.add(_answer(enrolment, name_q, own_name, own_name))
        text = _answer(enrolment, questions[reply.question], reply.text, reply.text)
        db.add(text)
        db.flush()
        ids.append(text.id)
    db.commit()
    return consultation, ids


def _answer(enrolment: Enrolment, question: Question, value, raw: str) -> Answer:  # noqa: ANN001
    return Answer(
        enrolment_id=enrolment.id,
        question_id=question.id,
        status=AnswerStatus.ANSWERED,
        value=value,
        raw_text=raw,
    )
