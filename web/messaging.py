"""Builds the message gateway the same way for the web app, the worker and the tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from surveys.db import engine_for
from surveys.models import utcnow
from surveys.settings import Settings
from web.bot_client import BotClient
from web.gateway import Gateway
from web.safeguarding.screen import make_safeguarding_screens
from web.safeguarding.settings import SafeguardingSettings
from web.sms.screen import make_sms_keyword_screen


def build_gateway(
    core: Settings,
    rasa_url: str,
    rasa_token: str,
    timeout: float = 20,
    clock: Callable[[], datetime] = utcnow,
    safeguarding: SafeguardingSettings | None = None,
) -> Gateway:
    """Safeguarding sees every message at once; then, in order: SMS keywords (STOP must
    work), the safeguarding screen (keeps a disclosure from the bot), then the bot."""
    urgent, ordered = make_safeguarding_screens(
        core, safeguarding or SafeguardingSettings.from_env(), clock
    )
    return Gateway(
        engine_for(core.database_url),
        BotClient(rasa_url, rasa_token, timeout),
        clock=clock,
        screens=[make_sms_keyword_screen(core), ordered],
        urgent_screens=[urgent],
    )
