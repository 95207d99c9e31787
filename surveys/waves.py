"""Waves: a consultation's first message to an audience at a set time, with reminders;
pausing, resuming and cancelling them, and how far each has got."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, update
from sqlmodel import Session, select

from surveys.models import (
    Consultation,
    Enrolment,
    EnrolmentStatus,
    Message,
    MessageStatus,
    Participant,
    Wave,
    WaveRecipient,
)


class NoConsent(ValueError):
    """Someone in the audience has no recorded consent or lawful basis."""


def schedule_wave(
    session: Session,
    consultation: Consultation,
    participants: list[Participant],
    start_at: datetime,
    name: str = "",
    reminder_after_days: int | None = None,
    group_id: int | None = None,
) -> Wave:
    """Record a wave (the worker sends it when it is due)."""
    without = [p for p in participants if not p.consent_source or p.consent_at is None]
    if without:
        raise NoConsent(f"{len(without)} recipient(s) have no recorded consent")
    wave = Wave(
        consultation_id=consultation.id,
        name=name or consultation.title,
        start_at=start_at,
        reminder_after_days=reminder_after_days,
        group_id=group_id,
    )
    session.add(wave)
    session.flush()
    for p in participants:
        session.add(WaveRecipient(wave_id=wave.id, participant_id=p.id))
    session.flush()
    return wave


class WaveStateError(ValueError):
    """The wave cannot make that change from its current status."""


# status -> the statuses staff may move it to
TRANSITIONS = {
    "scheduled": {"paused", "cancelled"},
    "sending": {"paused", "cancelled"},
    "paused": {"scheduled", "cancelled"},
    "sent": {"cancelled"},  # stops its reminder
    "cancelled": set(),
}


def change_status(session: Session, wave: Wave, status: str) -> None:
    """Pause, resume (back to scheduled) or cancel. Cancelling also withdraws its texts
    that are still queued, so nothing more goes out."""
    if status not in TRANSITIONS.get(wave.status, set()):
        raise WaveStateError(f"a {wave.status} wave cannot be {status}")
    wave.status = status
    session.add(wave)
    if status == "cancelled":
        session.execute(
            update(Message)
            .where(
                Message.status == MessageStatus.QUEUED,
                or_(
                    Message.dedupe_key.like(f"wave:{wave.id}:p:%"),
                    Message.dedupe_key.like(f"reminder:{wave.id}:p:%"),
                ),
            )
            .values(status=MessageStatus.CANCELLED)
        )


@dataclass
class Progress:
    recipients: int = 0
    queued: int = 0
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    started: int = 0
    completed: int = 0
    opted_out: int = 0


def progress(session: Session, wave: Wave) -> Progress:
    """How far a wave has got: texts sent, delivered and failed; young people who started,
    completed or opted out."""
    recipients = select(WaveRecipient.participant_id).where(WaveRecipient.wave_id == wave.id)
    out = Progress(
        recipients=session.exec(select(func.count()).select_from(recipients.subquery())).one()
    )
    statuses = dict(
        session.exec(
            select(Message.status, func.count())
            .where(Message.dedupe_key.like(f"wave:{wave.id}:p:%"))
            .group_by(Message.status)
        ).all()
    )
    out.queued = statuses.get(MessageStatus.QUEUED, 0) + statuses.get(MessageStatus.SENDING, 0)
    out.delivered = statuses.get(MessageStatus.DELIVERED, 0)
    out.sent = statuses.get(MessageStatus.SENT, 0) + out.delivered
    out.failed = statuses.get(MessageStatus.FAILED, 0) + statuses.get(MessageStatus.UNDELIVERED, 0)
    enrolments = dict(
        session.exec(
            select(Enrolment.status, func.count())
            .where(
                Enrolment.consultation_id == wave.consultation_id,
                Enrolment.participant_id.in_(recipients),
            )
            .group_by(Enrolment.status)
        ).all()
    )
    out.completed = enrolments.get(EnrolmentStatus.COMPLETED, 0)
    out.started = (
        out.completed
        + enrolments.get(EnrolmentStatus.IN_PROGRESS, 0)
        + enrolments.get(EnrolmentStatus.STOPPED, 0)
    )
    out.opted_out = session.exec(
        select(func.count(Participant.id)).where(
            Participant.id.in_(recipients), Participant.opted_out_at.is_not(None)
        )
    ).one()
    return out
