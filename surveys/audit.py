"""The append-only audit log. Each row's hash covers the previous row's hash, so a changed or
deleted row breaks the chain (`verify`). Details hold ids and categories, never what a child wrote.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, select

from surveys.models import AuditEvent, utcnow

GENESIS = "0" * 64
_PG_LOCK = 7_210_001  # advisory lock id: one appender at a time on PostgreSQL


def _digest(prev: str, at: datetime, actor: int | None, action: str, target: str, detail) -> str:
    payload = json.dumps(
        [prev, at.isoformat(timespec="microseconds"), actor, action, target, detail],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (it is kept only if that commits)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
    prev = session.exec(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)  # type: ignore[union-attr]
    ).first()
    prev = prev or GENESIS
    at = at or utcnow()
    # Stored as an integer: hash what will be read back ("1" from a login session is not 1).
    actor_id = None if actor_id is None else int(actor_id)
    detail = detail or {}
    event = AuditEvent(
        at=at,
        actor_id=actor_id,
        action=action,
        target=target,
        detail=detail,
        prev_hash=prev,
        hash=_digest(prev, at, actor_id, action, target, detail),
    )
    session.add(event)
    session.flush()
    return event


def verify(session: Session) -> int | None:
    """The id of the first row whose hash or link is wrong, or None if the chain is intact."""
    prev = GENESIS
    for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)):
        expected = _digest(prev, e.at, e.actor_id, e.action, e.target, e.detail)
        if e.prev_hash != prev or e.hash != expected:
            return e.id
        prev = e.hash
    return None
