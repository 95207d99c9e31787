"""The audit log viewer (admins): filter by action, person, target and date; the hash chain
is checked on every view, so a changed or deleted row is reported."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, render_template, request
from sqlalchemy import func
from sqlmodel import select

from surveys import audit
from surveys.models import AuditEvent, User
from web.database import db_session
from web.permissions import Permission, require

bp = Blueprint("audit_log", __name__, url_prefix="/console/audit")
PAGE_SIZE = 50


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.get("/")
@require(Permission.VIEW_AUDIT)
def index():
    args = request.args
    action, target = args.get("action", "").strip(), args.get("target", "").strip()
    actor = args.get("actor", "").strip().lower()
    since, until = _day(args.get("from")), _day(args.get("to"))
    page = max(1, args.get("page", 1, type=int) or 1)
    errors = [
        f"Enter a real date for '{label}', like 2026-11-24"
        for key, label in (("from", "from"), ("to", "to"))
        if args.get(key) and _day(args.get(key)) is None
    ]
    query = select(AuditEvent, User.email).join(User, AuditEvent.actor_id == User.id, isouter=True)
    if action:
        query = query.where(AuditEvent.action == action)
    if target:
        query = query.where(AuditEvent.target == target)
    if actor:
        query = query.where(func.lower(User.email).contains(actor))
    if since:
        query = query.where(AuditEvent.at >= datetime.combine(since, time(), UTC))
    if until:
        query = query.where(
            AuditEvent.at < datetime.combine(until + timedelta(days=1), time(), UTC)
        )
    with db_session() as s:
        total = s.exec(select(func.count()).select_from(query.subquery())).one()
        rows = s.exec(
            query.order_by(AuditEvent.id.desc())  # type: ignore[union-attr]
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        ).all()
        actions = s.exec(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
        broken = audit.verify(s)
    pages = max(1, -(-total // PAGE_SIZE))
    return render_template(
        "audit/index.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        actions=actions,
        broken=broken,
        filters={
            "action": action,
            "target": target,
            "actor": actor,
            "from": args.get("from", ""),
            "to": args.get("to", ""),
        },
        errors=errors,
    )
