"""Load survey definitions into the database, and seed the default consultations."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlmodel import Session, select

from surveys.definitions import DEFINITIONS_DIR, SurveyDef, as_spec, load_definition
from surveys.models import Consultation, Question, Survey, utcnow


def upsert_survey(session: Session, d: SurveyDef, source_hash: str = "") -> tuple[Survey, bool]:
    """Create or update a survey by slug; returns (survey, changed).

    Questions are matched by key. A question removed from the YAML is kept inactive, so the
    answers already stored against it are never lost.
    """
    survey = session.exec(select(Survey).where(Survey.slug == d.slug)).first()
    if survey and source_hash and survey.source_hash == source_hash:
        return survey, False
    if survey is None:
        survey = Survey(slug=d.slug, title=d.title, version=0)
    survey.title, survey.description, survey.audience = d.title, d.description, d.audience
    survey.channels = list(d.channels)
    survey.intro_web, survey.intro_sms = d.intro.web, d.intro.sms
    survey.outro_web, survey.outro_sms = d.outro.web, d.outro.sms
    survey.source_hash, survey.version, survey.updated_at = (
        source_hash,
        survey.version + 1,
        utcnow(),
    )
    session.add(survey)
    session.flush()
    existing = {
        q.key: q for q in session.exec(select(Question).where(Question.survey_id == survey.id))
    }
    # Move every existing row out of the way first so positions never collide mid-update.
    for q in existing.values():
        q.active = False
        q.position += 10_000
        session.add(q)
    session.flush()
    for position, qd in enumerate(d.questions):
        q = existing.get(qd.key) or Question(
            survey_id=survey.id, key=qd.key, position=position, type=qd.type, text=qd.text
        )
        q.position, q.type, q.text, q.sms, q.help = position, qd.type, qd.text, qd.sms, qd.help
        q.optional, q.active, q.spec = qd.optional, True, as_spec(qd)
        session.add(q)
    session.flush()
    return survey, True


def load_file(session: Session, path: Path) -> tuple[Survey, bool]:
    """Validate and load one YAML file (raises DefinitionError with file:line problems)."""
    d = load_definition(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return upsert_survey(session, d, digest)


DEFAULT_CONSULTATIONS = {
    # consultation slug: (survey slug, title)
    "bmbf-2026": ("bmbf", "Bright Minds Big Futures 2026"),
    "lac-review-5-11": ("lac_form_a", "My meeting, my say (ages 5-11)"),
    "lac-review-12-plus": ("lac_form_b", "My review (ages 12+)"),
}


def seed(session: Session) -> list[str]:
    """Load the shipped definitions and open the default consultations (idempotent)."""
    done = []
    for path in sorted(DEFINITIONS_DIR.glob("*.yaml")):
        survey, changed = load_file(session, path)
        done.append(f"{survey.slug} ({'loaded' if changed else 'unchanged'})")
    for slug, (survey_slug, title) in DEFAULT_CONSULTATIONS.items():
        survey = session.exec(select(Survey).where(Survey.slug == survey_slug)).first()
        exists = session.exec(select(Consultation).where(Consultation.slug == slug)).first()
        if survey and not exists:
            session.add(Consultation(slug=slug, title=title, survey_id=survey.id, status="open"))
    return done
