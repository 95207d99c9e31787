"""Admins manage console users: invitations, roles, deactivation, two-factor and password
resets, all audited; and they read the audit log, filtered, with its hash chain checked."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import text
from sqlmodel import select

from surveys.models import AuditEvent, User, utcnow
from tests.support.console import PASSWORD, csrf_token, sign_in, staff_user

STRONG = "kettle orbit lantern quietly"


def _admin(app, db):
    client = app.test_client()
    admin = staff_user(db, "admin")
    return client, admin, sign_in(client, admin, db=db).token


def _events(db, action, target):
    return db.exec(
        select(AuditEvent).where(AuditEvent.action == action, AuditEvent.target == target)
    ).all()


def _invite(client, token, email, role="participation_officer"):
    resp = client.post(
        "/console/users/invite",
        data={"name": "Sam Officer", "email": email, "role": role, "csrf_token": token},
    )
    assert resp.status_code == 200, resp.status_code
    return re.search(r'id="invite-link"[^>]*>([^<]+)<', resp.get_data(as_text=True)).group(1)


def test_an_invited_officer_sets_an_ncsc_strength_password_and_signs_in(app_without_bot, db):
    client, admin, token = _admin(app_without_bot, db)
    email = f"sam-{id(db)}@council.example"
    link = _invite(client, token, email.upper())
    user = db.exec(select(User).where(User.email == email)).one()
    assert user.role == "participation_officer" and _events(db, "user_invited", f"user:{user.id}")

    newcomer = app_without_bot.test_client()
    path = link.split("localhost", 1)[1]
    form = newcomer.get(path)
    assert form.status_code == 200
    t = csrf_token(form.get_data(as_text=True))
    for weak, reason in (("password1234", "very common"), ("short", "12 characters")):
        resp = newcomer.post(path, data={"password": weak, "confirm": weak, "csrf_token": t})
        assert resp.status_code == 400 and reason in resp.get_data(as_text=True)
    resp = newcomer.post(path, data={"password": STRONG, "confirm": STRONG, "csrf_token": t})
    assert resp.status_code == 302
    assert newcomer.get(path).status_code == 404  # the link works once
    sign_in(newcomer, db.get(User, user.id), password=STRONG)
    assert newcomer.get("/console/").status_code == 200


def test_an_invitation_expires(app_without_bot, db):
    client, _, token = _admin(app_without_bot, db)
    link = _invite(client, token, f"late-{id(db)}@council.example")
    user = db.exec(select(User).where(User.email == f"late-{id(db)}@council.example")).one()
    user.invite_expires_at = utcnow() - timedelta(minutes=1)
    db.add(user)
    db.commit()
    resp = app_without_bot.test_client().get(link.split("localhost", 1)[1])
    assert resp.status_code == 404 and "expired" in resp.get_data(as_text=True)


def test_inviting_an_existing_email_is_refused(app_without_bot, db):
    client, admin, token = _admin(app_without_bot, db)
    resp = client.post(
        "/console/users/invite",
        data={"name": "X", "email": admin.email, "role": "viewer", "csrf_token": token},
    )
    assert resp.status_code == 400 and "already a user" in resp.get_data(as_text=True)


def test_changing_a_role_takes_effect_at_once_and_is_audited(app_without_bot, db):
    client, _, token = _admin(app_without_bot, db)
    officer = staff_user(db, "participation_officer")
    theirs = app_without_bot.test_client()
    sign_in(theirs, officer)
    assert theirs.get("/console/").status_code == 200
    resp = client.post(
        f"/console/users/{officer.id}/role", data={"role": "duty", "csrf_token": token}
    )
    assert resp.status_code == 302
    assert theirs.get("/console/").status_code == 302  # their session ended
    sign_in(theirs, officer)
    assert theirs.get("/console/").status_code == 403  # duty workers see the queue only
    [event] = _events(db, "user_role_changed", f"user:{officer.id}")
    assert event.detail == {"from": "participation_officer", "to": "duty"}


def test_an_admin_cannot_demote_or_deactivate_themselves(app_without_bot, db):
    client, admin, token = _admin(app_without_bot, db)
    resp = client.post(
        f"/console/users/{admin.id}/role", data={"role": "viewer", "csrf_token": token}
    )
    assert resp.status_code == 400 and "cannot change your own role" in resp.get_data(True)
    client.post(f"/console/users/{admin.id}/active", data={"active": "0", "csrf_token": token})
    db.refresh(admin)
    assert admin.role == "admin" and admin.active


def test_deactivated_users_cannot_sign_in_until_reactivated(app_without_bot, db):
    client, _, token = _admin(app_without_bot, db)
    viewer = staff_user(db, "viewer")
    client.post(f"/console/users/{viewer.id}/active", data={"active": "0", "csrf_token": token})
    other = app_without_bot.test_client()
    t = csrf_token(other.get("/console/login").get_data(as_text=True))
    resp = other.post(
        "/console/login", data={"email": viewer.email, "password": PASSWORD, "csrf_token": t}
    )
    assert resp.status_code == 401
    client.post(f"/console/users/{viewer.id}/active", data={"active": "1", "csrf_token": token})
    sign_in(other, viewer)
    assert _events(db, "user_deactivated", f"user:{viewer.id}")
    assert _events(db, "user_reactivated", f"user:{viewer.id}")


def test_resetting_two_factor_makes_an_admin_set_it_up_again(app_without_bot, db):
    client, _, token = _admin(app_without_bot, db)
    other_admin = staff_user(db, "admin")
    client.post(f"/console/users/{other_admin.id}/two-factor/reset", data={"csrf_token": token})
    db.refresh(other_admin)
    assert other_admin.totp_secret is None
    theirs = app_without_bot.test_client()
    t = csrf_token(theirs.get("/console/login").get_data(as_text=True))
    resp = theirs.post(
        "/console/login", data={"email": other_admin.email, "password": PASSWORD, "csrf_token": t}
    )
    assert resp.headers["Location"].endswith("/console/two-factor/set-up")
    assert _events(db, "two_factor_reset", f"user:{other_admin.id}")


def test_a_password_reset_link_replaces_the_old_password(app_without_bot, db):
    client, _, token = _admin(app_without_bot, db)
    viewer = staff_user(db, "viewer")
    resp = client.post(f"/console/users/{viewer.id}/password/reset", data={"csrf_token": token})
    link = re.search(r'id="invite-link"[^>]*>([^<]+)<', resp.get_data(as_text=True)).group(1)
    other = app_without_bot.test_client()
    t = csrf_token(other.get("/console/login").get_data(as_text=True))
    old = other.post(
        "/console/login", data={"email": viewer.email, "password": PASSWORD, "csrf_token": t}
    )
    assert old.status_code == 401
    path = link.split("localhost", 1)[1]
    t = csrf_token(other.get(path).get_data(as_text=True))
    other.post(path, data={"password": STRONG, "confirm": STRONG, "csrf_token": t})
    sign_in(other, viewer, password=STRONG)


def test_the_audit_log_filters_by_action_and_person(app_without_bot, db):
    client, admin, token = _admin(app_without_bot, db)
    viewer = staff_user(db, "viewer")
    client.post(f"/console/users/{viewer.id}/active", data={"active": "0", "csrf_token": token})
    page = client.get(f"/console/audit/?action=user_deactivated&actor={admin.email}").get_data(True)
    assert f"user:{viewer.id}" in page and admin.email in page
    assert "sign in" not in page.split("<tbody", 1)[1]  # only the filtered action
    assert "The chain has been checked and is intact" in page
    bad = client.get("/console/audit/?from=yesterday")
    assert "Enter a real date" in bad.get_data(as_text=True)


def test_the_audit_log_viewer_reports_a_tampered_row(app_without_bot, db):
    client, admin, _ = _admin(app_without_bot, db)
    event = db.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    original = event.action
    try:
        db.execute(
            text("UPDATE auditevent SET action = 'nothing_to_see' WHERE id = :i"), {"i": event.id}
        )
        db.commit()
        page = client.get("/console/audit/").get_data(as_text=True)
        assert "The audit log has been altered" in page and f"Entry {event.id} " in page
    finally:
        db.execute(
            text("UPDATE auditevent SET action = :a WHERE id = :i"), {"a": original, "i": event.id}
        )
        db.commit()


def test_a_locked_out_admin_is_recovered_from_the_command_line(app_without_bot, db):
    from click.testing import CliRunner

    from web.cli import cli

    admin = staff_user(db, "admin")
    theirs = app_without_bot.test_client()
    sign_in(theirs, admin, db=db)
    result = CliRunner().invoke(cli, ["users", "reset-two-factor", admin.email])
    assert result.exit_code == 0, result.output
    db.refresh(admin)
    assert admin.totp_secret is None
    assert theirs.get("/console/").status_code == 302  # their sessions ended
    result = CliRunner().invoke(cli, ["users", "reset-password", admin.email])
    new = result.output.rsplit(": ", 1)[1].strip()
    t = csrf_token(theirs.get("/console/login").get_data(as_text=True))
    resp = theirs.post(
        "/console/login", data={"email": admin.email, "password": new, "csrf_token": t}
    )
    assert resp.headers["Location"].endswith("/console/two-factor/set-up")
    assert _events(db, "two_factor_reset", f"user:{admin.id}")[0].detail == {"via": "command line"}
