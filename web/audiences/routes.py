"""Groups and contacts. Numbers are shown masked (last three digits); every view of a
group's members and every import is audited. Nobody without a recorded consent source and
date is imported, so nobody can be texted without one."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from sqlmodel import select

from surveys import audit
from surveys.audiences import import_contacts
from surveys.groups import add_members, counts, members
from surveys.models import AudienceGroup
from surveys.participants import phone_of
from web.audiences import bp
from web.audiences.forms import GroupForm, ImportForm
from web.database import db_session, staff_id
from web.permissions import Permission, require

MAX_CSV_BYTES = 2 * 1024 * 1024
TEMPLATE_CSV = (
    "phone,consent_source,consent_date\n07700900123,Youth Assembly sign-up form,2026-09-01\n"
)


def _masked(data_key: str | None, participant) -> str:  # noqa: ANN001
    try:
        number = phone_of(data_key, participant)
    except ValueError:
        return "No number"
    return "•" * (len(number) - 3) + number[-3:]


@bp.get("/")
@require(Permission.VIEW_AUDIENCES)
def groups():
    with db_session() as s:
        rows = s.exec(select(AudienceGroup).order_by(AudienceGroup.name)).all()
        sizes = counts(s)
    return render_template("audiences/groups.html", groups=rows, sizes=sizes)


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.MANAGE_AUDIENCES)
def create():
    form = GroupForm()
    if form.validate_on_submit():
        name = form.name.data.strip()
        with db_session() as s:
            if s.exec(select(AudienceGroup).where(AudienceGroup.name == name)).first():
                form.name.errors.append("There is already a group with this name")
            else:
                group = AudienceGroup(name=name, description=(form.description.data or "").strip())
                s.add(group)
                s.flush()
                audit.record(s, "group_created", actor_id=staff_id(), target=f"group:{group.id}")
                s.commit()
                return redirect(url_for("audiences.group", group_id=group.id))
    return render_template("audiences/new.html", form=form), 400 if form.errors else 200


@bp.get("/template.csv")
@require(Permission.VIEW_AUDIENCES)
def template():
    return current_app.response_class(
        TEMPLATE_CSV,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="contacts-template.csv"'},
    )


def _group_page(group_id: int, form: ImportForm, report=None):  # noqa: ANN001, ANN202
    """The group's page: its members (masked numbers; the view is audited) and the import."""
    data_key = current_app.config["CORE"].data_key
    with db_session() as s:
        grp = s.get(AudienceGroup, group_id)
        rows = [
            {
                "key": p.key,
                "number": _masked(data_key, p),
                "consent_source": p.consent_source,
                "consent_at": p.consent_at,
                "opted_out_at": p.opted_out_at,
            }
            for p in members(s, group_id)
        ]
        audit.record(
            s,
            "group_members_viewed",
            actor_id=staff_id(),
            target=f"group:{group_id}",
            detail={"members": len(rows)},
        )
        s.commit()
    status = 400 if form.errors or (report is not None and not report.participants) else 200
    return render_template(
        "audiences/group.html", group=grp, rows=rows, form=form, report=report
    ), status


def _group_or_404(group_id: int) -> AudienceGroup:
    with db_session() as s:
        grp = s.get(AudienceGroup, group_id)
    if grp is None:
        abort(404)
    return grp


@bp.get("/<int:group_id>")
@require(Permission.VIEW_AUDIENCES)
def group(group_id: int):
    _group_or_404(group_id)
    return _group_page(group_id, ImportForm())


@bp.post("/<int:group_id>/import")
@require(Permission.MANAGE_AUDIENCES)
def import_csv(group_id: int):
    """Import contacts from CSV: valid rows join the group; every bad row is reported by line
    (never with the number in it) and nothing already stored is changed by a bad row."""
    _group_or_404(group_id)
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = request.files.get("file")
        raw = upload.read(MAX_CSV_BYTES + 1) if upload and upload.filename else b""
        if not raw:
            form.file.errors = ["Choose a CSV file"]
        elif len(raw) > MAX_CSV_BYTES:
            form.file.errors = ["The file is too big: at most 2 MB"]
        else:
            with db_session() as s:
                grp = s.get(AudienceGroup, group_id)
                report = import_contacts(s, current_app.config["CORE"].data_key, raw)
                report.added = add_members(s, grp, report.participants)
                audit.record(
                    s,
                    "contacts_imported",
                    actor_id=staff_id(),
                    target=f"group:{group_id}",
                    detail={
                        "valid": len(report.participants),
                        "added": report.added,
                        "refused": len(report.errors),
                    },
                )
                s.commit()
    return _group_page(group_id, form, report)
