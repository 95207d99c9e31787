"""The outbox relay: sends queued SMS rows through Twilio, at most N per second.

Guarantees:
- nothing is sent to an opted-out number (checked at the moment of sending);
- waves and reminders wait for quiet hours to end; replies to someone who just wrote do not;
- 429 and 5xx are retried with backoff; error 21610 marks the young person opted out;
- never twice, never missed: a row is claimed (status `sending`) and committed before the API
  call. A row found still `sending` after a crash is checked against Twilio's message list:
  recorded as sent if Twilio has it, queued again if not.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from twilio.base.exceptions import TwilioRestException

from surveys.models import (
    Direction,
    Message,
    MessageKind,
    MessageStatus,
    Participant,
    utcnow,
)
from surveys.participants import phone_of, set_opted_out
from web.sms.quiet_hours import in_quiet_hours, quiet_hours_end
from web.sms.settings import SmsSettings

log = logging.getLogger(__name__)
OPTED_OUT = 21610
RETRY_BACKOFF = (2, 10, 30, 60, 300)  # seconds; the last value repeats
MAX_SEND_ATTEMPTS = 6
STALE_SENDING = timedelta(minutes=5)
HELD_KINDS = {MessageKind.WAVE, MessageKind.REMINDER}


class Relay:
    def __init__(
        self,
        engine: Engine,
        settings: SmsSettings,
        client,  # noqa: ANN001  (twilio.rest.Client)
        data_key: str | None,
        clock: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.engine, self.settings, self.client, self.data_key = engine, settings, client, data_key
        self.clock, self.monotonic, self.sleep = clock, monotonic, sleep
        self._last_send: float | None = None

    # ------------------------------------------------------------ the loop
    def run_once(self, limit: int = 200) -> int:
        """Send what is due now; returns how many messages were handed to Twilio."""
        sent = 0
        for msg_id in self._due_ids(limit):
            sent += self._send_one(msg_id)
        return sent

    def _due_ids(self, limit: int) -> list[int]:
        now = self.clock()
        with Session(self.engine) as s:
            return list(
                s.exec(
                    select(Message.id)
                    .where(Message.channel == "sms", Message.direction == Direction.OUT)
                    .where(Message.status == MessageStatus.QUEUED)
                    .where(or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= now))
                    .order_by(Message.id)
                    .limit(limit)
                )
            )

    def _send_one(self, msg_id: int) -> int:
        with Session(self.engine, expire_on_commit=False) as s:
            msg = s.get(Message, msg_id)
            participant = s.get(Participant, msg.participant_id)
            if participant.opted_out_at is not None:
                return self._finish(s, msg, MessageStatus.SUPPRESSED, "opted out")
            now = self.clock()
            quiet = (self.settings.quiet_start, self.settings.quiet_end)
            if msg.kind in HELD_KINDS and in_quiet_hours(now, *quiet):
                msg.next_attempt_at = quiet_hours_end(now, *quiet)
                s.add(msg)
                s.commit()
                return 0
            if not self._claim(s, msg):
                return 0  # another relay took it
            to = phone_of(self.data_key, participant)
        self._pace()
        try:
            result = self.client.messages.create(to=to, body=msg.body, **self._sender())
        except TwilioRestException as exc:
            return self._refused(msg_id, exc)
        with Session(self.engine) as s:
            s.execute(
                update(Message)
                .where(Message.id == msg_id)
                .values(status=MessageStatus.SENT, external_id=result.sid, error=None)
            )
            s.commit()
        log.info("sms sent id=%s sid=%s", msg_id, result.sid)
        return 1

    # ------------------------------------------------------------ pieces
    def _claim(self, s: Session, msg: Message) -> bool:
        """Mark the row `sending` (committed) before the API call: the double-send guard."""
        result = s.execute(
            update(Message)
            .where(Message.id == msg.id, Message.status == MessageStatus.QUEUED)
            .values(
                status=MessageStatus.SENDING,
                attempts=Message.attempts + 1,
                next_attempt_at=self.clock(),
            )
        )
        s.commit()
        return result.rowcount == 1

    def _sender(self) -> dict[str, str]:
        return {**self.settings.sender(), "status_callback": self.settings.url_for("/sms/status")}

    def _pace(self) -> None:
        """At most `rate_per_second` API calls per second."""
        gap = 1.0 / self.settings.rate_per_second
        if self._last_send is not None:
            wait = self._last_send + gap - self.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last_send = self.monotonic()

    def _refused(self, msg_id: int, exc: TwilioRestException) -> int:
        with Session(self.engine) as s:
            msg = s.get(Message, msg_id)
            if exc.code == OPTED_OUT:
                set_opted_out(s, s.get(Participant, msg.participant_id), True)
                return self._finish(s, msg, MessageStatus.SUPPRESSED, "twilio error 21610")
            retryable = exc.status == 429 or exc.status >= 500
            if retryable and msg.attempts < MAX_SEND_ATTEMPTS:
                delay = RETRY_BACKOFF[min(msg.attempts, len(RETRY_BACKOFF)) - 1]
                msg.status = MessageStatus.QUEUED
                msg.next_attempt_at = self.clock() + timedelta(seconds=delay)
                msg.error = f"twilio HTTP {exc.status}; retry in {delay}s"
                s.add(msg)
                s.commit()
                log.warning("sms id=%s: HTTP %s, retry in %ss", msg_id, exc.status, delay)
                return 0
            return self._finish(
                s, msg, MessageStatus.FAILED, f"twilio HTTP {exc.status} error {exc.code}"
            )

    def _finish(self, s: Session, msg: Message, status: MessageStatus, why: str) -> int:
        msg.status, msg.error = status, why[:200]
        s.add(msg)
        s.commit()
        log.info("sms id=%s %s (%s)", msg.id, status, why)
        return 0

    def recover_stale(self, older_than: timedelta = STALE_SENDING) -> int:
        """Rows left `sending` by a crash: ask Twilio whether each went. Found: recorded as
        sent. Not found: queued again. Twilio unreachable: left for the next try. So nobody
        is texted twice or missed. Returns how many rows were resolved."""
        cutoff = self.clock() - older_than
        with Session(self.engine) as s:
            stale = s.exec(
                select(Message).where(
                    Message.channel == "sms",
                    Message.status == MessageStatus.SENDING,
                    Message.next_attempt_at <= cutoff,
                )
            ).all()
        return sum(self._reconcile(m) for m in stale)

    def _reconcile(self, msg: Message) -> int:
        claimed = msg.next_attempt_at
        with Session(self.engine) as s:
            to = phone_of(self.data_key, s.get(Participant, msg.participant_id))
        try:
            sent = [
                m
                for m in self.client.messages.list(to=to, date_sent_after=claimed, limit=50)
                if m.body == msg.body
                and (m.date_created is None or m.date_created >= claimed - timedelta(seconds=5))
            ]
        except Exception:  # noqa: BLE001  (Twilio unreachable: try again later)
            log.warning("could not check interrupted text id=%s with Twilio", msg.id)
            return 0
        with Session(self.engine) as s:
            values = (
                {"status": MessageStatus.SENT, "external_id": sent[0].sid, "error": None}
                if sent
                else {
                    "status": MessageStatus.QUEUED,
                    "next_attempt_at": None,
                    "error": "interrupted before Twilio had it; resending",
                }
            )
            s.execute(
                update(Message)
                .where(Message.id == msg.id, Message.status == MessageStatus.SENDING)
                .values(**values)
            )
            s.commit()
        log.warning(
            "interrupted text id=%s %s",
            msg.id,
            "had been sent" if sent else "had not been sent; queued again",
        )
        return 1
