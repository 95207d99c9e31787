"""The console home: staff sign in and see the consultations and what needs attention."""

from __future__ import annotations

from sqlmodel import select

from surveys.models import Direction, Message, MessageStatus, Participant, User
from tests.support.console import PASSWORD, csrf_token, sign_in, staff_user
from web.passwords import check_password


def test_console_needs_sign_in(client):
    resp = client.get("/console/")
    assert resp.status_code == 302 and "/console/login" in resp.headers["Location"]


def test_sign_in_and_see_consultations(client, db):
    officer = staff_user(db, "participation_officer")
    token = csrf_token(client.get("/console/login").get_data(as_text=True))
    resp = client.post(
        "/console/login",
        data={"email": officer.email.upper(), "password": PASSWORD, "csrf_token": token},
    )
    assert resp.status_code == 302
    page = client.get("/console/").get_data(as_text=True)
    assert "Bright Minds Big Futures 2026" in page and "/chat/bmbf-2026" in page


def test_wrong_password_is_refused_without_saying_which_part(client, db):
    officer = staff_user(db, "participation_officer")
    token = csrf_token(client.get("/console/login").get_data(as_text=True))
    for email in (officer.email, "nobody@council.example"):
        resp = client.post(
            "/console/login", data={"email": email, "password": "nope", "csrf_token": token}
        )
        assert resp.status_code == 401
        assert "Enter a correct email address and password" in resp.get_data(as_text=True)
    assert client.get("/console/").status_code == 302


def test_sign_in_without_csrf_token_is_refused(client, db):
    officer = staff_user(db, "participation_officer")
    resp = client.post("/console/login", data={"email": officer.email, "password": PASSWORD})
    assert resp.status_code == 400
    assert "Your form could not be sent" in resp.get_data(as_text=True)
    assert client.get("/console/").status_code == 302


def test_passwords_are_argon2id_hashes(db):
    officer = staff_user(db, "participation_officer")
    user = db.exec(select(User).where(User.id == officer.id)).one()
    assert user.password_hash.startswith("$argon2id$")
    assert check_password(user.password_hash, PASSWORD)
    assert not check_password(user.password_hash, PASSWORD + "x")


def test_messages_that_failed_are_shown_to_staff_without_their_content(client, db):
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
    sign_in(client, staff_user(db, "participation_officer"))
    page = client.get("/console/").get_data(as_text=True)
    assert page.count(f">#{msg.id}</td>") == 1 and "ValueError" in page
    assert "<title>Consultations - " in page  # the page's other blocks are intact
    assert "a private message body" not in page
