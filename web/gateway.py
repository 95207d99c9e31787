"""The message gateway: every message is stored first, then processed in order per participant.

Inbound rows are processed by whoever holds the participant's lease (a web request or the
worker), strictly in id order. If the bot is unavailable the message stays `received` with a
retry time; nothing from a young person is dropped.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from surveys.models import Direction, Message, MessageKind, MessageStatus, Participant, utcnow
from web.bot_client import BotClient, BotUnavailable

log = logging.getLogger(__name__)

LEASE_SECONDS = 60
RETRY_BACKOFF = (5, 15, 30, 60, 120, 300)  # seconds; the last value repeats
MAX_PROCESSING_ERRORS = 3  # then the message is marked failed and shown to staff

# A screen looks at an inbound message, in order, before the bot does. It returns replies to
# send, and whether the bot should still see the message (SMS keywords, safeguarding).
Screen = Callable[[Session, Participant, Message], tuple[list[str], bool]]
# An urgent screen sees every new message at once, even while earlier ones wait for the bot,
# and returns replies to send now (safeguarding signposting).
UrgentScreen = Callable[[Session, Participant, Message], list[str]]


def _waiting(participant_id: int):  # noqa: ANN202  (a sqlmodel Select)
    """A participant's inbound messages not yet processed, oldest first."""
    return (
        select(Message)
        .where(Message.participant_id == participant_id)
        .where(Message.direction == Direction.IN)
        .where(Message.status == MessageStatus.RECEIVED)
        .order_by(Message.id)
    )


class Gateway:
    """Stores inbound messages and turns them into stored replies through the bot."""

    def __init__(
        self,
        engine: Engine,
        bot: BotClient,
        clock: Callable[[], datetime] = utcnow,
        screens: list[Screen] | None = None,
        urgent_screens: list[UrgentScreen] | None = None,
    ):
        self.engine = engine
        self.bot = bot
        self.clock = clock
        self.screens = screens or []
        self.urgent_screens = urgent_screens or []

    # ---------------------------------------------------------------- storing
    def receive(
        self, participant_id: int, channel: str, text: str, kind: str = MessageKind.TEXT
    ) -> int:
        """Store an inbound message (committed before anything else happens); returns its id."""
        with Session(self.engine) as s:
            msg = Message(
                participant_id=participant_id,
                direction=Direction.IN,
                channel=channel,
                body=text,
                kind=kind,
                status=MessageStatus.RECEIVED,
            )
            s.add(msg)
            s.commit()
            log.info("inbound stored id=%s participant=%s kind=%s", msg.id, participant_id, kind)
            return msg.id

    def store_notice(self, participant_id: int, channel: str, text: str, reply_to: int) -> Message:
        """Store an outbound message the platform says itself (e.g. 'saved, we'll reply soon')."""
        with Session(self.engine, expire_on_commit=False) as s:
            msg = Message(
                participant_id=participant_id,
                direction=Direction.OUT,
                channel=channel,
                body=text,
                kind=MessageKind.NOTICE,
                status=MessageStatus.SENT,
                reply_to_id=reply_to,
            )
            s.add(msg)
            s.commit()
            return msg

    # ---------------------------------------------------------------- leases
    def _claim(self, participant_id: int) -> bool:
        now = self.clock()
        with Session(self.engine) as s:
            result = s.execute(
                update(Participant)
                .where(Participant.id == participant_id)
                .where(or_(Participant.lease_until.is_(None), Participant.lease_until < now))
                .values(lease_until=now + timedelta(seconds=LEASE_SECONDS))
            )
            s.commit()
            return result.rowcount == 1

    def _release(self, participant_id: int) -> None:
        with Session(self.engine) as s:
            s.execute(
                update(Participant).where(Participant.id == participant_id).values(lease_until=None)
            )
            s.commit()

    # ---------------------------------------------------------------- processing
    def process(
        self, participant_id: int, wait_for: int | None = None, timeout: float = 30
    ) -> None:
        """Process the participant's pending inbound messages in order.

        If another process holds the lease, it handles every pending message, ours included;
        with `wait_for`, wait until it has done so, so a web request can answer with its replies.
        """
        deadline = time.monotonic() + timeout
        while True:
            if self._claim(participant_id):
                try:
                    self._process_pending(participant_id)
                finally:
                    self._release(participant_id)
                return
            if wait_for is None or self._attempted(wait_for) or time.monotonic() > deadline:
                return
            time.sleep(0.05)  # another process holds the lease and will handle our message

    def _attempted(self, message_id: int) -> bool:
        with Session(self.engine) as s:
            msg = s.get(Message, message_id)
            return msg.status != MessageStatus.RECEIVED or msg.attempts > 0

    def _process_pending(self, participant_id: int) -> None:
        while True:
            self._urgent_pass(participant_id)  # anything that arrived meanwhile, at once
            with Session(self.engine, expire_on_commit=False) as s:
                msg = s.exec(_waiting(participant_id)).first()
                if msg is None:
                    return
                participant = s.get(Participant, participant_id)
                if not self._handle(s, participant, msg):
                    return  # keep order: later messages wait behind this one

    def _urgent_pass(self, participant_id: int) -> None:
        """Run the urgent screens over every message not yet seen by them, out of order on
        purpose: a disclosure is answered now even if an earlier message waits for the bot."""
        if not self.urgent_screens:
            return
        with Session(self.engine, expire_on_commit=False) as s:
            new = s.exec(
                _waiting(participant_id).where(Message.screened_at.is_(None))  # type: ignore[union-attr]
            ).all()
            participant = s.get(Participant, participant_id) if new else None
            for msg in new:
                try:
                    replies = [
                        r for screen in self.urgent_screens for r in screen(s, participant, msg)
                    ]
                    self._store_replies(s, participant, msg, replies)
                    msg.screened_at = self.clock()
                    s.add(msg)
                    s.commit()
                except Exception as exc:  # noqa: BLE001  (the ordered pass screens it again)
                    s.rollback()
                    log.error(
                        "urgent screen of message id=%s failed: %s", msg.id, type(exc).__name__
                    )

    def _store_replies(
        self, s: Session, participant: Participant, msg: Message, replies: list
    ) -> None:
        for r in replies:
            text, buttons, extra = (
                (r, [], {}) if isinstance(r, str) else (r.text, r.buttons, r.extra)
            )
            s.add(
                Message(
                    participant_id=participant.id,
                    direction=Direction.OUT,
                    channel=msg.channel,
                    body=text,
                    buttons=buttons,
                    extra=extra,
                    reply_to_id=msg.id,
                    status=MessageStatus.SENT if msg.channel == "web" else MessageStatus.QUEUED,
                )
            )

    def _handle(self, s: Session, participant: Participant, msg: Message) -> bool:
        """Screen one message, send it to the bot and store the replies.

        Returns False when processing must pause for this participant (the bot is down, or an
        error will be retried); later messages wait behind this one to keep their order.
        """
        try:
            replies, to_bot = self._screen(s, participant, msg)
            # Commit what the screens did before calling the bot: its action server writes to
            # the same database, and must not wait behind this transaction (SQLite locks it).
            s.commit()
            if to_bot and msg.body.strip():
                for r in self.bot.send(
                    participant.key, msg.body, {"message_id": msg.id, "channel": msg.channel}
                ):
                    replies.append(r)
        except BotUnavailable as exc:
            s.rollback()
            return self._retry_later(s, msg, f"bot unavailable: {exc}", give_up=False)
        except Exception as exc:  # noqa: BLE001  (any other fault: retried, then shown to staff)
            s.rollback()
            # Type and place only: an exception's message could quote what the child wrote.
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            log.error(
                "processing message id=%s failed: %s at %s:%s",
                msg.id,
                type(exc).__name__,
                tb.filename.rsplit("/", 1)[-1],
                tb.lineno,
            )
            return self._retry_later(s, msg, f"{type(exc).__name__}", give_up=True)
        self._store_replies(s, participant, msg, replies)
        msg.status = MessageStatus.PROCESSED
        msg.processed_at = self.clock()
        msg.error = None
        s.add(msg)
        s.commit()
        log.info("inbound processed id=%s replies=%s", msg.id, len(replies))
        return True

    def _screen(self, s: Session, participant: Participant, msg: Message) -> tuple[list, bool]:
        replies: list = []
        for screen in self.screens:
            said, to_bot = screen(s, participant, msg)
            replies += said
            if not to_bot:
                return replies, False
        return replies, True

    def _retry_later(self, s: Session, msg: Message, error: str, give_up: bool) -> bool:
        """Back off and retry; after MAX_PROCESSING_ERRORS faults (not bot outages) mark the
        message failed so staff see it. Nothing is dropped."""
        msg = s.get(Message, msg.id)
        msg.attempts += 1
        msg.error = error[:200]
        if give_up and msg.attempts >= MAX_PROCESSING_ERRORS:
            msg.status = MessageStatus.FAILED
            log.error(
                "message id=%s failed %s times; marked failed for staff", msg.id, msg.attempts
            )
        else:
            delay = RETRY_BACKOFF[min(msg.attempts, len(RETRY_BACKOFF)) - 1]
            msg.next_attempt_at = self.clock() + timedelta(seconds=delay)
            log.warning("message id=%s not processed (%s); retry in %ss", msg.id, error, delay)
        s.add(msg)
        s.commit()
        return msg.status == MessageStatus.FAILED  # a failed message no longer blocks the queue

    def due_participants(self) -> list[int]:
        """Participants with inbound messages waiting whose retry time has come."""
        now = self.clock()
        with Session(self.engine) as s:
            rows = s.exec(
                select(Message.participant_id)
                .where(Message.direction == Direction.IN)
                .where(Message.status == MessageStatus.RECEIVED)
                .where(or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= now))
                .distinct()
            )
            return list(rows)

    def process_due(self) -> int:
        """Worker job: retry everyone whose messages are waiting; returns how many were tried."""
        ids = self.due_participants()
        for pid in ids:
            self.process(pid)
        return len(ids)
