"""The theme summary of one consultation, as JSON-ready data for the console and reports.

Per free-text question: how many answers carry each theme and sub-theme (count and share),
broken down by age band and group where the survey records them, valence and suggestions,
and the top redacted quotes per theme. Cells with fewer than SUPPRESS answers are withheld, as
the council's reporting convention requires. Only redacted text ever leaves this module.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlmodel import Session, select

from analysis.emerging import Unfitted, cluster, unfitted
from analysis.taxonomy import default_taxonomy
from surveys.models import (
    Answer,
    AnswerAnalysis,
    AnswerStatus,
    AnswerTag,
    Consultation,
    Enrolment,
    Question,
    QuestionType,
    TagStatus,
)
from surveys.theme_tags import KEPT, agreement, own_name_questions

SUPPRESS = 10  # smallest group reported (domain-digest §2.4 reporting conventions)
QUOTES = 3


class NotFound(LookupError):
    """No consultation with that slug."""


def _share(count: int, total: int) -> float | None:
    return round(count / total, 3) if total else None


def _breakdowns(session: Session, consultation: Consultation) -> dict[str, dict[int, list[str]]]:
    """{"age_band": {enrolment_id: [label]}, "group": {...}} from the survey's own questions."""
    questions = session.exec(
        select(Question).where(Question.survey_id == consultation.survey_id).order_by(Question.id)
    ).all()
    out: dict[str, dict[int, list[str]]] = {}
    for q in questions:
        kind = (q.spec or {}).get("breakdown")
        if not kind:
            continue
        labels = {o["value"]: o.get("label", o["value"]) for o in (q.spec or {}).get("options", [])}
        per: dict[int, list[str]] = out.setdefault(kind, {})
        rows = session.exec(
            select(Answer.enrolment_id, Answer.value)
            .join(Enrolment, Enrolment.id == Answer.enrolment_id)
            .where(Answer.question_id == q.id, Enrolment.consultation_id == consultation.id)
            .order_by(Answer.id)
        ).all()
        for enrolment_id, value in rows:
            values = value if isinstance(value, list) else [value] if value else []
            per[enrolment_id] = [labels.get(v, str(v)) for v in values]
    return out


def summarise(session: Session, slug: str, analyser=None) -> dict[str, Any]:  # noqa: ANN001
    """The summary; `analyser` (the theme pipeline) adds emerging themes when given."""
    consultation = session.exec(select(Consultation).where(Consultation.slug == slug)).first()
    if consultation is None:
        raise NotFound(slug)
    taxonomy = default_taxonomy()
    rows = session.exec(
        select(Answer, AnswerAnalysis, Question)
        .join(Question, Question.id == Answer.question_id)
        .join(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
        .join(Enrolment, Enrolment.id == Answer.enrolment_id)
        .where(Enrolment.consultation_id == consultation.id)
        .where(Question.type == QuestionType.TEXT, Answer.status == AnswerStatus.ANSWERED)
        .order_by(Answer.id)
    ).all()
    answer_ids = [answer.id for answer, _, _ in rows]
    tags: dict[int, list[AnswerTag]] = defaultdict(list)
    if answer_ids:
        for tag in session.exec(
            select(AnswerTag)
            .where(AnswerTag.answer_id.in_(answer_ids), AnswerTag.status.in_(KEPT))
            .order_by(AnswerTag.id)
        ).all():
            tags[tag.answer_id].append(tag)
    breakdowns = _breakdowns(session, consultation)
    by_question: dict[int, list] = defaultdict(list)
    for answer, analysis, question in rows:
        by_question[question.id].append((answer, analysis, question))

    questions = []
    for _, items in sorted(by_question.items(), key=lambda kv: kv[1][0][2].position):
        questions.append(_question_summary(items, tags, breakdowns, taxonomy))

    theme_totals = Counter()
    for answer_id in answer_ids:
        theme_totals.update({t.code for t in tags[answer_id] if "." not in t.code})
    summary: dict[str, Any] = {
        "consultation": {"slug": consultation.slug, "title": consultation.title},
        "answers": len(rows),
        "not_yet_analysed": _not_yet_analysed(session, consultation.id),
        "suppress_below": SUPPRESS,
        "themes": [
            {
                "code": code,
                "name": taxonomy.name_of(code),
                "count": theme_totals[code],
                "share": _share(theme_totals[code], len(rows)),
                "principles": [p for p, _ in taxonomy.theme(code).principles],
            }
            for code in taxonomy.codes
        ],
        "questions": questions,
        "agreement": {c: a.as_json() for c, a in agreement(session, answer_ids).items()},
    }
    if analyser is not None:
        candidates = [
            Unfitted(
                answer.id,
                answer.raw_text,
                analysis.redacted,
                max((t.score or 0.0 for t in tags[answer.id] if "." not in t.code), default=0.0)
                if any("." not in t.code for t in tags[answer.id])
                else 0.0,
            )
            for answer, analysis, _ in rows
        ]
        summary["emerging"] = [
            e.as_json() for e in cluster(unfitted(candidates), analyser.content_lemmas)
        ]
    return summary


def _not_yet_analysed(session: Session, consultation_id: int) -> int:
    """Free-text answers the worker has not tagged yet: the summary leaves them out."""
    return len(
        session.exec(
            select(Answer.id)
            .join(Question, Question.id == Answer.question_id)
            .join(Enrolment, Enrolment.id == Answer.enrolment_id)
            .outerjoin(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
            .where(Enrolment.consultation_id == consultation_id, AnswerAnalysis.id.is_(None))
            .where(Question.type == QuestionType.TEXT, Answer.status == AnswerStatus.ANSWERED)
            .where(Answer.raw_text != "", Answer.question_id.notin_(own_name_questions(session)))
        ).all()
    )


def _question_summary(items: list, tags: dict, breakdowns: dict, taxonomy) -> dict[str, Any]:  # noqa: ANN001
    question = items[0][2]
    n = len(items)
    themes, subs = Counter(), Counter()
    quotes: dict[str, list[tuple]] = defaultdict(list)
    groups: dict[str, dict[str, Counter]] = {k: defaultdict(Counter) for k in breakdowns}
    group_sizes: dict[str, Counter] = {k: Counter() for k in breakdowns}
    valence, suggestions = Counter(), 0
    for answer, analysis, _ in items:
        codes = {t.code for t in tags[answer.id]}
        top = {c for c in codes if "." not in c}
        themes.update(top)
        subs.update(c for c in codes if "." in c)
        valence[analysis.valence] += 1
        suggestions += analysis.suggestion
        for t in tags[answer.id]:
            if "." not in t.code and analysis.redacted:
                confirmed = t.status in (TagStatus.ACCEPTED, TagStatus.ADDED)
                quotes[t.code].append((confirmed, t.score or 0.0, -answer.id, analysis.redacted))
        for kind, per in breakdowns.items():
            for label in per.get(answer.enrolment_id, []) or ["not recorded"]:
                group_sizes[kind][label] += 1
                groups[kind][label].update(top)
    return {
        "question": {"key": question.key, "text": question.text},
        "answers": n,
        "valence": dict(sorted(valence.items())),
        "suggestions": suggestions,
        "themes": [
            {
                "code": code,
                "name": taxonomy.name_of(code),
                "count": themes[code],
                "share": _share(themes[code], n),
                "subthemes": [
                    {
                        "code": s.code,
                        "name": s.name,
                        "count": subs[s.code],
                        "share": _share(subs[s.code], n),
                    }
                    for s in taxonomy.theme(code).subthemes
                    if subs[s.code]
                ],
                "quotes": [q[3] for q in sorted(quotes[code], reverse=True)[:QUOTES]],
            }
            for code in taxonomy.codes
            if themes[code]
        ],
        "breakdowns": {
            kind: [
                _group_row(label, group_sizes[kind][label], groups[kind][label])
                for label in sorted(group_sizes[kind])
            ]
            for kind in breakdowns
        },
    }


def _group_row(label: str, size: int, counts: Counter) -> dict[str, Any]:
    if size < SUPPRESS:
        return {"group": label, "answers": None, "suppressed": True, "themes": {}}
    return {
        "group": label,
        "answers": size,
        "suppressed": False,
        "themes": {c: {"count": n, "share": _share(n, size)} for c, n in sorted(counts.items())},
    }
