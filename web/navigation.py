"""The console's service navigation: only the sections the signed-in role may use."""

from __future__ import annotations

from flask import Flask, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from web.permissions import ROLE_LABELS, Permission, can

SECTIONS = (  # (label, endpoint, permission, endpoint prefix that marks it current)
    ("Consultations", "console.dashboard", Permission.VIEW_DASHBOARD, "console."),
    ("Audiences", "audiences.groups", Permission.VIEW_AUDIENCES, "audiences."),
    ("Safeguarding", "safeguarding.queue", Permission.SAFEGUARDING, "safeguarding."),
    ("Users", "users.index", Permission.MANAGE_USERS, "users."),
    ("Audit log", "audit_log.index", Permission.VIEW_AUDIT, "audit_log."),
    ("Your account", "auth.account", None, "auth.account"),
)


def console_navigation() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    items = []
    for label, target, permission, prefix in SECTIONS:
        if permission is not None and not can(current_user.role, permission):
            continue
        try:
            href = url_for(target)
        except BuildError:  # a section this deployment does not have
            continue
        items.append({"text": label, "href": href, "active": endpoint.startswith(prefix)})
    return items


def init_navigation(app: Flask) -> None:
    app.add_template_global(console_navigation)
    app.add_template_global(lambda role: ROLE_LABELS.get(role, role), "role_label")
