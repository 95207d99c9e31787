"""A young person's message that the detector flags, and the alert raised for it."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from sqlmodel import Session

from analysis.safeguarding import default_detector
from surveys.models import Direction, Message, Participant, SafeguardingAlert
from web.safeguarding.alerts import raise_alert
from web.safeguarding.settings import SafeguardingSettings


def flagged_message(db: Session, text: str, status: str) -> tuple[Participant, Message]:
    """A new web participant and one inbound message from them (committed)."""
    p = Participant(key=f"p_{uuid4().hex[:10]}", channel="web")
    db.add(p)
    db.flush()
    msg = Message(
        participant_id=p.id, direction=Direction.IN, channel="web", body=text, status=status
    )
    db.add(msg)
    db.commit()
    return p, msg


def raised_alert(
    db: Session, text: str, status: str, settings: SafeguardingSettings, now: datetime
) -> SafeguardingAlert:
    """The alert the detector raises for a new message `text` (committed)."""
    p, msg = flagged_message(db, text, status)
    alert, created = raise_alert(db, p, msg, default_detector().score(text), settings, now)
    db.commit()
    assert created
    return alert
