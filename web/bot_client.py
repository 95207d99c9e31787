"""The platform's client for the Rasa server's private channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests


class BotUnavailable(RuntimeError):
    """Rasa could not be reached or failed; the message is kept and retried later."""


@dataclass
class BotMessage:
    text: str
    buttons: list[dict[str, str]]
    extra: dict[str, Any]


class BotClient:
    """POSTs one user message to Rasa and returns the bot's messages."""

    def __init__(self, base_url: str, token: str, timeout: float = 20):
        self.url = base_url.rstrip("/") + "/webhooks/platform/webhook"
        self.token = token
        self.timeout = timeout
        self.http = requests.Session()

    def send(
        self, sender: str, text: str, metadata: dict[str, Any] | None = None
    ) -> list[BotMessage]:
        try:
            resp = self.http.post(
                self.url,
                json={"sender": sender, "message": text, "metadata": metadata or {}},
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise BotUnavailable(type(exc).__name__) from None
        if resp.status_code != 200:
            raise BotUnavailable(f"HTTP {resp.status_code}")
        try:
            items = resp.json()
        except ValueError:
            raise BotUnavailable("invalid JSON from the bot") from None
        return [
            BotMessage(
                text=str(item.get("text") or ""),
                buttons=[
                    {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                    for b in item.get("buttons") or []
                ],
                extra=dict(item.get("custom") or {}),
            )
            for item in items
            if isinstance(item, dict) and (item.get("text") or item.get("buttons"))
        ]
