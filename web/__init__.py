"""Youth Voice web platform: Flask application factory."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, abort
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from surveys.db import engine_for
from web.config import WebConfig
from web.messaging import build_gateway
from web.safeguarding.settings import SafeguardingSettings
from web.sms.settings import SmsSettings

MAX_ROW_ID = 2**31 - 1


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: config from the environment, then `overrides` (used by tests)."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(WebConfig.from_env().as_flask())
    app.config.update(overrides or {})
    app.json.sort_keys = False

    core = app.config["CORE"]
    app.extensions["db_engine"] = engine_for(core.database_url)
    safeguarding = app.config.get("SAFEGUARDING") or SafeguardingSettings.from_env()
    app.extensions["safeguarding_settings"] = safeguarding
    app.extensions["gateway"] = build_gateway(
        core,
        app.config["RASA_URL"],
        app.config["RASA_TOKEN"],
        app.config["RASA_TIMEOUT"],
        safeguarding=safeguarding,
    )
    app.extensions["sms_settings"] = app.config.get("SMS") or SmsSettings.from_env()

    app.url_value_preprocessor(_url_values_fit_the_database)
    _init_templates(app)
    _init_extensions(app)
    _register_blueprints(app)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return app


def _url_values_fit_the_database(endpoint: str | None, values: dict | None) -> None:
    """Ids in URLs are 32-bit database integers and text cannot hold NUL on PostgreSQL: an
    id too big or a name with %00 in it is a 404, never an error in the database driver."""
    for value in (values or {}).values():
        if (isinstance(value, int) and value > MAX_ROW_ID) or (
            isinstance(value, str) and "\x00" in value
        ):
            abort(404)


def _init_templates(app: Flask) -> None:
    """Our templates, then GOV.UK Frontend's macros under their package names."""
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("web"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)


def _init_extensions(app: Flask) -> None:
    from web.auth import staff  # noqa: F401  (registers the user loader)
    from web.extensions import csrf, limiter, login_manager
    from web.navigation import init_navigation
    from web.security import init_security

    init_security(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    limiter.init_app(app)
    init_navigation(app)


def _register_blueprints(app: Flask) -> None:
    from web import annual, audit_log, console, errors, health, openapi, pages
    from web.audiences import bp as audiences_bp
    from web.auth import bp as auth_bp
    from web.chat import bp as chat_bp
    from web.consultations import bp as consultations_bp
    from web.consultations import exports_bp, responses_bp, surveys_bp, waves_bp
    from web.extensions import csrf
    from web.safeguarding.routes import bp as safeguarding_bp
    from web.sms import bp as sms_bp
    from web.themes import bp as themes_bp
    from web.users import bp as users_bp

    for bp in (
        chat_bp,
        sms_bp,
        auth_bp,
        console.bp,
        consultations_bp,
        surveys_bp,
        waves_bp,
        responses_bp,
        exports_bp,
        audiences_bp,
        safeguarding_bp,
        themes_bp,
        annual.bp,
        users_bp,
        audit_log.bp,
        pages.bp,
        openapi.bp,
        health.bp,
    ):
        app.register_blueprint(bp)
    csrf.exempt(chat_bp)  # JSON API authenticated by its conversation id, not cookies
    csrf.exempt(sms_bp)  # Twilio webhooks, authenticated by their signature
    errors.register(app)
