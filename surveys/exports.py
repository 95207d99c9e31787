"""Exports of a consultation's answers and theme tables, as CSV or XLSX.

Spreadsheet programs run a cell that starts with = + - @ (or a tab, carriage return or NUL
before one) as a formula, so every such text cell is neutralised with a leading apostrophe
(OWASP's CSV injection advice). Free text is exported redacted, never as typed.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlmodel import Session, select

from surveys.models import (
    Answer,
    AnswerAnalysis,
    AnswerStatus,
    Consultation,
    Enrolment,
    EnrolmentStatus,
    Participant,
    QuestionType,
)
from surveys.responses import display_value, questions_of

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\x00")
NOT_ANALYSED = "[not yet redacted: see the console shortly]"


def neutralise(value: Any) -> Any:
    """A cell value that no spreadsheet will run as a formula (numbers pass unchanged)."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\x00", ""))
    if value.startswith(DANGEROUS_START) or value.lstrip().startswith(DANGEROUS_START):
        return "'" + value
    return value


def answer_table(session: Session, consultation: Consultation) -> tuple[list[str], list[list]]:
    """One row per young person (by pseudonymous reference), one column per question."""
    questions = [
        q for q in questions_of(session, consultation) if not (q.spec or {}).get("own_name")
    ]  # their name is never exported
    header = ["reference", "status", "started_at", "completed_at"] + [q.key for q in questions]
    rows = session.exec(
        select(Enrolment, Participant.key)
        .join(Participant, Participant.id == Enrolment.participant_id)
        .where(
            Enrolment.consultation_id == consultation.id,
            Enrolment.status != EnrolmentStatus.INVITED,
        )
        .order_by(Enrolment.id)
    ).all()
    answers: dict[int, dict[int, tuple]] = defaultdict(dict)
    for answer, analysis in session.exec(
        select(Answer, AnswerAnalysis)
        .join(Enrolment, Enrolment.id == Answer.enrolment_id)
        .join(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id, isouter=True)
        .where(Enrolment.consultation_id == consultation.id)
    ).all():
        answers[answer.enrolment_id][answer.question_id] = (answer, analysis)
    out = []
    for enrolment, key in rows:
        line: list[Any] = [
            key,
            enrolment.status,
            enrolment.started_at.isoformat(timespec="seconds") if enrolment.started_at else "",
            enrolment.completed_at.isoformat(timespec="seconds") if enrolment.completed_at else "",
        ]
        for q in questions:
            answer, analysis = answers[enrolment.id].get(q.id, (None, None))
            if answer is None:
                line.append("")
            elif answer.status != AnswerStatus.ANSWERED:
                line.append("(skipped)")
            elif q.type == QuestionType.TEXT:
                line.append(analysis.redacted if analysis else NOT_ANALYSED)
            elif q.type == QuestionType.SCALE and isinstance(answer.value, int):
                line.append(answer.value)
            else:
                line.append(display_value(q, answer.value))
        out.append(line)
    return header, out


def theme_table(summary: dict[str, Any]) -> tuple[list[str], list[list]]:
    """Theme and sub-theme counts and shares per question, from the theme summary."""
    header = [
        "question",
        "theme_code",
        "theme",
        "subtheme_code",
        "subtheme",
        "answers",
        "count",
        "share",
    ]
    out = []
    for q in summary["questions"]:
        for t in q["themes"]:
            out.append(
                [
                    q["question"]["key"],
                    t["code"],
                    t["name"],
                    "",
                    "",
                    q["answers"],
                    t["count"],
                    t["share"],
                ]
            )
            for sub in t["subthemes"]:
                out.append(
                    [
                        q["question"]["key"],
                        t["code"],
                        t["name"],
                        sub["code"],
                        sub["name"],
                        q["answers"],
                        sub["count"],
                        sub["share"],
                    ]
                )
    return header, out


def to_csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[neutralise(v) for v in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read UTF-8


def to_xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Export"
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
