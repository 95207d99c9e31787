"""The safeguarding queue: only safeguarding leads and duty workers see it; opening an alert
shows the child's words and identity and is audited; acknowledge, notes and outcome work."""

from __future__ import annotations

import pytest
from sqlmodel import select

from surveys import audit
from surveys.models import (
    AuditEvent,
    MessageStatus,
    SafeguardingAlert,
    utcnow,
)
from tests.support.console import csrf_token, sign_in, staff_user
from tests.support.safeguarding import raised_alert
from web.permissions import PERMISSIONS, Permission, Role

WORDS = "my stepdad hits me and i have bruises"


@pytest.fixture
def alert(db, app_without_bot) -> SafeguardingAlert:
    settings = app_without_bot.extensions["safeguarding_settings"]
    return raised_alert(db, WORDS, MessageStatus.PROCESSED, settings, utcnow())


@pytest.mark.parametrize("role", list(Role))
def test_only_safeguarding_roles_see_the_queue_and_alerts(app_without_bot, db, alert, role):
    client = app_without_bot.test_client()
    sign_in(client, staff_user(db, role), db=db)
    allowed = role in PERMISSIONS[Permission.SAFEGUARDING]
    for path in ("/console/safeguarding/", f"/console/safeguarding/{alert.id}"):
        resp = client.get(path)
        assert resp.status_code == (200 if allowed else 403), (role, path)
        assert (WORDS in resp.get_data(as_text=True)) == (allowed and path.endswith(str(alert.id)))
    assert allowed == (role in {Role.SAFEGUARDING_LEAD, Role.DUTY})


def test_signed_out_people_are_sent_tosign_in(app_without_bot, alert):
    resp = app_without_bot.test_client().get(f"/console/safeguarding/{alert.id}")
    assert resp.status_code == 302 and "/console/login" in resp.headers["Location"]


def test_duty_worker_lands_on_the_queue(app_without_bot, db):
    resp = sign_in(app_without_bot.test_client(), staff_user(db, Role.DUTY), db=db).response
    assert resp.headers["Location"].endswith("/console/safeguarding/")


def test_a_lead_reads_acknowledges_notes_and_closes_with_every_step_audited(
    app_without_bot, db, alert
):
    client = app_without_bot.test_client()
    lead = staff_user(db, Role.SAFEGUARDING_LEAD)
    sign_in(client, lead, db=db)
    queue = client.get("/console/safeguarding/").get_data(as_text=True)
    assert f"#{alert.id}" in queue and WORDS not in queue  # the list shows no child's words

    page = client.get(f"/console/safeguarding/{alert.id}").get_data(as_text=True)
    assert WORDS in page and alert.category.replace("_", " ") in page
    token = csrf_token(page)
    base = f"/console/safeguarding/{alert.id}"
    assert client.post(f"{base}/acknowledge", data={"csrf_token": token}).status_code == 302
    assert (
        client.post(
            f"{base}/notes", data={"note": "Rang the child's social worker.", "csrf_token": token}
        ).status_code
        == 302
    )
    resp = client.post(
        f"{base}/close", data={"outcome": "", "csrf_token": token}, follow_redirects=True
    )
    assert "Choose an outcome" in resp.get_data(as_text=True)
    client.post(f"{base}/close", data={"outcome": "contacted_child_worker", "csrf_token": token})
    assert client.post(f"{base}/acknowledge").status_code == 400  # no CSRF token: refused

    db.expire_all()
    stored = db.get(SafeguardingAlert, alert.id)
    assert stored.status == "closed" and stored.acknowledged_by_id == lead.id
    events = db.exec(
        select(AuditEvent.action, AuditEvent.actor_id)
        .where(AuditEvent.target == f"alert:{alert.id}")
        .order_by(AuditEvent.id)
    ).all()
    assert events == [
        ("alert.raised", None),
        ("alert.viewed", lead.id),
        ("alert.acknowledged", lead.id),
        ("alert.note_added", lead.id),
        ("alert.viewed", lead.id),  # the page shown again with "Choose an outcome"
        ("alert.closed", lead.id),
    ]
    assert audit.verify(db) is None
    page = client.get(base).get_data(as_text=True)
    assert "Rang the child&#39;s social worker." in page
