"""Console JSON for theme analysis: the taxonomy, an answer's tags and their review, and a
consultation's theme summary. Only redacted text is ever returned.

    GET  /console/api/themes/taxonomy
    GET  /console/api/themes/answers/<id>             tags, valence, suggestion, redacted text
    POST /console/api/themes/answers/<id>             {"code": "TRANS.cost", "action": "accept"}
    GET  /console/api/themes/consultations/<slug>     the summary, with emerging themes
    GET  /console/api/themes/years/<year>             a reporting year's summary (April-March)

POSTs need the console session and its CSRF token (header X-CSRFToken), like every form.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from sqlmodel import Session, select

from analysis.taxonomy import default_taxonomy
from analysis.themes import default_analyser
from surveys.models import AnswerAnalysis
from surveys.theme_summary import NotFound, summarise
from surveys.theme_tags import TagError, decide, tags_for
from surveys.theme_year import BadYear, summarise_year
from web.database import db_session, staff_id
from web.permissions import Permission, require

bp = Blueprint("themes", __name__, url_prefix="/console/api/themes")


@bp.get("/taxonomy")
@require(Permission.VIEW_THEMES)
def taxonomy():  # noqa: ANN201
    return jsonify(default_taxonomy().as_json())


def _answer_json(session: Session, answer_id: int) -> dict:
    analysis = session.exec(
        select(AnswerAnalysis).where(AnswerAnalysis.answer_id == answer_id)
    ).first()
    if analysis is None:
        abort(404)
    return {
        "answer_id": answer_id,
        "redacted": analysis.redacted,
        "valence": analysis.valence,
        "suggestion": analysis.suggestion,
        "model_version": analysis.model_version,
        "tags": [
            {
                "code": t.code,
                "status": t.status,
                "model_said": t.model_said,
                "score": t.score,
                "decided_by": t.decided_by,
                "decided_at": t.decided_at.isoformat() if t.decided_at else None,
            }
            for t in tags_for(session, answer_id)
        ],
    }


@bp.get("/answers/<int:answer_id>")
@require(Permission.VIEW_THEMES)
def answer_tags(answer_id: int):  # noqa: ANN201
    with db_session() as session:
        return jsonify(_answer_json(session, answer_id))


@bp.post("/answers/<int:answer_id>")
@require(Permission.TAG_THEMES)
def review_tag(answer_id: int):  # noqa: ANN201
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        return jsonify(error='expected {"code": "...", "action": "accept|remove|add"}'), 400
    with db_session() as session:
        if not session.exec(
            select(AnswerAnalysis).where(AnswerAnalysis.answer_id == answer_id)
        ).first():
            abort(404)
        try:
            decide(session, answer_id, body["code"], str(body.get("action", "")), staff_id())
        except TagError as exc:
            session.rollback()
            return jsonify(error=str(exc)), 400
        session.commit()
        return jsonify(_answer_json(session, answer_id))


@bp.get("/consultations/<slug>")
@require(Permission.VIEW_THEMES)
def consultation_summary(slug: str):  # noqa: ANN201
    with db_session() as session:
        try:
            return jsonify(summarise(session, slug, default_analyser()))
        except NotFound:
            abort(404)


@bp.get("/years/<int:year>")
@require(Permission.VIEW_THEMES)
def year_summary(year: int):  # noqa: ANN201
    with db_session() as session:
        try:
            return jsonify(summarise_year(session, year, default_analyser()))
        except BadYear:
            abort(404)
