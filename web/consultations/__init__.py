"""Consultations and their surveys: create, edit, import YAML, build questions, preview."""

from flask import Blueprint

bp = Blueprint("consultations", __name__, url_prefix="/console/consultations")
surveys_bp = Blueprint("surveys", __name__, url_prefix="/console/surveys")
waves_bp = Blueprint("waves", __name__, url_prefix="/console/consultations/<slug>/waves")
exports_bp = Blueprint("exports", __name__, url_prefix="/console/consultations/<slug>/exports")
responses_bp = Blueprint(
    "responses", __name__, url_prefix="/console/consultations/<slug>/responses"
)

from web.consultations import (  # noqa: E402, F401  (registers the views)
    export_routes,
    response_routes,
    routes,
    survey_routes,
    wave_routes,
)
