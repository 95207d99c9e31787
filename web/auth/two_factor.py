"""TOTP two-factor (RFC 6238): secrets stored encrypted; each code is accepted once."""

from __future__ import annotations

import time

import pyotp
import segno
from markupsafe import Markup

from surveys.models import User
from surveys.privacy import decrypt, encrypt

ISSUER = "Youth Voice"
DRIFT_STEPS = 1  # accept the code before and after the current one (phone clocks drift)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_svg(uri: str) -> Markup:
    """The otpauth URI as an inline SVG QR code (no image request, nothing for the CSP)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, title="QR code for your authenticator app")
    return Markup(svg)  # noqa: S704  (segno's own markup; the URI is encoded, not embedded)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step whose code equals `code`, or None."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = int((time.time() if at is None else at) // totp.interval)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def enrol(user: User, data_key: str | None, secret: str) -> None:
    user.totp_secret = encrypt(data_key, secret)
    user.totp_last_step = None


def verify(user: User, data_key: str | None, code: str) -> bool:
    """True for a right code not used before; records its step so it cannot be replayed."""
    if user.totp_secret is None:
        return False
    step = matching_step(decrypt(data_key, user.totp_secret), code)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True
