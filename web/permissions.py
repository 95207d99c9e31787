"""Roles and what each may do: one table, checked by `require` on every console route."""

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


class Permission(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    SAFEGUARDING = "safeguarding"  # see alerts, the child's words and identity; act on them
    VIEW_THEMES = "view_themes"  # theme summaries and tags, with redacted quotes only
    TAG_THEMES = "tag_themes"  # accept, remove or add an answer's theme tags


PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.VIEW_DASHBOARD: frozenset(
        {Role.ADMIN, Role.PARTICIPATION_OFFICER, Role.IRO, Role.SAFEGUARDING_LEAD, Role.VIEWER}
    ),
    Permission.VIEW_THEMES: frozenset(
        {Role.ADMIN, Role.PARTICIPATION_OFFICER, Role.IRO, Role.SAFEGUARDING_LEAD, Role.VIEWER}
    ),
    Permission.TAG_THEMES: frozenset({Role.ADMIN, Role.PARTICIPATION_OFFICER}),
    # Least privilege: not even admins read disclosures.
    Permission.SAFEGUARDING: frozenset({Role.SAFEGUARDING_LEAD, Role.DUTY}),
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

        return wrapped

    return decorate
