"""Consultations and their surveys: create, edit, import YAML, build questions, preview."""

from flask import Blueprint

bp = Blueprint("consultations", __name__, url_prefix="/console/consultations")
surveys_bp = Blueprint("surveys", __name__, url_prefix="/console/surveys")
waves_bp = Blueprint("waves", __name__, url_prefix="/console/consultations/<slug>/waves")

from web.consultations import routes, survey_routes, wave_routes  # noqa: E402, F401
