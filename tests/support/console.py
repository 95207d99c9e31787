"""Console staff for tests: a user with a role, signed in through the real login form (and the
real two-factor step, with codes from pyotp, for users who have it)."""

from __future__ import annotations

import re
import time
from typing import NamedTuple
from uuid import uuid4

import pyotp
from sqlmodel import Session

from surveys.models import User
from surveys.privacy import encrypt
from surveys.settings import Settings
from web.passwords import hash_password

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # every test user with two-factor shares it


class SignIn(NamedTuple):
    response: object  # the last sign-in POST's response (a redirect)
    token: str  # the signed-in session's CSRF token, for later forms and JSON POSTs


def staff_user(
    db: Session, role: str, password: str = PASSWORD, two_factor: bool | None = None
) -> User:
    """A new console user with `role` (committed). Admins get two-factor unless told not to."""
    user = User(
        email=f"{role}-{uuid4().hex[:8]}@council.example",
        role=role,
        password_hash=hash_password(password),
    )
    if two_factor if two_factor is not None else role == "admin":
        user.totp_secret = encrypt(Settings.from_env().data_key, TOTP_SECRET)
    db.add(user)
    db.commit()
    return user


def totp_code(db: Session, user: User) -> str:
    """A code the server has not seen from `user` yet (each is accepted once)."""
    db.refresh(user)
    totp = pyotp.TOTP(TOTP_SECRET)
    step = int(time.time() // totp.interval)
    if user.totp_last_step is not None and user.totp_last_step >= step:
        step = user.totp_last_step + 1  # the next code: still inside the accepted drift
    return totp.generate_otp(step)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1)


def sign_in(client, user: User, password: str = PASSWORD, db: Session | None = None) -> SignIn:  # noqa: ANN001
    token = csrf_token(client.get("/console/login").get_data(as_text=True))
    resp = client.post(
        "/console/login", data={"email": user.email, "password": password, "csrf_token": token}
    )
    assert resp.status_code == 302, resp.status_code
    if resp.headers["Location"].endswith("/console/two-factor"):
        assert db is not None, "signing in a user with two-factor needs the db session"
        resp = client.post(
            "/console/two-factor", data={"code": totp_code(db, user), "csrf_token": token}
        )
        assert resp.status_code == 302, resp.status_code
    # Signing in starts a new session, with a new CSRF token: take it from the account page.
    return SignIn(resp, csrf_token(client.get("/console/account").get_data(as_text=True)))
