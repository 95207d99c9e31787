"""The safeguarding screens: every inbound message, from either channel, before the bot.

The urgent screen sees each message as soon as it is stored, even while earlier messages wait
for the bot: on a flag it raises the alert and replies with signposting at once. The ordered
screen then keeps the young person's words as their answer when they were answering a
free-text question, pauses the survey, and keeps the message from the bot. None of it depends
on Rasa being up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session, select

from analysis.safeguarding import Detector, default_detector
from surveys.engine import SurveyEngine
from surveys.models import Message, MessageKind, Participant, SafeguardingAlert
from surveys.settings import Settings
from web.safeguarding.alerts import raise_alert
from web.safeguarding.office_hours import OfficeHours
from web.safeguarding.replies import signposting_text
from web.safeguarding.settings import SafeguardingSettings


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
        result = (detector or default_detector()).score(msg.body)
        if not result.flag:
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
