"""A message whose processing keeps failing is retried with backoff, then marked failed for
staff; it never blocks the sender's later messages, and nothing about it is logged."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from surveys.db import engine_for
from surveys.models import Direction, Message, MessageStatus, Participant
from web.bot_client import BotClient
from web.gateway import MAX_PROCESSING_ERRORS, Gateway

SECRET = "my address is 12 Acacia Avenue"


def faulty_screen(s, participant, msg):  # noqa: ANN001
    """A screen with a bug that trips on one particular message."""
    if msg.body == SECRET:
        raise ValueError(f"cannot handle {msg.body!r}")
    return [], True


def test_a_message_that_keeps_failing_is_marked_failed_and_does_not_block(
    db, prepared_db, rasa, caplog
):
    caplog.set_level(logging.DEBUG)
    now = [datetime.now(UTC)]
    gateway = Gateway(
        engine_for(prepared_db),
        BotClient(rasa.url, rasa.token),
        clock=lambda: now[0],
        screens=[faulty_screen],
    )
    p = Participant(key=f"p_fault_{id(db)}", channel="web")
    db.add(p)
    db.commit()
    bad = gateway.receive(p.id, "web", SECRET)
    later = gateway.receive(p.id, "web", "hi")

    gateway.process(p.id)
    db.expire_all()
    first = db.get(Message, bad)
    assert first.status == MessageStatus.RECEIVED and first.attempts == 1
    assert first.next_attempt_at > now[0]  # backed off
    assert db.get(Message, later).status == MessageStatus.RECEIVED  # order kept meanwhile

    for _ in range(MAX_PROCESSING_ERRORS - 1):
        now[0] += timedelta(minutes=10)
        gateway.process_due()
    db.expire_all()
    assert db.get(Message, bad).status == MessageStatus.FAILED
    assert db.get(Message, bad).attempts == MAX_PROCESSING_ERRORS
    assert db.get(Message, later).status == MessageStatus.PROCESSED  # no longer blocked
    replies = db.exec(
        select(Message).where(Message.reply_to_id == later, Message.direction == Direction.OUT)
    ).all()
    assert replies  # the bot answered the later message
    assert SECRET not in caplog.text and "Acacia" not in caplog.text
    assert "ValueError" in caplog.text
