"""Error pages in the GOV.UK pattern (404, 403, 429, 500 and the rest); JSON for API paths."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException

PAGES: dict[int, tuple[str, list[str]]] = {
    400: (
        "Sorry, there is a problem with your request",
        [
            "Go back and try again.",
        ],
    ),
    403: (
        "You do not have permission to see this page",
        [
            "Your role does not give you access to this part of the service.",
            "If you think you need access, ask an administrator.",
        ],
    ),
    404: (
        "Page not found",
        [
            "If you typed the web address, check it is correct.",
            "If you pasted the web address, check you copied the entire address.",
        ],
    ),
    405: ("Sorry, there is a problem with your request", ["Go back and try again."]),
    413: ("The file is too big", ["Go back and choose a smaller file."]),
    429: (
        "Too many attempts",
        [
            "You have tried too many times. Wait 15 minutes, then try again.",
            "If you have forgotten your password, ask an administrator for a reset link.",
        ],
    ),
    500: (
        "Sorry, there is a problem with the service",
        [
            "Try again later.",
            "Nothing you had already saved has been lost.",
        ],
    ),
}
CSRF_PAGE = (
    "Your form could not be sent",
    [
        "This can happen if the page was open for a long time or you signed out in another tab.",
        "Go back, reload the page and try again.",
    ],
)


def _wants_json() -> bool:
    return request.path.startswith(("/chat/api/", "/sms/", "/console/api/")) or request.is_json


def _page(code: int, title: str, paragraphs: list[str]):  # noqa: ANN202
    return render_template("error.html", title=title, paragraphs=paragraphs), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):  # noqa: ANN202
        if _wants_json():
            return jsonify(error=exc.description), 400
        return _page(400, *CSRF_PAGE)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # noqa: ANN202
        if _wants_json():
            return jsonify(error=exc.description or exc.name), exc.code
        title, paragraphs = PAGES.get(exc.code, (exc.name, [exc.description or ""]))
        if exc.code == 400 and exc.description and exc.description != BadRequest.description:
            paragraphs = [exc.description, *paragraphs]  # our own explanation comes first
        return _page(exc.code, title, paragraphs)  # 429: Flask-Limiter adds Retry-After

    @app.errorhandler(Exception)
    def server_error(exc: Exception):  # noqa: ANN202
        app.logger.exception("unhandled error on %s", request.path)
        if _wants_json():
            return jsonify(error="Something went wrong on our side. Please try again."), 500
        return _page(500, *PAGES[500])
