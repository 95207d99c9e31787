"""Responses in the console: counts, the completion funnel, charts, free-text answers with
their theme tags (officers accept, remove or add them; no JavaScript needed), and the theme
summary with emerging themes. Only redacted text is shown here."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import select

from analysis.taxonomy import default_taxonomy
from analysis.themes import default_analyser
from surveys.models import Answer, AnswerAnalysis, AnswerStatus, Enrolment, Question, QuestionType
from surveys.responses import overview as response_overview
from surveys.theme_summary import summarise
from surveys.theme_tags import TagError, decide, tags_for
from web.charts import bar_chart
from web.consultations import responses_bp as bp
from web.consultations.routes import consultation_or_404
from web.database import db_session, staff_id
from web.permissions import Permission, require

PAGE_SIZE = 25


@bp.get("/")
@require(Permission.VIEW_RESPONSES)
def overview(slug: str):
    with db_session() as s:
        c = consultation_or_404(s, slug)
        figures = response_overview(s, c)
    charts = {
        f.question.id: bar_chart(f"chart-{f.question.key}", f.question.text, f.counts, f.answered)
        for f in figures.questions
        if f.counts
    }
    return render_template("responses/overview.html", c=c, o=figures, charts=charts)


@bp.get("/free-text")
@require(Permission.VIEW_RESPONSES)
def free_text(slug: str):
    page = max(1, request.args.get("page", 1, type=int) or 1)
    with db_session() as s:
        c = consultation_or_404(s, slug)
        questions = s.exec(
            select(Question)
            .where(
                Question.survey_id == c.survey_id,
                Question.active,
                Question.type == QuestionType.TEXT,
            )
            .order_by(Question.position)
        ).all()
        questions = [q for q in questions if not (q.spec or {}).get("own_name")]
        if not questions:
            return render_template(
                "responses/free_text.html",
                c=c,
                questions=[],
                rows=[],
                question=None,
                page=1,
                pages=1,
                waiting=0,
            )
        key = request.args.get("question") or questions[0].key
        question = next((q for q in questions if q.key == key), None)
        if question is None:
            abort(404)
        base = (
            select(Answer, AnswerAnalysis)
            .join(Enrolment, Enrolment.id == Answer.enrolment_id)
            .join(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id, isouter=True)
            .where(
                Enrolment.consultation_id == c.id,
                Answer.question_id == question.id,
                Answer.status == AnswerStatus.ANSWERED,
            )
        )
        everything = s.exec(base.order_by(Answer.id.desc())).all()
        analysed = [(a, an) for a, an in everything if an is not None]
        waiting = len(everything) - len(analysed)
        pages = max(1, -(-len(analysed) // PAGE_SIZE))
        shown = analysed[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        rows = [(a, an, tags_for(s, a.id)) for a, an in shown]
    return render_template(
        "responses/free_text.html",
        c=c,
        questions=questions,
        question=question,
        rows=rows,
        page=page,
        pages=pages,
        waiting=waiting,
        taxonomy=default_taxonomy(),
    )


@bp.post("/free-text/<int:answer_id>/tags")
@require(Permission.TAG_THEMES)
def tag(slug: str, answer_id: int):
    code, action = request.form.get("code", ""), request.form.get("action", "")
    with db_session() as s:
        c = consultation_or_404(s, slug)
        answer = s.get(Answer, answer_id)
        enrolment = s.get(Enrolment, answer.enrolment_id) if answer else None
        if enrolment is None or enrolment.consultation_id != c.id:
            abort(404)
        question = s.get(Question, answer.question_id)
        try:
            decide(s, answer_id, code, action, staff_id())
        except TagError as exc:
            s.rollback()
            flash(f"The tag was not changed: {exc}.")
        else:
            s.commit()
            done = {"accept": "accepted", "remove": "removed", "add": "added"}[action]
            flash(f"Tag {default_taxonomy().name_of(code)} {done} on answer {answer_id}.")
    page = request.form.get("page", "1")
    return redirect(
        url_for("responses.free_text", slug=slug, question=question.key, page=page)
        + f"#answer-{answer_id}"
    )


@bp.get("/themes")
@require(Permission.VIEW_THEMES)
def themes(slug: str):
    with db_session() as s:
        c = consultation_or_404(s, slug)
        summary = summarise(s, slug, default_analyser())
    charts = {}
    if summary["answers"]:
        rows = [(t["name"], t["count"]) for t in summary["themes"] if t["count"]]
        charts["all"] = bar_chart(
            "chart-themes", "Themes across all free-text answers", rows, summary["answers"]
        )
    names = {t["code"]: t["name"] for t in summary["themes"]}
    return render_template(
        "responses/themes.html", c=c, summary=summary, charts=charts, names=names
    )
