"""Youth Voice web platform: Flask application factory."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from surveys.db import engine_for
from web.config import WebConfig
from web.messaging import build_gateway
from web.safeguarding.settings import SafeguardingSettings
from web.sms.settings import SmsSettings


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

    from web import console, errors, health
    from web.chat import bp as chat_bp
    from web.safeguarding.routes import bp as safeguarding_bp
    from web.sms import bp as sms_bp
    from web.themes import bp as themes_bp

    app.register_blueprint(chat_bp)
    app.register_blueprint(sms_bp)
    app.register_blueprint(console.bp)
    app.register_blueprint(safeguarding_bp)
    app.register_blueprint(themes_bp)
    app.register_blueprint(health.bp)
    errors.register(app)
    console.init_login(app)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return app
