"""Waves: a consultation's first message to an audience at a set time, with reminders."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from surveys.models import Consultation, Participant, Wave, WaveRecipient


class NoConsent(ValueError):
    """Someone in the audience has no recorded consent or lawful basis."""


def schedule_wave(
    session: Session,
    consultation: Consultation,
    participants: list[Participant],
    start_at: datetime,
    name: str = "",
    reminder_after_days: int | None = None,
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
    )
    session.add(wave)
    session.flush()
    for p in participants:
        session.add(WaveRecipient(wave_id=wave.id, participant_id=p.id))
    session.flush()
    return wave
