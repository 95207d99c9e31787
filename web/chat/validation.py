"""Checks on what the chat API is sent: clear 4xx errors, never a 500."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.exceptions import BadRequest, NotFound, RequestEntityTooLarge

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def json_body(request) -> dict[str, Any]:  # noqa: ANN001
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest('Send a JSON object: {"conversation": "<id>", "text": "<message>"}.')
    return data


def message_text(data: dict[str, Any], max_chars: int) -> str:
    text = data.get("text")
    if not isinstance(text, str):
        raise BadRequest("'text' must be a string.")
    if not text.strip():
        raise BadRequest("The message is empty.")
    if len(text) > max_chars:
        raise RequestEntityTooLarge(f"The message is too long (at most {max_chars} characters).")
    if CONTROL_CHARS.search(text):
        raise BadRequest("The message contains control characters.")
    return text.strip()


def conversation_id(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise BadRequest("'conversation' must be the id you were given.")
    if len(value) > 128:
        raise NotFound("Unknown conversation.")
    return value
