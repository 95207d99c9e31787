"""The SMS channel through the real twilio library, a local Twilio stand-in and a real Rasa."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import func
from sqlmodel import select
from twilio.request_validator import RequestValidator

from surveys.definitions import DEFINITIONS_DIR, load_definition
from surveys.models import (
    Answer,
    Direction,
    Enrolment,
    EnrolmentStatus,
    Message,
    MessageKind,
    MessageStatus,
    Participant,
    Question,
)
from surveys.participants import participant_for_phone
from surveys.settings import Settings
from surveys.text import gsm7_length, is_gsm7
from tests.support.sms import Phone, new_number

BMBF = load_definition(DEFINITIONS_DIR / "bmbf.yaml")


def participant(db, number: str) -> Participant:
    db.expire_all()
    return participant_for_phone(db, Settings.from_env().data_key, number, create=False)


def answers(db, number: str) -> dict[str, Answer]:
    p = participant(db, number)
    rows = db.exec(
        select(Question.key, Answer)
        .join(Answer, Answer.question_id == Question.id)
        .join(Enrolment, Answer.enrolment_id == Enrolment.id)
        .where(Enrolment.participant_id == p.id)
    ).all()
    return dict(rows)


def signed_post(client, world, path: str, form: dict[str, str], token: str | None = None):
    settings = world.app.extensions["sms_settings"]
    signature = RequestValidator(token or settings.auth_token).compute_signature(
        settings.url_for(path), form
    )
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature})


# ---------------------------------------------------------------- the webhook
def _count(db) -> int:
    db.expire_all()
    return db.exec(select(func.count(Message.id))).one()


@pytest.mark.parametrize("signature", [None, "", "bm90LXJpZ2h0", "wrong-token"])
def test_forged_or_unsigned_webhooks_are_refused_and_nothing_is_stored(sms_world, db, signature):
    client = sms_world.app.test_client()
    form = {"MessageSid": "SM" + "f" * 32, "From": new_number(), "Body": "hi"}
    before = _count(db)
    if signature == "wrong-token":
        resp = signed_post(client, sms_world, "/sms/inbound", form, token="x" * 32)
    else:
        headers = {} if signature is None else {"X-Twilio-Signature": signature}
        resp = client.post("/sms/inbound", data=form, headers=headers)
    assert resp.status_code == 403
    assert _count(db) == before
    assert (
        client.post(
            "/sms/status", data={"MessageSid": "SMx", "MessageStatus": "delivered"}
        ).status_code
        == 403
    )


def test_a_tampered_body_fails_the_signature(sms_world, db):
    client = sms_world.app.test_client()
    form = {"MessageSid": "SM" + "e" * 32, "From": new_number(), "Body": "hi"}
    settings = sms_world.app.extensions["sms_settings"]
    sig = RequestValidator(settings.auth_token).compute_signature(
        settings.url_for("/sms/inbound"), form
    )
    resp = client.post(
        "/sms/inbound", data={**form, "Body": "changed"}, headers={"X-Twilio-Signature": sig}
    )
    assert resp.status_code == 403


def test_signature_is_checked_against_the_public_url_not_the_proxied_one(sms_world, db):
    # The test client calls http://localhost/sms/inbound; Twilio signed the public URL.
    client = sms_world.app.test_client()
    form = {"MessageSid": "SM" + "d" * 32, "From": new_number(), "Body": "hello"}
    resp = signed_post(client, sms_world, "/sms/inbound", form)
    assert resp.status_code == 200
    assert resp.mimetype == "text/xml" and "<Response></Response>" in resp.get_data(as_text=True)


def test_twilio_retries_of_the_same_message_sid_store_one_row_and_one_reply(sms_world, db):
    phone = Phone(sms_world)
    sid = "SM" + "c" * 32
    assert phone.text("hi", sid=sid) == 200
    assert phone.text("hi", sid=sid) == 200
    assert phone.text("hi", sid=sid) == 200
    p = participant(db, phone.number)
    rows = db.exec(
        select(Message).where(Message.participant_id == p.id, Message.direction == Direction.IN)
    ).all()
    assert len(rows) == 1
    sms_world.work()
    assert len(phone.inbox()) == 1  # one introduction, not three


def test_no_reply_is_produced_inside_the_webhook(sms_world, db):
    phone = Phone(sms_world)
    assert phone.text("hi") == 200
    p = participant(db, phone.number)
    msg = db.exec(select(Message).where(Message.participant_id == p.id)).one()
    assert msg.status == MessageStatus.RECEIVED and phone.inbox() == []


# ---------------------------------------------------------------- a whole survey by SMS
def test_a_young_person_completes_the_survey_by_sms(sms_world, db):
    phone = Phone(sms_world)
    intro = phone.say("hi")
    assert intro == [BMBF.intro.sms]
    q1 = phone.say("YES")
    assert q1 == [BMBF.questions[0].sms]
    replies = [
        "b",
        "4",
        "four",
        "SKIP",
        "5",
        "talk to my mam",
        "a c",
        "ye",
        "5",
        "someone who listens",
        "b",
        "3",
        "N",
        "c",
        "not sure",
        "2",
        "more buses, " + "and a youth club open late " * 40,
        "d",
        "no",
    ]
    received = []
    for reply in replies:
        received += phone.say(reply)
    assert received[-1] == BMBF.outro.sms
    for text in received:
        assert is_gsm7(text), text
        assert gsm7_length(text) <= 160, text
    got = answers(db, phone.number)
    assert got["q1_age"].value == "13-14" and got["q2_happy"].value == 4
    assert got["q4_calm_down"].status == "skipped"
    assert got["q7_talk_to"].value == ["family", "teacher"]
    assert (
        got["q17_council_for_a_day"].value.startswith("more buses")
        and len(got["q17_council_for_a_day"].value) > 1000
    )  # long texts are stored whole
    enr = db.exec(
        select(Enrolment).where(Enrolment.participant_id == participant(db, phone.number).id)
    ).one()
    assert enr.status == EnrolmentStatus.COMPLETED
    # Delivery callbacks from the stand-in arrive, signed, and are recorded.
    outbound = db.exec(
        select(Message).where(
            Message.participant_id == participant(db, phone.number).id,
            Message.direction == Direction.OUT,
        )
    ).all()
    assert all(m.external_id and m.external_id.startswith("SM") for m in outbound)


# ---------------------------------------------------------------- keywords and opt-out
@pytest.mark.parametrize(
    "stop", ["STOP", "stop", " Stop ", "STOPALL", "unsubscribe", "CANCEL", "end", "QUIT"]
)
def test_stop_opts_out_and_nothing_is_sent_afterwards(sms_world, db, stop):
    phone = Phone(sms_world)
    phone.say("hi")
    phone.say("YES")
    phone.say("a")
    assert phone.say(stop) == []  # nothing after STOP (Twilio sends its own confirmation)
    assert participant(db, phone.number).opted_out_at is not None
    assert phone.say("4") == []  # replies to an opted-out number are never sent
    p = participant(db, phone.number)
    suppressed = db.exec(
        select(Message).where(
            Message.participant_id == p.id, Message.status == MessageStatus.SUPPRESSED
        )
    ).all()
    assert suppressed  # the bot's replies were stored, then not sent
    assert "q2_happy" not in answers(db, phone.number)


def test_start_opts_back_in_and_resumes(sms_world, db):
    phone = Phone(sms_world)
    phone.say("hi")
    phone.say("YES")
    phone.say("b")
    phone.say("STOP")
    back = phone.say("START")
    assert participant(db, phone.number).opted_out_at is None
    assert back == [BMBF.questions[1].sms]


def test_help_gives_the_councils_contact_details_and_the_survey_waits(sms_world, db):
    phone = Phone(sms_world)
    phone.say("hi")
    phone.say("YES")
    help_reply = phone.say("HELP")
    assert len(help_reply) == 1 and "Stockton-on-Tees Council" in help_reply[0]
    assert "STOP" in help_reply[0]
    assert phone.say("c") == [BMBF.questions[1].sms]


def test_stop_inside_a_sentence_is_an_answer_not_an_opt_out(sms_world, db):
    phone = Phone(sms_world)
    phone.say("hi")
    phone.say("YES")
    for reply in ("a", "3", "3", "3", "3"):
        phone.say(reply)
    phone.say("I want the bullying to stop")
    assert participant(db, phone.number).opted_out_at is None
    assert answers(db, phone.number)["q6_cope"].raw_text == "I want the bullying to stop"


def test_natural_language_opt_out_is_confirmed_first(sms_world, db):
    phone = Phone(sms_world)
    phone.say("hi")
    reply = phone.say("pls stop texting me")
    assert "Reply STOP" in reply[0]
    assert participant(db, phone.number).opted_out_at is None


# ---------------------------------------------------------------- the relay
def test_error_21610_marks_the_young_person_opted_out(sms_world, db):
    phone = Phone(sms_world)
    sms_world.misbehave(phone.number, http_status=400, error_code=21610, times=5)
    phone.text("hi")
    sms_world.work()
    p = participant(db, phone.number)
    assert p.opted_out_at is not None
    out = db.exec(
        select(Message).where(Message.participant_id == p.id, Message.direction == Direction.OUT)
    ).one()
    assert out.status == MessageStatus.SUPPRESSED and "21610" in out.error
    assert phone.inbox() == []


@pytest.mark.parametrize("status", [429, 500, 503])
def test_busy_or_broken_twilio_is_retried_with_backoff(sms_world, db, status):
    phone = Phone(sms_world)
    sms_world.misbehave(phone.number, http_status=status, error_code=20429, times=2)
    phone.text("hi")
    sms_world.work()
    assert phone.inbox() == []
    p = participant(db, phone.number)
    out = db.exec(
        select(Message).where(Message.participant_id == p.id, Message.direction == Direction.OUT)
    ).one()
    assert out.status == MessageStatus.QUEUED and out.next_attempt_at is not None
    relay = sms_world.relay
    for minutes in (1, 2):  # the relay's clock passes each backoff
        relay.clock = lambda m=minutes: datetime.now(UTC) + timedelta(minutes=m)
        relay.run_once()
    relay.clock = lambda: datetime.now(UTC)
    assert phone.inbox() == [BMBF.intro.sms]  # sent exactly once


def _interrupted_relay(sms_world, reach_twilio: bool) -> None:
    """Run the relay once with a process that dies mid-send: after Twilio accepted the text,
    or before the request reached Twilio."""
    relay = sms_world.relay
    real_client = relay.client

    class Dies:
        class messages:  # noqa: N801
            @staticmethod
            def create(**kwargs):  # noqa: ANN003
                if reach_twilio:
                    real_client.messages.create(**kwargs)
                raise SystemExit("killed")

    relay.client = Dies()
    try:
        with pytest.raises(SystemExit):
            relay.run_once()
    finally:
        relay.client = real_client


@pytest.mark.parametrize("reach_twilio", [True, False], ids=["after-api-call", "before-api-call"])
def test_a_crash_mid_send_neither_sends_twice_nor_misses(sms_world, db, reach_twilio):
    phone = Phone(sms_world)
    phone.text("hi")
    sms_world.gateway.process_due()
    _interrupted_relay(sms_world, reach_twilio)
    relay = sms_world.relay
    relay.run_once()  # the row is `sending`: a restarted relay does not send it blindly
    assert len(phone.inbox()) == (1 if reach_twilio else 0)
    assert relay.recover_stale(older_than=timedelta(0)) == 1  # asks Twilio what happened
    relay.run_once()
    assert phone.inbox() == ([] if reach_twilio else [BMBF.intro.sms])
    p = participant(db, phone.number)
    out = db.exec(
        select(Message).where(Message.participant_id == p.id, Message.direction == Direction.OUT)
    ).one()
    assert out.status in (MessageStatus.SENT, MessageStatus.DELIVERED)
    assert out.external_id.startswith("SM")
    assert len(sms_world.sent_to(phone.number)) == 1


def test_quiet_hours_hold_waves_but_not_replies(sms_world, db):
    phone = Phone(sms_world)
    phone.text("hi")
    sms_world.gateway.process_due()  # a reply to someone who just wrote, queued
    p = participant(db, phone.number)
    db.add(
        Message(
            participant_id=p.id,
            direction=Direction.OUT,
            channel="sms",
            body="A wave text",
            kind=MessageKind.WAVE,
            status=MessageStatus.QUEUED,
        )
    )
    db.commit()
    relay = sms_world.relay
    night = datetime(2026, 11, 24, 22, 30, tzinfo=UTC)  # 22:30 in London
    relay.clock = lambda: night
    relay.run_once()
    assert phone.inbox() == [BMBF.intro.sms]  # the reply went; the wave waits
    wave = db.exec(
        select(Message).where(Message.participant_id == p.id, Message.kind == MessageKind.WAVE)
    ).one()
    db.refresh(wave)
    assert wave.status == MessageStatus.QUEUED
    assert wave.next_attempt_at == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    relay.clock = lambda: datetime(2026, 11, 25, 8, 1, tzinfo=UTC)
    relay.run_once()
    relay.clock = lambda: datetime.now(UTC)
    assert phone.inbox() == ["A wave text"]


def test_the_relay_keeps_to_its_rate(sms_world, db):
    import dataclasses

    from web.sms.relay import Relay

    phones = [Phone(sms_world) for _ in range(5)]
    for phone in phones:
        phone.text("hi")
    sms_world.gateway.process_due()
    now = [1000.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    base = sms_world.relay
    relay = Relay(
        base.engine,
        dataclasses.replace(base.settings, rate_per_second=2),
        base.client,
        base.data_key,
        monotonic=lambda: now[0],
        sleep=sleep,
    )
    assert relay.run_once() == 5
    assert sum(sleeps) == pytest.approx(2.0)  # 5 texts at 2 per second: 4 gaps of 0.5 s


# ---------------------------------------------------------------- order and privacy
def test_messages_from_one_sender_are_handled_in_arrival_order(sms_world, db):
    phone = Phone(sms_world)
    for body in ("hi", "YES", "a", "2", "3"):
        assert phone.text(body) == 200
    sms_world.work()
    got = answers(db, phone.number)
    assert got["q1_age"].value == "11-12" and got["q2_happy"].value == 2
    assert got["q3_bounce_back"].value == 3


def test_status_callbacks_only_move_forward_and_21610_opts_out(sms_world, db):
    phone = Phone(sms_world)
    phone.say("hi")
    p = participant(db, phone.number)
    out = db.exec(
        select(Message).where(Message.participant_id == p.id, Message.direction == Direction.OUT)
    ).one()
    client = sms_world.app.test_client()
    for status in ("delivered", "sent", "queued"):
        resp = signed_post(
            client,
            sms_world,
            "/sms/status",
            {"MessageSid": out.external_id, "MessageStatus": status},
        )
        assert resp.status_code == 204
    db.refresh(out)
    assert out.status == MessageStatus.DELIVERED
    signed_post(
        client,
        sms_world,
        "/sms/status",
        {"MessageSid": out.external_id, "MessageStatus": "failed", "ErrorCode": "21610"},
    )
    assert participant(db, phone.number).opted_out_at is not None


def test_logs_hold_no_numbers_or_message_bodies(sms_world, db, caplog):
    caplog.set_level(logging.DEBUG)
    phone = Phone(sms_world)
    phone.say("hi")
    phone.say("YES")
    phone.say("b")
    secret = "my teacher Mr Smith at Grangefield is great"
    for reply in ("3", "3", "3", "3"):
        phone.say(reply)
    phone.say(secret)
    assert answers(db, phone.number)["q6_cope"].raw_text == secret
    local = phone.number.replace("+44", "0")
    for leaked in (phone.number, local, phone.number[1:], secret):
        assert leaked not in caplog.text


def test_the_stand_in_speaks_twilios_api_to_the_real_client(sms_world):
    from twilio.base.exceptions import TwilioRestException

    client = sms_world.relay.client
    number = new_number()
    msg = client.messages.create(to=number, body="hello", messaging_service_sid="MG" + "2" * 32)
    assert msg.sid.startswith("SM") and msg.status == "queued"
    sms_world.misbehave(number, http_status=400, error_code=21610, times=1)
    with pytest.raises(TwilioRestException) as err:
        client.messages.create(to=number, body="again", messaging_service_sid="MG" + "2" * 32)
    assert err.value.code == 21610 and err.value.status == 400
    bad = requests.post(
        f"{sms_world.standin_url}/2010-04-01/Accounts/AC0/Messages.json",
        data={"To": number, "Body": "x"},
        timeout=10,
    )
    assert bad.status_code == 401


def test_sms_simulate_plays_a_phone_through_the_stand_in(sms_world):
    import threading

    from tests.support.cli import youthvoice

    stop = threading.Event()

    def worker() -> None:  # the worker's inbox and outbox jobs, as `youthvoice worker` runs them
        while not stop.is_set():
            sms_world.work()
            stop.wait(0.2)

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    try:
        number = new_number().replace("+44", "0")
        result = youthvoice(
            "sms",
            "simulate",
            "--standin",
            sms_world.standin_url,
            "--number",
            number,
            input="hi\nYES\n",
            timeout=120,
        )
    finally:
        stop.set()
        thread.join(30)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"bot> {BMBF.intro.sms}" in result.stdout
    assert f"bot> {BMBF.questions[0].sms}" in result.stdout
