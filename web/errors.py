"""Error handlers: JSON for API paths, a plain page otherwise."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


def _wants_json() -> bool:
    return request.path.startswith(("/chat/api/", "/sms/")) or request.is_json


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if _wants_json():
            return jsonify(error=exc.description or exc.name), exc.code
        return render_template(
            "error.html", code=exc.code, title=exc.name, message=exc.description
        ), exc.code

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        if _wants_json():
            return jsonify(error="Something went wrong on our side. Please try again."), 500
        return render_template(
            "error.html",
            code=500,
            title="Sorry, there is a problem",
            message="Please try again later.",
        ), 500
