"""The safeguarding screens: every inbound message, from either channel, before the bot.

The urgent screen sees each message as soon as it is stored, even while earlier messages wait
for the bot: on a flag it raises the alert and replies with signposting at once. The ordered
screen then keeps the young person's words as their answer when they were answering a
free-text question, pauses the survey, and keeps the message from the bot. None of it depends
on Rasa being up.

Young people often split one thought over several texts ("i want" ... "to die"). A message
that is not flagged on its own is read again joined to the same young person's previous
messages from the last few minutes; if that flags, and no alert already covers it, the alert
is raised on this message, with the joining recorded in its evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from sqlmodel import Session, select

from analysis.safeguarding import Detector, SafeguardingResult, default_detector
from surveys.engine import SurveyEngine
from surveys.models import Direction, Message, MessageKind, Participant, SafeguardingAlert
from surveys.settings import Settings
from web.safeguarding.alerts import raise_alert
from web.safeguarding.office_hours import OfficeHours
from web.safeguarding.replies import signposting_text
from web.safeguarding.settings import SafeguardingSettings

# A message is read together with at most this many earlier messages, sent this recently.
JOIN_MESSAGES = 2
JOIN_WINDOW = timedelta(minutes=10)


def _earlier_messages(s: Session, msg: Message) -> list[Message]:
    """The young person's previous texts within JOIN_WINDOW of `msg`, oldest first."""
    rows = s.exec(
        select(Message)
        .where(
            Message.participant_id == msg.participant_id,
            Message.direction == Direction.IN,
            Message.kind == MessageKind.TEXT,
            Message.id < msg.id,  # type: ignore[operator]
            Message.created_at >= msg.created_at - JOIN_WINDOW,
        )
        .order_by(Message.id.desc())  # type: ignore[union-attr]
        .limit(JOIN_MESSAGES)
    ).all()
    return [m for m in reversed(rows) if m.body.strip()]


def score_joined(s: Session, msg: Message, detector: Detector) -> SafeguardingResult | None:
    """The result for `msg` read after its recent predecessors, when that flags something an
    earlier alert does not already cover (one that replied to the child covers everything;
    one for review covers all but a result that needs a reply)."""
    earlier = _earlier_messages(s, msg)
    if not earlier:
        return None
    result = detector.score(" ".join([*(m.body for m in earlier), msg.body]))
    if not result.flag:
        return None
    alerts = s.exec(
        select(SafeguardingAlert).where(
            SafeguardingAlert.message_id.in_([m.id for m in earlier])  # type: ignore[union-attr]
        )
    ).all()
    if any(a.responded for a in alerts) or (alerts and not result.respond):
        return None
    joined = {"source": "joined", "messages": len(earlier) + 1}
    return replace(result, evidence=(*result.evidence, joined))


def make_safeguarding_screens(
    core: Settings,
    settings: SafeguardingSettings,
    clock: Callable[[], datetime],
    detector: Detector | None = None,
):  # noqa: ANN201
    """Returns (urgent screen, ordered screen) for the gateway."""
    office = OfficeHours.parse(settings.office_hours)

    def alert_for(
        s: Session, participant: Participant, msg: Message
    ) -> tuple[SafeguardingAlert | None, bool]:
        """(the message's alert or None, raised just now)."""
        existing = s.exec(
            select(SafeguardingAlert).where(SafeguardingAlert.message_id == msg.id)
        ).first()
        if existing or msg.screened_at is not None:  # already screened: no need to look again
            return existing, False
        if msg.kind != MessageKind.TEXT or not msg.body.strip():
            return None, False
        screen = detector or default_detector()
        result = screen.score(msg.body)
        if not result.flag:
            result = score_joined(s, msg, screen)
        if result is None or not result.flag:
            return None, False
        return raise_alert(s, participant, msg, result, settings, clock())

    def urgent(s: Session, participant: Participant, msg: Message) -> list[str]:
        alert, created = alert_for(s, participant, msg)
        if created and alert.responded:
            return [signposting_text(msg.channel, office, clock())]
        return []

    def ordered(s: Session, participant: Participant, msg: Message) -> tuple[list[str], bool]:
        alert, created = alert_for(s, participant, msg)
        if alert is None or not alert.responded:
            return [], True  # nothing, or for review only: the conversation goes on
        SurveyEngine(s, core).record_disclosure(participant.key, msg.body, msg.id)
        return ([signposting_text(msg.channel, office, clock())] if created else []), False

    return urgent, ordered
