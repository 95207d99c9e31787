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
    SESSION_IDLE_MINUTES: int
    SESSION_MAX_HOURS: int
    TRUSTED_PROXY_HOPS: int
    RATELIMIT_STORAGE_URI: str
    MAX_CONTENT_LENGTH: int
    TESTING: bool = False

    @classmethod
    def from_env(cls) -> WebConfig:
        public_url = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
        return cls(
            SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_hex(32),
            RASA_URL=os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
            RASA_TOKEN=os.environ.get("RASA_TOKEN", ""),
            RASA_TIMEOUT=_int("RASA_TIMEOUT", 20),
            DEFAULT_CONSULTATION=os.environ.get("DEFAULT_CONSULTATION") or "bmbf-2026",
            MAX_MESSAGE_CHARS=_int("MAX_MESSAGE_CHARS", 4999),
            PUBLIC_URL=public_url,
            # Secure cookies (and HTTPS redirects, HSTS) once the service is public on HTTPS.
            SESSION_COOKIE_SECURE=public_url.startswith("https://"),
            SESSION_IDLE_MINUTES=_int("SESSION_IDLE_MINUTES", 30),
            SESSION_MAX_HOURS=_int("SESSION_MAX_HOURS", 12),
            TRUSTED_PROXY_HOPS=_int("TRUSTED_PROXY_HOPS", 0),
            # memory:// counts per gunicorn worker; use redis://... with several workers.
            RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
            MAX_CONTENT_LENGTH=_int("MAX_UPLOAD_BYTES", 5 * 1024 * 1024),
        )

    def as_flask(self) -> dict:
        d = dict(self.__dict__)
        d["CORE"] = Settings.from_env()
        d["SESSION_COOKIE_HTTPONLY"] = True
        d["SESSION_COOKIE_SAMESITE"] = "Lax"
        d["RATELIMIT_HEADERS_ENABLED"] = True
        return d
