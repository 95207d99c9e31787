"""Editing a stored survey: read it back as a definition, change it, validate, store it.

Every change goes through the same SurveyDef validation as a YAML file (secrecy promises,
GSM-7 SMS text, option rules), so a survey built in the console's forms is exactly as safe
as one loaded from YAML. Questions are kept by key, so stored answers are never lost.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session, select

from surveys.definitions import DefinitionError, SurveyDef, cross_checks, parse_definition
from surveys.loader import upsert_survey
from surveys.models import Question, Survey


def definition_of(session: Session, survey: Survey) -> dict[str, Any]:
    """The survey as a YAML-shaped dict (active questions, in order)."""
    questions = session.exec(
        select(Question)
        .where(Question.survey_id == survey.id, Question.active)
        .order_by(Question.position)
    ).all()
    out: dict[str, Any] = {
        "slug": survey.slug,
        "title": survey.title,
        "description": survey.description,
        "audience": survey.audience,
        "channels": list(survey.channels),
        "intro": {"web": survey.intro_web, "sms": survey.intro_sms},
        "outro": {"web": survey.outro_web, "sms": survey.outro_sms},
        "questions": [],
    }
    for q in questions:
        item: dict[str, Any] = {"key": q.key, "type": q.type, "text": q.text}
        if q.sms:
            item["sms"] = q.sms
        if q.help:
            item["help"] = q.help
        if q.optional:
            item["optional"] = True
        item.update(q.spec or {})
        out["questions"].append(item)
    return out


def as_yaml(definition: dict[str, Any]) -> str:
    return yaml.safe_dump(definition, sort_keys=False, allow_unicode=True, width=100)


def _problems(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(survey)"
        out.append(f"{where}: {re.sub(r'^Value error, ', '', err['msg'])}")
    return out


def save(session: Session, definition: dict[str, Any]) -> Survey:
    """Validate and store a changed definition (raises DefinitionError with problems)."""
    crossed = cross_checks(definition, {}, "survey")  # duplicate keys, skip_if order
    if crossed:
        raise DefinitionError([re.sub(r"^survey:\d+: ", "", p) for p in crossed])
    try:
        parsed = SurveyDef.model_validate(definition)
    except ValidationError as exc:
        raise DefinitionError(_problems(exc)) from None
    text = as_yaml(definition)
    survey, _ = upsert_survey(session, parsed, hashlib.sha256(text.encode()).hexdigest())
    return survey


def import_yaml(session: Session, text: str, source: str = "upload") -> tuple[Survey, bool]:
    """Validate YAML text (problems name their line) and create or update its survey."""
    parsed = parse_definition(text, source)
    return upsert_survey(session, parsed, hashlib.sha256(text.encode()).hexdigest())


def parse_options(text: str) -> list[dict[str, str]]:
    """Options typed one per line, as 'label' or 'value | label'."""
    options = []
    for line in text.splitlines():
        if not line.strip():
            continue
        value, sep, label = line.partition("|")
        label = (label if sep else value).strip()
        value = value.strip() if sep else re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
        options.append({"value": value or label, "label": label})
    return options


def options_text(options: list[dict[str, Any]]) -> str:
    return "\n".join(f"{o['value']} | {o['label']}" for o in options)
