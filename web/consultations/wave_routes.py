"""Waves in the console: schedule a consultation's texts to a group, pause, resume or cancel
them, and watch their progress (sent, delivered, failed, started, completed, opted out)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import select

from surveys import audit
from surveys.groups import members
from surveys.models import AudienceGroup, Wave
from surveys.waves import NoConsent, WaveStateError, change_status, progress, schedule_wave
from web.consultations import waves_bp as bp
from web.consultations.forms import WaveForm
from web.consultations.routes import consultation_or_404
from web.database import db_session, staff_id
from web.permissions import Permission, require

LONDON = ZoneInfo("Europe/London")
ACTIONS = {"pause": "paused", "resume": "scheduled", "cancel": "cancelled"}  # -> status
DONE = {"pause": "paused", "resume": "resumed", "cancel": "cancelled"}


def _page(slug: str, form: WaveForm, status: int = 200):  # noqa: ANN202
    with db_session() as s:
        c = consultation_or_404(s, slug)
        groups = {g.id: g for g in s.exec(select(AudienceGroup).order_by(AudienceGroup.name))}
        form.group.choices = [("", "Choose a group")] + [
            (str(g.id), g.name) for g in groups.values()
        ]
        if request.method == "GET" and c.group_id and not form.group.data:
            form.group.data = str(c.group_id)
        waves = s.exec(
            select(Wave).where(Wave.consultation_id == c.id).order_by(Wave.start_at.desc())
        ).all()
        rows = [(w, groups.get(w.group_id), progress(s, w)) for w in waves]
    return render_template("waves/index.html", c=c, rows=rows, form=form, london=LONDON), status


@bp.get("/")
@require(Permission.MANAGE_WAVES)
def index(slug: str):
    return _page(slug, WaveForm())


@bp.post("/")
@require(Permission.MANAGE_WAVES)
def schedule(slug: str):
    form = WaveForm()
    with db_session() as s:
        c = consultation_or_404(s, slug)
        form.group.choices = [(str(g.id), g.name) for g in s.exec(select(AudienceGroup))]
        if not form.validate_on_submit():
            return _page(slug, form, 400)
        hour, minute = (int(x) for x in form.start_time.data.split(":"))
        start = datetime.combine(form.start_date.data, time(hour, minute), LONDON)
        group = s.get(AudienceGroup, int(form.group.data))
        people = [p for p in members(s, group.id) if p.opted_out_at is None]
        if not people:
            form.group.errors.append("Nobody in this group can be texted: import contacts first")
            return _page(slug, form, 400)
        try:
            wave = schedule_wave(
                s,
                c,
                people,
                start,
                form.name.data.strip(),
                form.reminder_after_days.data,
                group_id=group.id,
            )
        except NoConsent as exc:
            s.rollback()
            form.group.errors.append(f"{exc}: nobody was scheduled")
            return _page(slug, form, 400)
        audit.record(
            s,
            "wave_scheduled",
            actor_id=staff_id(),
            target=f"wave:{wave.id}",
            detail={"recipients": len(people), "group": group.id},
        )
        s.commit()
    flash(
        f"Wave scheduled: {len(people)} young people will be texted at "
        f"{start:%H:%M} on {start:%-d %B %Y} (UK time), outside quiet hours."
    )
    return redirect(url_for("waves.index", slug=slug))


@bp.post("/<int:wave_id>/<action>")
@require(Permission.MANAGE_WAVES)
def change(slug: str, wave_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    with db_session() as s:
        c = consultation_or_404(s, slug)
        wave = s.get(Wave, wave_id)
        if wave is None or wave.consultation_id != c.id:
            abort(404)
        try:
            change_status(s, wave, ACTIONS[action])
        except WaveStateError as exc:
            flash(f"That did not change anything: {exc}.")
            return redirect(url_for("waves.index", slug=slug))
        audit.record(s, f"wave_{DONE[action]}", actor_id=staff_id(), target=f"wave:{wave.id}")
        s.commit()
    flash(f"Wave '{wave.name}' {DONE[action]}.")
    return redirect(url_for("waves.index", slug=slug))
