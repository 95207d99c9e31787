"""The safeguarding queue in the console: safeguarding leads and duty workers only.

Opening an alert shows the young person's words and identity, so every view is audited.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case
from sqlmodel import select

from surveys import audit
from surveys.models import (
    AlertNote,
    AlertOutcome,
    AlertStatus,
    Message,
    Notification,
    Participant,
    SafeguardingAlert,
    User,
    utcnow,
)
from surveys.privacy import decrypt_contact
from web.database import db_session, staff_id
from web.permissions import Permission, require
from web.safeguarding.alerts import AlertStateError, acknowledge, add_note, close

bp = Blueprint("safeguarding", __name__, url_prefix="/console/safeguarding")
TRANSCRIPT_LIMIT = 100
OUTCOME_LABELS = {
    AlertOutcome.REFERRED_SOCIAL_CARE: "Referred to children's social care",
    AlertOutcome.REFERRED_POLICE: "Referred to the police",
    AlertOutcome.CONTACTED_CHILD_WORKER: "Passed to the child's social worker, IRO or school",
    AlertOutcome.ADVICE_ONLY: "Advice and signposting only",
    AlertOutcome.NO_CONCERN: "Read by a person: no safeguarding concern",
}


@bp.get("/")
@require(Permission.SAFEGUARDING)
def queue():
    now = utcnow()
    open_first = case(
        (SafeguardingAlert.status == AlertStatus.OPEN, 0),
        (SafeguardingAlert.status == AlertStatus.ACKNOWLEDGED, 1),
        else_=2,
    )
    with db_session() as s:
        alerts = s.exec(
            select(SafeguardingAlert)
            .order_by(open_first, SafeguardingAlert.created_at.desc())  # type: ignore[attr-defined]
            .limit(200)
        ).all()
        unsent = s.exec(
            select(Notification).where(Notification.status == "queued", Notification.attempts > 0)
        ).all()
    return render_template(
        "safeguarding/queue.html", alerts=alerts, now=now, unsent=unsent, user=current_user
    )


@bp.get("/<int:alert_id>")
@require(Permission.SAFEGUARDING)
def detail(alert_id: int):
    with db_session() as s:
        alert = s.get(SafeguardingAlert, alert_id) or abort(404)
        participant = s.get(Participant, alert.participant_id)
        transcript = s.exec(
            select(Message)
            .where(Message.participant_id == participant.id)
            .order_by(Message.id.desc())  # type: ignore[union-attr]
            .limit(TRANSCRIPT_LIMIT)
        ).all()[::-1]
        notes = s.exec(
            select(AlertNote, User.email)
            .join(User, AlertNote.author_id == User.id)
            .where(AlertNote.alert_id == alert.id)
            .order_by(AlertNote.id)
        ).all()
        notifications = s.exec(
            select(Notification).where(Notification.alert_id == alert.id).order_by(Notification.id)
        ).all()
        staff = {u.id: u.email for u in s.exec(select(User))}
        contact = _contact(participant)
        audit.record(
            s,
            "alert.viewed",
            actor_id=staff_id(),
            target=f"alert:{alert.id}",
            detail={"participant_id": participant.id},
        )
        s.commit()
    return render_template(
        "safeguarding/detail.html",
        alert=alert,
        participant=participant,
        contact=contact,
        transcript=transcript,
        notes=notes,
        notifications=notifications,
        staff=staff,
        outcomes=OUTCOME_LABELS,
        now=utcnow(),
    )


def _contact(participant: Participant) -> str | None:
    if not participant.contact_encrypted:
        return None
    try:
        return decrypt_contact(current_app.config["CORE"].data_key, participant.contact_encrypted)
    except ValueError:
        return "(cannot be decrypted with this data key)"


def _act(alert_id: int, action) -> object:  # noqa: ANN001
    with db_session() as s:
        alert = s.get(SafeguardingAlert, alert_id) or abort(404)
        try:
            action(s, alert)
        except AlertStateError as exc:
            s.rollback()
            flash(str(exc), "error")
            return redirect(url_for("safeguarding.detail", alert_id=alert_id))
        s.commit()
    return redirect(url_for("safeguarding.detail", alert_id=alert_id))


@bp.post("/<int:alert_id>/acknowledge")
@require(Permission.SAFEGUARDING)
def acknowledge_alert(alert_id: int):
    return _act(alert_id, lambda s, a: acknowledge(s, a, staff_id(), utcnow()))


@bp.post("/<int:alert_id>/notes")
@require(Permission.SAFEGUARDING)
def add_alert_note(alert_id: int):
    body = request.form.get("note", "")
    return _act(alert_id, lambda s, a: add_note(s, a, staff_id(), body, utcnow()))


@bp.post("/<int:alert_id>/close")
@require(Permission.SAFEGUARDING)
def close_alert(alert_id: int):
    outcome = request.form.get("outcome", "")
    return _act(alert_id, lambda s, a: close(s, a, staff_id(), outcome, utcnow()))
