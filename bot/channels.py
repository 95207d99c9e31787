"""The platform's private Rasa input channel (imported only by the Rasa server, .venv-rasa).

Like Rasa's REST channel, but every request must carry the shared bearer token, and each bot
message is returned whole (text, buttons and custom data together).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse


class PlatformOutput(CollectingOutputChannel):
    """Collects each bot message as one dict."""

    @classmethod
    def name(cls) -> str:
        return "platform"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        await self._persist_message(
            {
                "recipient_id": recipient_id,
                "text": message.get("text") or "",
                "buttons": message.get("buttons") or [],
                "custom": message.get("custom") or message.get("json_message") or {},
            }
        )


class PlatformInput(InputChannel):
    """POST /webhooks/platform/webhook {sender, message, metadata} with a bearer token."""

    def __init__(self, token: str | None = None) -> None:
        if not token or token.startswith("$"):
            raise ValueError("the platform channel needs a token (RASA_TOKEN)")
        self.token = token

    @classmethod
    def name(cls) -> str:
        return "platform"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls((credentials or {}).get("token"))

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        given = header[7:] if header.startswith("Bearer ") else ""
        return hmac.compare_digest(given.encode(), self.token.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("platform_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._authorised(request):
                return response.json({"error": "unauthorised"}, status=401)
            body = request.json or {}
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not isinstance(text, str):
                return response.json({"error": "sender and message are required"}, status=400)
            collector = PlatformOutput()
            await on_new_message(
                UserMessage(
                    text,
                    collector,
                    sender,
                    input_channel=self.name(),
                    metadata=body.get("metadata"),
                )
            )
            return response.json(collector.messages)

        return bp
