"""Chaos: Rasa is killed in the middle of a burst of texts and restarted. Every message is
answered exactly once, in order, and every answer is stored once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from surveys.definitions import DEFINITIONS_DIR, load_definition
from surveys.models import Direction, Message, MessageStatus
from surveys.participants import participant_for_phone
from surveys.settings import Settings
from tests.support.rasa_stack import rasa_stack
from tests.support.sms import Phone
from tests.support.waiting import wait_until
from web.messaging import build_gateway

BMBF = load_definition(DEFINITIONS_DIR / "bmbf.yaml")
QS = BMBF.questions


def test_rasa_killed_during_a_burst(sms_world, db, prepared_db, tmp_path):
    with rasa_stack(prepared_db, tmp_path) as stack:
        clock = [datetime.now(UTC)]
        gateway = build_gateway(
            Settings.from_env(), stack.url, stack.token, timeout=10, clock=lambda: clock[0]
        )
        phones = [Phone(sms_world) for _ in range(6)]
        for phone in phones:
            phone.text("hi")
        for body in ("YES", "b", "4", "defo 3"):  # the burst: stored before processing starts
            for phone in phones:
                assert phone.text(body) == 200

        processed = threading.Event()

        def kill_when_some_are_done() -> None:
            def done() -> int:
                db_rows = db.exec(
                    select(Message).where(
                        Message.direction == Direction.IN,
                        Message.status == MessageStatus.PROCESSED,
                        Message.participant_id.in_([_pid(db, p) for p in phones]),
                    )
                ).all()
                return len(db_rows)

            def enough() -> bool:
                db.expire_all()
                return done() >= 8

            assert wait_until(enough, timeout=120)
            stack.kill()
            processed.set()

        killer = threading.Thread(target=kill_when_some_are_done, daemon=True)
        killer.start()
        gateway.process_due()  # runs into the kill part-way through
        killer.join(120)
        assert processed.is_set()
        gateway.process_due()  # Rasa is down: everything left waits, nothing is dropped
        stack.restart()
        for _ in range(10):  # the worker's retries, its clock past each backoff
            clock[0] += timedelta(minutes=10)
            if not gateway.process_due():
                break
        sms_world.relay.run_once()

    db.expire_all()
    for phone in phones:
        pid = _pid(db, phone)
        inbound = db.exec(
            select(Message)
            .where(Message.participant_id == pid, Message.direction == Direction.IN)
            .order_by(Message.id)
        ).all()
        assert [m.status for m in inbound] == [MessageStatus.PROCESSED] * 5
        texts = sms_world.sent_to(phone.number)
        expected = [BMBF.intro.sms, QS[0].sms, QS[1].sms, QS[2].sms, QS[3].sms]
        assert texts == expected, (phone.number[-3:], texts)


def _pid(db, phone: Phone) -> int:
    return participant_for_phone(db, Settings.from_env().data_key, phone.number, create=False).id
