"""Audiences: groups of young people and their contacts, imported from CSV with consent."""

from flask import Blueprint

bp = Blueprint("audiences", __name__, url_prefix="/console/audiences")

from web.audiences import routes  # noqa: E402, F401  (registers the views on bp)
