"""Managing console users. Every change is audited; nobody can lock the service out of its
last active administrator, and an admin cannot demote or deactivate themselves."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func
from sqlmodel import Session, select

from surveys import audit
from surveys.models import User, utcnow
from surveys.privacy import token_hash
from web.auth.staff import rotate_session_token
from web.database import db_session, staff_id
from web.permissions import ROLE_LABELS, Permission, Role, require
from web.users import bp
from web.users.forms import InviteForm, RoleForm

INVITE_DAYS = 3


def _issue_link(user: User) -> str:
    """A new single-use link to set a password (the old one stops working)."""
    token = secrets.token_urlsafe(32)
    user.invite_token_hash = token_hash(token)
    user.invite_expires_at = utcnow() + timedelta(days=INVITE_DAYS)
    return url_for("auth.accept_invite", t=token, _external=True)


def _user_or_404(s: Session, user_id: int) -> User:
    user = s.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _other_active_admins(s: Session, user: User) -> int:
    return s.exec(
        select(func.count(User.id)).where(User.role == Role.ADMIN, User.active, User.id != user.id)
    ).one()


@bp.get("/")
@require(Permission.MANAGE_USERS)
def index():
    with db_session() as s:
        users = s.exec(select(User).order_by(User.active.desc(), User.email)).all()
    return render_template("users/index.html", users=users)


@bp.route("/invite", methods=["GET", "POST"])
@require(Permission.MANAGE_USERS)
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        with db_session() as s:
            if s.exec(select(User).where(User.email == email)).first():
                form.email.errors = ["There is already a user with this email address"]
            else:
                user = User(
                    email=email, name=form.name.data.strip(), role=form.role.data, password_hash=""
                )
                link = _issue_link(user)
                rotate_session_token(user)
                s.add(user)
                s.flush()
                audit.record(
                    s,
                    "user_invited",
                    actor_id=staff_id(),
                    target=f"user:{user.id}",
                    detail={"role": user.role},
                )
                s.commit()
                return render_template(
                    "users/link.html", user=user, link=link, invited=True, days=INVITE_DAYS
                )
    status = 400 if form.errors else 200
    return render_template("users/invite.html", form=form), status


@bp.get("/<int:user_id>")
@require(Permission.MANAGE_USERS)
def detail(user_id: int):
    with db_session() as s:
        user = _user_or_404(s, user_id)
    form = RoleForm(role=user.role)
    return render_template("users/detail.html", user=user, form=form)


@bp.post("/<int:user_id>/role")
@require(Permission.MANAGE_USERS)
def change_role(user_id: int):
    form = RoleForm()
    with db_session() as s:
        user = _user_or_404(s, user_id)
        if not form.validate_on_submit():
            return render_template("users/detail.html", user=user, form=form), 400
        new, old = form.role.data, user.role
        if user.id == staff_id() and new != old:
            form.role.errors = ["You cannot change your own role: ask another administrator"]
            return render_template("users/detail.html", user=user, form=form), 400
        if new != old:
            user.role = new
            rotate_session_token(user)  # their next request signs in again with the new role
            audit.record(
                s,
                "user_role_changed",
                actor_id=staff_id(),
                target=f"user:{user.id}",
                detail={"from": old, "to": new},
            )
            s.add(user)
            s.commit()
            flash(f"{user.email} is now: {ROLE_LABELS[Role(new)]}.")
    return redirect(url_for("users.detail", user_id=user_id))


@bp.post("/<int:user_id>/active")
@require(Permission.MANAGE_USERS)
def set_active(user_id: int):
    activate = request.form.get("active") == "1"
    with db_session() as s:
        user = _user_or_404(s, user_id)
        if not activate and user.id == staff_id():
            flash("You cannot deactivate your own account.")
            return redirect(url_for("users.detail", user_id=user_id))
        if not activate and user.role == Role.ADMIN and not _other_active_admins(s, user):
            flash(
                "This is the only active administrator: make someone else an administrator first."
            )
            return redirect(url_for("users.detail", user_id=user_id))
        if user.active != activate:
            user.active = activate
            rotate_session_token(user)
            audit.record(
                s,
                "user_reactivated" if activate else "user_deactivated",
                actor_id=staff_id(),
                target=f"user:{user.id}",
            )
            s.add(user)
            s.commit()
            flash(f"{user.email} has been {'reactivated' if activate else 'deactivated'}.")
    return redirect(url_for("users.detail", user_id=user_id))


@bp.post("/<int:user_id>/two-factor/reset")
@require(Permission.MANAGE_USERS)
def reset_two_factor(user_id: int):
    with db_session() as s:
        user = _user_or_404(s, user_id)
        user.totp_secret = None
        user.totp_last_step = None
        rotate_session_token(user)
        audit.record(s, "two_factor_reset", actor_id=staff_id(), target=f"user:{user.id}")
        s.add(user)
        s.commit()
    flash(
        f"Two-factor authentication was reset for {user.email}. They set it up again at "
        "their next sign-in" + (" (administrators must)." if user.role == Role.ADMIN else ".")
    )
    return redirect(url_for("users.detail", user_id=user_id))


@bp.post("/<int:user_id>/password/reset")
@require(Permission.MANAGE_USERS)
def reset_password(user_id: int):
    with db_session() as s:
        user = _user_or_404(s, user_id)
        link = _issue_link(user)
        user.password_hash = ""  # the old password stops working now
        rotate_session_token(user)
        audit.record(s, "password_reset_link", actor_id=staff_id(), target=f"user:{user.id}")
        s.add(user)
        s.commit()
    return render_template("users/link.html", user=user, link=link, invited=False, days=INVITE_DAYS)
