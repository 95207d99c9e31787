"""The console: staff sign in with the first admin account and see the consultations."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from surveys.models import User
from web.passwords import check_password, hash_password


@pytest.fixture
def admin(db) -> tuple[str, str]:
    email, password = "officer@example.org", "correct horse battery staple"
    user = db.exec(select(User).where(User.email == email)).first() or User(
        email=email, role="admin", password_hash=""
    )
    user.password_hash = hash_password(password)
    db.add(user)
    db.commit()
    return email, password


def _csrf(client) -> str:
    page = client.get("/console/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_console_needs_sign_in(client):
    resp = client.get("/console/")
    assert resp.status_code == 302 and "/console/login" in resp.headers["Location"]


def test_sign_in_and_see_consultations(client, admin):
    email, password = admin
    resp = client.post(
        "/console/login",
        data={"email": email.upper(), "password": password, "csrf_token": _csrf(client)},
    )
    assert resp.status_code == 302
    page = client.get("/console/").get_data(as_text=True)
    assert "Bright Minds Big Futures 2026" in page and "/chat/bmbf-2026" in page


def test_wrong_password_is_refused_without_saying_which_part(client, admin):
    email, _ = admin
    resp = client.post(
        "/console/login", data={"email": email, "password": "nope", "csrf_token": _csrf(client)}
    )
    assert resp.status_code == 401
    assert "Enter a correct email address and password" in resp.get_data(as_text=True)
    assert client.get("/console/").status_code == 302


def test_sign_in_without_csrf_token_is_refused(client, admin):
    email, password = admin
    resp = client.post("/console/login", data={"email": email, "password": password})
    assert resp.status_code == 400


def test_passwords_are_argon2id_hashes(admin, db):
    user = db.exec(select(User).where(User.email == admin[0])).one()
    assert user.password_hash.startswith("$argon2id$")
    assert check_password(user.password_hash, admin[1])
    assert not check_password(user.password_hash, admin[1] + "x")


def test_messages_that_failed_are_shown_to_staff_without_their_content(client, admin, db):
    from surveys.models import Direction, Message, MessageStatus, Participant

    p = Participant(key=f"p_failed_{id(db)}", channel="sms")
    db.add(p)
    db.flush()
    msg = Message(
        participant_id=p.id,
        direction=Direction.IN,
        channel="sms",
        body="a private message body",
        status=MessageStatus.FAILED,
        attempts=3,
        error="ValueError",
    )
    db.add(msg)
    db.commit()
    email, password = admin
    client.post(
        "/console/login", data={"email": email, "password": password, "csrf_token": _csrf(client)}
    )
    page = client.get("/console/").get_data(as_text=True)
    assert page.count(f"#{msg.id}") == 1 and "ValueError" in page
    assert "<title>Consultations - " in page  # the page's other blocks are intact
    assert "a private message body" not in page
