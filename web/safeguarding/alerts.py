"""Safeguarding alerts: raised from a flagged message, acknowledged, noted, closed, escalated.

Every step is written to the audit log in the same transaction as the change itself.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlmodel import Session, select

from analysis.safeguarding import SafeguardingResult
from surveys import audit
from surveys.models import (
    AlertNote,
    AlertOutcome,
    AlertStatus,
    Enrolment,
    Message,
    Notification,
    Participant,
    SafeguardingAlert,
)
from web.safeguarding.office_hours import OfficeHours
from web.safeguarding.settings import SafeguardingSettings

log = logging.getLogger(__name__)
MAX_NOTE_CHARS = 5000


class AlertStateError(ValueError):
    """The requested step does not fit the alert's state (e.g. closing without an outcome)."""


def _target(alert: SafeguardingAlert) -> str:
    return f"alert:{alert.id}"


def raise_alert(
    s: Session,
    participant: Participant,
    message: Message,
    result: SafeguardingResult,
    settings: SafeguardingSettings,
    now: datetime,
) -> tuple[SafeguardingAlert, bool]:
    """The alert for this message, created (with its notifications) if it does not exist yet.

    Returns (alert, created). Idempotent: a message retried after a crash raises one alert.
    """
    existing = s.exec(
        select(SafeguardingAlert).where(SafeguardingAlert.message_id == message.id)
    ).first()
    if existing:
        return existing, False
    office = OfficeHours.parse(settings.office_hours)
    out_of_hours = not office.is_open(now)
    minutes = settings.ack_minutes_out_of_hours if out_of_hours else settings.ack_minutes
    enrolment = s.exec(
        select(Enrolment)
        .where(Enrolment.participant_id == participant.id)
        .order_by(Enrolment.id.desc())  # type: ignore[union-attr]
    ).first()
    alert = SafeguardingAlert(
        participant_id=participant.id,
        message_id=message.id,
        consultation_id=enrolment.consultation_id if enrolment else None,
        channel=message.channel,
        category=result.category or "unknown",
        categories=list(result.categories),
        evidence=list(result.evidence),
        detector_version=result.detector_version[:32],
        responded=result.respond,
        out_of_hours=out_of_hours,
        created_at=now,
        ack_due_at=now + timedelta(minutes=minutes),
    )
    s.add(alert)
    s.flush()
    _queue_notifications(s, alert, "alert", _first_contacts(settings, out_of_hours), now)
    audit.record(
        s,
        "alert.raised",
        target=_target(alert),
        detail={
            "category": alert.category,
            "channel": alert.channel,
            "out_of_hours": out_of_hours,
            "message_id": message.id,
        },
        at=now,
    )
    if not settings.has_contacts:
        log.error("safeguarding alert id=%s raised but no contacts are configured", alert.id)
    log.warning("safeguarding alert id=%s raised category=%s", alert.id, alert.category)
    return alert, True


Contact = tuple[str, str]  # (channel, recipient)


def _contacts(emails: tuple[str, ...] = (), sms: tuple[str, ...] = ()) -> list[Contact]:
    return [("email", e) for e in emails] + [("sms", n) for n in sms]


def _first_contacts(settings: SafeguardingSettings, out_of_hours: bool) -> list[Contact]:
    """Leads always (by email the alert waits for them); out of hours also the duty team."""
    if out_of_hours and (settings.out_of_hours_emails or settings.out_of_hours_sms):
        return _contacts(settings.lead_emails) + _contacts(
            settings.out_of_hours_emails, settings.out_of_hours_sms
        )
    return _contacts(settings.lead_emails, settings.lead_sms)


def _queue_notifications(
    s: Session, alert: SafeguardingAlert, purpose: str, contacts: list[Contact], now: datetime
) -> list[Contact]:
    """One queued notification per distinct contact; returns the contacts queued."""
    unique = list(dict.fromkeys(contacts))
    for channel, recipient in unique:
        s.add(
            Notification(
                alert_id=alert.id,
                purpose=purpose,
                channel=channel,
                recipient=recipient,
                created_at=now,
            )
        )
    return unique


def escalate_due(s: Session, settings: SafeguardingSettings, now: datetime) -> list[int]:
    """Escalate every open alert whose acknowledgement time has passed; returns their ids."""
    due = s.exec(
        select(SafeguardingAlert)
        .where(SafeguardingAlert.status == AlertStatus.OPEN)
        .where(SafeguardingAlert.escalated_at.is_(None))  # type: ignore[union-attr]
        .where(SafeguardingAlert.ack_due_at <= now)
        .order_by(SafeguardingAlert.id)
    ).all()
    office_open = OfficeHours.parse(settings.office_hours).is_open(now)
    for alert in due:
        contacts = _contacts(settings.backup_emails, settings.backup_sms)
        if alert.out_of_hours or not office_open:
            contacts += _contacts(settings.out_of_hours_emails, settings.out_of_hours_sms)
        contacts = _queue_notifications(s, alert, "escalation", contacts, now)
        alert.escalated_at = now
        s.add(alert)
        audit.record(
            s,
            "alert.escalated",
            target=_target(alert),
            detail={
                "after_minutes": int((now - alert.created_at).total_seconds() // 60),
                "contacts": len(contacts),
            },
            at=now,
        )
        log.warning("safeguarding alert id=%s not acknowledged in time: escalated", alert.id)
    return [a.id for a in due]


def acknowledge(s: Session, alert: SafeguardingAlert, user_id: int, now: datetime) -> None:
    if alert.status != AlertStatus.OPEN:
        raise AlertStateError("This alert has already been acknowledged.")
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = now
    alert.acknowledged_by_id = user_id
    s.add(alert)
    late = now > alert.ack_due_at
    audit.record(
        s,
        "alert.acknowledged",
        actor_id=user_id,
        target=_target(alert),
        detail={"late": late},
        at=now,
    )


def add_note(s: Session, alert: SafeguardingAlert, user_id: int, body: str, now: datetime):
    body = (body or "").strip()
    if not body:
        raise AlertStateError("Enter a note.")
    if len(body) > MAX_NOTE_CHARS:
        raise AlertStateError(f"A note must be {MAX_NOTE_CHARS} characters or fewer.")
    note = AlertNote(alert_id=alert.id, author_id=user_id, body=body, created_at=now)
    s.add(note)
    s.flush()
    audit.record(
        s,
        "alert.note_added",
        actor_id=user_id,
        target=_target(alert),
        detail={"note_id": note.id},
        at=now,
    )
    return note


def close(s: Session, alert: SafeguardingAlert, user_id: int, outcome: str, now: datetime):
    if alert.status == AlertStatus.CLOSED:
        raise AlertStateError("This alert is already closed.")
    if outcome not in {o.value for o in AlertOutcome}:
        raise AlertStateError("Choose an outcome.")
    if alert.status == AlertStatus.OPEN:
        acknowledge(s, alert, user_id, now)
    alert.status = AlertStatus.CLOSED
    alert.outcome = outcome
    alert.closed_at = now
    alert.closed_by_id = user_id
    s.add(alert)
    audit.record(
        s,
        "alert.closed",
        actor_id=user_id,
        target=_target(alert),
        detail={"outcome": outcome},
        at=now,
    )
