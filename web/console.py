"""Staff console home: the consultations and what needs attention."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func
from sqlmodel import select

from surveys.models import Answer, Consultation, Enrolment, Message, MessageStatus
from web.database import db_session
from web.permissions import Permission, require

bp = Blueprint("console", __name__, url_prefix="/console")


@bp.get("/")
@require(Permission.VIEW_DASHBOARD)
def dashboard():
    with db_session() as s:
        rows = []
        for c in s.exec(select(Consultation).order_by(Consultation.id)):
            counts = dict(
                s.exec(
                    select(Enrolment.status, func.count())
                    .where(Enrolment.consultation_id == c.id)
                    .group_by(Enrolment.status)
                ).all()
            )
            answers = s.exec(
                select(func.count(Answer.id))
                .join(Enrolment, Answer.enrolment_id == Enrolment.id)
                .where(Enrolment.consultation_id == c.id)
            ).one()
            rows.append({"c": c, "counts": counts, "answers": answers})
        failed = s.exec(
            select(Message)
            .where(Message.status == MessageStatus.FAILED)
            .order_by(Message.id.desc())  # type: ignore[union-attr]
            .limit(50)
        ).all()
    return render_template("console/dashboard.html", rows=rows, failed=failed)
