"""Health check for load balancers and `make run`."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    with current_app.extensions["db_engine"].connect() as conn:
        conn.execute(text("SELECT 1"))
    return jsonify(status="ok")
