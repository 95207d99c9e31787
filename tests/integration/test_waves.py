"""Waves and reminders: consent required, sent once each, opt-outs honoured, restart-safe."""

from __future__ import annotations

import os
import signal
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from surveys.audiences import import_contacts
from surveys.db import engine_for
from surveys.models import (
    Consultation,
    Enrolment,
    EnrolmentStatus,
    Message,
    MessageKind,
    MessageStatus,
)
from surveys.participants import participant_for_phone
from surveys.settings import Settings
from surveys.waves import NoConsent, schedule_wave
from tests.support.cli import YOUTHVOICE
from tests.support.sms import Phone, new_number
from tests.support.waiting import wait_until
from web.waves import WaveJobs

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def csv_for(numbers: list[str]) -> bytes:
    rows = ["phone,consent_source,consent_date"]
    rows += [f"{n.replace('+44', '0')},Youth Assembly sign-up form,2026-10-01" for n in numbers]
    return ("\n".join(rows) + "\n").encode()


def bmbf(db) -> Consultation:
    return db.exec(select(Consultation).where(Consultation.slug == "bmbf-2026")).one()


@pytest.fixture
def daytime(sms_world):
    """The relay's clock at noon, outside quiet hours; restored afterwards."""
    sms_world.relay.clock = lambda: NOON
    yield NOON
    sms_world.relay.clock = lambda: datetime.now(UTC)


def test_csv_import_reports_bad_rows_by_line_and_imports_the_rest(db):
    good = new_number()
    raw = (
        "phone,consent_source,consent_date\n"
        f"{good},school assembly,2026-10-01\n"
        "12345,school assembly,2026-10-01\n"
        f"{new_number()},,2026-10-01\n"
        f"{new_number()},school assembly,last tuesday\n"
        f"{good},school assembly,2026-10-01\n"
    ).encode()
    report = import_contacts(db, Settings.from_env().data_key, raw)
    assert len(report.participants) == 1
    assert [e.split(":")[0] for e in report.errors] == ["line 3", "line 4", "line 5", "line 6"]
    assert "consent_source is required" in report.errors[1]
    assert all("+44" not in e and "0770" not in e for e in report.errors)  # no numbers echoed


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"\x00\x01binary", "binary"),
        (b"\xff\xfe\xfa", "UTF-8"),
        (b"number,when\n1,2\n", "missing"),
        (b"", "missing"),
    ],
)
def test_csv_files_that_are_not_audiences_are_refused(db, raw, words):
    report = import_contacts(db, Settings.from_env().data_key, raw)
    assert report.participants == [] and words in report.errors[0]


def test_nobody_is_texted_without_recorded_consent(db):
    p = participant_for_phone(db, Settings.from_env().data_key, new_number())
    with pytest.raises(NoConsent):
        schedule_wave(db, bmbf(db), [p], NOON)


def test_a_wave_goes_once_to_each_recipient_and_never_to_the_opted_out(sms_world, db, daytime):
    numbers = [new_number() for _ in range(3)]
    report = import_contacts(db, Settings.from_env().data_key, csv_for(numbers))
    report.participants[2].opted_out_at = NOON
    schedule_wave(db, bmbf(db), report.participants, NOON - timedelta(minutes=1))
    db.commit()
    jobs = WaveJobs(engine_for(os.environ["DATABASE_URL"]), Settings.from_env(), lambda: NOON)
    assert jobs.dispatch_due() == 2
    assert jobs.dispatch_due() == 0  # run again (or after a restart): nothing queued twice
    sms_world.relay.run_once()
    first = sms_world.sent_to(numbers[0])
    assert len(first) == 1 and first == sms_world.sent_to(numbers[1])
    assert "Stockton" in first[0] and "STOP" in first[0]
    assert sms_world.sent_to(numbers[2]) == []


def test_stop_in_the_middle_of_a_wave(sms_world, db, daytime):
    numbers = [new_number() for _ in range(2)]
    report = import_contacts(db, Settings.from_env().data_key, csv_for(numbers))
    schedule_wave(db, bmbf(db), report.participants, NOON)
    db.commit()
    WaveJobs(
        engine_for(os.environ["DATABASE_URL"]), Settings.from_env(), lambda: NOON
    ).dispatch_due()
    Phone(sms_world, number=numbers[1]).text("STOP")  # before the relay reached them
    sms_world.gateway.process_due()
    sms_world.relay.run_once()
    assert len(sms_world.sent_to(numbers[0])) == 1
    assert sms_world.sent_to(numbers[1]) == []
    db.expire_all()
    p = participant_for_phone(db, Settings.from_env().data_key, numbers[1], create=False)
    wave_text = db.exec(
        select(Message).where(Message.participant_id == p.id, Message.kind == MessageKind.WAVE)
    ).one()
    assert wave_text.status == MessageStatus.SUPPRESSED


def test_replying_yes_to_a_wave_starts_the_survey(sms_world, db, daytime):
    number = new_number()
    report = import_contacts(db, Settings.from_env().data_key, csv_for([number]))
    schedule_wave(db, bmbf(db), report.participants, NOON)
    db.commit()
    WaveJobs(
        engine_for(os.environ["DATABASE_URL"]), Settings.from_env(), lambda: NOON
    ).dispatch_due()
    sms_world.relay.run_once()
    phone = Phone(sms_world, number=number)
    phone.inbox()
    reply = phone.say("YES")
    assert reply and reply[0].startswith("Q1 ")


def test_reminders_go_once_to_non_finishers_after_n_days(sms_world, db, daytime):
    numbers = [new_number() for _ in range(2)]
    report = import_contacts(db, Settings.from_env().data_key, csv_for(numbers))
    schedule_wave(db, bmbf(db), report.participants, NOON, reminder_after_days=3)
    db.commit()
    engine = engine_for(os.environ["DATABASE_URL"])
    WaveJobs(engine, Settings.from_env(), lambda: NOON).dispatch_due()
    enr = db.exec(
        select(Enrolment).where(Enrolment.participant_id == report.participants[1].id)
    ).one()
    enr.status = EnrolmentStatus.COMPLETED
    db.add(enr)
    db.commit()
    early = WaveJobs(engine, Settings.from_env(), lambda: NOON + timedelta(days=2))
    assert early.dispatch_reminders() == 0
    later = WaveJobs(engine, Settings.from_env(), lambda: NOON + timedelta(days=3, hours=1))
    assert later.dispatch_reminders() == 1
    assert later.dispatch_reminders() == 0
    sms_world.relay.clock = lambda: NOON + timedelta(days=3, hours=1)
    sms_world.relay.run_once()
    assert len(sms_world.sent_to(numbers[0])) == 2 and len(sms_world.sent_to(numbers[1])) == 1
    assert "reminder" in sms_world.sent_to(numbers[0])[1]


def test_a_consultation_closes_on_its_closing_date(db):
    survey_id = bmbf(db).survey_id
    c = Consultation(
        slug=f"closing-{new_number()[-4:]}",
        title="Closing",
        survey_id=survey_id,
        status="open",
        closes_at=NOON,
    )
    db.add(c)
    db.commit()
    engine = engine_for(os.environ["DATABASE_URL"])
    WaveJobs(engine, Settings.from_env(), lambda: NOON - timedelta(hours=1)).close_consultations()
    db.refresh(c)
    assert c.status == "open"
    WaveJobs(engine, Settings.from_env(), lambda: NOON).close_consultations()
    db.refresh(c)
    assert c.status == "closed"


# ---------------------------------------------------------------- the real worker, killed
def _quiet_hours_away_from_now() -> str:
    """A quiet-hours window that does not include the current UK time."""
    uk = datetime.now(ZoneInfo("Europe/London"))
    start, end = uk + timedelta(hours=2), uk + timedelta(hours=3)
    return f"{start:%H:%M}-{end:%H:%M}"


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(
            [YOUTHVOICE, "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def test_worker_killed_mid_wave_texts_nobody_twice_and_misses_nobody(sms_world, db, tmp_path):
    numbers = [new_number() for _ in range(24)]
    report = import_contacts(db, Settings.from_env().data_key, csv_for(numbers))
    schedule_wave(db, bmbf(db), report.participants, datetime.now(UTC) - timedelta(seconds=1))
    db.commit()
    settings = sms_world.app.extensions["sms_settings"]
    env = dict(
        os.environ,
        TWILIO_ACCOUNT_SID=settings.account_sid,
        TWILIO_AUTH_TOKEN=settings.auth_token,
        TWILIO_MESSAGING_SERVICE_SID=settings.messaging_service_sid,
        TWILIO_API_URL=settings.api_url,
        PUBLIC_URL=settings.public_url,
        SMS_RATE_PER_SECOND="6",
        WAVE_INTERVAL_SECONDS="1",
        QUIET_HOURS=_quiet_hours_away_from_now(),
        RASA_URL="http://127.0.0.1:9",
    )
    counts = lambda: [len(sms_world.sent_to(n)) for n in numbers]  # noqa: E731
    log = tmp_path / "worker.log"
    worker = _start_worker(env, log)
    try:
        assert wait_until(lambda: sum(counts()) >= 6), log.read_text()[-2000:]
        os.kill(worker.pid, signal.SIGKILL)  # mid-wave: some sent, some queued
        worker.wait(10)
        killed_at = sum(counts())
        assert killed_at < len(numbers)
        worker = _start_worker(env, log)
        assert wait_until(lambda: all(c >= 1 for c in counts())), log.read_text()[-2000:]
    finally:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(15)
    assert counts() == [1] * len(numbers)
