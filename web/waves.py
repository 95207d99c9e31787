"""Worker jobs for waves: due waves become outbound rows, then reminders, then closing dates.

Every step is idempotent (one `dedupe_key` per recipient and kind), so a worker killed halfway
through a wave, or a job run twice, never queues anyone twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from surveys.models import (
    Consultation,
    Direction,
    EnrolmentStatus,
    Message,
    MessageKind,
    MessageStatus,
    Participant,
    Survey,
    Wave,
    WaveRecipient,
    utcnow,
)
from surveys.participants import enrol
from surveys.settings import Settings

log = logging.getLogger(__name__)


def first_message(survey: Survey, settings: Settings) -> str:
    """The wave's first text: it always names the council and says how to opt out."""
    text = survey.intro_sms
    if settings.council_name.split()[0].lower() not in text.lower():
        text = f"{settings.council_name}: {text}"
    if "STOP" not in text:
        text = f"{text} Reply STOP to opt out."
    return text


def reminder_message(consultation: Consultation, settings: Settings) -> str:
    return (
        f"{settings.council_name}: a reminder about {consultation.title}. "
        "Reply to carry on where you left off, or STOP to opt out."
    )


def _queue(s: Session, participant_id: int, body: str, kind: MessageKind, key: str) -> bool:
    """Queue one outbound text unless this key was queued before; True if queued now."""
    try:
        with s.begin_nested():
            s.add(
                Message(
                    participant_id=participant_id,
                    direction=Direction.OUT,
                    channel="sms",
                    body=body,
                    kind=kind,
                    status=MessageStatus.QUEUED,
                    dedupe_key=key,
                )
            )
        return True
    except IntegrityError:
        return False


class WaveJobs:
    def __init__(self, engine: Engine, settings: Settings, clock: Callable[[], datetime] = utcnow):
        self.engine, self.settings, self.clock = engine, settings, clock

    def dispatch_due(self) -> int:
        """Queue the first message of every due wave; returns how many texts were queued."""
        queued = 0
        with Session(self.engine) as s:
            due = s.exec(
                select(Wave).where(
                    Wave.status.in_(("scheduled", "sending")), Wave.start_at <= self.clock()
                )
            ).all()
            for wave in due:
                consultation = s.get(Consultation, wave.consultation_id)
                if consultation.status != "open":
                    continue  # it waits until the consultation is opened
                wave.status = "sending"
                s.add(wave)
                s.commit()
                text = first_message(s.get(Survey, consultation.survey_id), self.settings)
                recipients = s.exec(
                    select(WaveRecipient.participant_id).where(WaveRecipient.wave_id == wave.id)
                ).all()
                for participant_id in recipients:
                    s.refresh(wave)
                    if wave.status != "sending":  # paused or cancelled from the console
                        break
                    p = s.get(Participant, participant_id)
                    if p.opted_out_at is not None or p.consent_at is None:
                        continue
                    enrol(s, p, consultation)
                    queued += _queue(s, p.id, text, MessageKind.WAVE, f"wave:{wave.id}:p:{p.id}")
                    s.commit()
                else:
                    wave.status = "sent"
                    s.add(wave)
                    s.commit()
                    log.info("wave id=%s dispatched", wave.id)
        return queued

    def dispatch_reminders(self) -> int:
        """One reminder to each recipient who has not finished, N days after the wave."""
        queued = 0
        now = self.clock()
        with Session(self.engine) as s:
            waves = s.exec(
                select(Wave).where(Wave.status == "sent", Wave.reminder_after_days.is_not(None))
            ).all()
            for wave in waves:
                if now < wave.start_at + timedelta(days=wave.reminder_after_days):
                    continue
                consultation = s.get(Consultation, wave.consultation_id)
                if consultation.status != "open":
                    continue
                text = reminder_message(consultation, self.settings)
                for r in s.exec(select(WaveRecipient).where(WaveRecipient.wave_id == wave.id)):
                    p = s.get(Participant, r.participant_id)
                    enr = enrol(s, p, consultation)
                    if p.opted_out_at is not None or enr.status in (
                        EnrolmentStatus.COMPLETED,
                        EnrolmentStatus.STOPPED,
                    ):
                        continue
                    queued += _queue(
                        s, p.id, text, MessageKind.REMINDER, f"reminder:{wave.id}:p:{p.id}"
                    )
                    s.commit()
        return queued

    def close_consultations(self) -> int:
        """Close consultations whose closing date has passed."""
        with Session(self.engine) as s:
            due = s.exec(
                select(Consultation).where(
                    Consultation.status == "open",
                    Consultation.closes_at.is_not(None),
                    Consultation.closes_at <= self.clock(),
                )
            ).all()
            for c in due:
                c.status = "closed"
                s.add(c)
                log.info("consultation %s closed on its closing date", c.slug)
            s.commit()
            return len(due)

    def run(self) -> None:
        self.dispatch_due()
        self.dispatch_reminders()
        self.close_consultations()
