"""Web settings from the environment (12-factor). See README 'Configuration'."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from surveys.settings import Settings


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass
class WebConfig:
    SECRET_KEY: str
    RASA_URL: str
    RASA_TOKEN: str
    RASA_TIMEOUT: int
    DEFAULT_CONSULTATION: str | None
    MAX_MESSAGE_CHARS: int
    PUBLIC_URL: str
    SESSION_COOKIE_SECURE: bool
    TESTING: bool = False

    @classmethod
    def from_env(cls) -> WebConfig:
        return cls(
            SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_hex(32),
            RASA_URL=os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
            RASA_TOKEN=os.environ.get("RASA_TOKEN", ""),
            RASA_TIMEOUT=_int("RASA_TIMEOUT", 20),
            DEFAULT_CONSULTATION=os.environ.get("DEFAULT_CONSULTATION") or "bmbf-2026",
            MAX_MESSAGE_CHARS=_int("MAX_MESSAGE_CHARS", 4999),
            PUBLIC_URL=os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
            SESSION_COOKIE_SECURE=os.environ.get("PUBLIC_URL", "").startswith("https://"),
        )

    def as_flask(self) -> dict:
        d = dict(self.__dict__)
        d["CORE"] = Settings.from_env()
        d["SESSION_COOKIE_HTTPONLY"] = True
        d["SESSION_COOKIE_SAMESITE"] = "Lax"
        return d
