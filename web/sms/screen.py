"""The SMS keyword screen: STOP, START and HELP before the bot sees a message."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session

from surveys.messages import CHILDLINE
from surveys.models import Direction, Message, MessageStatus, Participant
from surveys.participants import set_opted_out
from surveys.settings import Settings
from web.sms.keywords import Keyword, keyword


def help_text(settings: Settings) -> str:
    return (
        f"{settings.council_name} Youth Voice. Reply to answer, SKIP to skip, STOP to stop. "
        f"Contact {settings.team_contact}. {CHILDLINE}, free."
    )


def make_sms_keyword_screen(settings: Settings):  # noqa: ANN201
    """STOP opts out (and cancels anything still queued); START/YES/UNSTOP opt back in; both
    still reach the bot so the survey stops or resumes. HELP/INFO is answered here."""

    def screen(s: Session, participant: Participant, msg: Message) -> tuple[list[str], bool]:
        if msg.channel != "sms":
            return [], True
        kw = keyword(msg.body)
        if kw == Keyword.OPT_OUT:
            set_opted_out(s, participant, True)
            s.execute(
                update(Message)
                .where(
                    Message.participant_id == participant.id,
                    Message.direction == Direction.OUT,
                    Message.status == MessageStatus.QUEUED,
                )
                .values(status=MessageStatus.SUPPRESSED, error="opted out")
            )
            return [], True
        if kw == Keyword.OPT_IN:
            set_opted_out(s, participant, False)
            return [], True
        if kw == Keyword.HELP:
            return [help_text(settings)], False
        return [], True

    return screen
