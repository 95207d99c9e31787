"""Sign-in (password, then a TOTP code where set), two-factor set-up, invitations, sign-out.

Admins must use two-factor: an admin without it is taken through set-up before anything else.
Failed attempts are throttled per account and per IP address (Flask-Limiter), and audited.
"""

from __future__ import annotations

import hashlib
import time
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlmodel import select

from surveys import audit
from surveys.models import User, utcnow
from surveys.privacy import token_hash
from web.auth import bp
from web.auth import two_factor as totp
from web.auth.forms import CodeForm, NewPasswordForm, SignInForm
from web.auth.staff import StaffUser, rotate_session_token
from web.database import db_session, staff_id
from web.extensions import limiter
from web.passwords import check_password, hash_password, password_problem
from web.permissions import Permission, Role, can
from web.security import start_session

PENDING = "_pending_sign_in"  # {"user": id, "at": epoch, "next": path}: password checked
PENDING_SECONDS = 300
NEW_SECRET = "_new_totp_secret"  # noqa: S105  (a session key name)
ACCOUNT_LIMIT = "5 per 15 minutes"  # failed sign-ins per account
IP_LIMIT = "20 per 15 minutes"  # failed sign-ins per IP address
CODE_LIMIT = "5 per 15 minutes"  # wrong two-factor codes per account
FAILED = 401


def _failed(response) -> bool:  # noqa: ANN001
    return response.status_code == FAILED


def _account_key() -> str:
    email = (request.form.get("email") or "").strip().lower()
    return "account:" + hashlib.sha256(email.encode()).hexdigest()


def _pending_key() -> str:
    return f"pending:{(session.get(PENDING) or {}).get('user')}"


def _data_key() -> str | None:
    return current_app.config["CORE"].data_key


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (no scheme, no host, no '//'): never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target if target.startswith("/console") else None


def home_for(role: str) -> str:
    """Where a user lands after signing in: duty workers only see the safeguarding queue."""
    if can(role, Permission.VIEW_DASHBOARD):
        return url_for("console.dashboard")
    return url_for("safeguarding.queue")


def _complete(user: User, method: str) -> object:
    """Sign `user` in now (password and, where set, two-factor are done)."""
    target = _safe_next((session.get(PENDING) or {}).get("next"))
    session.clear()
    with db_session() as s:
        fresh = s.get(User, user.id)
        if not fresh.session_token:
            rotate_session_token(fresh)
        fresh.last_login_at = utcnow()
        audit.record(
            s, "sign_in", actor_id=fresh.id, target=f"user:{fresh.id}", detail={"method": method}
        )
        s.add(fresh)
        s.commit()
        login_user(StaffUser(fresh))
    start_session()
    return redirect(target or home_for(fresh.role))


def _pending_user() -> User | None:
    pending = session.get(PENDING) or {}
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    with db_session() as s:
        user = s.get(User, pending.get("user", 0))
    return user if user and user.active else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(ACCOUNT_LIMIT, key_func=_account_key, methods=["POST"], deduct_when=_failed)
@limiter.limit(IP_LIMIT, methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user.role))
    form = SignInForm()
    if request.method == "GET":
        return render_template("auth/login.html", form=form, next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form, next=""), 400
    email = form.email.data.strip().lower()
    with db_session() as s:
        user = s.exec(select(User).where(User.email == email)).first()
        ok = bool(user and user.active and check_password(user.password_hash, form.password.data))
        if not ok:
            audit.record(
                s,
                "sign_in_failed",
                target=f"user:{user.id}" if user else "",
                detail={"reason": "password"},
            )
            s.commit()
            form.password.errors = ["Enter a correct email address and password"]
            return render_template("auth/login.html", form=form, next=""), FAILED
    session[PENDING] = {
        "user": user.id,
        "at": time.time(),
        "next": _safe_next(request.form.get("next")),
    }
    if user.totp_secret is not None:
        return redirect(url_for("auth.two_factor"))
    if user.role == Role.ADMIN:
        return redirect(url_for("auth.two_factor_setup"))
    return _complete(user, "password")


@bp.route("/two-factor", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, key_func=_pending_key, methods=["POST"], deduct_when=_failed)
def two_factor():
    user = _pending_user()
    if user is None or user.totp_secret is None:
        flash("Sign in again to continue.")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if request.method == "POST" and form.validate_on_submit():
        with db_session() as s:
            fresh = s.get(User, user.id)
            if totp.verify(fresh, _data_key(), form.code.data):
                s.add(fresh)
                s.commit()
                return _complete(fresh, "password+totp")
            audit.record(s, "sign_in_failed", target=f"user:{user.id}", detail={"reason": "code"})
            s.commit()
        form.code.errors = ["The security code is wrong or has expired: enter the newest code"]
        return render_template("auth/two_factor.html", form=form), FAILED
    return render_template("auth/two_factor.html", form=form), 400 if form.errors else 200


@bp.route("/two-factor/set-up", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, key_func=_pending_key, methods=["POST"], deduct_when=_failed)
def two_factor_setup():
    """First sign-in of an admin (required), or a signed-in user adding it (optional)."""
    if current_user.is_authenticated:
        user_id = staff_id()
    else:
        pending = _pending_user()
        if pending is None:
            flash("Sign in again to continue.")
            return redirect(url_for("auth.login"))
        user_id = pending.id
    with db_session() as s:
        user = s.get(User, user_id)
    secret = session.get(NEW_SECRET) or totp.new_secret()
    session[NEW_SECRET] = secret
    form = CodeForm()
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        if totp.matching_step(secret, form.code.data) is not None:
            with db_session() as s:
                fresh = s.get(User, user_id)
                totp.enrol(fresh, _data_key(), secret)
                totp.verify(fresh, _data_key(), form.code.data)  # this code is now used
                audit.record(s, "two_factor_enrolled", actor_id=fresh.id, target=f"user:{fresh.id}")
                s.add(fresh)
                s.commit()
            session.pop(NEW_SECRET, None)
            if current_user.is_authenticated:
                flash("Two-factor authentication is now on for your account.")
                return redirect(url_for("auth.account"))
            return _complete(fresh, "password+totp")
        form.code.errors = ["The security code is wrong: check the app and enter the newest code"]
        status = FAILED
    elif form.errors:
        status = 400
    uri = totp.provisioning_uri(secret, user.email, current_app.config["CORE"].council_name)
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        qr=totp.qr_svg(uri),
        secret=totp.grouped(secret),
        required=user.role == Role.ADMIN,
    ), status


@bp.post("/logout")
@login_required
def logout():
    with db_session() as s:
        audit.record(s, "sign_out", actor_id=staff_id(), target=f"user:{staff_id()}")
        s.commit()
    logout_user()
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@login_required
def account():
    return render_template("auth/account.html")


@bp.route("/invite", methods=["GET", "POST"])
def accept_invite():
    """Set a password from an invitation (or password reset) link: /console/invite?t=TOKEN.

    The token is in the query string so access logs (which record paths only) never hold it."""
    token = request.args.get("t", "")
    with db_session() as s:
        user = s.exec(select(User).where(User.invite_token_hash == token_hash(token))).first()
        valid = (
            token
            and user is not None
            and user.active
            and user.invite_expires_at is not None
            and user.invite_expires_at > utcnow()
        )
        if not valid:
            return render_template("auth/invite_invalid.html"), 404
        form = NewPasswordForm()
        if request.method == "POST" and form.validate_on_submit():
            problem = password_problem(form.password.data, [user.email, user.name])
            if problem is None:
                user.password_hash = hash_password(form.password.data)
                user.password_changed_at = utcnow()
                user.invite_token_hash = user.invite_expires_at = None
                rotate_session_token(user)
                audit.record(s, "password_set", actor_id=user.id, target=f"user:{user.id}")
                s.add(user)
                s.commit()
                flash("Your password is set. Sign in to continue.")
                return redirect(url_for("auth.login"))
            form.password.errors = [problem]
        status = 400 if form.errors else 200
        return render_template("auth/invite.html", form=form, user=user, token=token), status
