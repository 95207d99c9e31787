"""Staff sign-in: password, two-factor, invitations and session handling."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/console")

from web.auth import routes  # noqa: E402, F401  (registers the views on bp)
