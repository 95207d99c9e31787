"""Officers build audiences in the console: groups, CSV imports with a per-row error report
and recorded consent, masked numbers, opt-outs shown; then waves to a group, which they can
pause, resume and cancel while watching progress."""

from __future__ import annotations

import io
import os
import re
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from sqlmodel import select

from surveys.db import engine_for
from surveys.models import AudienceGroup, AuditEvent, Message, MessageStatus, Wave
from surveys.settings import Settings
from tests.support.console import sign_in, staff_user
from tests.support.sms import new_number
from web.waves import WaveJobs


@pytest.fixture
def officer(app_without_bot, db):
    client = app_without_bot.test_client()
    return client, sign_in(client, staff_user(db, "participation_officer")).token


def _group(client, token, db) -> AudienceGroup:
    name = f"Youth Assembly {uuid4().hex[:6]}"
    resp = client.post("/console/audiences/new", data={"name": name, "csrf_token": token})
    assert resp.status_code == 302
    return db.exec(select(AudienceGroup).where(AudienceGroup.name == name)).one()


def _upload(client, token, group, text: str | bytes):
    raw = text if isinstance(text, bytes) else text.encode()
    return client.post(
        f"/console/audiences/{group.id}/import",
        data={"file": (io.BytesIO(raw), "contacts.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    )


def test_a_csv_with_a_bad_row_imports_the_good_rows_and_reports_the_bad_by_line(officer, db):
    client, token = officer
    group = _group(client, token, db)
    good, good2, dup = new_number(), new_number(), new_number()
    csv = (
        "phone,consent_source,consent_date\n"
        f"{good.replace('+44', '0')},Youth Assembly sign-up form,2026-09-01\n"
        "not a phone,Youth Assembly sign-up form,2026-09-01\n"
        f"{dup},,2026-09-01\n"
        f"{good2},parental consent,2099-01-01\n"
        f"{good2},parental consent,2026-10-01\n"
    )
    resp = _upload(client, token, group, csv)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    errors = re.findall(r"<li><a href=\"#file\">(line \d+: [^<]+)</a></li>", page)
    assert errors == [
        "line 3: phone: not a UK mobile or valid number",
        "line 4: consent_source is required",
        "line 5: consent_date is in the future",
    ]
    assert "2 contacts imported, 2 new to this group" in page
    assert good[-9:] not in page and good[-3:] in page  # numbers are shown masked
    assert page.count("Can be texted") == 2
    [event] = db.exec(
        select(AuditEvent).where(
            AuditEvent.action == "contacts_imported", AuditEvent.target == f"group:{group.id}"
        )
    ).all()
    assert event.detail == {"valid": 2, "added": 2, "refused": 3}
    viewed = db.exec(
        select(AuditEvent).where(
            AuditEvent.action == "group_members_viewed", AuditEvent.target == f"group:{group.id}"
        )
    ).all()
    assert viewed and viewed[-1].detail == {"members": 2}  # who saw the masked numbers
    again = _upload(client, token, group, csv).get_data(as_text=True)
    assert "2 contacts imported, 0 new to this group" in again


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x00\x01binary", "binary"),
        ("name,number\nSam,07700900001\n", "missing column"),
        (b"\xff\xfe\xfa", "not UTF-8"),
    ],
)
def test_a_file_that_is_not_a_contacts_csv_is_refused_whole(officer, db, raw, message):
    client, token = officer
    group = _group(client, token, db)
    resp = _upload(client, token, group, raw)
    assert resp.status_code == 400 and message in resp.get_data(as_text=True)
    assert "People (0)" in resp.get_data(as_text=True)


def _schedule(client, token, group, slug="bmbf-2026", when=None):
    when = when or datetime.now(UTC) - timedelta(minutes=1)
    return client.post(
        f"/console/consultations/{slug}/waves/",
        data={
            "name": f"wave {uuid4().hex[:6]}",
            "group": str(group.id),
            "start_date": [str(when.day), str(when.month), str(when.year)],
            "start_time": "00:00",
            "reminder_after_days": "3",
            "csrf_token": token,
        },
    )


def _jobs():
    return WaveJobs(
        engine_for(os.environ["DATABASE_URL"]),
        Settings.from_env(),
        lambda: datetime.now(UTC) + timedelta(days=1),
    )


def test_a_wave_to_a_group_is_scheduled_paused_resumed_and_shows_progress(officer, db):
    client, token = officer
    group = _group(client, token, db)
    numbers = [new_number() for _ in range(3)]
    _upload(
        client,
        token,
        group,
        "phone,consent_source,consent_date\n"
        + "".join(f"{n},Youth Assembly,2026-09-01\n" for n in numbers),
    )
    resp = _schedule(client, token, group)
    assert resp.status_code == 302
    wave = db.exec(select(Wave).where(Wave.group_id == group.id)).one()
    page = client.get("/console/consultations/bmbf-2026/waves/").get_data(as_text=True)
    assert "3 young people" in page

    client.post(
        f"/console/consultations/bmbf-2026/waves/{wave.id}/pause", data={"csrf_token": token}
    )
    _jobs().dispatch_due()
    sent = db.exec(select(Message).where(Message.dedupe_key.like(f"wave:{wave.id}:p:%"))).all()
    assert sent == []  # paused: nothing goes out

    client.post(
        f"/console/consultations/bmbf-2026/waves/{wave.id}/resume", data={"csrf_token": token}
    )
    _jobs().dispatch_due()
    db.expire_all()
    queued = db.exec(select(Message).where(Message.dedupe_key.like(f"wave:{wave.id}:p:%"))).all()
    assert len(queued) == 3 and {m.status for m in queued} == {MessageStatus.QUEUED}
    progress = client.get("/console/consultations/bmbf-2026/waves/").get_data(as_text=True)
    cells = re.search(rf'id="wave-{wave.id}-progress".*?<tbody[^>]*>(.*?)</tbody>', progress, re.S)
    numbers_shown = re.findall(r">(\d+)</td>", cells.group(1))
    assert numbers_shown == ["3", "0", "0", "0", "0", "0", "0"]  # waiting, sent, ... opted out

    client.post(
        f"/console/consultations/bmbf-2026/waves/{wave.id}/cancel", data={"csrf_token": token}
    )
    db.expire_all()
    statuses = {
        m.status
        for m in db.exec(select(Message).where(Message.dedupe_key.like(f"wave:{wave.id}:p:%")))
    }
    assert statuses == {MessageStatus.CANCELLED}  # withdrawn before the relay sent them
    actions = db.exec(
        select(AuditEvent.action)
        .where(AuditEvent.target == f"wave:{wave.id}")
        .order_by(AuditEvent.id)  # PostgreSQL returns rows in no fixed order
    ).all()
    assert actions == ["wave_scheduled", "wave_paused", "wave_resumed", "wave_cancelled"]


def test_a_wave_needs_someone_who_can_be_texted(officer, db):
    client, token = officer
    group = _group(client, token, db)
    resp = _schedule(client, token, group)
    assert resp.status_code == 400 and "Nobody in this group can be texted" in resp.get_data(True)


def test_a_wave_with_a_bad_time_is_explained(officer, db):
    client, token = officer
    group = _group(client, token, db)
    resp = client.post(
        "/console/consultations/bmbf-2026/waves/",
        data={
            "name": "x",
            "group": str(group.id),
            "start_date": ["31", "2", "2027"],
            "start_time": "25:00",
            "csrf_token": token,
        },
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "Enter a time like 17:30" in page
    assert "Not a valid date" in page
