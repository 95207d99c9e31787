"""The real twilio client, optionally pointed at another base URL (TWILIO_API_URL)."""

from __future__ import annotations

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from web.sms.settings import SmsSettings

TWILIO_BASE = "https://api.twilio.com"


class BaseUrlHttpClient(TwilioHttpClient):
    """twilio's own HTTP client, sending api.twilio.com requests to another base URL."""

    def __init__(self, base_url: str, timeout: float = 15):
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if url.startswith(TWILIO_BASE):
            url = self.base_url + url[len(TWILIO_BASE) :]
        return super().request(method, url, *args, **kwargs)


def make_client(settings: SmsSettings) -> Client:
    http = None if settings.api_url == TWILIO_BASE else BaseUrlHttpClient(settings.api_url)
    return Client(settings.account_sid, settings.auth_token, http_client=http)
