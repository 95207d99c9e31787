"""Consultations: list, create, edit, and preview as SMS and as web chat."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import Session, select

from surveys import audit
from surveys.models import AudienceGroup, Consultation, Question, Survey
from surveys.rendering import render_question
from surveys.text import sms_segments
from web.consultations import bp
from web.consultations.forms import ConsultationForm
from web.database import db_session, staff_id
from web.permissions import Permission, require


def consultation_or_404(s: Session, slug: str) -> Consultation:
    c = s.exec(select(Consultation).where(Consultation.slug == slug)).first()
    if c is None:
        abort(404)
    return c


def _as_datetime(d: date | None) -> datetime | None:
    return datetime.combine(d, time(), UTC) if d else None


def _form(s: Session, **data) -> ConsultationForm:  # noqa: ANN003
    form = ConsultationForm(**data)
    form.survey.choices = [("", "Choose a survey")] + [
        (sv.slug, sv.title) for sv in s.exec(select(Survey).order_by(Survey.title))
    ]
    form.group.choices = [("", "No group: people are added to waves directly")] + [
        (str(g.id), g.name) for g in s.exec(select(AudienceGroup).order_by(AudienceGroup.name))
    ]
    return form


def _apply(s: Session, form: ConsultationForm, c: Consultation) -> None:
    c.title, c.slug = form.title.data.strip(), form.slug.data.strip()
    c.survey_id = s.exec(select(Survey.id).where(Survey.slug == form.survey.data)).one()
    c.description = (form.description.data or "").strip()
    c.audience = (form.audience.data or "").strip()
    c.group_id = int(form.group.data) if form.group.data else None
    c.opens_at, c.closes_at = _as_datetime(form.opens_at.data), _as_datetime(form.closes_at.data)
    c.status = form.status.data


def _slug_taken(s: Session, slug: str, own_id: int | None) -> bool:
    other = s.exec(select(Consultation).where(Consultation.slug == slug)).first()
    return other is not None and other.id != own_id


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.MANAGE_CONSULTATIONS)
def create():
    with db_session() as s:
        form = _form(s, status="draft")
        if form.validate_on_submit():
            if _slug_taken(s, form.slug.data.strip(), None):
                form.slug.errors.append("There is already a consultation with this short name")
            else:
                c = Consultation(title="", slug="", survey_id=0)
                _apply(s, form, c)
                s.add(c)
                s.flush()
                audit.record(
                    s, "consultation_created", actor_id=staff_id(), target=f"consultation:{c.id}"
                )
                s.commit()
                flash(f"Consultation '{c.title}' created.")
                return redirect(url_for("consultations.detail", slug=c.slug))
        return render_template("consultations/form.html", form=form, consultation=None), (
            400 if form.errors else 200
        )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_CONSULTATIONS)
def edit(slug: str):
    with db_session() as s:
        c = consultation_or_404(s, slug)
        survey = s.get(Survey, c.survey_id)
        if request.method == "GET":
            form = _form(
                s,
                title=c.title,
                slug=c.slug,
                survey=survey.slug,
                description=c.description,
                audience=c.audience,
                group=str(c.group_id or ""),
                status=c.status,
                opens_at=c.opens_at.date() if c.opens_at else None,
                closes_at=c.closes_at.date() if c.closes_at else None,
            )
        else:
            form = _form(s)
        if form.validate_on_submit():
            if _slug_taken(s, form.slug.data.strip(), c.id):
                form.slug.errors.append("There is already a consultation with this short name")
            else:
                before = c.status
                _apply(s, form, c)
                s.add(c)
                audit.record(
                    s,
                    "consultation_changed",
                    actor_id=staff_id(),
                    target=f"consultation:{c.id}",
                    detail={"status": c.status} if c.status != before else {},
                )
                s.commit()
                flash("Consultation saved.")
                return redirect(url_for("consultations.detail", slug=c.slug))
        return render_template("consultations/form.html", form=form, consultation=c), (
            400 if form.errors else 200
        )


@bp.get("/<slug>")
@require(Permission.VIEW_CONSULTATIONS)
def detail(slug: str):
    with db_session() as s:
        c = consultation_or_404(s, slug)
        survey = s.get(Survey, c.survey_id)
        group = s.get(AudienceGroup, c.group_id) if c.group_id else None
    return render_template("consultations/detail.html", c=c, survey=survey, group=group)


@bp.get("/<slug>/preview")
@require(Permission.VIEW_CONSULTATIONS)
def preview(slug: str):
    channel = "sms" if request.args.get("channel") == "sms" else "web"
    with db_session() as s:
        c = consultation_or_404(s, slug)
        survey = s.get(Survey, c.survey_id)
        questions = s.exec(
            select(Question)
            .where(Question.survey_id == survey.id, Question.active)
            .order_by(Question.position)
        ).all()
    total = len(questions)
    steps = [("Welcome", survey.intro_sms if channel == "sms" else survey.intro_web, [])]
    for n, q in enumerate(questions, 1):
        reply = render_question(q, channel, n, total)
        steps.append((f"Question {n} ({q.key})", reply.text, reply.buttons))
    steps.append(("Thank you", survey.outro_sms if channel == "sms" else survey.outro_web, []))
    rows = []
    for label, text, buttons in steps:
        chars, segments, encoding = sms_segments(text)
        rows.append(
            {
                "label": label,
                "text": text,
                "buttons": buttons,
                "chars": chars,
                "segments": segments,
                "encoding": encoding,
            }
        )
    return render_template(
        "consultations/preview.html",
        c=c,
        survey=survey,
        channel=channel,
        rows=rows,
        total_segments=sum(r["segments"] for r in rows),
    )
