"""Sends safeguarding notifications (email by SMTP, text by Twilio) and runs escalation.

A notification says that an alert exists, its category and where to read it: never the child's
words or identity, which stay in the console. Rows are kept and retried until they are sent.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from surveys.models import Notification, SafeguardingAlert, utcnow
from web.safeguarding.alerts import escalate_due
from web.safeguarding.settings import SafeguardingSettings

log = logging.getLogger(__name__)
BACKOFF_MINUTES = (1, 2, 5, 10)  # the last value repeats: a notification is never given up


def label(category: str) -> str:
    return category.replace("_", " ")


def alert_url(settings: SafeguardingSettings, alert_id: int) -> str:
    return f"{settings.public_url}/console/safeguarding/{alert_id}"


def email_for(n: Notification, alert: SafeguardingAlert, s: SafeguardingSettings) -> EmailMessage:
    msg = EmailMessage()
    escalated = n.purpose == "escalation"
    msg["Subject"] = (
        f"[Youth Voice] {'NOT ACKNOWLEDGED: ' if escalated else ''}"
        f"safeguarding alert #{alert.id} ({label(alert.category)})"
    )
    msg["From"] = s.smtp.sender
    msg["To"] = n.recipient
    lines = [
        "A young person's message to Youth Voice may be a safeguarding disclosure.",
        "",
        f"Alert: #{alert.id}",
        f"Category: {label(alert.category)}",
        f"Channel: {'web chat' if alert.channel == 'web' else 'SMS'}",
        f"Raised: {alert.created_at:%d %b %Y %H:%M} UTC",
        "",
    ]
    if escalated:
        lines += [
            "Nobody has acknowledged this alert in time, so it has been escalated to you.",
            "",
        ]
    lines += [
        f"Please read and acknowledge it now: {alert_url(s, alert.id)}",
        "",
        "The young person's words and identity are only in the console, not in this email.",
    ]
    msg.set_content("\n".join(lines))
    return msg


def sms_for(n: Notification, alert: SafeguardingAlert, s: SafeguardingSettings) -> str:
    prefix = "NOT ACKNOWLEDGED: " if n.purpose == "escalation" else ""
    return (
        f"{prefix}Youth Voice safeguarding alert #{alert.id} ({label(alert.category)}). "
        f"Please acknowledge: {alert_url(s, alert.id)}"
    )


class Notifier:
    """Worker job: escalates overdue alerts, then sends queued notifications."""

    def __init__(
        self,
        engine: Engine,
        settings: SafeguardingSettings,
        sms_send: Callable[[str, str], None] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.engine = engine
        self.settings = settings
        self.sms_send = sms_send
        self.clock = clock

    def run_once(self) -> int:
        """Escalate, then send everything due; returns how many notifications were sent."""
        now = self.clock()
        with Session(self.engine) as s:
            escalate_due(s, self.settings, now)
            s.commit()
        sent = 0
        with Session(self.engine) as s:
            due = s.exec(
                select(Notification)
                .where(Notification.status == "queued")
                .where(
                    or_(
                        Notification.next_attempt_at.is_(None),  # type: ignore[union-attr]
                        Notification.next_attempt_at <= now,
                    )
                )
                .order_by(Notification.id)
            ).all()
            for n in due:
                sent += self._send(s, n, now)
                s.commit()
        return sent

    def _send(self, s: Session, n: Notification, now: datetime) -> bool:
        alert = s.get(SafeguardingAlert, n.alert_id)
        try:
            if n.channel == "email":
                self._email(email_for(n, alert, self.settings))
            elif self.sms_send is None:
                raise RuntimeError("SMS is not configured (TWILIO_*)")
            else:
                self.sms_send(n.recipient, sms_for(n, alert, self.settings))
        except Exception as exc:  # noqa: BLE001  (any failure is retried; the alert stands)
            n.attempts += 1
            n.error = f"{type(exc).__name__}: {exc}"[:200]
            delay = BACKOFF_MINUTES[min(n.attempts, len(BACKOFF_MINUTES)) - 1]
            n.next_attempt_at = now + timedelta(minutes=delay)
            s.add(n)
            log.error(
                "safeguarding notification id=%s (%s) not sent: %s; retry in %s min",
                n.id,
                n.channel,
                type(exc).__name__,
                delay,
            )
            return False
        n.status = "sent"
        n.sent_at = now
        n.error = None
        s.add(n)
        log.info("safeguarding notification id=%s sent by %s", n.id, n.channel)
        return True

    def _email(self, msg: EmailMessage) -> None:
        smtp = self.settings.smtp
        if not smtp.host:
            raise RuntimeError("SMTP_HOST is not set")
        with smtplib.SMTP(smtp.host, smtp.port, timeout=15) as server:
            if smtp.starttls:
                server.starttls(context=ssl.create_default_context())
            if smtp.username:
                server.login(smtp.username, smtp.password)
            server.send_message(msg)
