"""SMS channel: Twilio webhooks, the outbox relay and a local Twilio stand-in."""

from web.sms.routes import bp  # noqa: F401
