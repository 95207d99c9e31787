"""Console users: invite, change role, deactivate, reset two-factor or password (admins)."""

from flask import Blueprint

bp = Blueprint("users", __name__, url_prefix="/console/users")

from web.users import routes  # noqa: E402, F401  (registers the views on bp)
