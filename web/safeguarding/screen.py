"""The safeguarding screen: runs on every inbound message, from either channel, before the bot.

On a flag it raises the alert, keeps the young person's words as their answer when they were
answering a free-text question, pauses the survey, and replies with signposting itself, so
none of it depends on Rasa being up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from analysis.safeguarding import Detector, default_detector
from surveys.engine import SurveyEngine
from surveys.models import Message, MessageKind, Participant
from surveys.settings import Settings
from web.safeguarding.alerts import raise_alert
from web.safeguarding.office_hours import OfficeHours
from web.safeguarding.replies import signposting_text
from web.safeguarding.settings import SafeguardingSettings


def make_safeguarding_screen(
    core: Settings,
    settings: SafeguardingSettings,
    clock: Callable[[], datetime],
    detector: Detector | None = None,
):  # noqa: ANN201
    office = OfficeHours.parse(settings.office_hours)

    def screen(s: Session, participant: Participant, msg: Message) -> tuple[list[str], bool]:
        if msg.kind != MessageKind.TEXT or not msg.body.strip():
            return [], True
        result = (detector or default_detector()).score(msg.body)
        if not result.flag:
            return [], True
        now = clock()
        raise_alert(s, participant, msg, result, settings, now)
        SurveyEngine(s, core).record_disclosure(participant.key, msg.body, msg.id)
        return [signposting_text(msg.channel, office, now)], False

    return screen
