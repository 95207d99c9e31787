"""Rasa's built-in Twilio channel, unchanged except that its replies go to the local Twilio
stand-in instead of api.twilio.com (imported by the Rasa server in .venv-rasa, bench only)."""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from twilio.http.http_client import TwilioHttpClient

TWILIO_BASE = "https://api.twilio.com"


class _StandinHttpClient(TwilioHttpClient):
    def __init__(self, base_url: str) -> None:
        super().__init__(timeout=15)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        if url.startswith(TWILIO_BASE):
            url = self.base_url + url[len(TWILIO_BASE) :]
        return super().request(method, url, *args, **kwargs)


class StandinTwilioInput(TwilioInput):
    """Same webhook (/webhooks/twilio/webhook), same processing; replies to the stand-in."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.api_url = (credentials or {}).get("api_url", TWILIO_BASE)
        return channel

    def get_output_channel(self) -> OutputChannel:
        out = TwilioOutput(self.account_sid, self.auth_token, self.twilio_number)
        out.http_client = _StandinHttpClient(self.api_url)
        return out
