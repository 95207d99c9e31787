"""Console staff for tests: a user with a role, signed in through the real login form."""

from __future__ import annotations

import re
from typing import NamedTuple
from uuid import uuid4

from sqlmodel import Session

from surveys.models import User
from web.passwords import hash_password

PASSWORD = "correct horse battery staple"


class SignIn(NamedTuple):
    response: object  # the login POST's response (a redirect)
    token: str  # the session's CSRF token, for later forms and JSON POSTs


def staff_user(db: Session, role: str, password: str = PASSWORD) -> User:
    """A new console user with `role` (committed)."""
    user = User(
        email=f"{role}-{uuid4().hex[:8]}@council.example",
        role=role,
        password_hash=hash_password(password),
    )
    db.add(user)
    db.commit()
    return user


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, user: User, password: str = PASSWORD) -> SignIn:  # noqa: ANN001
    token = csrf_token(client.get("/console/login").get_data(as_text=True))
    resp = client.post(
        "/console/login", data={"email": user.email, "password": password, "csrf_token": token}
    )
    assert resp.status_code == 302
    return SignIn(resp, token)
