"""Alerts reach named people: email on raising, escalation to the backup when nobody
acknowledges in time (a controllable clock, not sleeps), and every step audited."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from sqlmodel import select

from analysis.safeguarding import default_detector
from surveys import audit
from surveys.db import engine_for
from surveys.models import (
    AuditEvent,
    MessageStatus,
    Notification,
    SafeguardingAlert,
    User,
)
from tests.support.mail import smtp_server
from tests.support.safeguarding import flagged_message, raised_alert
from web.safeguarding.alerts import AlertStateError, acknowledge, add_note, close, raise_alert
from web.safeguarding.notify import Notifier
from web.safeguarding.settings import SafeguardingSettings, SmtpSettings

WEDNESDAY_10AM = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
SATURDAY_10PM = datetime(2026, 11, 28, 22, 0, tzinfo=UTC)
TEXT = "my stepdad hits me when mum is out"


@pytest.fixture
def mail():
    with smtp_server() as (port, inbox):
        yield port, inbox


@pytest.fixture
def settings(mail) -> SafeguardingSettings:
    port, _ = mail
    return dataclasses.replace(
        SafeguardingSettings.from_env(),
        lead_emails=("lead@council.example",),
        backup_emails=("backup@council.example",),
        out_of_hours_emails=("edt@council.example",),
        lead_sms=(),
        backup_sms=("+447700900999",),
        ack_minutes=30,
        smtp=SmtpSettings("127.0.0.1", port, "", "", False, "youthvoice@council.example"),
        public_url="https://youthvoice.council.example",
    )


@pytest.fixture
def lead(db) -> int:
    user = User(
        email=f"lead-{uuid4().hex[:8]}@council.example", role="safeguarding_lead", password_hash="x"
    )
    db.add(user)
    db.commit()
    return user.id


def _raise(db, settings, now) -> SafeguardingAlert:
    return raised_alert(db, TEXT, MessageStatus.RECEIVED, settings, now)


class Texts:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def __call__(self, to: str, body: str) -> None:
        self.sent.append((to, body))


def test_unacknowledged_alert_escalates_on_time(db, prepared_db, settings, mail):
    _, inbox = mail
    alert = _raise(db, settings, WEDNESDAY_10AM)
    texts = Texts()
    now = {"t": WEDNESDAY_10AM}
    notifier = Notifier(engine_for(prepared_db), settings, texts, clock=lambda: now["t"])

    notifier.run_once()
    lead_mail = inbox.to("lead@council.example", f"#{alert.id} ")
    assert len(lead_mail) == 1
    body = lead_mail[0].get_content()
    assert f"#{alert.id}" in lead_mail[0]["Subject"] and "/console/safeguarding/" in body
    assert TEXT not in body and "hits" not in body  # the child's words stay in the console
    assert inbox.to("backup@council.example", f"#{alert.id} ") == []

    now["t"] = WEDNESDAY_10AM + timedelta(minutes=29, seconds=59)
    notifier.run_once()
    assert inbox.to("backup@council.example", f"#{alert.id} ") == []
    assert [b for _, b in texts.sent if f"#{alert.id} " in b] == []

    now["t"] = WEDNESDAY_10AM + timedelta(minutes=30)
    notifier.run_once()
    backup_mail = inbox.to("backup@council.example", f"#{alert.id} ")
    assert len(backup_mail) == 1 and "NOT ACKNOWLEDGED" in backup_mail[0]["Subject"]
    assert [to for to, body in texts.sent if f"#{alert.id} " in body] == ["+447700900999"]

    now["t"] += timedelta(hours=2)  # escalation happens once
    notifier.run_once()
    assert len(inbox.to("backup@council.example", f"#{alert.id} ")) == 1
    assert len([b for _, b in texts.sent if f"#{alert.id} " in b]) == 1
    db.expire_all()
    assert db.get(SafeguardingAlert, alert.id).escalated_at == WEDNESDAY_10AM + timedelta(
        minutes=30
    )
    actions = db.exec(
        select(AuditEvent.action)
        .where(AuditEvent.target == f"alert:{alert.id}")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["alert.raised", "alert.escalated"]


def test_acknowledged_alert_does_not_escalate(db, prepared_db, settings, mail, lead):
    _, inbox = mail
    alert = _raise(db, settings, WEDNESDAY_10AM)
    acknowledge(db, alert, user_id=lead, now=WEDNESDAY_10AM + timedelta(minutes=5))
    db.commit()
    later = WEDNESDAY_10AM + timedelta(hours=3)
    Notifier(engine_for(prepared_db), settings, Texts(), clock=lambda: later).run_once()
    assert inbox.to("backup@council.example", f"#{alert.id} ") == []


def test_out_of_hours_alert_goes_to_the_duty_team_too(db, prepared_db, settings, mail):
    _, inbox = mail
    alert = _raise(db, settings, SATURDAY_10PM)
    assert alert.out_of_hours
    Notifier(engine_for(prepared_db), settings, Texts(), clock=lambda: SATURDAY_10PM).run_once()
    assert len(inbox.to("edt@council.example", f"#{alert.id} ")) == 1
    assert len(inbox.to("lead@council.example", f"#{alert.id} ")) == 1


def test_mail_server_down_is_retried_and_nothing_is_dropped(db, prepared_db, settings):
    down = dataclasses.replace(settings, smtp=dataclasses.replace(settings.smtp, port=1))
    alert = _raise(db, down, WEDNESDAY_10AM)
    notifier = Notifier(engine_for(prepared_db), down, Texts(), clock=lambda: WEDNESDAY_10AM)
    assert notifier.run_once() == 0
    db.expire_all()
    n = db.exec(
        select(Notification).where(
            Notification.alert_id == alert.id, Notification.recipient == "lead@council.example"
        )
    ).one()
    assert n.status == "queued" and n.attempts == 1 and n.error
    assert n.next_attempt_at == WEDNESDAY_10AM + timedelta(minutes=1)


def test_acknowledge_note_and_close_are_recorded_and_audited(db, settings, lead):
    alert = _raise(db, settings, WEDNESDAY_10AM)
    t = WEDNESDAY_10AM + timedelta(minutes=10)
    acknowledge(db, alert, lead, t)
    with pytest.raises(AlertStateError):
        acknowledge(db, alert, lead, t)
    with pytest.raises(AlertStateError):
        add_note(db, alert, lead, "   ", t)
    add_note(db, alert, lead, "Spoke to the child's social worker.", t)
    with pytest.raises(AlertStateError):
        close(db, alert, lead, "made-up outcome", t)
    close(db, alert, lead, "referred_social_care", t)
    db.commit()
    db.expire_all()
    stored = db.get(SafeguardingAlert, alert.id)
    assert stored.status == "closed" and stored.outcome == "referred_social_care"
    assert stored.acknowledged_by_id == lead and stored.closed_by_id == lead
    actions = db.exec(
        select(AuditEvent.action)
        .where(AuditEvent.target == f"alert:{alert.id}")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["alert.raised", "alert.acknowledged", "alert.note_added", "alert.closed"]
    assert audit.verify(db) is None


def test_raising_twice_for_one_message_is_one_alert(db, settings):
    p, msg = flagged_message(db, TEXT, MessageStatus.RECEIVED)
    result = default_detector().score(TEXT)
    first, created = raise_alert(db, p, msg, result, settings, WEDNESDAY_10AM)
    again, created_again = raise_alert(db, p, msg, result, settings, WEDNESDAY_10AM)
    db.commit()
    assert created and not created_again and first.id == again.id


def test_a_changed_audit_row_breaks_the_chain(db, settings):
    _raise(db, settings, WEDNESDAY_10AM)
    assert audit.verify(db) is None
    event = db.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    original = dict(event.detail)
    event.detail = {**original, "category": "no_concern"}
    db.add(event)
    db.commit()
    try:
        assert audit.verify(db) == event.id
    finally:
        event.detail = original
        db.add(event)
        db.commit()
    assert audit.verify(db) is None
