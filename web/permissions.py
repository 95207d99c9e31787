"""Roles and what each may do: one table, checked by `require` on every console route.

tests/integration/test_role_matrix.py walks every role against every console route.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


class Role(StrEnum):
    ADMIN = "admin"
    PARTICIPATION_OFFICER = "participation_officer"
    IRO = "iro"
    SAFEGUARDING_LEAD = "safeguarding_lead"
    DUTY = "duty"  # duty / out-of-hours social worker: the safeguarding queue only
    VIEWER = "viewer"


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.PARTICIPATION_OFFICER: "Participation officer",
    Role.IRO: "Independent reviewing officer",
    Role.SAFEGUARDING_LEAD: "Safeguarding lead",
    Role.DUTY: "Duty social worker",
    Role.VIEWER: "Viewer",
}


class Permission(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_CONSULTATIONS = "view_consultations"  # consultations, their surveys and waves
    MANAGE_CONSULTATIONS = "manage_consultations"  # create, edit, import, open and close
    VIEW_AUDIENCES = "view_audiences"  # groups and contacts (numbers shown masked)
    MANAGE_AUDIENCES = "manage_audiences"  # groups, contact imports
    MANAGE_WAVES = "manage_waves"  # schedule, pause and cancel texts to young people
    VIEW_RESPONSES = "view_responses"  # counts, charts and redacted free text
    VIEW_THEMES = "view_themes"  # theme summaries and tags, with redacted quotes only
    TAG_THEMES = "tag_themes"  # accept, remove or add an answer's theme tags
    EXPORT = "export"  # download answers and theme tables (audited)
    SAFEGUARDING = "safeguarding"  # see alerts, the child's words and identity; act on them
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"  # invite, deactivate, change role, reset two-factor


_OFFICE = frozenset({Role.ADMIN, Role.PARTICIPATION_OFFICER})
_READERS = frozenset(
    {Role.ADMIN, Role.PARTICIPATION_OFFICER, Role.IRO, Role.SAFEGUARDING_LEAD, Role.VIEWER}
)
PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.VIEW_DASHBOARD: _READERS,
    Permission.VIEW_CONSULTATIONS: _READERS,
    Permission.MANAGE_CONSULTATIONS: _OFFICE,
    Permission.VIEW_AUDIENCES: _OFFICE,
    Permission.MANAGE_AUDIENCES: _OFFICE,
    Permission.MANAGE_WAVES: _OFFICE,
    Permission.VIEW_RESPONSES: _READERS,
    Permission.VIEW_THEMES: _READERS,
    Permission.TAG_THEMES: _OFFICE,
    Permission.EXPORT: _OFFICE,
    # Least privilege: not even admins read disclosures.
    Permission.SAFEGUARDING: frozenset({Role.SAFEGUARDING_LEAD, Role.DUTY}),
    Permission.VIEW_AUDIT: frozenset({Role.ADMIN}),
    Permission.MANAGE_USERS: frozenset({Role.ADMIN}),
}


def can(role: str | None, permission: Permission) -> bool:
    return role in PERMISSIONS[permission]


def require(permission: Permission) -> Callable:
    """Route decorator: signed in, and the user's role has `permission` (else 403)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            if not can(getattr(current_user, "role", None), permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.permission = permission  # read by the role-matrix test
        return wrapped

    return decorate
