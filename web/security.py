"""Security headers, cookies and session lifetimes for every response.

- A Content-Security-Policy with per-request nonces: no inline script runs unless the server
  rendered it with the nonce, and nothing may frame the site (frame-ancestors 'none').
- HSTS on HTTPS, nosniff, a strict referrer policy.
- Staff sessions end after 30 minutes without a request and 12 hours after sign-in, checked
  on the server (the cookie's own expiry is only a hint to the browser).
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import Flask, abort, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

SELF = "'self'"
CSP = {
    "default-src": SELF,
    "script-src": SELF,  # plus the request's nonce, added by Talisman
    "style-src": SELF,
    "img-src": [SELF, "data:"],
    "font-src": SELF,
    "connect-src": SELF,
    "form-action": SELF,
    "base-uri": "'none'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}
IDLE_KEY, START_KEY = "_seen_at", "_signed_in_at"


def init_security(app: Flask) -> None:
    hops = app.config.get("TRUSTED_PROXY_HOPS", 0)
    if hops:  # behind a reverse proxy: trust its X-Forwarded-For / -Proto (README 'Deploy')
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    secure = bool(app.config.get("SESSION_COOKIE_SECURE"))
    # One Talisman per app: it keeps its options on itself, and tests build apps that differ.
    app.extensions["talisman"] = Talisman(
        app,
        force_https=secure and not app.config.get("TESTING"),
        strict_transport_security=True,
        strict_transport_security_max_age=31536000,  # a year
        # Not includeSubDomains: other council sites on sibling hosts are not ours to force.
        strict_transport_security_include_subdomains=False,
        content_security_policy=CSP,
        content_security_policy_nonce_in=["script-src"],
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        session_cookie_secure=secure,
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        x_content_type_options=True,
    )
    idle = timedelta(minutes=app.config.get("SESSION_IDLE_MINUTES", 30))
    absolute = timedelta(hours=app.config.get("SESSION_MAX_HOURS", 12))
    app.config["PERMANENT_SESSION_LIFETIME"] = idle
    app.config["SESSION_REFRESH_EACH_REQUEST"] = True
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(0)  # no "remember me" for staff

    @app.before_request
    def refuse_nul_characters():  # noqa: ANN202
        """A NUL can't be stored in PostgreSQL text: refuse it clearly, before anything runs.
        Twilio's webhooks are not refused (a text must never be lost): they drop NULs."""
        if request.blueprint == "sms":
            return None
        if any("\x00" in v for v in request.args.values()) or (
            request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
            and any("\x00" in v for v in request.form.values())
        ):
            abort(400, "The request contains a NUL character, which cannot be stored.")
        return None

    @app.before_request
    def end_stale_sessions():  # noqa: ANN202
        if request.endpoint == "static" or not current_user.is_authenticated:
            return None
        now = time.time()
        seen, started = session.get(IDLE_KEY, 0), session.get(START_KEY, 0)
        if now - seen > idle.total_seconds() or now - started > absolute.total_seconds():
            logout_user()
            session.clear()
            reason = "12 hours" if now - started > absolute.total_seconds() else "inactivity"
            flash(f"You have been signed out after {reason}. Sign in again to continue.")
            return redirect(url_for("auth.login", next=request.full_path))
        session[IDLE_KEY] = now
        return None


def start_session() -> None:
    """Call right after `login_user`: the idle and absolute clocks start now."""
    session.permanent = True
    session[START_KEY] = session[IDLE_KEY] = time.time()
