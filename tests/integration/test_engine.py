"""The survey engine against the database: conditions, replays and free text."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import select

from surveys.definitions import parse_definition
from surveys.engine import SurveyEngine
from surveys.loader import upsert_survey
from surveys.models import Consultation, Enrolment, EnrolmentStatus, Participant

_ids = itertools.count(1)

YAML = """\
slug: {slug}
title: Engine test
intro: {{web: Hello, sms: Hello}}
outro: {{web: Thanks, sms: Thanks}}
questions:
  - {{key: in_care, type: yesno, text: "Are you in care?"}}
  - key: placement
    type: scale
    text: How settled are you where you live?
    scale: {{min: 1, max: 5}}
    skip_if: {{question: in_care, any_of: ["no", "not_sure"]}}
  - {{key: wish, type: text, text: "What would you change?"}}
"""


@pytest.fixture
def person(db):
    """A participant enrolled in a fresh three-question consultation; returns their key."""
    n = next(_ids)
    slug = f"engine-{n}-{id(db) % 10000}"
    survey, _ = upsert_survey(db, parse_definition(YAML.format(slug=slug)))
    c = Consultation(slug=slug, title="Engine", survey_id=survey.id, status="open")
    p = Participant(key=f"p_engine_{slug}", channel="web")
    db.add_all([c, p])
    db.flush()
    db.add(Enrolment(participant_id=p.id, consultation_id=c.id))
    db.commit()
    return p.key


def _current_key(engine: SurveyEngine, key: str) -> str | None:
    q = engine.current_question(engine.enrolment(key))
    return q.key if q else None


def test_skip_condition_passes_over_a_question(db, person):
    engine = SurveyEngine(db)
    assert engine.begin(person)[0]
    engine.handle(person, "nah")
    assert _current_key(engine, person) == "wish"
    engine.handle(person, "more say")
    assert engine.enrolment(person).status == EnrolmentStatus.COMPLETED


def test_condition_not_met_asks_the_question(db, person):
    engine = SurveyEngine(db)
    engine.begin(person)
    engine.handle(person, "yes")
    assert _current_key(engine, person) == "placement"


def test_a_replayed_message_is_not_recorded_twice(db, person):
    engine = SurveyEngine(db)
    engine.begin(person, message_id=10)
    engine.handle(person, "yes", message_id=10)  # the message that began the survey
    assert _current_key(engine, person) == "in_care"
    engine.handle(person, "yes", message_id=11)
    engine.handle(person, "4", message_id=12)
    engine.handle(person, "4", message_id=12)  # retried after a crash: not an answer to Q3
    assert _current_key(engine, person) == "wish"


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "stored"),
    [
        ("I want the bullying to stop", "opt_out", 0.99, True),
        ("pls stop texting me about school its rubbish", "opt_out", 0.95, True),
        ("are you a bot", "bot_challenge", 0.95, False),
        ("are you a bot", "bot_challenge", 0.5, True),  # not sure enough: it is an answer
        ("who sees this", "privacy_question", 0.9, False),
    ],
)
def test_free_text_is_only_a_question_about_the_chat_when_clearly_one(
    db, person, text, intent, confidence, stored
):
    engine = SurveyEngine(db)
    engine.begin(person)
    engine.handle(person, "no")  # skips to the free-text question
    outcome = engine.handle(person, text, intent, confidence)
    enr = engine.enrolment(person)
    assert (enr.status == EnrolmentStatus.COMPLETED) is stored
    assert bool(outcome.replies) is not stored


def test_stop_then_start_resumes_where_they_were(db, person):
    engine = SurveyEngine(db)
    engine.begin(person)
    engine.handle(person, "yes")
    assert engine.handle(person, "STOP").state == "stopped"
    assert engine.enrolment(person).status == EnrolmentStatus.STOPPED
    assert engine.begin(person)[0]
    assert _current_key(engine, person) == "placement"


def test_finished_survey_cannot_be_started_again(db, person):
    engine = SurveyEngine(db)
    engine.begin(person)
    for text in ("no", "nothing"):
        engine.handle(person, text)
    ok, replies = engine.begin(person)
    assert not ok and "already finished" in replies[0].text
    assert db.exec(select(Enrolment)).first() is not None
