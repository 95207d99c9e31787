"""The OpenAPI description of the JSON and webhook endpoints, served at /openapi.json."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__)
SPEC = Path(__file__).resolve().parent / "openapi.yaml"


@lru_cache(maxsize=1)
def spec() -> dict:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(spec())
