"""The signed-in staff member as Flask-Login sees them.

The session stores "<user id>:<session token>" (Flask-Login's alternative token). Rotating a
user's token, on deactivation, a new password or a two-factor reset, ends all their sessions.
"""

from __future__ import annotations

import secrets

from flask import current_app
from flask_login import UserMixin
from sqlmodel import Session

from surveys.models import User
from web.extensions import login_manager


class StaffUser(UserMixin):
    def __init__(self, user: User):
        self.user_id = user.id
        self.id = f"{user.id}:{user.session_token}"
        self.email = user.email
        self.name = user.name
        self.role = user.role
        self.has_two_factor = user.totp_secret is not None


def rotate_session_token(user: User) -> None:
    """End every session of `user` (the caller commits)."""
    user.session_token = secrets.token_urlsafe(24)


@login_manager.user_loader
def load_user(session_id: str) -> StaffUser | None:
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    with Session(current_app.extensions["db_engine"]) as s:
        user = s.get(User, int(user_id))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return StaffUser(user)
