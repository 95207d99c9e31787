"""The role matrix: every role against every console route, compared with the one table in
web/permissions.py. A route added without a permission fails here."""

from __future__ import annotations

import re

import pytest

from tests.support.console import sign_in, staff_user
from web.permissions import PERMISSIONS, Role

# Routes that need no permission: signing in and out, and a user's own account page.
OPEN_TO_ANY_SIGNED_IN_OR_NONE = {
    "auth.login",
    "auth.two_factor",
    "auth.two_factor_setup",
    "auth.logout",
    "auth.account",
    "auth.accept_invite",
}
MISSING = "999999"  # no such row: allowed roles get 404 or a form error, never a 403


def _console_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/console") and rule.endpoint not in OPEN_TO_ANY_SIGNED_IN_OR_NONE:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def _url(rule) -> str:
    return re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: "no-such" if m.group(1) == "slug" else MISSING, rule.rule
    )


def test_every_console_route_declares_a_permission(app_without_bot):
    undeclared = [
        rule.endpoint
        for rule, _ in _console_routes(app_without_bot)
        if not hasattr(app_without_bot.view_functions[rule.endpoint], "permission")
    ]
    assert undeclared == []


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_what_the_table_allows(app_without_bot, db, role):
    client = app_without_bot.test_client()
    token = sign_in(client, staff_user(db, role), db=db).token
    checked = 0
    for rule, method in _console_routes(app_without_bot):
        permission = app_without_bot.view_functions[rule.endpoint].permission
        allowed = role in PERMISSIONS[permission]
        url = _url(rule)
        if method == "GET":
            resp = client.get(url)
        else:
            resp = client.post(url, data={"csrf_token": token}, headers={"X-CSRFToken": token})
        if allowed:
            assert resp.status_code in (200, 302, 400, 404), (method, url, resp.status_code)
            assert "/console/login" not in resp.headers.get("Location", ""), (method, url)
        else:
            assert resp.status_code == 403, (method, url, resp.status_code)
        checked += 1
    assert checked >= 15  # the walk really ran


def test_signed_out_visitors_are_sent_to_sign_in_everywhere(app_without_bot):
    client = app_without_bot.test_client()
    for rule, method in _console_routes(app_without_bot):
        if method == "GET":
            resp = client.get(_url(rule))
            assert resp.status_code in (302, 401), rule.rule
            if resp.status_code == 302:
                assert "/console/login" in resp.headers["Location"], rule.rule
