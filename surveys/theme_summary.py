"""The theme summary of one consultation, as JSON-ready data for the console and reports.

Per free-text question: how many answers carry each theme and sub-theme (count and share),
broken down by age band and group where the survey records them, valence and suggestions,
and the top redacted quotes per theme. Cells with fewer than SUPPRESS answers are withheld, as
the council's reporting convention requires. Only redacted text ever leaves this module.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, func, select

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
from surveys.theme_tags import KEPT, agreement, unanalysed

SUPPRESS = 10  # smallest group reported (domain-digest §2.4 reporting conventions)
QUOTES = 3
IDS_PER_QUERY = 5000  # well under SQLite's limit on bound parameters


class NotFound(LookupError):
    """No consultation with that slug."""


def share_of(count: int, total: int) -> float | None:
    return round(count / total, 3) if total else None


def breakdowns_of(session: Session, consultation: Consultation) -> dict[str, dict[int, list[str]]]:
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


def kept_tags(session: Session, answer_ids: list[int]) -> dict[int, list[AnswerTag]]:
    """The tags the model or an officer keeps on each answer, in id order."""
    tags: dict[int, list[AnswerTag]] = defaultdict(list)
    for at in range(0, len(answer_ids), IDS_PER_QUERY):  # a year can hold many answers
        for tag in session.exec(
            select(AnswerTag)
            .where(AnswerTag.answer_id.in_(answer_ids[at : at + IDS_PER_QUERY]))
            .where(AnswerTag.status.in_(KEPT))
            .order_by(AnswerTag.id)
        ).all():
            tags[tag.answer_id].append(tag)
    return tags


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
    tags = kept_tags(session, answer_ids)
    breakdowns = breakdowns_of(session, consultation)
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
                "share": share_of(theme_totals[code], len(rows)),
                "principles": [p for p, _ in taxonomy.theme(code).principles],
            }
            for code in taxonomy.codes
        ],
        "questions": questions,
        "agreement": {c: a.as_json() for c, a in agreement(session, answer_ids).items()},
    }
    if analyser is not None:
        summary["emerging"] = emerging_rows(rows, tags, analyser)
    return summary


def emerging_rows(rows: list, tags: dict, analyser) -> list[dict[str, Any]]:  # noqa: ANN001
    """Clusters of the answers that fit no theme well (their surest theme score is low)."""
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
    return [e.as_json() for e in cluster(unfitted(candidates), analyser.content_lemmas)]


def _not_yet_analysed(session: Session, consultation_id: int) -> int:
    """Free-text answers the worker has not tagged yet: the summary leaves them out."""
    query = (
        unanalysed(session)
        .join(Enrolment, Enrolment.id == Answer.enrolment_id)
        .where(Enrolment.consultation_id == consultation_id)
    )
    return session.exec(select(func.count()).select_from(query.subquery())).one()


@dataclass
class Tally:
    """Theme counts over a set of analysed answers, with their breakdowns and quotes."""

    answers: int = 0
    themes: Counter = field(default_factory=Counter)
    subthemes: Counter = field(default_factory=Counter)
    quotes: dict[str, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    groups: dict[str, dict[str, Counter]] = field(default_factory=dict)
    group_sizes: dict[str, Counter] = field(default_factory=dict)
    valence: Counter = field(default_factory=Counter)
    suggestions: int = 0


def tally(items: list, tags: dict, breakdowns: dict) -> Tally:
    """Count the kept tags of (answer, analysis, question) `items`."""
    t = Tally(
        answers=len(items),
        groups={k: defaultdict(Counter) for k in breakdowns},
        group_sizes={k: Counter() for k in breakdowns},
    )
    for answer, analysis, _ in items:
        codes = {tag.code for tag in tags[answer.id]}
        top = {c for c in codes if "." not in c}
        t.themes.update(top)
        t.subthemes.update(c for c in codes if "." in c)
        t.valence[analysis.valence] += 1
        t.suggestions += analysis.suggestion
        for tag in tags[answer.id]:
            if "." not in tag.code and analysis.redacted:
                confirmed = tag.status in (TagStatus.ACCEPTED, TagStatus.ADDED)
                t.quotes[tag.code].append(
                    (confirmed, tag.score or 0.0, -answer.id, analysis.redacted)
                )
        for kind, per in breakdowns.items():
            for label in per.get(answer.enrolment_id, []) or ["not recorded"]:
                t.group_sizes[kind][label] += 1
                t.groups[kind][label].update(top)
    return t


def theme_rows(t: Tally, taxonomy) -> list[dict[str, Any]]:  # noqa: ANN001
    """Each theme found: count, share, sub-themes and the top redacted quotes (confirmed by
    an officer first, then the model's surest)."""
    return [
        {
            "code": code,
            "name": taxonomy.name_of(code),
            "count": t.themes[code],
            "share": share_of(t.themes[code], t.answers),
            "subthemes": [
                {
                    "code": s.code,
                    "name": s.name,
                    "count": t.subthemes[s.code],
                    "share": share_of(t.subthemes[s.code], t.answers),
                }
                for s in taxonomy.theme(code).subthemes
                if t.subthemes[s.code]
            ],
            "quotes": [q[3] for q in sorted(t.quotes[code], reverse=True)[:QUOTES]],
        }
        for code in taxonomy.codes
        if t.themes[code]
    ]


def breakdown_rows(t: Tally) -> dict[str, list[dict[str, Any]]]:
    return {
        kind: [
            _group_row(label, t.group_sizes[kind][label], t.groups[kind][label])
            for label in sorted(t.group_sizes[kind])
        ]
        for kind in t.group_sizes
    }


def _question_summary(items: list, tags: dict, breakdowns: dict, taxonomy) -> dict[str, Any]:  # noqa: ANN001
    question = items[0][2]
    t = tally(items, tags, breakdowns)
    return {
        "question": {"key": question.key, "text": question.text},
        "answers": t.answers,
        "valence": dict(sorted(t.valence.items())),
        "suggestions": t.suggestions,
        "themes": theme_rows(t, taxonomy),
        "breakdowns": breakdown_rows(t),
    }


def _group_row(label: str, size: int, counts: Counter) -> dict[str, Any]:
    if size < SUPPRESS:
        return {"group": label, "answers": None, "suppressed": True, "themes": {}}
    return {
        "group": label,
        "answers": size,
        "suppressed": False,
        "themes": {c: {"count": n, "share": share_of(n, size)} for c, n in sorted(counts.items())},
    }
