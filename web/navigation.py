"""The console's service navigation and links: only what the signed-in role may use."""

from __future__ import annotations

from flask import Flask, current_app, request, url_for
from flask_login import current_user

from web.permissions import ROLE_LABELS, Permission, can

SECTIONS = (  # (label, endpoint, permission, endpoint prefixes that mark it current)
    (
        "Consultations",
        "console.dashboard",
        Permission.VIEW_DASHBOARD,
        ("console.", "consultations.", "waves.", "responses.", "exports."),
    ),
    ("Surveys", "surveys.index", Permission.VIEW_CONSULTATIONS, ("surveys.",)),
    ("Themes of the year", "annual.index", Permission.VIEW_THEMES, ("annual.",)),
    ("Audiences", "audiences.groups", Permission.VIEW_AUDIENCES, ("audiences.",)),
    ("Safeguarding", "safeguarding.queue", Permission.SAFEGUARDING, ("safeguarding.",)),
    ("Users", "users.index", Permission.MANAGE_USERS, ("users.",)),
    ("Audit log", "audit_log.index", Permission.VIEW_AUDIT, ("audit_log.",)),
    ("Your account", "auth.account", None, ("auth.account",)),
)
CONSULTATION_SECTIONS = (  # links on a consultation's page: (label, endpoint, permission)
    ("Waves and reminders", "waves.index", Permission.MANAGE_WAVES),
    ("Responses", "responses.overview", Permission.VIEW_RESPONSES),
    ("Themes", "responses.themes", Permission.VIEW_THEMES),
    ("Exports", "exports.index", Permission.EXPORT),
)


def _allowed(permission: Permission | None) -> bool:
    return permission is None or can(getattr(current_user, "role", None), permission)


def console_navigation() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    return [
        {"text": label, "href": url_for(target), "active": endpoint.startswith(prefixes)}
        for label, target, permission, prefixes in SECTIONS
        if target in current_app.view_functions and _allowed(permission)
    ]


def consultation_links() -> list[tuple[str, str]]:
    """(label, endpoint) of the consultation sections this user may open."""
    return [
        (label, endpoint)
        for label, endpoint, permission in CONSULTATION_SECTIONS
        if endpoint in current_app.view_functions and _allowed(permission)
    ]


def init_navigation(app: Flask) -> None:
    app.add_template_global(console_navigation)
    app.add_template_global(consultation_links)
    app.add_template_global(lambda name: _allowed(Permission(name)), "can")
    app.add_template_global(lambda role: ROLE_LABELS.get(role, role), "role_label")
