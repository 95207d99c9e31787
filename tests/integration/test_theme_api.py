"""The console's theme JSON: who may read and who may correct tags, CSRF on corrections,
clear errors for bad requests, and only redacted text in every response."""

from __future__ import annotations

import pytest

from analysis.themes import default_analyser
from surveys import audit
from surveys.theme_tags import tag_pending
from tests.support.console import sign_in, staff_user
from tests.support.themes import Reply, answered_consultation
from web.permissions import PERMISSIONS, Permission, Role

TEXT = "the buses never come after 6, my sw Kelly says ring 07700 900123"


def _signed_in(app, db, role: str):
    client = app.test_client()
    return client, sign_in(client, staff_user(db, role), db=db).token


@pytest.fixture
def tagged(db):
    consultation, (answer,) = answered_consultation(db, [Reply(TEXT, age="13-14")])
    analyser = default_analyser()
    assert analyser is not None
    while tag_pending(db, analyser):
        db.commit()
    return consultation.slug, answer


@pytest.mark.parametrize("role", list(Role))
def test_every_role_gets_exactly_what_the_permission_table_allows(
    app_without_bot, db, tagged, role
):
    slug, answer = tagged
    client, token = _signed_in(app_without_bot, db, role)
    may_view = role in PERMISSIONS[Permission.VIEW_THEMES]
    may_tag = role in PERMISSIONS[Permission.TAG_THEMES]
    for url in (
        "/console/api/themes/taxonomy",
        f"/console/api/themes/answers/{answer}",
        f"/console/api/themes/consultations/{slug}",
    ):
        assert client.get(url).status_code == (200 if may_view else 403), url
    resp = client.post(
        f"/console/api/themes/answers/{answer}",
        json={"code": "TRANS", "action": "accept"},
        headers={"X-CSRFToken": token},
    )
    assert resp.status_code == (200 if may_tag else 403)


def test_signed_out_callers_are_sent_to_sign_in(app_without_bot, tagged):
    _, answer = tagged
    resp = app_without_bot.test_client().get(f"/console/api/themes/answers/{answer}")
    assert resp.status_code in (302, 401)


def test_a_correction_without_the_csrf_token_is_refused(app_without_bot, db, tagged):
    _, answer = tagged
    client, _ = _signed_in(app_without_bot, db, Role.PARTICIPATION_OFFICER)
    resp = client.post(
        f"/console/api/themes/answers/{answer}", json={"code": "TRANS", "action": "accept"}
    )
    assert resp.status_code == 400
    tags = client.get(f"/console/api/themes/answers/{answer}").get_json()["tags"]
    assert all(t["status"] == "suggested" for t in tags)


def test_an_officer_corrects_tags_and_sees_the_result(app_without_bot, db, tagged):
    _, answer = tagged
    client, token = _signed_in(app_without_bot, db, Role.PARTICIPATION_OFFICER)
    headers = {"X-CSRFToken": token}
    body = client.post(
        f"/console/api/themes/answers/{answer}",
        json={"code": "ADULT.contactability", "action": "add"},
        headers=headers,
    ).get_json()
    tags = {t["code"]: t for t in body["tags"]}
    assert tags["ADULT.contactability"]["status"] in ("added", "accepted")
    assert tags["ADULT"]["status"] in ("added", "accepted")
    assert tags["ADULT"]["decided_by"] is not None and tags["ADULT"]["decided_at"]
    assert "07700" not in str(body) and "Kelly" not in str(body)  # redacted only
    assert "[PHONE]" in body["redacted"]
    db.expire_all()
    assert audit.verify(db) is None  # the decision's audit row chains like every other


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "not json",
        {"action": "add"},
        {"code": "NOPE", "action": "add"},
        {"code": "TRANS", "action": "shout"},
    ],
)
def test_bad_correction_requests_get_a_clear_400(app_without_bot, db, tagged, payload):
    _, answer = tagged
    client, token = _signed_in(app_without_bot, db, Role.PARTICIPATION_OFFICER)
    resp = client.post(
        f"/console/api/themes/answers/{answer}",
        data=payload if isinstance(payload, str) else None,
        json=payload if not isinstance(payload, str) and payload is not None else None,
        headers={"X-CSRFToken": token},
        content_type="application/json",
    )
    assert resp.status_code == 400 and resp.get_json()["error"]


def test_unknown_answers_and_consultations_are_404(app_without_bot, db):
    client, token = _signed_in(app_without_bot, db, Role.PARTICIPATION_OFFICER)
    assert client.get("/console/api/themes/answers/999999999").status_code == 404
    assert client.get("/console/api/themes/consultations/nope").status_code == 404
    resp = client.post(
        "/console/api/themes/answers/999999999",
        json={"code": "TRANS", "action": "add"},
        headers={"X-CSRFToken": token},
    )
    assert resp.status_code == 404
