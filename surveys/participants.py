"""Participants and their enrolment in a consultation."""

from __future__ import annotations

from sqlmodel import Session, select

from surveys.models import Consultation, Enrolment, Participant
from surveys.privacy import new_conversation_token, new_participant_key, token_hash


class NoOpenConsultation(LookupError):
    """There is no open consultation with that slug."""


def open_consultation(session: Session, slug: str | None) -> Consultation:
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
