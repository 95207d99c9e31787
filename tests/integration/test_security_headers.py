"""Security headers on every kind of page, and cookies fit for a public HTTPS service."""

from __future__ import annotations

import re

import pytest

from surveys.settings import Settings
from web import create_app

PAGES = ["/console/login", "/chat/", "/cookies", "/privacy", "/accessibility", "/no-such-page"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_nonce_csp_that_forbids_framing_and_inline_script(client, path):
    resp = client.get(path)
    csp = resp.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    script = directives["script-src"].split()
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    nonce = next(s for s in script if s.startswith("'nonce-"))[7:-1]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    page = resp.get_data(as_text=True)
    for tag in re.findall(r"<script\b[^>]*>", page):
        inline = "src=" not in tag
        assert not inline or f'nonce="{nonce}"' in tag, tag  # inline only with this nonce


def test_the_nonce_changes_on_every_response(client):
    first = client.get("/console/login").headers["Content-Security-Policy"]
    second = client.get("/console/login").headers["Content-Security-Policy"]
    assert first != second


def test_hsts_on_https(client):
    resp = client.get("/console/login", base_url="https://localhost")
    assert "max-age=31536000" in resp.headers["Strict-Transport-Security"]


def _public_app(testing: bool):
    """The app as deployed: PUBLIC_URL on https, so cookies are Secure and http redirects."""
    return create_app(
        {
            "TESTING": testing,
            "CORE": Settings.from_env(),
            "SECRET_KEY": "k",
            "SESSION_COOKIE_SECURE": True,
        }
    )


def test_session_cookie_is_secure_httponly_and_samesite_on_a_public_deployment(prepared_db):
    resp = _public_app(True).test_client().get("/console/login", base_url="https://localhost")
    cookie = resp.headers["Set-Cookie"]
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie


def test_plain_http_is_sent_to_https_on_a_public_deployment(prepared_db):
    resp = _public_app(False).test_client().get("/console/login")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("https://")
