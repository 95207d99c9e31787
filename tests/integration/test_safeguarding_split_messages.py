"""A disclosure split over several messages ("i want" ... "to die") is read as one: the child
is signposted after the message that completes it, one alert is raised on that message, and
its evidence says it was found by reading the messages together."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from surveys.models import Message, SafeguardingAlert
from surveys.participants import participant_for_phone
from surveys.settings import Settings
from tests.conftest import DEAD_RASA
from tests.support.chat import YoungPerson
from tests.support.console import sign_in, staff_user
from tests.support.sms import Phone
from web.messaging import build_gateway
from web.permissions import Role
from web.safeguarding.screen import JOIN_WINDOW

SIGNPOSTS = ("999", "0800 1111", "85258")


def _signposted(replies: list[dict]) -> bool:
    return any(all(s in m["text"] for s in SIGNPOSTS) for m in replies)


def _alerts(db: Session, participant_id: int) -> list[SafeguardingAlert]:
    db.expire_all()
    return list(
        db.exec(
            select(SafeguardingAlert)
            .where(SafeguardingAlert.participant_id == participant_id)
            .order_by(SafeguardingAlert.id)
        )
    )


def _inbound(db: Session, participant_id: int) -> list[Message]:
    db.expire_all()
    return list(
        db.exec(
            select(Message)
            .where(Message.participant_id == participant_id, Message.direction == "in")
            .order_by(Message.id)
        )
    )


def test_a_disclosure_split_over_two_chat_messages_is_caught(app_without_bot, db):
    yp = YoungPerson(app_without_bot.test_client())
    yp.start()
    participant = yp.participant(db)

    assert not _signposted(yp.say("i want"))
    assert _alerts(db, participant.id) == []
    assert _signposted(yp.say("to die"))

    alerts = _alerts(db, participant.id)
    assert len(alerts) == 1 and alerts[0].category == "suicide" and alerts[0].responded
    assert alerts[0].message_id == _inbound(db, participant.id)[-1].id
    assert {"source": "joined", "messages": 2} in alerts[0].evidence

    client = app_without_bot.test_client()
    sign_in(client, staff_user(db, Role.SAFEGUARDING_LEAD), db=db)
    page = client.get(f"/console/safeguarding/{alerts[0].id}").get_data(as_text=True)
    assert "read together with the young person's 1 message just before it" in page
    assert "i want" in page and "to die" in page  # both halves in the transcript


def test_a_disclosure_split_over_two_texts_is_caught_with_rasa_stopped(sms_world, db):
    phone = Phone(sms_world)
    down = build_gateway(Settings.from_env(), DEAD_RASA, "x")
    for text in ("he hits", "me"):
        assert phone.text(text) == 200
        down.process_due()
    sms_world.relay.run_once()
    db.expire_all()
    participant = participant_for_phone(
        db, Settings.from_env().data_key, phone.number, create=False
    )
    alerts = _alerts(db, participant.id)
    assert len(alerts) == 1 and alerts[0].channel == "sms" and alerts[0].responded
    assert sum(all(s in t for s in SIGNPOSTS) for t in phone.inbox()) == 1
    assert [m.body for m in _inbound(db, participant.id)] == ["he hits", "me"]


def test_messages_further_apart_than_the_window_are_not_joined(app_without_bot, db):
    yp = YoungPerson(app_without_bot.test_client())
    yp.start()
    participant = yp.participant(db)
    yp.say("i want")
    first = _inbound(db, participant.id)[-1]
    first.created_at -= JOIN_WINDOW + timedelta(minutes=1)
    db.add(first)
    db.commit()

    assert not _signposted(yp.say("to die"))
    assert _alerts(db, participant.id) == []


def test_an_alert_already_raised_is_not_raised_again_by_the_next_message(app_without_bot, db):
    yp = YoungPerson(app_without_bot.test_client())
    yp.start()
    participant = yp.participant(db)
    assert _signposted(yp.say("i want to die"))
    assert not _signposted(yp.say("ok"))  # "i want to die ok" flags, but is already covered
    assert len(_alerts(db, participant.id)) == 1
