"""Surveys in the console: import YAML, build and reorder questions in forms, download YAML.

Every change is validated exactly like a YAML file (surveys.editing) and audited."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlmodel import Session, select

from surveys import audit
from surveys.definitions import DefinitionError
from surveys.editing import as_yaml, definition_of, import_yaml, options_text, parse_options, save
from surveys.models import Consultation, QuestionType, Survey
from web.consultations import surveys_bp as bp
from web.consultations.forms import ImportForm, QuestionForm, SurveyForm
from web.database import db_session, staff_id
from web.permissions import Permission, require

MAX_YAML_BYTES = 200_000
RESERVED = {"new", "import"}  # pages of their own under /console/surveys/


def _survey_or_404(s: Session, slug: str) -> Survey:
    survey = s.exec(select(Survey).where(Survey.slug == slug)).first()
    if survey is None:
        abort(404)
    return survey


@bp.get("/")
@require(Permission.VIEW_CONSULTATIONS)
def index():
    with db_session() as s:
        surveys = s.exec(select(Survey).order_by(Survey.title)).all()
        used = {}
        for c in s.exec(select(Consultation)):
            used.setdefault(c.survey_id, []).append(c)
    return render_template("surveys/index.html", surveys=surveys, used=used)


@bp.route("/import", methods=["GET", "POST"])
@require(Permission.MANAGE_CONSULTATIONS)
def import_survey():
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = request.files.get("file")
        raw = upload.read(MAX_YAML_BYTES + 1) if upload and upload.filename else b""
        if len(raw) > MAX_YAML_BYTES:
            problems = ["The file is too big: a survey file is at most 200 KB"]
        else:
            try:
                text = raw.decode("utf-8") if raw else (form.text.data or "")
            except UnicodeDecodeError:
                text, problems = "", ["The file is not UTF-8 text"]
            if not problems and not text.strip():
                problems = ["Choose a YAML file or paste the survey"]
            if not problems:
                name = upload.filename if raw else "pasted text"
                with db_session() as s:
                    try:
                        survey, changed = import_yaml(s, text, name)
                    except DefinitionError as exc:
                        problems = exc.problems
                    else:
                        audit.record(
                            s,
                            "survey_imported",
                            actor_id=staff_id(),
                            target=f"survey:{survey.id}",
                            detail={"changed": changed},
                        )
                        s.commit()
                        flash(
                            f"Survey '{survey.title}' imported."
                            if changed
                            else f"Survey '{survey.title}' is already up to date."
                        )
                        return redirect(url_for("surveys.detail", slug=survey.slug))
    status = 400 if problems or form.errors else 200
    return render_template("surveys/import.html", form=form, problems=problems), status


@bp.get("/<slug>")
@require(Permission.VIEW_CONSULTATIONS)
def detail(slug: str):
    with db_session() as s:
        survey = _survey_or_404(s, slug)
        definition = definition_of(s, survey)
    return render_template("surveys/detail.html", survey=survey, d=definition)


@bp.get("/<slug>/survey.yaml")
@require(Permission.VIEW_CONSULTATIONS)
def download(slug: str):
    with db_session() as s:
        text = as_yaml(definition_of(s, _survey_or_404(s, slug)))
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{slug}.yaml"'},
    )


def _question_from(form: QuestionForm) -> dict[str, Any]:
    q: dict[str, Any] = {
        "key": form.key.data.strip(),
        "type": form.type.data,
        "text": form.text.data.strip(),
    }
    if (form.sms.data or "").strip():
        q["sms"] = form.sms.data.strip()
    if (form.help.data or "").strip():
        q["help"] = form.help.data.strip()
    if form.type.data in (QuestionType.SINGLE, QuestionType.MULTI):
        q["options"] = parse_options(form.options.data or "")
    if form.type.data == QuestionType.SCALE:
        q["scale"] = {
            "min": form.scale_min.data if form.scale_min.data is not None else 1,
            "max": form.scale_max.data or 5,
            "low": (form.scale_low.data or "").strip(),
            "high": (form.scale_high.data or "").strip(),
        }
    return q


def _save(s: Session, survey: Survey, definition: dict, action: str, key: str) -> list[str]:
    try:
        save(s, definition)
    except DefinitionError as exc:
        s.rollback()
        return exc.problems
    audit.record(
        s, action, actor_id=staff_id(), target=f"survey:{survey.id}", detail={"question": key}
    )
    s.commit()
    return []


@bp.route("/<slug>/questions/new", methods=["GET", "POST"])
@bp.route("/<slug>/questions/<key>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_CONSULTATIONS)
def question(slug: str, key: str | None = None):
    with db_session() as s:
        survey = _survey_or_404(s, slug)
        definition = definition_of(s, survey)
        index = next((i for i, q in enumerate(definition["questions"]) if q["key"] == key), None)
        if key is not None and index is None:
            abort(404)
        current = definition["questions"][index] if index is not None else {}
        if request.method == "GET" and current:
            scale = current.get("scale") or {}
            form = QuestionForm(
                key=current["key"],
                type=current["type"],
                text=current["text"],
                sms=current.get("sms", ""),
                help=current.get("help", ""),
                options=options_text(current.get("options", [])),
                scale_min=scale.get("min"),
                scale_max=scale.get("max"),
                scale_low=scale.get("low", ""),
                scale_high=scale.get("high", ""),
            )
        else:
            form = QuestionForm()
        problems: list[str] = []
        if form.validate_on_submit():
            new = {
                **{k: v for k, v in current.items() if k not in ("options", "scale")},
                **_question_from(form),
            }
            if index is None:
                definition["questions"].append(new)
            else:
                definition["questions"][index] = new
            problems = _save(s, survey, definition, "survey_question_saved", new["key"])
            if not problems:
                flash(f"Question {new['key']} saved.")
                return redirect(url_for("surveys.detail", slug=slug))
        status = 400 if problems or form.errors else 200
        return render_template(
            "surveys/question.html", form=form, survey=survey, key=key, problems=problems
        ), status


@bp.post("/<slug>/questions/<key>/move")
@require(Permission.MANAGE_CONSULTATIONS)
def move(slug: str, key: str):
    step = -1 if request.form.get("direction") == "up" else 1
    with db_session() as s:
        survey = _survey_or_404(s, slug)
        definition = definition_of(s, survey)
        keys = [q["key"] for q in definition["questions"]]
        if key not in keys:
            abort(404)
        i, j = keys.index(key), keys.index(key) + step
        if 0 <= j < len(keys):
            qs = definition["questions"]
            qs[i], qs[j] = qs[j], qs[i]
            for problem in _save(s, survey, definition, "survey_question_moved", key):
                flash(problem)
    return redirect(url_for("surveys.detail", slug=slug) + f"#question-{key}")


@bp.post("/<slug>/questions/<key>/remove")
@require(Permission.MANAGE_CONSULTATIONS)
def remove(slug: str, key: str):
    with db_session() as s:
        survey = _survey_or_404(s, slug)
        definition = definition_of(s, survey)
        before = len(definition["questions"])
        definition["questions"] = [q for q in definition["questions"] if q["key"] != key]
        if len(definition["questions"]) == before:
            abort(404)
        problems = _save(s, survey, definition, "survey_question_removed", key)
    for problem in problems:
        flash(problem)
    if not problems:
        flash(f"Question {key} removed. Answers already given to it are kept.")
    return redirect(url_for("surveys.detail", slug=slug))


def _details(form: SurveyForm, slug: str) -> dict[str, Any]:
    return {
        "slug": slug,
        "title": form.title.data.strip(),
        "description": (form.description.data or "").strip(),
        "audience": (form.audience.data or "").strip(),
        "intro": {"web": form.intro_web.data.strip(), "sms": form.intro_sms.data.strip()},
        "outro": {"web": form.outro_web.data.strip(), "sms": form.outro_sms.data.strip()},
    }


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.MANAGE_CONSULTATIONS)
def create():
    """A new survey built in forms: its details and its first question, checked together."""
    form, question = SurveyForm(prefix="survey"), QuestionForm(prefix="question")
    problems: list[str] = []
    both_valid = form.validate_on_submit()
    both_valid = question.validate_on_submit() and both_valid  # check both: show every error
    if request.method == "POST" and both_valid:
        with db_session() as s:
            slug = form.slug.data.strip()
            if slug in RESERVED or s.exec(select(Survey).where(Survey.slug == slug)).first():
                form.slug.errors.append("There is already a survey with this short name")
            else:
                definition = {
                    **_details(form, slug),
                    "channels": ["web", "sms"],
                    "questions": [_question_from(question)],
                }
                try:
                    survey = save(s, definition)
                except DefinitionError as exc:
                    s.rollback()
                    problems = exc.problems
                else:
                    audit.record(
                        s, "survey_created", actor_id=staff_id(), target=f"survey:{survey.id}"
                    )
                    s.commit()
                    flash(f"Survey '{survey.title}' created. Add its other questions below.")
                    return redirect(url_for("surveys.detail", slug=survey.slug))
    status = 400 if problems or form.errors or question.errors else 200
    return render_template(
        "surveys/new.html", form=form, question=question, problems=problems
    ), status


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_CONSULTATIONS)
def edit(slug: str):
    """Change a survey's title, description and welcome and thank-you messages."""
    with db_session() as s:
        survey = _survey_or_404(s, slug)
        definition = definition_of(s, survey)
        if request.method == "GET":
            form = SurveyForm(
                slug=survey.slug,
                title=survey.title,
                description=survey.description,
                audience=survey.audience,
                intro_web=survey.intro_web,
                intro_sms=survey.intro_sms,
                outro_web=survey.outro_web,
                outro_sms=survey.outro_sms,
            )
        else:
            form = SurveyForm()
        del form.slug  # the short name never changes: consultations and answers refer to it
        problems: list[str] = []
        if request.method == "POST" and form.validate_on_submit():
            definition.update(_details(form, survey.slug))
            problems = _save(s, survey, definition, "survey_details_saved", "")
            if not problems:
                flash("Survey details saved.")
                return redirect(url_for("surveys.detail", slug=slug))
        status = 400 if problems or form.errors else 200
        return render_template(
            "surveys/edit.html", form=form, survey=survey, problems=problems
        ), status
