"""Signing in: two-factor for admins, throttling, session lifetimes, cookies and redirects."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlmodel import select

from surveys.models import AuditEvent, User
from tests.support.console import (
    PASSWORD,
    csrf_token,
    sign_in,
    staff_user,
    totp_code,
)


def _password_step(client, user, password=PASSWORD):
    token = csrf_token(client.get("/console/login").get_data(as_text=True))
    resp = client.post(
        "/console/login", data={"email": user.email, "password": password, "csrf_token": token}
    )
    return resp, token


def test_an_admin_without_two_factor_must_set_it_up_before_anything_else(client, db):
    admin = staff_user(db, "admin", two_factor=False)
    resp, token = _password_step(client, admin)
    assert resp.headers["Location"].endswith("/console/two-factor/set-up")
    assert client.get("/console/").status_code == 302  # not signed in yet
    page = client.get("/console/two-factor/set-up").get_data(as_text=True)
    assert "<svg" in page  # the QR code, inline
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    wrong = client.post("/console/two-factor/set-up", data={"code": "000000", "csrf_token": token})
    assert wrong.status_code == 401 and "The security code is wrong" in wrong.get_data(True)
    code = pyotp.TOTP(secret).now()
    done = client.post("/console/two-factor/set-up", data={"code": code, "csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"].endswith("/console/")
    assert client.get("/console/").status_code == 200
    db.refresh(admin)
    assert admin.totp_secret is not None and secret.encode() not in admin.totp_secret  # encrypted


def test_a_user_with_two_factor_needs_the_code_and_a_code_works_only_once(client, db, app):
    admin = staff_user(db, "admin")
    resp, token = _password_step(client, admin)
    assert resp.headers["Location"].endswith("/console/two-factor")
    assert client.get("/console/").status_code == 302
    code = totp_code(db, admin)
    assert (
        client.post("/console/two-factor", data={"code": code, "csrf_token": token}).status_code
        == 302
    )
    assert client.get("/console/").status_code == 200

    other = app.test_client()  # someone who saw that code cannot reuse it
    resp, token = _password_step(other, admin)
    again = other.post("/console/two-factor", data={"code": code, "csrf_token": token})
    assert again.status_code == 401
    assert other.get("/console/").status_code == 302


def test_two_factor_step_cannot_be_skipped_or_reached_without_the_password(client, db):
    admin = staff_user(db, "admin")
    assert client.get("/console/two-factor").headers["Location"].endswith("/console/login")
    _password_step(client, admin)
    for path in ("/console/", "/console/account", "/console/safeguarding/"):
        assert client.get(path).status_code == 302, path


def test_wrong_codes_are_throttled_per_account(client, db):
    admin = staff_user(db, "admin")
    _, token = _password_step(client, admin)
    codes = [
        client.post("/console/two-factor", data={"code": "123456", "csrf_token": token}).status_code
        for _ in range(6)
    ]
    assert codes == [401] * 5 + [429]


def test_failed_sign_ins_are_throttled_per_account_and_audited(client, db, app):
    officer = staff_user(db, "participation_officer")
    statuses = [_password_step(client, officer, "wrong password")[0].status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    page = _password_step(client, officer)[0]
    assert page.status_code == 429 and "Too many attempts" in page.get_data(as_text=True)
    assert "Retry-After" in page.headers
    # Another account from the same address is not locked by this one.
    assert _password_step(client, staff_user(db, "viewer"))[0].status_code == 302
    failures = db.exec(
        select(AuditEvent).where(
            AuditEvent.action == "sign_in_failed", AuditEvent.target == f"user:{officer.id}"
        )
    ).all()
    assert len(failures) == 5


def test_failed_sign_ins_are_throttled_per_ip_address_across_accounts(client, db):
    statuses = [
        _password_step(client, staff_user(db, "viewer"), "wrong password")[0].status_code
        for _ in range(21)
    ]
    assert statuses[:20] == [401] * 20 and statuses[20] == 429


def test_successful_sign_ins_are_not_throttled(client, db):
    officer = staff_user(db, "participation_officer")
    for _ in range(8):
        sign_in(client, officer)
        client.post(
            "/console/logout",
            data={"csrf_token": csrf_token(client.get("/console/account").get_data(True))},
        )


def _shift(client, **seconds_ago):
    with client.session_transaction() as s:
        for key, ago in seconds_ago.items():
            s[key] = time.time() - ago


def test_sessions_end_after_30_minutes_idle(client, db):
    sign_in(client, staff_user(db, "viewer"))
    _shift(client, _seen_at=29 * 60)
    assert client.get("/console/").status_code == 200  # and that request counts as activity
    _shift(client, _seen_at=31 * 60)
    resp = client.get("/console/")
    assert resp.status_code == 302 and "/console/login" in resp.headers["Location"]
    assert "after inactivity" in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert client.get("/console/").status_code == 302


def test_sessions_end_12_hours_after_sign_in_even_when_active(client, db):
    sign_in(client, staff_user(db, "viewer"))
    _shift(client, _signed_in_at=11 * 3600)
    assert client.get("/console/").status_code == 200
    _shift(client, _signed_in_at=12 * 3600 + 60)
    assert client.get("/console/").status_code == 302


def test_deactivating_a_user_ends_their_session(client, db):
    viewer = staff_user(db, "viewer")
    sign_in(client, viewer)
    assert client.get("/console/").status_code == 200
    user = db.get(User, viewer.id)
    user.active = False
    db.add(user)
    db.commit()
    assert client.get("/console/").status_code == 302


def test_signing_out_ends_the_session(client, db):
    signed = sign_in(client, staff_user(db, "viewer"))
    resp = client.post("/console/logout", data={"csrf_token": signed.token})
    assert resp.status_code == 302
    assert client.get("/console/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/chat/"])
def test_after_sign_in_only_console_paths_are_followed(client, db, target):
    officer = staff_user(db, "participation_officer")
    token = csrf_token(client.get("/console/login").get_data(as_text=True))
    resp = client.post(
        "/console/login",
        data={"email": officer.email, "password": PASSWORD, "csrf_token": token, "next": target},
    )
    assert resp.headers["Location"] == "/console/"


def test_after_sign_in_the_page_asked_for_is_shown(client, db):
    officer = staff_user(db, "participation_officer")
    login = client.get("/console/account")
    assert "next=" in login.headers["Location"]
    page = client.get(login.headers["Location"]).get_data(as_text=True)
    assert 'name="next" value="/console/account' in page
    resp = client.post(
        "/console/login",
        data={
            "email": officer.email,
            "password": PASSWORD,
            "csrf_token": csrf_token(page),
            "next": "/console/account",
        },
    )
    assert resp.headers["Location"] == "/console/account"


def test_other_staff_may_turn_on_two_factor_and_then_need_it(client, db, app):
    viewer = staff_user(db, "viewer")
    sign_in(client, viewer)
    page = client.get("/console/two-factor/set-up").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    token = csrf_token(page)
    resp = client.post(
        "/console/two-factor/set-up",
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": token},
    )
    assert resp.headers["Location"].endswith("/console/account")
    account = client.get("/console/account").get_data(as_text=True)
    assert re.search(r"Two-factor authentication\s*</dt>\s*<dd[^>]*>\s*On\s*<", account)
    fresh = app.test_client()
    assert _password_step(fresh, viewer)[0].headers["Location"].endswith("/console/two-factor")


def test_console_forms_without_the_csrf_token_are_refused(app_without_bot, db):
    client = app_without_bot.test_client()
    admin = staff_user(db, "admin")
    sign_in(client, admin, db=db)
    viewer = staff_user(db, "viewer")
    for path, data in (
        (f"/console/users/{viewer.id}/active", {"active": "0"}),
        ("/console/consultations/new", {"title": "x", "slug": "x-csrf", "survey": "bmbf"}),
        ("/console/logout", {}),
    ):
        resp = client.post(path, data=data)
        assert resp.status_code == 400, path
        assert "Your form could not be sent" in resp.get_data(as_text=True)
    db.refresh(viewer)
    assert viewer.active
    assert client.get("/console/").status_code == 200  # still signed in
