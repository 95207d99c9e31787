"""Delivery status: Twilio's callbacks can arrive late or out of order, so only move forward."""

from __future__ import annotations

from surveys.models import Message, MessageStatus

RANK = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.UNDELIVERED: 3,
    MessageStatus.FAILED: 3,
}
TWILIO_TO_OURS = {
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
}


def apply_status(msg: Message, twilio_status: str, error_code: str | None = None) -> bool:
    """Record a provider status if it moves the message forward; True if it changed."""
    new = TWILIO_TO_OURS.get((twilio_status or "").lower())
    if new is None or RANK[new] <= RANK.get(MessageStatus(msg.status), 0):
        return False
    msg.status = new
    if error_code:
        msg.error = f"twilio error {error_code}"[:200]
    return True
