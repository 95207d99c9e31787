"""The theme summary of a reporting year, across every consultation, compared with the year
before: the data behind the annual voice-of-the-child report.

A reporting year is the council's financial year, 1 April to 31 March in UK time (UK councils
plan and report on it; "2026" means 2026/27). An answer belongs to the year it was given in.
Counts, shares, sub-themes, breakdowns (cells under SUPPRESS withheld), redacted quotes,
officer agreement and emerging themes are built exactly as for one consultation.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from analysis.taxonomy import default_taxonomy
from surveys.models import (
    Answer,
    AnswerAnalysis,
    AnswerStatus,
    Consultation,
    Enrolment,
    Question,
    QuestionType,
)
from surveys.theme_summary import (
    SUPPRESS,
    breakdown_rows,
    breakdowns_of,
    emerging_rows,
    kept_tags,
    share_of,
    tally,
    theme_rows,
)
from surveys.theme_tags import agreement, unanalysed

FIRST_MONTH = 4  # April: the financial year
UK = ZoneInfo("Europe/London")
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


class BadYear(ValueError):
    """A reporting year outside EARLIEST_YEAR..LATEST_YEAR."""


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """[1 April `year`, 1 April `year + 1`), midnight UK time, as aware UTC times."""
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise BadYear(f"a reporting year is between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return tuple(  # type: ignore[return-value]
        datetime(y, FIRST_MONTH, 1, tzinfo=UK).astimezone(UTC) for y in (year, year + 1)
    )


def year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _answered_in(query, year: int):  # noqa: ANN001, ANN202
    """`query` (already joined to Question) limited to the free-text answers given in `year`."""
    start, end = year_bounds(year)
    return query.where(
        Question.type == QuestionType.TEXT,
        Answer.status == AnswerStatus.ANSWERED,
        Answer.created_at >= start,
        Answer.created_at < end,
    )


def _free_text(session: Session, year: int) -> list:
    """The year's analysed free-text answers, as (answer, analysis, question)."""
    query = (
        select(Answer, AnswerAnalysis, Question)
        .join(Question, Question.id == Answer.question_id)
        .join(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
    )
    return list(session.exec(_answered_in(query, year).order_by(Answer.id)).all())


def _not_yet_analysed(session: Session, year: int) -> int:
    query = _answered_in(unanalysed(session), year)
    return session.exec(select(func.count()).select_from(query.subquery())).one()


def _consultations(session: Session, year: int) -> list[tuple[Consultation, int]]:
    """The consultations the year's analysed answers came from, with how many each gave."""
    query = (
        select(Consultation, func.count(Answer.id))
        .join(Enrolment, Enrolment.consultation_id == Consultation.id)
        .join(Answer, Answer.enrolment_id == Enrolment.id)
        .join(Question, Question.id == Answer.question_id)
        .join(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
    )
    query = _answered_in(query, year).group_by(Consultation.id).order_by(Consultation.id)
    return [(c, n) for c, n in session.exec(query).all()]


def summarise_year(session: Session, year: int, analyser=None) -> dict[str, Any]:  # noqa: ANN001
    """The year's summary; `analyser` (the theme pipeline) adds emerging themes."""
    taxonomy = default_taxonomy()
    rows = _free_text(session, year)
    tags = kept_tags(session, [answer.id for answer, _, _ in rows])
    consultations = _consultations(session, year)
    breakdowns: dict[str, dict[int, list[str]]] = {}
    for consultation, _ in consultations:
        for kind, per in breakdowns_of(session, consultation).items():
            breakdowns.setdefault(kind, {}).update(per)
    this = tally(rows, tags, breakdowns)
    before_rows = _free_text(session, year - 1) if year > EARLIEST_YEAR else []
    before = tally(before_rows, kept_tags(session, [a.id for a, _, _ in before_rows]), {})
    themes = theme_rows(this, taxonomy)
    for row in themes:
        row["principles"] = [p for p, _ in taxonomy.theme(row["code"]).principles]
        row["previous_year"] = _compared(this, before, row["code"])
    start, end = year_bounds(year)
    summary: dict[str, Any] = {
        "year": year_label(year),
        "from": start.astimezone(UK).date().isoformat(),
        "to": (end.astimezone(UK).date() - timedelta(days=1)).isoformat(),  # inclusive
        "answers": this.answers,
        "not_yet_analysed": _not_yet_analysed(session, year),
        "suppress_below": SUPPRESS,
        "consultations": [
            {"slug": c.slug, "title": c.title, "answers": n} for c, n in consultations
        ],
        "valence": dict(sorted(this.valence.items())),
        "suggestions": this.suggestions,
        "themes": themes,
        "previous_year": {"year": year_label(year - 1), "answers": before.answers},
        "breakdowns": breakdown_rows(this),
        "agreement": {
            c: a.as_json()
            for c, a in agreement(session, [answer.id for answer, _, _ in rows]).items()
        },
    }
    if analyser is not None:
        summary["emerging"] = emerging_rows(rows, tags, analyser)
    return summary


def _compared(this, before, code: str) -> dict[str, Any]:  # noqa: ANN001
    """The theme's count and share the year before, and the change in share (percentage
    points); withheld when the year before had fewer than SUPPRESS answers."""
    if before.answers < SUPPRESS:
        return {"count": None, "share": None, "change_points": None, "suppressed": True}
    share, was = (
        share_of(this.themes[code], this.answers),
        share_of(before.themes[code], before.answers),
    )
    return {
        "count": before.themes[code],
        "share": was,
        "change_points": round((share - was) * 100, 1) if share is not None else None,
        "suppressed": False,
    }
