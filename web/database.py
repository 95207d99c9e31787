"""Per-request database access for the web views."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user
from sqlmodel import Session


def db_session() -> Session:
    """A session on the app's engine (use it in a `with` block)."""
    return Session(current_app.extensions["db_engine"], expire_on_commit=False)


def staff_id() -> int:
    """The signed-in staff member's user id."""
    return current_user.user_id
