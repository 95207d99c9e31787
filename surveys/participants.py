"""Participants and their enrolment in a consultation."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from surveys.models import Consultation, Enrolment, Participant, utcnow
from surveys.privacy import (
    contact_hash,
    decrypt_contact,
    encrypt_contact,
    new_conversation_token,
    new_participant_key,
    token_hash,
)

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


class NoOpenConsultation(LookupError):
    """There is no open consultation with that slug."""


def open_consultation(session: Session, slug: str | None) -> Consultation:
    if slug and not SLUG.fullmatch(slug):  # e.g. a NUL byte, which PostgreSQL cannot compare
        raise NoOpenConsultation(slug)
    query = select(Consultation).where(Consultation.status == "open")
    if slug:
        query = query.where(Consultation.slug == slug)
    consultation = session.exec(query.order_by(Consultation.id)).first()
    if consultation is None:
        raise NoOpenConsultation(slug or "(any)")
    return consultation


def start_web_conversation(session: Session, consultation: Consultation) -> tuple[str, Participant]:
    """A new anonymous web participant, enrolled; returns (token, participant)."""
    token, digest = new_conversation_token()
    participant = Participant(key=new_participant_key(), channel="web", web_token_hash=digest)
    session.add(participant)
    session.flush()
    session.add(Enrolment(participant_id=participant.id, consultation_id=consultation.id))
    session.flush()
    return token, participant


def participant_for_token(session: Session, token: str) -> Participant | None:
    if not token or len(token) > 128:
        return None
    return session.exec(
        select(Participant).where(Participant.web_token_hash == token_hash(token))
    ).first()


def participant_for_phone(
    session: Session, data_key: str | None, e164: str, create: bool = True
) -> Participant | None:
    """The SMS participant with this (normalised) number, found by its keyed hash."""
    digest = contact_hash(data_key, e164)
    p = session.exec(select(Participant).where(Participant.phone_hash == digest)).first()
    if p is None and create:
        p = Participant(
            key=new_participant_key(),
            channel="sms",
            phone_hash=digest,
            contact_encrypted=encrypt_contact(data_key, e164),
        )
        session.add(p)
        session.flush()
    return p


def phone_of(data_key: str | None, participant: Participant) -> str:
    """Decrypt a participant's number, only at the moment of sending."""
    if participant.contact_encrypted is None:
        raise ValueError("this participant has no phone number")
    return decrypt_contact(data_key, participant.contact_encrypted)


def enrol(session: Session, participant: Participant, consultation: Consultation) -> Enrolment:
    """The participant's enrolment in the consultation (created once)."""
    enr = session.exec(
        select(Enrolment).where(
            Enrolment.participant_id == participant.id,
            Enrolment.consultation_id == consultation.id,
        )
    ).first()
    if enr is None:
        enr = Enrolment(participant_id=participant.id, consultation_id=consultation.id)
        session.add(enr)
        session.flush()
    return enr


def set_opted_out(session: Session, participant: Participant, opted_out: bool) -> None:
    """Record an opt-out (STOP, error 21610) or an opt-back-in (START, YES, UNSTOP)."""
    participant.opted_out_at = utcnow() if opted_out else None
    session.add(participant)
