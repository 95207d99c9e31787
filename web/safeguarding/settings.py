"""Safeguarding settings from the environment (see README, Configuration)."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _list(name: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in os.environ.get(name, "").split(",") if v.strip())


def _int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str
    password: str
    starttls: bool
    sender: str

    @classmethod
    def from_env(cls) -> SmtpSettings:
        return cls(
            host=os.environ.get("SMTP_HOST", ""),
            port=_int("SMTP_PORT", 587),
            username=os.environ.get("SMTP_USERNAME", ""),
            password=os.environ.get("SMTP_PASSWORD", ""),
            starttls=os.environ.get("SMTP_STARTTLS", "true").lower() not in {"0", "false", "no"},
            sender=os.environ.get("SMTP_FROM", "youthvoice@localhost"),
        )


@dataclass(frozen=True)
class SafeguardingSettings:
    """Who is told about an alert, how, and how long they have to acknowledge it."""

    lead_emails: tuple[str, ...]
    backup_emails: tuple[str, ...]
    out_of_hours_emails: tuple[str, ...]
    lead_sms: tuple[str, ...]
    backup_sms: tuple[str, ...]
    out_of_hours_sms: tuple[str, ...]
    ack_minutes: int
    ack_minutes_out_of_hours: int
    office_hours: str
    public_url: str
    smtp: SmtpSettings

    @classmethod
    def from_env(cls) -> SafeguardingSettings:
        return cls(
            lead_emails=_list("SAFEGUARDING_LEAD_EMAILS"),
            backup_emails=_list("SAFEGUARDING_BACKUP_EMAILS"),
            out_of_hours_emails=_list("SAFEGUARDING_OUT_OF_HOURS_EMAILS"),
            lead_sms=_list("SAFEGUARDING_LEAD_SMS"),
            backup_sms=_list("SAFEGUARDING_BACKUP_SMS"),
            out_of_hours_sms=_list("SAFEGUARDING_OUT_OF_HOURS_SMS"),
            ack_minutes=_int("SAFEGUARDING_ACK_MINUTES", 30),
            ack_minutes_out_of_hours=_int("SAFEGUARDING_ACK_MINUTES_OUT_OF_HOURS", 30),
            office_hours=os.environ.get("OFFICE_HOURS", "Mon-Fri 09:00-17:00"),
            public_url=os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
            smtp=SmtpSettings.from_env(),
        )

    @property
    def has_contacts(self) -> bool:
        return bool(self.lead_emails or self.lead_sms or self.out_of_hours_emails)
