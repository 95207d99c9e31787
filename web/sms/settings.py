"""SMS settings from the environment (see README, Configuration)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import time


def _hhmm(value: str) -> time:
    hours, minutes = value.strip().split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class SmsSettings:
    account_sid: str
    auth_token: str
    messaging_service_sid: str
    from_number: str
    api_url: str  # Twilio's REST base URL, or the local stand-in's
    public_url: str  # what Twilio calls: signatures are checked against this, not request.url
    rate_per_second: float
    quiet_start: time
    quiet_end: time
    consultation: str | None  # where a number that texts in out of the blue is enrolled

    @classmethod
    def from_env(cls) -> SmsSettings:
        quiet = os.environ.get("QUIET_HOURS", "21:00-08:00").split("-")
        return cls(
            account_sid=os.environ.get("TWILIO_ACCOUNT_SID", ""),
            auth_token=os.environ.get("TWILIO_AUTH_TOKEN", ""),
            messaging_service_sid=os.environ.get("TWILIO_MESSAGING_SERVICE_SID", ""),
            from_number=os.environ.get("TWILIO_FROM_NUMBER", ""),
            api_url=os.environ.get("TWILIO_API_URL", "https://api.twilio.com").rstrip("/"),
            public_url=os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
            rate_per_second=float(os.environ.get("SMS_RATE_PER_SECOND", "1")),
            quiet_start=_hhmm(quiet[0]),
            quiet_end=_hhmm(quiet[1]),
            consultation=os.environ.get("SMS_CONSULTATION")
            or os.environ.get("DEFAULT_CONSULTATION")
            or "bmbf-2026",
        )

    @property
    def configured(self) -> bool:
        return bool(
            self.account_sid
            and self.auth_token
            and (self.messaging_service_sid or self.from_number)
        )

    def url_for(self, path: str) -> str:
        return self.public_url + path

    def sender(self) -> dict[str, str]:
        """The twilio `messages.create` arguments naming who a text is from."""
        if self.messaging_service_sid:
            return {"messaging_service_sid": self.messaging_service_sid}
        return {"from_": self.from_number}
