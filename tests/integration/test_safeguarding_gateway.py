"""A disclosure in a survey answer, by chat and by SMS, with Rasa stopped: the child is
signposted at once, exactly one alert is raised, and nothing they wrote is lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from surveys.db import engine_for
from surveys.models import (
    AuditEvent,
    Enrolment,
    EnrolmentStatus,
    Message,
    MessageStatus,
    Participant,
    Question,
    SafeguardingAlert,
    utcnow,
)
from surveys.participants import participant_for_phone
from surveys.settings import Settings
from tests.conftest import DEAD_RASA
from tests.support.chat import YoungPerson
from tests.support.sms import Phone
from web.messaging import build_gateway

DISCLOSURE = "what makes me feel least safe is my stepdad, he hits me when mum is at work"
SIGNPOSTS = ("999", "0800 1111", "85258")


def _signposting(texts: list[str]) -> list[str]:
    return [t for t in texts if all(s in t for s in SIGNPOSTS)]


def _alerts(db: Session, participant_id: int) -> list[SafeguardingAlert]:
    db.expire_all()
    return list(
        db.exec(select(SafeguardingAlert).where(SafeguardingAlert.participant_id == participant_id))
    )


def _put_at_question(db: Session, participant_id: int, key: str) -> Question:
    """Move the young person's survey to a free-text question (as if they had got there)."""
    enr = db.exec(select(Enrolment).where(Enrolment.participant_id == participant_id)).one()
    q = db.exec(select(Question).where(Question.key == key)).one()
    enr.status, enr.position, enr.started_at = EnrolmentStatus.IN_PROGRESS, q.position, utcnow()
    db.add(enr)
    db.commit()
    return q


def test_disclosure_by_chat_with_rasa_stopped(app_without_bot, db):
    yp = YoungPerson(app_without_bot.test_client())
    yp.start()
    assert yp.pending  # the bot is down: the greeting waits
    participant = yp.participant(db)
    _put_at_question(db, participant.id, "q11_least_safe")

    replies = yp.say(DISCLOSURE)

    assert len(_signposting([m["text"] for m in replies])) == 1
    assert "secret" not in yp.texts.lower()
    alerts = _alerts(db, participant.id)
    assert len(alerts) == 1
    assert "abuse_home" in alerts[0].categories and alerts[0].status == "open"
    assert any("hits me" in e.get("match", "") for e in alerts[0].evidence)
    # Nothing lost: the message is stored, and waits in order behind the greeting for the bot
    # to come back; only then is it recorded as the answer (see the next test).
    waiting = db.exec(
        select(Message.body)
        .where(Message.participant_id == participant.id, Message.status == MessageStatus.RECEIVED)
        .order_by(Message.id)
    ).all()
    assert waiting == ["/greet", DISCLOSURE]
    audit = db.exec(select(AuditEvent).where(AuditEvent.target == f"alert:{alerts[0].id}")).all()
    assert [e.action for e in audit] == ["alert.raised"]


def test_disclosure_then_rasa_back_resumes_without_a_second_alert(
    app_without_bot, app, rasa, db, prepared_db
):
    yp = YoungPerson(app_without_bot.test_client())
    yp.start()
    participant = yp.participant(db)
    _put_at_question(db, participant.id, "q17_council_for_a_day")
    assert len(_signposting([m["text"] for m in yp.say("i want to kill myself tbh")])) == 1

    # Rasa is back; the worker's retry passes the backoff.
    later = utcnow() + timedelta(minutes=10)
    gateway = build_gateway(Settings.from_env(), rasa.url, rasa.token, clock=lambda: later)
    gateway.process_due()
    yp.client = app.test_client()  # the same conversation, now answered by the real bot
    yp.say("ok")  # the next message picks the survey up again
    bot = [m["text"] for m in yp.last]
    assert any("where we were" in t for t in bot)
    assert any("Question" in t and "of 19" in t for t in bot)
    assert yp.answers(db)["q17_council_for_a_day"].raw_text == "i want to kill myself tbh"
    assert "q18_groups" not in yp.answers(db)  # "ok" was not taken as an answer
    assert len(_alerts(db, participant.id)) == 1
    with Session(engine_for(prepared_db)) as s:
        out = s.exec(
            select(Message.body).where(
                Message.participant_id == participant.id, Message.direction == "out"
            )
        ).all()
    assert len(_signposting(out)) == 1


def _participant_for(db: Session, number: str) -> Participant:
    db.expire_all()
    return participant_for_phone(db, Settings.from_env().data_key, number, create=False)


def test_disclosure_by_sms_with_rasa_stopped(sms_world, db):
    phone = Phone(sms_world)
    down = build_gateway(Settings.from_env(), DEAD_RASA, "x")
    assert phone.text("hi") == 200
    down.process_due()  # the bot is down: "hi" waits
    sms_world.relay.run_once()
    assert phone.inbox() == []
    participant = _participant_for(db, phone.number)
    _put_at_question(db, participant.id, "q19_anything_else")

    assert phone.text("my mams boyfriend keeps asking me for pics and says dont tell") == 200
    down.process_due()
    sms_world.relay.run_once()
    received = phone.inbox()
    assert len(_signposting(received)) == 1 and len(received) == 1
    assert len(received[0]) <= 306  # two SMS segments
    alerts = _alerts(db, participant.id)
    assert len(alerts) == 1 and alerts[0].channel == "sms"

    # Retries while the bot is still down send nothing more and raise nothing more.
    later = utcnow() + timedelta(minutes=10)
    build_gateway(Settings.from_env(), DEAD_RASA, "x", clock=lambda: later).process_due()
    sms_world.relay.run_once()
    assert phone.inbox() == []
    assert len(_alerts(db, participant.id)) == 1
    db.expire_all()
    bodies = db.exec(
        select(Message.body)
        .where(Message.participant_id == participant.id, Message.direction == "in")
        .order_by(Message.id)
    ).all()
    assert bodies == ["hi", "my mams boyfriend keeps asking me for pics and says dont tell"]


@pytest.mark.parametrize(
    "text", ["this survey is killing me lol", "I'd die for a better bus", "my mam hits the gym"]
)
def test_ordinary_idioms_raise_no_alert(app_without_bot, db, text):
    yp = YoungPerson(app_without_bot.test_client())
    yp.start()
    replies = yp.say(text)
    assert _signposting([m["text"] for m in replies]) == []
    assert _alerts(db, yp.participant(db).id) == []
